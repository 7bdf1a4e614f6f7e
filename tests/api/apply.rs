//! The applicant's side: the form, validation, screening, storage, and the confirmation.

use crate::helpers::{TestApp, captured_logs};

const APPLY: &str = "/jobs/peer-support-specialist/apply";

/// A complete, acceptable application; tests change what they need.
fn good() -> Vec<(&'static str, String)> {
    vec![
        ("name", "Sam Rivera".into()),
        ("email", "sam@example.org".into()),
        ("phone", "(207) 555-0142".into()),
        ("q1", "both".into()),
        ("q1_comment", "Both, for a long while.".into()),
        ("q2", "yes".into()),
        (
            "q3",
            "I'll share what gave me hope. Then I'll ask what they hope for.".into(),
        ),
        (
            "q4",
            "We'll agree together how we meet and check in often.".into(),
        ),
        (
            "q5",
            "Nobody is the expert; we both learn something.".into(),
        ),
        ("diploma", "yes".into()),
        ("cipss_status", "in_training".into()),
    ]
}

fn with(
    mut fields: Vec<(&'static str, String)>,
    key: &'static str,
    value: &str,
) -> Vec<(&'static str, String)> {
    fields.retain(|(k, _)| *k != key);
    fields.push((key, value.to_owned()));
    fields
}

async fn post(app: &TestApp, fields: &[(&'static str, String)]) -> reqwest::Response {
    let pairs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    app.post_form(APPLY, &pairs).await
}

fn location(res: &reqwest::Response) -> String {
    res.headers()["location"].to_str().unwrap().to_owned()
}

async fn the_form_has_every_field_with_a_label_and_the_notice(app: &TestApp) {
    let res = app.get(APPLY).await;
    assert_eq!(res.status(), 200);
    let html = res.text().await.unwrap();
    for field in ["name", "email", "phone", "q3", "q4", "q5", "q1_comment"] {
        assert!(
            html.contains(&format!("name=\"{field}\"")),
            "missing {field}"
        );
        assert!(
            html.contains(&format!("<label for=\"{field}\"")),
            "no label for {field}"
        );
    }
    for radio in [
        "q1-mental_health",
        "q1-substance_use",
        "q1-both",
        "q1-neither",
        "q2-yes",
        "q2-no",
        "cipss_status-provisional",
    ] {
        assert!(
            html.contains(&format!("id=\"{radio}\""))
                && html.contains(&format!("<label for=\"{radio}\"")),
            "{radio}"
        );
    }
    for attestation in [
        "diploma",
        "driving",
        "facilitation_experience",
        "evenings_weekends",
        "computer_skills",
    ] {
        assert!(
            html.contains(&format!("name=\"{attestation}\"")),
            "missing attestation {attestation}"
        );
    }
    assert!(html.contains("Please do not include diagnoses or criminal history."));
    assert!(html.contains("Have you struggled with challenges maintaining mental health, recovery from substance use or both?"));
}

async fn a_good_application_is_stored_and_confirmed(app: &TestApp) {
    let res = post(app, &good()).await;
    assert_eq!(res.status(), 303);
    let to = location(&res);
    assert!(to.starts_with("/applications/"), "{to}");
    let reference = to.trim_start_matches("/applications/");
    assert_eq!(reference.len(), 14);
    assert_eq!(app.application_count().await, 1);

    let page = app.get(&to).await;
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(html.contains(reference));
    assert!(html.contains("Peer Support Specialist"));
    assert!(
        !html.contains("Sam Rivera") && !html.contains("sam@example.org"),
        "the receipt page shows no personal data"
    );
    assert!(
        app.database_contains("Both, for a long while.").await,
        "the q1 comment is stored"
    );
}

async fn a_double_submission_keeps_one_application(app: &TestApp) {
    let first = location(&post(app, &good()).await);
    let second = post(app, &good()).await;
    assert_eq!(second.status(), 303);
    assert_eq!(location(&second), first);
    assert_eq!(app.application_count().await, 1);
}

async fn only_the_named_fields_are_needed(app: &TestApp) {
    let fields: Vec<_> = good()
        .into_iter()
        .filter(|(k, _)| ["name", "email", "q1", "q2", "q3", "q4", "q5"].contains(k))
        .collect();
    assert_eq!(post(app, &fields).await.status(), 303);
}

async fn bad_fields_come_back_with_reasons_next_to_them_and_every_word_kept(app: &TestApp) {
    let fields = with(
        with(
            with(good(), "email", "sam@"),
            "q4",
            "One. Two. Three. Four.",
        ),
        "q5",
        "   ",
    );
    let res = post(app, &fields).await;
    assert_eq!(res.status(), 422);
    let html = res.text().await.unwrap();
    assert!(html.contains("id=\"email-error\""), "{html}");
    assert!(html.contains("“sam@” is not an email address"));
    assert!(html.contains("Your answer to question 4 has 4 sentences; the limit is 3."));
    assert!(html.contains("Question 5 is blank"));
    assert!(html.contains("aria-describedby=\"q4-hint q4-error\""));
    assert!(html.contains(">One. Two. Three. Four.</textarea>"));
    assert!(
        html.contains("Then I&#39;ll ask what they hope for.</textarea>"),
        "the good answers stay too"
    );
    assert!(
        html.contains("href=\"#q4\""),
        "the summary links to the field"
    );
    assert_eq!(app.application_count().await, 0);
}

async fn a_diagnosis_is_refused_marked_and_never_stored_or_logged(app: &TestApp) {
    let unique = format!("Quetzalwing{}", peerhire::config::random_token(8));
    let q3 = format!("My bipolar 2 taught me about {unique}. I'll share that hope.");
    let q4 = "After I did a bid in Warren, I learned to listen.".to_owned();
    let fields = with(with(good(), "q3", &q3), "q4", &q4);
    let res = post(app, &fields).await;
    assert_eq!(res.status(), 422);
    let html = res.text().await.unwrap();
    assert!(
        html.contains("<mark>bipolar 2</mark> — names a diagnosis"),
        "{html}"
    );
    assert!(
        html.contains("<mark>did a bid in Warren</mark> — mentions criminal history"),
        "{html}"
    );
    assert!(
        html.contains(&format!(
            "My <mark>bipolar 2</mark> taught me about {unique}."
        )),
        "the preview marks it in place"
    );
    assert!(html.contains(&format!(
        ">My bipolar 2 taught me about {unique}. I&#39;ll share that hope.</textarea>"
    )));
    assert!(
        html.contains("Sam Rivera") && html.contains("Both, for a long while."),
        "every typed word is kept"
    );
    assert!(html.contains("aria-describedby=\"q3-hint q3-refusal\""));
    assert!(
        html.contains("✎"),
        "a refusal is marked with an icon and text, not colour alone"
    );

    assert_eq!(app.application_count().await, 0);
    assert!(
        !app.database_contains(&unique).await,
        "nothing of a refused text reaches the database"
    );
    assert!(!app.database_contains("Sam Rivera").await);
    assert!(
        !captured_logs().contains(&unique),
        "nothing of a refused text reaches the logs"
    );
    assert!(captured_logs().contains("application refused by screening"));
}

async fn neither_and_no_are_accepted_with_a_kind_note(app: &TestApp) {
    let res = post(app, &with(with(good(), "q1", "neither"), "q2", "no")).await;
    assert_eq!(res.status(), 303);
    let to = location(&res);
    assert!(to.ends_with("?note=lived-experience"), "{to}");
    let html = app.get(&to).await.text().await.unwrap();
    assert!(html.contains("This role is for people who have lived experience"));
    assert_eq!(app.application_count().await, 1);
}

async fn markup_in_any_field_is_shown_as_text(app: &TestApp) {
    let script = "<script>alert('x')</script>";
    let fields = with(
        with(good(), "name", script),
        "q3",
        &format!("{script} My PTSD."),
    );
    let html = post(app, &fields).await.text().await.unwrap();
    assert!(!html.contains(script));
    assert!(
        html.contains("&#60;script&#62;") || html.contains("&lt;script&gt;"),
        "{html}"
    );
}

async fn unknown_postings_and_references_are_404(app: &TestApp) {
    assert_eq!(app.get("/jobs/nope/apply").await.status(), 404);
    assert_eq!(post_to(app, "/jobs/nope/apply").await.status(), 404);
    assert_eq!(app.get("/applications/K7QM-3XPA-9HDT").await.status(), 404);
    assert_eq!(app.get("/applications/not-a-reference").await.status(), 404);
}

async fn post_to(app: &TestApp, path: &str) -> reqwest::Response {
    let pairs: Vec<(&str, String)> = good();
    let pairs: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (*k, v.as_str())).collect();
    app.post_form(path, &pairs).await
}

async fn an_oversized_form_is_413_and_stores_nothing(app: &TestApp) {
    let huge = "a".repeat(70 * 1024);
    let res = post(app, &with(good(), "q3", &huge)).await;
    assert_eq!(res.status(), 413);
    assert_eq!(app.application_count().await, 0);
}

backend_tests!(
    in_a_group_commit_a_failing_write_undoes_only_itself,
    applications_stored_together_end_as_if_stored_one_by_one,
    one_application_sent_many_times_at_once_is_stored_once,
    the_form_has_every_field_with_a_label_and_the_notice,
    a_good_application_is_stored_and_confirmed,
    a_double_submission_keeps_one_application,
    only_the_named_fields_are_needed,
    bad_fields_come_back_with_reasons_next_to_them_and_every_word_kept,
    a_diagnosis_is_refused_marked_and_never_stored_or_logged,
    neither_and_no_are_accepted_with_a_kind_note,
    markup_in_any_field_is_shown_as_text,
    unknown_postings_and_references_are_404,
    an_oversized_form_is_413_and_stores_nothing,
);

/// PostgreSQL only: with the database gone, the applicant gets "try again shortly" and the form
/// with every word still in it — not an error page, not lost text.
#[actix_web::test]
async fn with_the_database_gone_the_form_comes_back_whole() {
    let Some(app) = crate::helpers::spawn_app(crate::helpers::Backend::Postgres).await else {
        return;
    };
    app.drop_database_now();
    let res = post(&app, &good()).await;
    assert_eq!(res.status(), 503);
    let html = res.text().await.unwrap();
    assert!(html.contains("Please try again shortly"));
    assert!(html.contains("Then I&#39;ll ask what they hope for.</textarea>"));
    app.shutdown().await;
}

/// PostgreSQL only: its two group-commit writers can each take a copy of one application, and
/// neither sees the other's before it commits. A third connection holds inserts back until both
/// writers are waiting with their copy (read from `pg_stat_activity`), then lets them go: one
/// stores it, and the other — its batch failing on the duplicate fingerprint — stores its copy
/// alone, finds the first, and answers "already received" with the first one's reference.
#[actix_web::test]
async fn copies_taken_by_two_writers_at_once_are_stored_once() {
    use diesel::prelude::*;
    use peerhire::domain::Reference;
    let Some(app) = crate::helpers::spawn_app(crate::helpers::Backend::Postgres).await else {
        return;
    };
    let url = app.database_url.clone();
    let mut locker = PgConnection::establish(&url).unwrap();
    diesel::sql_query("BEGIN").execute(&mut locker).unwrap();
    diesel::sql_query("LOCK TABLE applicants IN EXCLUSIVE MODE")
        .execute(&mut locker)
        .unwrap();
    // Another connection watches: inside the locker's transaction, pg_stat_activity would be
    // one snapshot that never changes.
    let mut watcher = PgConnection::establish(&url).unwrap();
    let waiting = |watcher: &mut PgConnection| -> i64 {
        #[derive(QueryableByName)]
        struct Waiting {
            #[diesel(sql_type = diesel::sql_types::BigInt)]
            n: i64,
        }
        diesel::sql_query(
            "SELECT count(*) AS n FROM pg_stat_activity \
             WHERE datname = current_database() AND wait_event_type = 'Lock'",
        )
        .get_result::<Waiting>(watcher)
        .unwrap()
        .n
    };
    let mut calls = Vec::new();
    for copy in 1..=2 {
        let db = app.db.clone();
        let job = pending_application(300, Reference::generate());
        calls.push(tokio::spawn(async move { db.store_application(job).await }));
        // Wait (polling the database, not guessing a delay) until this copy's writer is held
        // at its insert, so the next copy can only go to the other writer.
        while waiting(&mut watcher) < copy {
            tokio::task::yield_now().await;
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
    }
    diesel::sql_query("COMMIT").execute(&mut locker).unwrap();
    let mut references = Vec::new();
    for call in calls {
        let outcome = call.await.unwrap().expect("both copies are answered");
        references.push(outcome.reference().clone());
    }
    assert_eq!(references[0], references[1]);
    assert_eq!(app.application_count().await, 1);
    app.shutdown().await;
}

/// Applicant `n`'s application to the posting, ready for the group commit.
fn pending_application(
    n: usize,
    reference: peerhire::domain::Reference,
) -> peerhire::storage::applications::Pending {
    use peerhire::domain::{Application, ApplicationInput};
    use peerhire::storage::applications::{NewSubmission, Pending};
    use peerhire::storage::outbox::NewMessage;

    static POSTING: std::sync::OnceLock<std::sync::Arc<peerhire::domain::Posting>> =
        std::sync::OnceLock::new();
    let posting = POSTING.get_or_init(|| {
        let forms = peerhire::forms::Forms::load(&crate::helpers::forms_dir()).unwrap();
        forms.posting("peer-support-specialist").unwrap().clone()
    });
    let mut input = ApplicationInput {
        name: format!("Applicant {n}"),
        email: format!("applicant-{n}@example.org"),
        ..Default::default()
    };
    for (q, a) in [("q1", "both"), ("q2", "yes")] {
        input.answers.insert(q.into(), a.into());
    }
    for q in ["q3", "q4", "q5"] {
        input
            .answers
            .insert(q.into(), format!("Answer {q} of applicant {n}."));
    }
    input.attestations.insert("diploma".into(), "yes".into());
    Pending {
        posting_slug: posting.slug.to_string(),
        application: Application::parse(posting, &input).unwrap(),
        submission: NewSubmission {
            reference,
            receipt: Some(NewMessage {
                kind: "applicant_receipt".into(),
                application_id: None,
                to: format!("applicant-{n}@example.org"),
                cc: None,
                subject: "Received".into(),
                text: format!("receipt {n}"),
                html: format!("<p>receipt {n}</p>"),
            }),
        },
        now: chrono::Utc::now().naive_utc(),
    }
}

/// Group commit's fast path: applications queued together are stored with one statement per
/// table. The result must be what storing them one by one gives: every one whole, a repeat
/// finding the first, and — when one of them cannot be stored (here, a reference another one
/// already took) — that one failing alone while the rest of its batch is stored.
async fn applications_stored_together_end_as_if_stored_one_by_one(app: &TestApp) {
    use peerhire::domain::Reference;
    use peerhire::storage::applications::{Pending, Submitted, insert_batch};

    let pending = pending_application;
    // One batch, as the group commit hands it over: 0..30 distinct, 30..40 repeat 0..10.
    let batch: Vec<Pending> = (0..40)
        .map(|n| pending(if n >= 30 { n - 30 } else { n }, Reference::generate()))
        .collect();
    let outcomes = app
        .db
        .write(move |conn| {
            use diesel::Connection;
            conn.transaction(|c| insert_batch(c, &batch))
        })
        .await
        .unwrap();
    let created: Vec<&Reference> = outcomes
        .iter()
        .filter_map(|o| match o {
            Submitted::Created(r) => Some(r),
            Submitted::AlreadyReceived(_) => None,
        })
        .collect();
    assert_eq!(created.len(), 30, "{outcomes:?}");
    for n in 0..10 {
        assert_eq!(
            outcomes[n + 30],
            Submitted::AlreadyReceived(outcomes[n].reference().clone()),
            "a repeat in the same batch is told the first one's reference"
        );
    }
    assert_eq!(app.application_count().await, 30);
    assert_rows_are_whole_and_their_own(app, 30).await;
    for reference in created {
        let receipt = app.get(&format!("/applications/{reference}")).await;
        assert_eq!(receipt.status(), 200, "{reference} is confirmed");
    }

    // A batch that cannot be stored whole stores nothing: 100 and 101 share a reference.
    let clash = Reference::generate();
    let bad: Vec<Pending> = vec![pending(100, clash.clone()), pending(101, clash.clone())];
    let refused = app
        .db
        .write(move |conn| {
            use diesel::Connection;
            conn.transaction(|c| insert_batch(c, &bad))
        })
        .await;
    assert!(refused.is_err(), "{refused:?}");
    assert_eq!(app.application_count().await, 30);

    // Through the group commit, the same pair among others: the rest are stored, and of the
    // pair one fails alone, whether they meet in one batch (then each is stored alone) or not.
    let mut calls = Vec::new();
    for n in 100..112 {
        let reference = if n < 102 {
            clash.clone()
        } else {
            Reference::generate()
        };
        let db = app.db.clone();
        let job = pending(n, reference);
        calls.push(tokio::spawn(async move { db.store_application(job).await }));
    }
    let mut failed = 0;
    for call in calls {
        match call.await.unwrap() {
            Ok(Submitted::Created(_)) => {}
            Ok(repeat) => panic!("nothing here is a repeat: {repeat:?}"),
            Err(_) => failed += 1,
        }
    }
    assert_eq!(failed, 1);
    assert_eq!(app.application_count().await, 41);
    assert_rows_are_whole_and_their_own(app, 41).await;
}

/// One application sent 24 times at once is stored once, and every copy is told its reference,
/// none an error — whether copies meet in one batch or in batches committed one after another.
async fn one_application_sent_many_times_at_once_is_stored_once(app: &TestApp) {
    use peerhire::domain::Reference;
    let mut calls = Vec::new();
    for _ in 0..24 {
        let db = app.db.clone();
        let job = pending_application(200, Reference::generate());
        calls.push(tokio::spawn(async move { db.store_application(job).await }));
    }
    let mut references = Vec::new();
    for call in calls {
        references.push(
            call.await
                .unwrap()
                .expect("every copy is answered")
                .reference()
                .clone(),
        );
    }
    references.dedup();
    assert_eq!(references.len(), 1, "{references:?}");
    assert_eq!(app.application_count().await, 1);
}

/// Every stored application has its five answers, its attestation, its first stage and its
/// receipt — and they are its own: rows of one batch are tied together by the ids the inserts
/// returned, so a wrong pairing would show as one applicant's answer under another's name.
async fn assert_rows_are_whole_and_their_own(app: &TestApp, applications: i64) {
    use diesel::prelude::*;
    use peerhire::storage::schema::{
        answers, applicants, applications, attestations, outbox, stage_changes,
    };
    let (counts, rows) = app
        .db
        .read(|conn| {
            let counts = (
                answers::table.count().get_result::<i64>(conn)?,
                attestations::table.count().get_result::<i64>(conn)?,
                stage_changes::table.count().get_result::<i64>(conn)?,
                outbox::table.count().get_result::<i64>(conn)?,
            );
            let rows: Vec<(String, String, String)> = applications::table
                .inner_join(applicants::table)
                .inner_join(answers::table)
                .inner_join(
                    outbox::table.on(outbox::application_id.eq(applications::id.nullable())),
                )
                .filter(answers::question_id.eq("q3"))
                .select((applicants::full_name, answers::value, outbox::text_body))
                .load(conn)?;
            Ok((counts, rows))
        })
        .await
        .unwrap();
    let n = applications;
    assert_eq!(
        counts,
        (n * 5, n, n, n),
        "answers, attestations, stages, receipts"
    );
    assert_eq!(rows.len() as i64, n);
    for (name, answer, receipt) in &rows {
        let who = name.trim_start_matches("Applicant ");
        assert_eq!(
            answer,
            &format!("Answer q3 of applicant {who}."),
            "{name}'s answer"
        );
        assert_eq!(receipt, &format!("receipt {who}"), "{name}'s receipt");
    }
}

/// Group commit: jobs share one transaction, but a job that fails undoes only its own work, and
/// every other job's work is durable when its caller hears back.
async fn in_a_group_commit_a_failing_write_undoes_only_itself(app: &TestApp) {
    use diesel::prelude::*;
    use peerhire::storage::audit::{self, Actor};
    use peerhire::storage::schema::audit_log;
    let mut calls = Vec::new();
    for n in 0..40 {
        let db = app.db.clone();
        calls.push(tokio::spawn(async move {
            db.write_grouped(move |conn| {
                let now = chrono::Utc::now().naive_utc();
                audit::record(
                    conn,
                    &Actor::system("test"),
                    "group.job",
                    Some(&format!("job-{n}")),
                    None,
                    now,
                )?;
                if n % 4 == 0 {
                    return Err(peerhire::storage::StorageError::Conflict(format!(
                        "job {n} fails"
                    )));
                }
                Ok(n)
            })
            .await
        }));
    }
    let mut ok = Vec::new();
    for call in calls {
        match call.await.unwrap() {
            Ok(n) => ok.push(n),
            Err(e) => assert!(e.to_string().contains("fails"), "{e}"),
        }
    }
    ok.sort_unstable();
    assert_eq!(ok.len(), 30, "every job that did not fail succeeded");
    let mut stored: Vec<usize> = app
        .db
        .read(|conn| {
            Ok(audit_log::table
                .filter(audit_log::action.eq("group.job"))
                .select(audit_log::subject.assume_not_null())
                .load::<String>(conn)?)
        })
        .await
        .unwrap()
        .iter()
        .map(|s| s.trim_start_matches("job-").parse().unwrap())
        .collect();
    stored.sort_unstable();
    assert_eq!(
        stored, ok,
        "exactly the work of the jobs that succeeded is stored"
    );
}

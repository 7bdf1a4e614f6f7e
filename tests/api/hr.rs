//! HR: sign-in and roles, the checklist and the stage pipeline, concurrency, export, audit,
//! retention and the first-run setup link.

use peerhire::domain::Role;
use serde_json::json;

use crate::helpers::{PASSWORD, Staff, TestApp, csrf_in};

fn loc(res: &reqwest::Response) -> String {
    res.headers()
        .get("location")
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default()
}

const REQUIRED: [&str; 11] = [
    "education",
    "certification",
    "driving",
    "lived_experience",
    "strengths_based",
    "peer_support_nature",
    "communication",
    "continual_learning",
    "flexible_schedule",
    "computer",
    "working_relationships",
];

async fn set_ksa(
    app: &TestApp,
    staff: &Staff,
    reference: &str,
    ksa: &str,
    status: &str,
) -> reqwest::Response {
    let v = staff.candidate_version(app, reference).await;
    staff
        .post(
            app,
            &format!("/hr/candidates/{reference}/ksa/{ksa}"),
            &[("status", status), ("note", ""), ("version", &v)],
        )
        .await
}

async fn move_to(
    app: &TestApp,
    staff: &Staff,
    reference: &str,
    fields: &[(&str, &str)],
) -> reqwest::Response {
    let v = staff.candidate_version(app, reference).await;
    let mut all = fields.to_vec();
    all.push(("version", &v));
    staff
        .post(app, &format!("/hr/candidates/{reference}/stage"), &all)
        .await
}

/// Every route × {anonymous, manager, hr, admin} → the expected status.
async fn the_role_matrix(app: &TestApp) {
    let manager = app.staff(Role::Manager).await;
    let hr = app.staff(Role::Hr).await;
    let admin = app.staff(Role::Admin).await;
    let anon = app.new_client();
    let reference = app
        .submit_application("Robin Matrix", "I'll share hope.")
        .await;
    let other = app
        .add_user("someone@example.org", "Some One", Role::Hr)
        .await
        .to_string();

    // (method, path, [anonymous, manager, hr, admin])
    let cases: Vec<(&str, String, [u16; 4])> = vec![
        ("GET", "/".into(), [200, 200, 200, 200]),
        (
            "GET",
            "/jobs/peer-support-specialist/apply".into(),
            [200, 200, 200, 200],
        ),
        ("GET", "/hr".into(), [303, 303, 303, 303]),
        ("GET", "/hr/candidates".into(), [303, 403, 200, 200]),
        (
            "GET",
            format!("/hr/candidates/{reference}"),
            [303, 403, 200, 200],
        ),
        ("GET", "/hr/candidates.csv".into(), [303, 403, 200, 200]),
        (
            "GET",
            "/hr/candidates.csv?include_q1_q2=1".into(),
            [303, 403, 403, 200],
        ),
        ("GET", "/hr/users".into(), [303, 403, 403, 200]),
        ("GET", "/hr/audit".into(), [303, 403, 403, 200]),
        ("GET", "/manager".into(), [303, 200, 403, 403]),
        ("POST", "/hr/users".into(), [303, 403, 403, 422]),
        (
            "API-PUT",
            format!("/api/v1/candidates/{reference}/ksa/education"),
            [401, 403, 400, 400],
        ),
        (
            "API-POST",
            format!("/api/v1/candidates/{reference}/stage"),
            [401, 403, 400, 400],
        ),
        (
            "POST",
            format!("/hr/candidates/{reference}/ksa/education"),
            [303, 403, 303, 303],
        ),
        (
            "POST",
            format!("/hr/users/{other}/disable"),
            [303, 403, 403, 303],
        ),
        ("API-GET", "/api/v1/candidates".into(), [401, 403, 200, 200]),
        (
            "API-GET",
            format!("/api/v1/candidates/{reference}"),
            [401, 403, 200, 200],
        ),
    ];
    for (method, path, expected) in cases {
        let mut got = Vec::new();
        for (i, who) in [None, Some(&manager), Some(&hr), Some(&admin)]
            .into_iter()
            .enumerate()
        {
            let client = who.map_or(&anon, |s| &s.client);
            let status = match method {
                // An empty JSON body: past authentication and the role check, it is a 400.
                "API-PUT" => client
                    .put(app.url(&path))
                    .json(&json!({}))
                    .send()
                    .await
                    .unwrap()
                    .status()
                    .as_u16(),
                "API-POST" => client
                    .post(app.url(&path))
                    .json(&json!({}))
                    .send()
                    .await
                    .unwrap()
                    .status()
                    .as_u16(),
                "GET" | "API-GET" => client
                    .get(app.url(&path))
                    .send()
                    .await
                    .unwrap()
                    .status()
                    .as_u16(),
                _ => match who {
                    None => app
                        .post_form(&path, &[("status", "met")])
                        .await
                        .status()
                        .as_u16(),
                    Some(staff) => {
                        let fields: Vec<(&str, String)> = if path.contains("/ksa/") {
                            vec![
                                ("status", "met".into()),
                                ("version", version_for(app, &hr, &reference).await),
                            ]
                        } else {
                            vec![]
                        };
                        let pairs: Vec<(&str, &str)> =
                            fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
                        staff.post(app, &path, &pairs).await.status().as_u16()
                    }
                },
            };
            if i == 0 && status == 303 && method == "GET" {
                let res = anon.get(app.url(&path)).send().await.unwrap();
                assert!(
                    loc(&res).starts_with("/signin") || path == "/hr",
                    "{path}: anonymous goes to sign-in"
                );
            }
            got.push(status);
        }
        assert_eq!(
            got, expected,
            "{method} {path} for [anonymous, manager, hr, admin]"
        );
    }
}

async fn version_for(app: &TestApp, hr: &Staff, reference: &str) -> String {
    hr.candidate_version(app, reference).await
}

async fn a_state_changing_post_without_the_csrf_token_is_403(app: &TestApp) {
    let hr = app.staff(Role::Hr).await;
    let reference = app.submit_application("Csrf Test", "Hope.").await;
    let v = hr.candidate_version(app, &reference).await;
    let body = serde_urlencoded::to_string([("status", "met"), ("version", v.as_str())]).unwrap();
    let res = hr
        .client
        .post(app.url(&format!("/hr/candidates/{reference}/ksa/education")))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);
    let wrong = hr
        .client
        .post(app.url("/signout"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("csrf_token=nope")
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), 403);
    // The sign-in form is protected too (by its own cookie).
    let res = app
        .post_form(
            "/signin",
            &[
                ("email", "x@example.org"),
                ("password", "whatever"),
                ("csrf_token", "forged"),
            ],
        )
        .await;
    assert_eq!(res.status(), 403);
}

async fn sign_out_disable_and_expiry_end_the_session(app: &TestApp) {
    let hr = app.staff(Role::Hr).await;
    assert_eq!(hr.get(app, "/hr/candidates").await.status(), 200);
    let out = hr.post(app, "/signout", &[]).await;
    assert_eq!(out.status(), 303);
    let after = hr.get(app, "/hr/candidates").await;
    assert_eq!(after.status(), 303);
    assert!(loc(&after).starts_with("/signin?next="));

    // Disabling a user ends their sessions at once.
    let hr2 = app.staff(Role::Hr).await;
    let admin = app.staff(Role::Admin).await;
    let disabled = admin
        .post(app, &format!("/hr/users/{}/disable", hr2.id), &[])
        .await;
    assert_eq!(disabled.status(), 303);
    assert_eq!(hr2.get(app, "/hr/candidates").await.status(), 303);
    assert_eq!(
        app.sign_in(&app.new_client(), &hr2.email, PASSWORD)
            .await
            .status(),
        401,
        "a disabled user cannot sign in"
    );

    // An idle session expires.
    let hr3 = app.staff(Role::Hr).await;
    let id = hr3.id;
    app.db
        .write(move |conn| {
            use diesel::prelude::*;
            use peerhire::storage::schema::sessions;
            let old = chrono::Utc::now().naive_utc() - chrono::Duration::hours(3);
            diesel::update(sessions::table.filter(sessions::user_id.eq(id)))
                .set(sessions::last_seen_at.eq(old))
                .execute(conn)?;
            Ok(())
        })
        .await
        .unwrap();
    assert_eq!(hr3.get(app, "/hr/candidates").await.status(), 303);
}

async fn sign_in_failures_are_generic_and_throttled(app: &TestApp) {
    let email = "throttle@example.org";
    app.add_user(email, "Throttle Test", Role::Hr).await;
    let client = app.new_client();
    let unknown = app.sign_in(&client, "nobody@example.org", PASSWORD).await;
    let wrong = app.sign_in(&client, email, "wrong password here").await;
    assert_eq!(unknown.status(), 401);
    assert_eq!(wrong.status(), 401);
    let (a, b) = (unknown.text().await.unwrap(), wrong.text().await.unwrap());
    let message = "That email and password did not work.";
    assert!(
        a.contains(message) && b.contains(message),
        "one generic message"
    );
    for _ in 0..4 {
        app.sign_in(&client, email, "still wrong password").await;
    }
    let right_but_throttled = app.sign_in(&client, email, PASSWORD).await;
    assert_eq!(
        right_but_throttled.status(),
        401,
        "after five failures the account waits"
    );
    assert!(right_but_throttled.text().await.unwrap().contains(message));
}

async fn the_checklist_and_the_stage_guards_from_applied_to_certified(app: &TestApp) {
    let hr = app.staff(Role::Hr).await;
    let manager = app.staff(Role::Manager).await;
    let reference = app
        .submit_application("Alex Pipeline", "I'll share what gave me hope.")
        .await;
    let page = hr
        .get(app, &format!("/hr/candidates/{reference}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("Applicant says yes — verify"),
        "self-attestations show on the checklist"
    );
    assert_eq!(page.matches("class=\"ksa-item\"").count(), 12);

    assert_eq!(
        move_to(app, &hr, &reference, &[("to", "screening")])
            .await
            .status(),
        303
    );
    let res = move_to(app, &hr, &reference, &[("to", "interview")]).await;
    assert_eq!(res.status(), 409);
    assert!(
        res.text()
            .await
            .unwrap()
            .contains("Leaving screening needs every required KSA reviewed")
    );

    for ksa in REQUIRED {
        let status = if ksa == "driving" { "not_met" } else { "met" };
        assert_eq!(
            set_ksa(app, &hr, &reference, ksa, status).await.status(),
            303,
            "{ksa}"
        );
    }
    let res = move_to(app, &hr, &reference, &[("to", "interview")]).await;
    assert_eq!(res.status(), 409);
    let body = res.text().await.unwrap();
    assert!(
        body.contains("Required KSA not met: Driving license and transportation"),
        "{body}"
    );
    let res = move_to(
        app,
        &hr,
        &reference,
        &[
            ("to", "interview"),
            (
                "override_reason",
                "Lives on the bus line; car not needed for this site",
            ),
        ],
    )
    .await;
    assert_eq!(res.status(), 303);
    assert_eq!(
        move_to(app, &hr, &reference, &[("to", "offer")])
            .await
            .status(),
        303
    );

    let res = move_to(
        app,
        &hr,
        &reference,
        &[("to", "hired"), ("hire_date", "2026-01-05")],
    )
    .await;
    assert_eq!(res.status(), 409, "hired needs a manager");
    let res = move_to(
        app,
        &hr,
        &reference,
        &[
            ("to", "hired"),
            ("hire_date", "2026-01-05"),
            ("hiring_manager", &hr.id.to_string()),
        ],
    )
    .await;
    assert_eq!(
        res.status(),
        409,
        "the hiring manager must have the manager role"
    );
    let res = move_to(
        app,
        &hr,
        &reference,
        &[
            ("to", "hired"),
            ("hire_date", "2026-01-05"),
            ("hiring_manager", &manager.id.to_string()),
        ],
    )
    .await;
    assert_eq!(res.status(), 303);
    let res = move_to(
        app,
        &hr,
        &reference,
        &[("to", "withdrawn"), ("reason", "moved")],
    )
    .await;
    assert_eq!(res.status(), 409, "withdrawn is only before hire");
    let res = move_to(app, &hr, &reference, &[("to", "provisional_cipss")]).await;
    assert_eq!(res.status(), 409, "needs the certification date");
    assert_eq!(
        move_to(
            app,
            &hr,
            &reference,
            &[
                ("to", "provisional_cipss"),
                ("certification_date", "2026-06-01")
            ]
        )
        .await
        .status(),
        303
    );
    assert_eq!(
        move_to(
            app,
            &hr,
            &reference,
            &[("to", "certified"), ("certification_date", "2027-01-05")]
        )
        .await
        .status(),
        303
    );

    let page = hr
        .get(app, &format!("/hr/candidates/{reference}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("id=\"current-stage\">Certified<"), "{page}");
    assert!(
        page.contains("Override: Lives on the bus line"),
        "the override is in the history"
    );
    assert!(page.contains("“Certified” is a final stage"));

    // The manager sees their hire, without the answers.
    let theirs = manager
        .get(app, &format!("/hr/candidates/{reference}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        theirs.contains("Alex Pipeline")
            && !theirs.contains("I'll share what gave me hope.")
            && !theirs.contains("id=\"answers\"")
    );
    assert!(
        manager
            .get(app, "/manager")
            .await
            .text()
            .await
            .unwrap()
            .contains(&reference)
    );
}

async fn withdrawing_needs_a_reason_and_a_final_stage_stays_final(app: &TestApp) {
    let hr = app.staff(Role::Hr).await;
    let reference = app.submit_application("Jo Withdraw", "Hope.").await;
    assert_eq!(
        move_to(app, &hr, &reference, &[("to", "withdrawn")])
            .await
            .status(),
        409
    );
    assert_eq!(
        move_to(
            app,
            &hr,
            &reference,
            &[("to", "withdrawn"), ("reason", "Took another job")]
        )
        .await
        .status(),
        303
    );
    let res = move_to(app, &hr, &reference, &[("to", "screening")]).await;
    assert_eq!(res.status(), 409);
}

async fn two_screeners_at_once_one_wins_the_other_sees_the_fresh_state(app: &TestApp) {
    let first = app.staff(Role::Hr).await;
    let second = app.staff(Role::Hr).await;
    let reference = app.submit_application("Sam Concurrent", "Hope.").await;
    let v = first.candidate_version(app, &reference).await;
    let path = format!("/hr/candidates/{reference}/ksa/education");
    let fields_a = [
        ("status", "met"),
        ("note", "diploma seen"),
        ("version", v.as_str()),
    ];
    let fields_b = [
        ("status", "not_met"),
        ("note", "no proof"),
        ("version", v.as_str()),
    ];
    let (a, b) = tokio::join!(
        first.post(app, &path, &fields_a),
        second.post(app, &path, &fields_b)
    );
    let mut statuses = [a.status().as_u16(), b.status().as_u16()];
    statuses.sort();
    assert_eq!(statuses, [303, 409], "exactly one wins");
    let loser = if a.status() == 409 { a } else { b };
    let html = loser.text().await.unwrap();
    assert!(
        html.contains("Someone else changed this candidate"),
        "{html}"
    );
    let fresh_version: i32 = first
        .candidate_version(app, &reference)
        .await
        .parse()
        .unwrap();
    assert!(
        html.contains(&format!("name=\"version\" value=\"{fresh_version}\"")),
        "the loser sees the fresh state"
    );
}

async fn markup_in_applicant_fields_is_text_on_every_hr_page(app: &TestApp) {
    let hr = app.staff(Role::Hr).await;
    let script = "<script>alert('x')</script>";
    let reference = app
        .submit_application(&format!("{script} Evil"), &format!("{script} Hope."))
        .await;
    for path in [
        "/hr/candidates".to_owned(),
        format!("/hr/candidates/{reference}"),
        "/hr/candidates?q=Evil".to_owned(),
    ] {
        let html = hr.get(app, &path).await.text().await.unwrap();
        assert!(!html.contains(script), "{path}");
        assert!(
            html.contains("&#60;script&#62;") || html.contains("&lt;script&gt;"),
            "{path}"
        );
    }
}

async fn search_filters_counts_and_pages(app: &TestApp) {
    let hr = app.staff(Role::Hr).await;
    let mut refs = Vec::new();
    for i in 0..27 {
        refs.push(
            app.submit_application(&format!("Person {i:02} Page"), "Hope.")
                .await,
        );
    }
    let found = app.submit_application("Findable Quinn", "Hope.").await;
    move_to(app, &hr, &found, &[("to", "screening")]).await;
    let html = hr
        .get(app, "/hr/candidates?q=quinn")
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains(&found) && !html.contains(&refs[0]));
    let html = hr
        .get(app, &format!("/hr/candidates?q={}", found.to_lowercase()))
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains("1 candidate."), "search by reference");
    let html = hr
        .get(app, "/hr/candidates?stage=screening")
        .await
        .text()
        .await
        .unwrap();
    assert!(
        html.contains("Screening (1)") && html.contains("Applied (27)") && html.contains(&found)
    );
    let page1 = hr.get(app, "/hr/candidates").await.text().await.unwrap();
    assert!(
        page1.contains("page 1 of 2") && page1.contains(&found),
        "newest first"
    );
    let page2 = hr
        .get(app, "/hr/candidates?page=1")
        .await
        .text()
        .await
        .unwrap();
    assert!(page2.contains(&refs[0]) && !page2.contains(&found));
}

async fn the_export_neutralises_formulas_and_is_audited(app: &TestApp) {
    let hr = app.staff(Role::Hr).await;
    let admin = app.staff(Role::Admin).await;
    app.submit_application("=HYPERLINK(\"http://evil\")", "Hope.")
        .await;
    let csv = hr
        .get(app, "/hr/candidates.csv")
        .await
        .text()
        .await
        .unwrap();
    assert!(csv.starts_with("reference,posting,stage,submitted_at,name,email"));
    assert!(csv.contains("'=HYPERLINK"), "{csv}");
    assert!(!csv.contains(",q1,"), "no q1–q2 unless an admin asks");
    let with = admin
        .get(app, "/hr/candidates.csv?include_q1_q2=1")
        .await
        .text()
        .await
        .unwrap();
    assert!(
        with.lines().next().unwrap().ends_with(",q1,q1_comment,q2") && with.contains(",both,"),
        "{with}"
    );
    let audit = admin
        .get(app, "/hr/audit?action=export.csv")
        .await
        .text()
        .await
        .unwrap();
    assert!(audit.contains(&hr.email) && audit.contains("with q1-q2"));
}

async fn viewing_answers_is_audited_without_their_text(app: &TestApp) {
    let hr = app.staff(Role::Hr).await;
    let admin = app.staff(Role::Admin).await;
    let unique = format!("Zephyrine{}", peerhire::config::random_token(6));
    let reference = app
        .submit_application("Audit Trail", &format!("I'll share {unique}."))
        .await;
    let page = hr
        .get(app, &format!("/hr/candidates/{reference}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains(&unique), "HR reads the answers");
    set_ksa(app, &hr, &reference, "education", "met").await;
    let audit = admin
        .get(app, &format!("/hr/audit?subject={reference}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        audit.contains("answers.view")
            && audit.contains("ksa.set")
            && audit.contains("ksa=education status=met")
    );
    let signins = admin
        .get(app, "/hr/audit?action=signin.success")
        .await
        .text()
        .await
        .unwrap();
    assert!(signins.contains(&hr.email));
    let unique2 = unique.clone();
    let in_audit = app
        .db
        .read(move |conn| {
            use diesel::prelude::*;
            use peerhire::storage::schema::audit_log;
            let pattern = format!("%{unique2}%");
            Ok(audit_log::table
                .filter(
                    audit_log::detail
                        .like(&pattern)
                        .or(audit_log::subject.like(&pattern)),
                )
                .count()
                .get_result::<i64>(conn)?)
        })
        .await
        .unwrap();
    assert_eq!(in_audit, 0, "no answer text in the audit trail");
}

async fn retention_erases_closed_candidates_and_leaves_an_audit_line(app: &TestApp) {
    let hr = app.staff(Role::Hr).await;
    let admin = app.staff(Role::Admin).await;
    let unique = format!("Bramblewick{}", peerhire::config::random_token(6));
    let reference = app
        .submit_application(&format!("Erase {unique}"), &format!("Hope {unique}."))
        .await;
    let kept = app.submit_application("Stays Here", "Hope.").await;
    move_to(
        app,
        &hr,
        &reference,
        &[("to", "not_selected"), ("reason", "Not this time")],
    )
    .await;
    move_to(
        app,
        &hr,
        &kept,
        &[("to", "withdrawn"), ("reason", "Changed plans")],
    )
    .await;
    let r = reference.clone();
    app.db
        .write(move |conn| {
            use diesel::prelude::*;
            use peerhire::storage::schema::applications;
            let long_ago = chrono::Utc::now().naive_utc() - chrono::Duration::days(400);
            diesel::update(applications::table.filter(applications::reference.eq(&r)))
                .set(applications::closed_at.eq(long_ago))
                .execute(conn)?;
            Ok(())
        })
        .await
        .unwrap();
    assert!(app.database_contains(&unique).await);
    peerhire::jobs::run_retention(&app.db, 365).await;
    assert!(
        !app.database_contains(&unique).await,
        "answers and contact details are gone"
    );
    let list = hr.get(app, "/hr/candidates").await.text().await.unwrap();
    assert!(
        list.contains(&reference) && list.contains("erased"),
        "the row stays, without the person"
    );
    assert!(list.contains("Stays Here"), "a recent closure is kept");
    let audit = admin
        .get(app, &format!("/hr/audit?subject={reference}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(audit.contains("retention.erase"));
}

async fn the_first_run_link_creates_the_admin_once(app: &TestApp) {
    let link = app
        .setup_link
        .clone()
        .expect("a fresh database has no user, so a setup link");
    let client = app.new_client();
    assert_eq!(
        client.get(app.url(&link)).send().await.unwrap().status(),
        200
    );
    let body = serde_urlencoded::to_string([
        ("full_name", "First Admin"),
        ("email", "first@example.org"),
        ("password", "short"),
    ])
    .unwrap();
    let res = client
        .post(app.url(&link))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 422);
    assert!(res.text().await.unwrap().contains("at least 12 characters"));
    let body = serde_urlencoded::to_string([
        ("full_name", "First Admin"),
        ("email", "first@example.org"),
        ("password", PASSWORD),
    ])
    .unwrap();
    let res = client
        .post(app.url(&link))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    assert_eq!(loc(&res), "/hr/users");
    let users = client
        .get(app.url("/hr/users"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(users.contains("first@example.org"));
    // The admin adds an HR user in the browser.
    let csrf = csrf_in(&users);
    let add = serde_urlencoded::to_string([
        ("full_name", "Hana Reyes"),
        ("email", "hana@example.org"),
        ("role", "hr"),
        ("password", PASSWORD),
        ("csrf_token", &csrf),
    ])
    .unwrap();
    let res = client
        .post(app.url("/hr/users"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(add)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    assert_eq!(
        app.sign_in(&app.new_client(), "hana@example.org", PASSWORD)
            .await
            .status(),
        303
    );
    // The link works once.
    assert_eq!(
        app.new_client()
            .get(app.url(&link))
            .send()
            .await
            .unwrap()
            .status(),
        404
    );
    let again = app
        .new_client()
        .post(app.url(&link))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 404);
}

async fn the_api_lists_reads_and_changes_candidates_with_a_token(app: &TestApp) {
    let hr_id = app.add_user("api-hr@example.org", "Api Hr", Role::Hr).await;
    let token = peerhire::security::Token::generate();
    let digest = token.digest();
    app.db
        .write(move |conn| {
            peerhire::storage::users::create_api_token(
                conn,
                hr_id,
                &digest,
                chrono::Utc::now().naive_utc(),
            )
        })
        .await
        .unwrap();
    let reference = app.submit_application("Api Person", "Hope.").await;
    let bearer = format!("Bearer {}", token.expose());
    let list: serde_json::Value = app
        .client
        .get(app.url("/api/v1/candidates?stage=applied"))
        .header("authorization", &bearer)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(list["total"], 1);
    assert_eq!(list["candidates"][0]["reference"], reference.as_str());
    let detail: serde_json::Value = app
        .client
        .get(app.url(&format!("/api/v1/candidates/{reference}")))
        .header("authorization", &bearer)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(detail["answers"]["q3"], "Hope.");
    assert_eq!(detail["checklist"].as_array().unwrap().len(), 12);
    let v = detail["version"].as_i64().unwrap();
    let put = |body: serde_json::Value| {
        let (client, bearer, url) = (
            app.client.clone(),
            bearer.clone(),
            app.url(&format!("/api/v1/candidates/{reference}/ksa/education")),
        );
        async move {
            client
                .put(url)
                .header("authorization", bearer)
                .json(&body)
                .send()
                .await
                .unwrap()
        }
    };
    let ok = put(json!({"status": "met", "version": v})).await;
    assert_eq!(ok.status(), 200);
    let stale = put(json!({"status": "not_met", "version": v})).await;
    assert_eq!(stale.status(), 409);
    let stale: serde_json::Value = stale.json().await.unwrap();
    assert_eq!(stale["error"], "conflict");
    assert_eq!(stale["current"]["version"], v + 1);
    let bad = put(json!({"status": "perhaps", "version": v + 1})).await;
    assert_eq!(bad.status(), 400);
    let moved = app
        .client
        .post(app.url(&format!("/api/v1/candidates/{reference}/stage")))
        .header("authorization", &bearer)
        .json(&json!({"to": "interview", "version": v + 1}))
        .send()
        .await
        .unwrap();
    assert_eq!(moved.status(), 409, "applied → interview is not a move");
    assert!(
        moved.json::<serde_json::Value>().await.unwrap()["message"]
            .as_str()
            .unwrap()
            .contains("can move to")
    );
    let revoked = app
        .client
        .get(app.url("/api/v1/candidates"))
        .header("authorization", "Bearer not-a-token")
        .send()
        .await
        .unwrap();
    assert_eq!(revoked.status(), 401);
}

backend_tests!(
    the_role_matrix,
    a_state_changing_post_without_the_csrf_token_is_403,
    sign_out_disable_and_expiry_end_the_session,
    sign_in_failures_are_generic_and_throttled,
    the_checklist_and_the_stage_guards_from_applied_to_certified,
    withdrawing_needs_a_reason_and_a_final_stage_stays_final,
    two_screeners_at_once_one_wins_the_other_sees_the_fresh_state,
    markup_in_applicant_fields_is_text_on_every_hr_page,
    search_filters_counts_and_pages,
    the_export_neutralises_formulas_and_is_audited,
    viewing_answers_is_audited_without_their_text,
    retention_erases_closed_candidates_and_leaves_an_audit_line,
    the_first_run_link_creates_the_admin_once,
    the_api_lists_reads_and_changes_candidates_with_a_token,
);

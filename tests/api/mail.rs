//! Email through a real SMTP server on loopback: the applicant's receipt, the deadline alerts
//! over a simulated calendar, outages, refusals, a process killed mid-send, and two scans at
//! once. Alerts run through the real `peerhire alerts run` binary where the issue names it.

use std::collections::BTreeMap;
use std::process::Stdio;
use std::time::Duration;

use chrono::{Duration as Days, NaiveDate, Utc};
use peerhire::domain::Role;

use crate::helpers::TestApp;
use crate::smtp::{Answer, SilentServer, SmtpServer};

const WAIT: Duration = Duration::from_secs(20);

fn date(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

/// Runs `peerhire alerts run --today DAY` against this app's database and SMTP server.
fn alerts_run(app: &TestApp, smtp: &str, day: NaiveDate) -> String {
    let out = app
        .cli(&["alerts", "run", "--today", &day.to_string()])
        .env("PEERHIRE_SMTP_URL", smtp)
        .output()
        .expect("the binary runs");
    assert!(
        out.status.success(),
        "alerts run {day}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

async fn the_receipt_reaches_the_applicant_without_any_answer(app: &TestApp) {
    let smtp = SmtpServer::start();
    let unique = format!("Quillfeather{}", peerhire::config::random_token(6));
    let body = serde_json::json!({
        "name": "Robin Receipt",
        "email": "robin@example.org",
        "answers": {"q1": "both", "q2": "yes", "q3": format!("Hope grows, {unique}."),
                    "q4": "We agree together.", "q5": "We both learn."},
    });
    let res = app
        .post_json("/api/v1/jobs/peer-support-specialist/applications", &body)
        .await;
    assert_eq!(res.status(), 201);
    let reference = res.json::<serde_json::Value>().await.unwrap()["reference"]
        .as_str()
        .unwrap()
        .to_owned();
    let report = app
        .jobs_with_smtp(&smtp.url())
        .deliver(Utc::now().naive_utc())
        .await
        .unwrap();
    assert_eq!(report.sent, 1);
    let mail = smtp.wait_for(1, WAIT).remove(0);
    assert_eq!(mail.to, ["robin@example.org"]);
    assert_eq!(mail.from, "peerhire@localhost", "the configured sender");
    assert!(mail.subject().contains(&reference), "{}", mail.subject());
    assert!(mail.data.contains("multipart/alternative"), "text and HTML");
    assert!(mail.data.contains("Auto-Submitted: auto-generated"));
    assert!(!mail.data.contains(&unique), "no answer text in an email");
    let again = app
        .jobs_with_smtp(&smtp.url())
        .deliver(Utc::now().naive_utc())
        .await
        .unwrap();
    assert_eq!(again.sent, 0, "sent once");
}

/// Hire on a month's last day, run `alerts run --today` for every day of ten months, record
/// the provisional certification late, and compare every email with the expected set.
async fn ten_months_of_daily_scans_send_each_alert_once(app: &TestApp) {
    let smtp = SmtpServer::start();
    let manager = app.staff(Role::Manager).await;
    let hr = app.staff(Role::Hr).await;
    let hired = app.hire("Casey Month-End", "2025-05-31", manager.id).await;
    // Holds the provisional certification already: never an alert.
    let holder = app.hire("Pat Provisional", "2025-05-31", manager.id).await;
    app.set_stage(
        &holder,
        "provisional_cipss",
        "2025-05-31",
        Some(manager.id),
        None,
    )
    .await;
    // Certified a year before: upkeep alerts 60 and 30 days before the year ends (2026-03-01).
    let certified = app.hire("Sam Certified", "2024-01-15", manager.id).await;
    app.set_stage(
        &certified,
        "certified",
        "2024-01-15",
        Some(manager.id),
        Some("2025-03-01"),
    )
    .await;
    // Receipts from the submissions are not what this test counts.
    app.jobs.deliver(Utc::now().naive_utc()).await.unwrap();

    let mut sent_on: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut day = date("2025-05-31");
    let end = date("2026-03-31");
    while day <= end {
        if day == date("2026-03-22") {
            // HR records the provisional certification: the weekly reminders stop.
            app.set_stage(
                &hired,
                "provisional_cipss",
                "2025-05-31",
                Some(manager.id),
                None,
            )
            .await;
        }
        let before = smtp.messages().len();
        alerts_run(app, &smtp.url(), day);
        for mail in &smtp.messages()[before..] {
            sent_on
                .entry(day.to_string())
                .or_default()
                .push(mail.subject());
        }
        day += Days::days(1);
    }
    let expected: BTreeMap<String, Vec<String>> = [
        (
            "2025-12-30",
            "Provisional CIPSS due in 60 days: Casey Month-End",
        ),
        ("2025-12-31", "CIPSS upkeep due in 60 days: Sam Certified"),
        (
            "2026-01-29",
            "Provisional CIPSS due in 30 days: Casey Month-End",
        ),
        ("2026-01-30", "CIPSS upkeep due in 30 days: Sam Certified"),
        (
            "2026-02-14",
            "Provisional CIPSS due in 14 days: Casey Month-End",
        ),
        (
            "2026-02-21",
            "Provisional CIPSS due in 7 days: Casey Month-End",
        ),
        (
            "2026-02-27",
            "Provisional CIPSS due tomorrow: Casey Month-End",
        ),
        ("2026-02-28", "Provisional CIPSS due today: Casey Month-End"),
        (
            "2026-03-07",
            "Provisional CIPSS overdue by 7 days: Casey Month-End",
        ),
        (
            "2026-03-14",
            "Provisional CIPSS overdue by 14 days: Casey Month-End",
        ),
        (
            "2026-03-21",
            "Provisional CIPSS overdue by 21 days: Casey Month-End",
        ),
    ]
    .into_iter()
    .map(|(d, s)| (d.to_owned(), vec![s.to_owned()]))
    .collect();
    assert_eq!(sent_on, expected);

    let all = smtp.messages();
    for mail in &all {
        assert!(
            mail.to.contains(&manager.email),
            "to the manager: {:?}",
            mail.to
        );
        let overdue = mail.subject().contains("overdue");
        assert_eq!(
            mail.to.contains(&hr.email),
            overdue,
            "HR in copy exactly when overdue: {}",
            mail.subject()
        );
        assert!(
            !mail.data.contains("I will listen first"),
            "never an answer"
        );
    }
    let link = format!("/hr/candidates/{hired}");
    assert!(all[0].data.contains(&link), "a link to the candidate page");
}

async fn smtp_down_then_up_delivers_every_message_once(app: &TestApp) {
    let smtp = SmtpServer::start();
    for n in 0..3 {
        app.submit_application(&format!("Outage Person {n}"), "Hope.")
            .await;
    }
    smtp.down();
    let jobs = app.jobs_with_smtp(&smtp.url());
    let now = Utc::now().naive_utc();
    let report = jobs.deliver(now).await.unwrap();
    assert_eq!(
        (report.sent, report.retried),
        (0, 3),
        "connection refused: all retried"
    );
    let report = jobs.deliver(now + Days::seconds(1)).await.unwrap();
    assert_eq!(report, Default::default(), "each waits for its backoff");
    smtp.up();
    let report = jobs.deliver(now + Days::seconds(10)).await.unwrap();
    assert_eq!(report.sent, 0, "still within the backoff");
    let report = jobs.deliver(now + Days::hours(2)).await.unwrap();
    assert_eq!(report.sent, 3);
    let received = smtp.wait_for(3, WAIT);
    let mut recipients: Vec<String> = received.iter().map(|m| m.to[0].clone()).collect();
    recipients.sort();
    recipients.dedup();
    assert_eq!(recipients.len(), 3, "each once");
    assert_eq!(jobs.deliver(now + Days::hours(3)).await.unwrap().sent, 0);
    assert_eq!(smtp.messages().len(), 3);
}

async fn a_refusing_server_is_retried_then_failed_and_an_admin_can_retry(app: &TestApp) {
    let smtp = SmtpServer::start();
    let admin = app.staff(Role::Admin).await;
    app.submit_application("Refused Mail", "Hope.").await;
    let jobs = app.jobs_with_smtp(&smtp.url());
    let now = Utc::now().naive_utc();
    smtp.set_answer(Answer::TryLater);
    let report = jobs.deliver(now).await.unwrap();
    assert_eq!(
        (report.sent, report.retried, report.failed),
        (0, 1, 0),
        "4xx: retried"
    );
    smtp.set_answer(Answer::Refuse);
    let report = jobs.deliver(now + Days::hours(1)).await.unwrap();
    assert_eq!(report.retried, 1, "5xx within the give-up time: retried");
    let report = jobs.deliver(now + Days::hours(25)).await.unwrap();
    assert_eq!(report.failed, 1, "5xx after a day: failed");
    assert_eq!(
        jobs.deliver(now + Days::hours(48)).await.unwrap(),
        Default::default()
    );

    let page = admin.get(app, "/hr/outbox").await.text().await.unwrap();
    assert!(page.contains("Failed") && page.contains("550"), "{page}");
    let id = app.outbox().await.last().unwrap().id;
    let res = admin
        .post(app, &format!("/hr/outbox/{id}/retry"), &[])
        .await;
    assert_eq!(res.status(), 303);
    smtp.set_answer(Answer::Accept);
    let report = jobs
        .deliver(Utc::now().naive_utc() + Days::seconds(1))
        .await
        .unwrap();
    assert_eq!(report.sent, 1);
    assert_eq!(smtp.wait_for(1, WAIT).len(), 1);
    let page = admin.get(app, "/hr/outbox").await.text().await.unwrap();
    assert!(page.contains("Every message has been delivered"));
    let hr = app.staff(Role::Hr).await;
    assert_eq!(hr.get(app, "/hr/outbox").await.status(), 403, "admins only");
}

async fn a_process_killed_between_claim_and_send_sends_after_the_lease_once(app: &TestApp) {
    app.submit_application("Killed Midway", "Hope.").await;
    let silent = SilentServer::start();
    let mut child = app
        .cli(&["alerts", "run"])
        .env("PEERHIRE_SMTP_URL", silent.url())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    // It has claimed the message and is in the middle of sending it.
    silent.wait_for_a_client(WAIT);
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    let row = app.outbox().await.remove(0);
    assert!(row.sent_at.is_none());
    assert!(
        row.lease_until.is_some_and(|l| l > Utc::now().naive_utc()),
        "still leased"
    );

    let smtp = SmtpServer::start();
    let today = Utc::now().date_naive();
    let out = alerts_run(app, &smtp.url(), today);
    assert!(out.contains("delivered 0"), "the lease holds: {out}");
    assert!(smtp.messages().is_empty());

    // Time passes beyond the lease.
    let id = row.id;
    app.db
        .write(move |conn| {
            use diesel::prelude::*;
            use peerhire::storage::schema::outbox;
            diesel::update(outbox::table.find(id))
                .set(outbox::lease_until.eq(Utc::now().naive_utc() - Days::seconds(1)))
                .execute(conn)?;
            Ok(())
        })
        .await
        .unwrap();
    let out = alerts_run(app, &smtp.url(), today);
    assert!(out.contains("delivered 1"), "{out}");
    assert!(smtp.wait_for(1, WAIT)[0].to[0].ends_with("@example.org"));
    let out = alerts_run(app, &smtp.url(), today);
    assert!(out.contains("delivered 0"), "{out}");
    assert_eq!(smtp.messages().len(), 1, "once");
}

async fn two_alert_runs_at_once_send_each_email_once(app: &TestApp) {
    let smtp = SmtpServer::start();
    let manager = app.staff(Role::Manager).await;
    let mut hires = Vec::new();
    for n in 0..12 {
        hires.push(
            app.hire(&format!("Twin Run {n:02}"), "2026-01-05", manager.id)
                .await,
        );
    }
    app.jobs.deliver(Utc::now().naive_utc()).await.unwrap();
    // 2026-01-05 + 9 months = 2026-10-05; 60 days before is 2026-08-06.
    let day = "2026-08-06";
    let spawn = || {
        app.cli(&["alerts", "run", "--today", day])
            .env("PEERHIRE_SMTP_URL", smtp.url())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap()
    };
    let (a, b) = (spawn(), spawn());
    for child in [a, b] {
        let out = child.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let received = smtp.wait_for(12, WAIT);
    let mut subjects: Vec<String> = received.iter().map(|m| m.subject()).collect();
    subjects.sort();
    let before = subjects.len();
    subjects.dedup();
    assert_eq!((before, subjects.len()), (12, 12), "{subjects:?}");
    assert!(
        subjects
            .iter()
            .all(|s| s.starts_with("Provisional CIPSS due in 60 days"))
    );
}

async fn without_smtp_each_message_is_an_eml_file_beside_the_database(app: &TestApp) {
    if app.backend == crate::helpers::Backend::Postgres {
        // No database file: the folder would be the working directory's; SQLite shows it.
        return;
    }
    let reference = app.submit_application("File Mail", "Hope.").await;
    let report = app.jobs.deliver(Utc::now().naive_utc()).await.unwrap();
    assert_eq!(report.sent, 1);
    let base = app.dir.join("outbox");
    let files: Vec<_> = std::fs::read_dir(&base).unwrap().flatten().collect();
    assert_eq!(files.len(), 1);
    let name = files[0].file_name().to_string_lossy().into_owned();
    assert!(name.ends_with("-applicant_receipt.eml"), "{name}");
    let eml = std::fs::read_to_string(files[0].path()).unwrap();
    assert!(eml.contains(&reference) && eml.contains("To: "), "{eml}");
}

backend_tests!(
    the_receipt_reaches_the_applicant_without_any_answer,
    ten_months_of_daily_scans_send_each_alert_once,
    smtp_down_then_up_delivers_every_message_once,
    a_refusing_server_is_retried_then_failed_and_an_admin_can_retry,
    a_process_killed_between_claim_and_send_sends_after_the_lease_once,
    two_alert_runs_at_once_send_each_email_once,
    without_smtp_each_message_is_an_eml_file_beside_the_database,
    the_manager_sees_days_left_a_calendar_feed_and_certification_ends_the_alerts,
    an_extension_moves_the_deadline_with_its_reason_and_is_audited,
    upkeep_entries_show_progress_for_certified_staff,
    not_selected_sends_the_kind_notice_unless_hr_unticks_it,
);

async fn the_manager_sees_days_left_a_calendar_feed_and_certification_ends_the_alerts(
    app: &TestApp,
) {
    let smtp = SmtpServer::start();
    let manager = app.staff(Role::Manager).await;
    let other = app.staff(Role::Manager).await;
    let hr = app.staff(Role::Hr).await;
    let today = Utc::now().date_naive();
    // Due in 60 days: hired 9 months before (today + 60 days).
    let hire_date = (today + Days::days(60))
        .checked_sub_months(chrono::Months::new(9))
        .unwrap();
    let due = hire_date
        .checked_add_months(chrono::Months::new(9))
        .unwrap();
    let days_left = (due - today).num_days();
    let reference = app
        .hire("Morgan Manager-View", &hire_date.to_string(), manager.id)
        .await;
    let later = app.hire("Jo Later", &today.to_string(), manager.id).await;
    app.jobs.deliver(Utc::now().naive_utc()).await.unwrap();

    let out = alerts_run(app, &smtp.url(), today);
    assert!(out.contains("queued 1 deadline alert"), "{out}");
    let mail = smtp.wait_for(1, WAIT).remove(0);
    assert_eq!(
        mail.subject(),
        format!("Provisional CIPSS due in {days_left} days: Morgan Manager-View")
    );
    let link = format!("{}/hr/candidates/{reference}", app.address);
    assert!(mail.data.contains(&link), "{}", mail.data);

    // The link, after sign-in, leads to the deadline — without the answers.
    let page = manager
        .get(app, &format!("/hr/candidates/{reference}"))
        .await;
    assert_eq!(page.status(), 200);
    let page = page.text().await.unwrap();
    assert!(
        page.contains("Provisional CIPSS deadline")
            && page.contains(&format!("due in {days_left} days")),
        "{page}"
    );
    assert!(
        !page.contains("I will listen first"),
        "a manager never sees the answers"
    );
    assert_eq!(
        other
            .get(app, &format!("/hr/candidates/{reference}"))
            .await
            .status(),
        403
    );

    let dashboard = manager.get(app, "/manager").await.text().await.unwrap();
    let first = dashboard.find("Morgan Manager-View").unwrap();
    let second = dashboard.find("Jo Later").unwrap();
    assert!(first < second, "most urgent first");
    assert!(dashboard.contains(&format!("data-days-left=\"{days_left}\"")));

    // The calendar feed: made once, secret, one event per open deadline.
    let res = manager.post(app, "/manager/calendar", &[]).await;
    assert_eq!(res.status(), 200);
    let page = res.text().await.unwrap();
    let start = page.find("/calendar/").unwrap();
    let feed_path = page[start..].split('"').next().unwrap().to_owned();
    let feed = app.get(&feed_path).await;
    assert_eq!(feed.status(), 200);
    assert!(
        feed.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/calendar")
    );
    let ics = feed.text().await.unwrap();
    assert!(
        ics.contains("BEGIN:VCALENDAR") && ics.matches("BEGIN:VEVENT").count() == 2,
        "{ics}"
    );
    assert!(
        ics.contains(&format!("DTSTART;VALUE=DATE:{}", due.format("%Y%m%d"))),
        "{ics}"
    );
    assert!(ics.contains("Provisional CIPSS due: Morgan Manager-View"));
    assert_eq!(
        app.get("/calendar/not-a-real-token.ics").await.status(),
        404
    );
    // A new link ends the old one.
    manager.post(app, "/manager/calendar", &[]).await;
    assert_eq!(app.get(&feed_path).await.status(), 404);

    // HR records the provisional certification: no more alerts for Morgan, ever.
    let v = hr.candidate_version(app, &reference).await;
    let res = hr
        .post(
            app,
            &format!("/hr/candidates/{reference}/stage"),
            &[
                ("to", "provisional_cipss"),
                ("certification_date", &today.to_string()),
                ("version", &v),
            ],
        )
        .await;
    assert_eq!(res.status(), 303);
    for n in 1..=70 {
        alerts_run(app, &smtp.url(), today + Days::days(n));
    }
    let subjects: Vec<String> = smtp.messages().iter().map(|m| m.subject()).collect();
    assert!(
        !subjects[1..].iter().any(|s| s.contains("Morgan")),
        "{subjects:?}"
    );
    let _ = later;
}

async fn an_extension_moves_the_deadline_with_its_reason_and_is_audited(app: &TestApp) {
    let manager = app.staff(Role::Manager).await;
    let hr = app.staff(Role::Hr).await;
    let admin = app.staff(Role::Admin).await;
    let reference = app.hire("Lee Extended", "2026-01-05", manager.id).await;
    let path = format!("/hr/candidates/{reference}/extension");
    let res = hr
        .post(
            app,
            &path,
            &[
                ("new_due_date", "2026-09-01"),
                ("reason", "Training delayed"),
            ],
        )
        .await;
    assert_eq!(
        res.status(),
        422,
        "earlier than the current due date 2026-10-05"
    );
    assert!(
        res.text()
            .await
            .unwrap()
            .contains("must be after the current one, 2026-10-05")
    );
    let res = hr
        .post(
            app,
            &path,
            &[("new_due_date", "2026-12-15"), ("reason", "")],
        )
        .await;
    assert_eq!(res.status(), 422);
    let res = hr
        .post(
            app,
            &path,
            &[
                ("new_due_date", "2026-12-15"),
                ("reason", "The spring training was cancelled"),
            ],
        )
        .await;
    assert_eq!(res.status(), 303);
    let page = hr
        .get(app, &format!("/hr/candidates/{reference}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("datetime=\"2026-12-15\"")
            && page.contains("The spring training was cancelled")
    );
    let res = manager
        .post(
            app,
            &path,
            &[("new_due_date", "2027-01-15"), ("reason", "Mine")],
        )
        .await;
    assert_eq!(res.status(), 403, "managers do not change deadlines");
    let audit = admin
        .get(app, &format!("/hr/audit?subject={reference}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        audit.contains("deadline.extend") && audit.contains("due=2026-12-15"),
        "{audit}"
    );
    // The scan uses the new date: 60 days before 2026-12-15 is 2026-10-16.
    let smtp = SmtpServer::start();
    app.jobs.deliver(Utc::now().naive_utc()).await.unwrap();
    alerts_run(app, &smtp.url(), date("2026-10-15"));
    assert!(
        smtp.messages().is_empty(),
        "not yet: the old date's alerts are gone"
    );
    alerts_run(app, &smtp.url(), date("2026-10-16"));
    assert_eq!(
        smtp.wait_for(1, WAIT)[0].subject(),
        "Provisional CIPSS due in 60 days: Lee Extended"
    );
}

async fn upkeep_entries_show_progress_for_certified_staff(app: &TestApp) {
    let manager = app.staff(Role::Manager).await;
    let hr = app.staff(Role::Hr).await;
    let today = Utc::now().date_naive();
    let certified_on = today - Days::days(100);
    let reference = app.hire("Ari Upkeep", "2024-01-15", manager.id).await;
    app.set_stage(
        &reference,
        "certified",
        "2024-01-15",
        Some(manager.id),
        Some(&certified_on.to_string()),
    )
    .await;
    let path = format!("/hr/candidates/{reference}/upkeep");
    let on = (today - Days::days(10)).to_string();
    for (kind, hours) in [
        ("continuing_education", "5"),
        ("continuing_education", "3.5"),
        ("skill_building", "4"),
        ("review", ""),
    ] {
        let res = hr
            .post(
                app,
                &path,
                &[
                    ("done_on", &on),
                    ("kind", kind),
                    ("hours", hours),
                    ("note", ""),
                ],
            )
            .await;
        assert_eq!(res.status(), 303, "{kind}");
    }
    let res = hr
        .post(
            app,
            &path,
            &[
                ("done_on", &on),
                ("kind", "skill_building"),
                ("hours", "-2"),
                ("note", ""),
            ],
        )
        .await;
    assert_eq!(res.status(), 422, "hours must be positive");
    let res = hr
        .post(
            app,
            &path,
            &[
                ("done_on", "someday"),
                ("kind", "review"),
                ("hours", ""),
                ("note", ""),
            ],
        )
        .await;
    assert_eq!(res.status(), 422);
    let dashboard = manager.get(app, "/manager").await.text().await.unwrap();
    assert!(
        dashboard.contains("8.5 h") && dashboard.contains("4 h"),
        "{dashboard}"
    );
    assert!(
        dashboard.contains("Skill-building group 4 h of 12 h"),
        "{dashboard}"
    );
    assert!(dashboard.contains("Biannual review 1 of 2"), "{dashboard}");
}

async fn not_selected_sends_the_kind_notice_unless_hr_unticks_it(app: &TestApp) {
    let hr = app.staff(Role::Hr).await;
    let smtp = SmtpServer::start();
    let jobs = app.jobs_with_smtp(&smtp.url());
    let notified = app.submit_application("Nell Notified", "Hope.").await;
    let quiet = app.submit_application("Quinn Quiet", "Hope.").await;
    jobs.deliver(Utc::now().naive_utc()).await.unwrap();
    let receipts = smtp.wait_for(2, WAIT).len();
    for (reference, tick) in [(&notified, true), (&quiet, false)] {
        let v = hr.candidate_version(app, reference).await;
        let mut fields = vec![
            ("to", "not_selected"),
            ("reason", "Another candidate's experience fit better"),
            ("version", v.as_str()),
        ];
        if tick {
            fields.push(("notify_applicant", "yes"));
        }
        let res = hr
            .post(app, &format!("/hr/candidates/{reference}/stage"), &fields)
            .await;
        assert_eq!(res.status(), 303);
    }
    jobs.deliver(Utc::now().naive_utc()).await.unwrap();
    let all = smtp.wait_for(receipts + 1, WAIT);
    let notices: Vec<_> = all
        .iter()
        .filter(|m| !m.subject().contains("We received"))
        .collect();
    assert_eq!(
        notices.len(),
        1,
        "{:?}",
        all.iter().map(|m| m.subject()).collect::<Vec<_>>()
    );
    assert!(notices[0].subject().contains(&notified));
    assert!(
        !notices[0].data.contains("Another candidate"),
        "HR's reason stays internal"
    );
}

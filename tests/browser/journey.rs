//! The whole product as its three kinds of users live it, from a fresh database: the real
//! `peerhire serve` binary on a free port, a real SMTP server on loopback, headless Chromium.
//! axe-core checks every page the journeys visit against WCAG 2.1 A and AA.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use chrono::{Months, Utc};

use crate::axe;
use crate::browser::{self, Browser};
use crate::smtp::SmtpServer;

const PASSWORD: &str = "a long and private passphrase";
const Q3_DIAGNOSIS: &str =
    "My PTSD taught me that fear shrinks when someone sits with you. I'll sit with a peer.";
const Q4_RECORD: &str =
    "Since my probation ended I've learned to ask what someone wants. We agree on how we meet.";
const Q3_KEPT: &str =
    "Hard years taught me that fear shrinks when someone sits with you. I'll sit with a peer.";
const Q4_KEPT: &str = "Over time I've learned to ask what someone wants. We agree on how we meet.";
const Q5: &str = "Nobody in the room is the expert; we learn side by side.";
const MAIL_WAIT: Duration = Duration::from_secs(30);

/// `peerhire serve` on a fresh SQLite file; what it printed at start.
struct Served {
    child: Child,
    base: String,
    setup_link: String,
    dir: tempfile::TempDir,
}

impl Served {
    fn start(smtp: &SmtpServer) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let port = browser::free_port();
        let mut child = Command::new(env!("CARGO_BIN_EXE_peerhire"))
            .arg("serve")
            .env("PEERHIRE_DATABASE_URL", dir.path().join("peerhire.db"))
            .env("PEERHIRE_BIND", format!("127.0.0.1:{port}"))
            .env("PEERHIRE_FORMS_DIR", crate::helpers::forms_dir())
            .env("PEERHIRE_SMTP_URL", smtp.url())
            .env(
                "PEERHIRE_MAIL_FROM",
                "MaineHealth Careers <careers@example.org>",
            )
            .env("PEERHIRE_LOG", "warn")
            .env_remove("PEERHIRE_SECRET_KEY")
            .env_remove("PEERHIRE_BASE_URL")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("peerhire serve starts");
        // Read what serve prints until the first-run link: it is printed once everything is up.
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let mut printed = Vec::new();
        let setup_link = loop {
            let line = lines
                .next()
                .unwrap_or_else(|| panic!("serve stopped; it printed {printed:?}"))
                .unwrap();
            if let Some(at) = line.find("http://") {
                if line.contains("/setup/") {
                    break line[at..].trim().to_owned();
                }
            }
            printed.push(line);
        };
        assert!(
            printed
                .iter()
                .any(|l| l.contains("Email: sent through SMTP")),
            "serve says where email goes: {printed:?}"
        );
        Self {
            child,
            base: format!("http://127.0.0.1:{port}"),
            setup_link,
            dir,
        }
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// `peerhire alerts run --today DAY` against the same database and SMTP server.
    fn alerts_run(&self, smtp: &SmtpServer, day: chrono::NaiveDate) -> String {
        let out = Command::new(env!("CARGO_BIN_EXE_peerhire"))
            .args(["alerts", "run", "--today", &day.to_string()])
            .env("PEERHIRE_DATABASE_URL", self.dir.path().join("peerhire.db"))
            .env("PEERHIRE_FORMS_DIR", crate::helpers::forms_dir())
            .env("PEERHIRE_SMTP_URL", smtp.url())
            .env("PEERHIRE_BASE_URL", &self.base)
            .env("PEERHIRE_LOG", "warn")
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Opens `url`, checks it with axe, and saves a screenshot named `shot`.
async fn visit(b: &Browser, url: &str, shot: &str) {
    b.client.goto(url).await.unwrap();
    check_page(b, shot).await;
}

/// axe on the current page, then a screenshot.
async fn check_page(b: &Browser, shot: &str) {
    axe::assert_accessible(b, shot).await;
    b.screenshot(shot).await;
}

async fn sign_in(b: &Browser, email: &str) {
    b.fill("#email", email).await;
    b.fill("#password", PASSWORD).await;
    b.click_and_load("#signin").await;
}

async fn sign_out(b: &Browser) {
    b.click_and_load("form[action='/signout'] button").await;
}

#[actix_web::test]
async fn every_role_end_to_end_from_a_fresh_database() {
    let Some(staff) = browser::start(1280, 800).await else {
        return;
    };
    let smtp = SmtpServer::start();
    let served = Served::start(&smtp);

    // ---- First run: the link serve printed creates the administrator.
    visit(&staff, &served.setup_link, "journey-01-setup-1280").await;
    staff.fill("#full_name", "Avery Admin").await;
    staff.fill("#email", "avery@example.org").await;
    staff.fill("#password", PASSWORD).await;
    staff.click_and_load("#create").await;
    let after_setup = staff.client.current_url().await.unwrap();
    if after_setup.path() == "/signin" {
        sign_in(&staff, "avery@example.org").await;
    }
    staff.client.goto(&served.url("/hr/users")).await.unwrap();
    check_page(&staff, "journey-02-users-1280").await;
    for (name, email, role) in [
        ("Hana Reyes", "hana@example.org", "hr"),
        ("Morgan Lee", "morgan@example.org", "manager"),
    ] {
        staff.fill("#full_name", name).await;
        staff.fill("#email", email).await;
        staff
            .css("#role")
            .await
            .select_by_value(role)
            .await
            .unwrap();
        staff.fill("#password", PASSWORD).await;
        staff
            .click_and_load("form[action='/hr/users'] button[type=submit]")
            .await;
        assert!(
            staff.client.source().await.unwrap().contains(email),
            "{email} added"
        );
    }
    check_page(&staff, "journey-03-users-added-1280").await;
    let setup_again = reqwest::get(&served.setup_link).await.unwrap();
    assert_ne!(setup_again.status(), 200, "the first-run link works once");
    sign_out(&staff).await;

    // ---- Applicant, on a phone.
    let phone = browser::start(390, 844).await.unwrap();
    visit(&phone, &served.url("/"), "journey-10-home-390").await;
    phone
        .click_and_load("a[href='/jobs/peer-support-specialist']")
        .await;
    check_page(&phone, "journey-11-posting-390").await;
    assert!(!phone.scrolls_sideways().await);
    phone
        .click_and_load("a.button[href='/jobs/peer-support-specialist/apply']")
        .await;
    check_page(&phone, "journey-12-form-390").await;
    phone.fill("#name", "Jordan Blake").await;
    phone.fill("#email", "jordan@example.org").await;
    phone.click("#q1-both").await;
    phone.click("#q2-yes").await;
    phone.fill("#q3", Q3_DIAGNOSIS).await;
    phone.fill("#q4", Q4_RECORD).await;
    phone.fill("#q5", Q5).await;
    phone.click("#diploma-yes").await;
    phone.click("#cipss_status-none").await;
    phone.click_and_load("button[type=submit]").await;
    check_page(&phone, "journey-13-refused-390").await;
    assert_eq!(
        phone.css("#q3-refusal ul mark").await.text().await.unwrap(),
        "PTSD"
    );
    let q4_marked = phone.css("#q4-refusal ul mark").await.text().await.unwrap();
    assert!(q4_marked.contains("probation"), "{q4_marked}");
    let q3_reason = phone.css("#q3-refusal").await.text().await.unwrap();
    let q4_reason = phone.css("#q4-refusal").await.text().await.unwrap();
    assert!(
        q3_reason.contains("diagnosis") && q4_reason.contains("criminal"),
        "{q3_reason} / {q4_reason}"
    );
    // Not colour alone: the refusal carries an icon and words.
    assert!(
        phone
            .client
            .source()
            .await
            .unwrap()
            .contains("class=\"icon\"")
    );
    for (field, text) in [
        ("#q3", Q3_DIAGNOSIS),
        ("#q4", Q4_RECORD),
        ("#q5", Q5),
        ("#name", "Jordan Blake"),
    ] {
        assert_eq!(phone.value(field).await, text, "{field} kept");
    }
    phone
        .screenshot_at("label[for=q4]", "journey-14-refused-q4-390")
        .await;
    phone.fill("#q3", Q3_KEPT).await;
    phone.fill("#q4", Q4_KEPT).await;
    phone.click_and_load("button[type=submit]").await;
    check_page(&phone, "journey-15-received-390").await;
    let reference = phone.css("#reference").await.text().await.unwrap();
    let receipt = smtp.wait_for(1, MAIL_WAIT).remove(0);
    assert_eq!(receipt.to, ["jordan@example.org"]);
    assert!(
        receipt.subject().contains(&reference),
        "{}",
        receipt.subject()
    );
    assert!(
        !receipt.data.contains("sits with you"),
        "no answer in the email"
    );
    phone.close().await;

    // ---- HR, at 1280×800.
    visit(
        &staff,
        &served.url("/hr/candidates"),
        "journey-20-signin-1280",
    )
    .await;
    assert!(
        staff
            .client
            .current_url()
            .await
            .unwrap()
            .path()
            .starts_with("/signin")
    );
    sign_in(&staff, "hana@example.org").await;
    staff.fill("#q", &reference).await;
    staff.click_and_load("form[role=search] button").await;
    check_page(&staff, "journey-21-candidates-1280").await;
    staff
        .click_and_load(&format!("a[href='/hr/candidates/{reference}']"))
        .await;
    check_page(&staff, "journey-22-candidate-1280").await;
    let attested = staff
        .css("#ksa-education .badge.attested")
        .await
        .text()
        .await
        .unwrap();
    assert_eq!(attested, "Applicant says yes — verify");
    staff
        .css("#to")
        .await
        .select_by_value("screening")
        .await
        .unwrap();
    staff.click_and_load("#move").await;
    for ksa in crate::hr::KSAS {
        let status = if ksa == "driving" { "not_met" } else { "met" };
        staff
            .css(&format!("#ksa-status-{ksa}"))
            .await
            .select_by_value(status)
            .await
            .unwrap();
        staff.click_and_load(&format!("#ksa-save-{ksa}")).await;
    }
    staff
        .css("#to")
        .await
        .select_by_value("interview")
        .await
        .unwrap();
    staff.click_and_load("#move").await;
    let problem = staff.css("#problem").await.text().await.unwrap();
    assert!(
        problem.contains("Required KSA not met: Driving"),
        "{problem}"
    );
    check_page(&staff, "journey-23-stopped-1280").await;
    staff
        .css("#to")
        .await
        .select_by_value("interview")
        .await
        .unwrap();
    staff
        .fill(
            "#override_reason",
            "Works at the office on the bus line; no driving needed",
        )
        .await;
    staff.click_and_load("#move").await;
    assert_eq!(
        staff.css("#current-stage").await.text().await.unwrap(),
        "Interview"
    );
    staff
        .css("#to")
        .await
        .select_by_value("offer")
        .await
        .unwrap();
    staff.click_and_load("#move").await;
    let today = Utc::now().date_naive();
    let due = today.checked_add_months(Months::new(9)).unwrap();
    staff
        .css("#to")
        .await
        .select_by_value("hired")
        .await
        .unwrap();
    let manager_option = staff
        .css("#hiring_manager option:nth-child(2)")
        .await
        .attr("value")
        .await
        .unwrap()
        .unwrap();
    staff
        .css("#hiring_manager")
        .await
        .select_by_value(&manager_option)
        .await
        .unwrap();
    staff.click_and_load("#move").await;
    assert_eq!(
        staff.css("#current-stage").await.text().await.unwrap(),
        "Hired"
    );
    check_page(&staff, "journey-24-hired-1280").await;
    staff
        .full_page_screenshot("journey-24-hired-full-1280", 1280)
        .await;
    sign_out(&staff).await;

    // ---- The manager: 60 days before the due date, the alert arrives.
    let alert_day = due - chrono::Duration::days(60);
    let out = served.alerts_run(&smtp, alert_day);
    assert!(out.contains("queued 1 deadline alert"), "{out}");
    let alert = smtp.wait_for(2, MAIL_WAIT).remove(1);
    assert_eq!(alert.to, ["morgan@example.org"]);
    assert_eq!(
        alert.subject(),
        "Provisional CIPSS due in 60 days: Jordan Blake"
    );
    let link = format!("{}/hr/candidates/{reference}", served.base);
    assert!(alert.data.contains(&link), "the alert links to the hire");
    staff.client.goto(&link).await.unwrap();
    assert!(
        staff
            .client
            .current_url()
            .await
            .unwrap()
            .path()
            .starts_with("/signin")
    );
    sign_in(&staff, "morgan@example.org").await;
    assert_eq!(
        staff.client.current_url().await.unwrap().path(),
        format!("/hr/candidates/{reference}"),
        "after sign-in the link leads to the hire"
    );
    check_page(&staff, "journey-30-manager-hire-1280").await;
    let deadline = staff.css("#deadline").await;
    assert!(deadline.is_displayed().await.unwrap());
    let page = staff.client.source().await.unwrap();
    assert!(
        page.contains(&format!("datetime=\"{due}\"")),
        "the due date is shown"
    );
    // The manager never sees the answers to q1–q2 (nor any answer).
    assert!(!page.contains("Answers") && !page.contains("sits with you"));
    visit(&staff, &served.url("/manager"), "journey-31-dashboard-1280").await;
    let days_left = (due - today).num_days();
    let cell = staff.css("td.days-left").await.text().await.unwrap();
    assert!(cell.contains(&format!("{days_left} days")), "{cell}");
    staff.click_and_load("#make-feed").await;
    check_page(&staff, "journey-32-calendar-link-1280").await;
    let feed = staff.value("#feed-link").await;
    let ics = reqwest::get(&feed).await.unwrap().text().await.unwrap();
    assert!(
        ics.contains(&format!("DTSTART;VALUE=DATE:{}", due.format("%Y%m%d"))),
        "{ics}"
    );
    assert!(ics.contains("Provisional CIPSS due: Jordan Blake"));
    for forbidden in [
        "/hr/candidates",
        "/hr/users",
        "/hr/audit",
        "/hr/outbox",
        "/hr/candidates.csv",
    ] {
        let status = staff_get_status(&staff, &served.url(forbidden)).await;
        assert_eq!(status, 403, "a manager cannot open {forbidden}");
    }
    sign_out(&staff).await;

    // ---- HR records the provisional certification: later scans send nothing for this hire.
    staff
        .client
        .goto(&served.url(&format!("/hr/candidates/{reference}")))
        .await
        .unwrap();
    sign_in(&staff, "hana@example.org").await;
    staff
        .css("#to")
        .await
        .select_by_value("provisional_cipss")
        .await
        .unwrap();
    staff
        .client
        .execute(
            &format!("document.querySelector('#certification_date').value = '{today}'"),
            vec![],
        )
        .await
        .unwrap();
    staff.click_and_load("#move").await;
    assert_eq!(
        staff.css("#current-stage").await.text().await.unwrap(),
        "Provisional CIPSS"
    );
    for days in [30, 59, 60, 61, 67] {
        served.alerts_run(&smtp, alert_day + chrono::Duration::days(days));
    }
    assert_eq!(
        smtp.messages().len(),
        2,
        "nothing more after the certification"
    );
    sign_out(&staff).await;

    // ---- Anonymous: no HR page opens.
    for path in [
        "/hr/candidates",
        &format!("/hr/candidates/{reference}"),
        "/hr/users",
        "/hr/audit",
        "/hr/outbox",
        "/manager",
    ] {
        let res = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap()
            .get(served.url(path))
            .send()
            .await
            .unwrap();
        assert!(
            res.status() == 303 || res.status() == 401 || res.status() == 403,
            "{path}: {}",
            res.status()
        );
        assert!(!res.text().await.unwrap().contains("Jordan"), "{path}");
    }

    staff.close().await;
}

/// The status of a GET made with the browser's own cookies (fetch from the page).
async fn staff_get_status(b: &Browser, url: &str) -> u16 {
    let script = format!("return fetch({url:?}, {{redirect: 'manual'}}).then(r => r.status)");
    let value = b.client.execute(&script, vec![]).await.unwrap();
    value.as_u64().unwrap_or(0) as u16
}

#[actix_web::test]
async fn text_zoomed_to_200_percent_keeps_the_form_usable() {
    let Some(b) = browser::start(1280, 800).await else {
        return;
    };
    let smtp = SmtpServer::start();
    let served = Served::start(&smtp);
    b.client
        .goto(&served.url("/jobs/peer-support-specialist/apply"))
        .await
        .unwrap();
    // Text zoom, as a browser's "text size 200%" does: the root font size doubles.
    b.client
        .execute("document.documentElement.style.fontSize = '200%'", vec![])
        .await
        .unwrap();
    assert!(
        !b.scrolls_sideways().await,
        "no sideways scrolling at 200% text"
    );
    b.fill("#name", "Zoe Zoom").await;
    b.fill("#email", "zoe@example.org").await;
    b.click("#q1-substance_use").await;
    b.click("#q2-yes").await;
    b.fill("#q3", "I'll ask what they hope for.").await;
    b.fill("#q4", "We set the agenda together.").await;
    b.fill("#q5", "We both learn.").await;
    b.screenshot("journey-zoom-200-1280").await;
    b.click_and_load("button[type=submit]").await;
    assert_eq!(b.css("#reference").await.text().await.unwrap().len(), 14);
    b.close().await;
}

//! One deadline scan over 100,000 hires (SQLite, release build): `cargo bench --bench
//! deadline_scan`. The database is seeded in bulk with a realistic spread — most hires long
//! certified, some holding the provisional certification, one in ten still waiting for it
//! (many of those overdue) — then the daily scan runs for a day, first when it has alerts to
//! queue and then again (nothing new: the steady state). Figures go in docs/performance.md.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a benchmark: a panic is the report

use std::time::Instant;

use chrono::{Duration, NaiveDate, Utc};
use diesel::connection::SimpleConnection;
use peerhire::config::{RawSettings, Settings};
use peerhire::forms::Forms;
use peerhire::storage::{DatabaseUrl, Db, DbConnection};

const HIRES: i64 = 100_000;

fn seed(conn: &mut DbConnection, today: NaiveDate) {
    let DbConnection::Sqlite(c) = conn else {
        unreachable!("the bench seeds SQLite")
    };
    let now = Utc::now().naive_utc();
    let sql = format!(
        "INSERT INTO users (email, full_name, role, password_hash, created_at)
           VALUES ('manager@example.org', 'Bench Manager', 'manager', 'x', '{now}');
         WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {HIRES})
         INSERT INTO applicants (id, full_name, email, created_at)
           SELECT i, 'Hire ' || i, 'hire' || i || '@example.org', '{now}' FROM n;
         WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {HIRES})
         INSERT INTO applications (id, reference, posting_id, applicant_id, stage, version,
                                   submitted_at, updated_at, hire_date, hiring_manager_id,
                                   provisional_certified_on, certified_on)
           SELECT i, printf('BNCH%010d', i), (SELECT id FROM postings LIMIT 1), i,
                  CASE WHEN i % 10 = 0 THEN 'hired' WHEN i % 10 < 3 THEN 'provisional_cipss' ELSE 'certified' END,
                  1, '{now}', '{now}',
                  date('{today}', '-' || (i % 1800) || ' days'),
                  (SELECT id FROM users WHERE email = 'manager@example.org'),
                  CASE WHEN i % 10 = 0 THEN NULL ELSE date('{today}', '-' || (i % 1800) || ' days', '+200 days') END,
                  CASE WHEN i % 10 >= 3 THEN date('{today}', '-' || (i % 1800) || ' days', '+250 days') END
           FROM n;
         ANALYZE;"
    );
    c.batch_execute(&sql).expect("seed");
}

fn main() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bench.db");
    let forms_dir = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("forms");
    let settings = Settings::parse(RawSettings {
        database_url: Some(path.display().to_string()),
        forms_dir: Some(forms_dir.display().to_string()),
        ..RawSettings::default()
    })
    .unwrap();
    let forms = Forms::load(&forms_dir).unwrap();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let db = Db::connect(&DatabaseUrl::Sqlite(path.clone()), 4).unwrap();
        db.migrate().await.unwrap();
        let listed: Vec<_> = forms.postings().map(|p| (**p).clone()).collect();
        db.write(move |conn| {
            let refs: Vec<_> = listed.iter().collect();
            peerhire::storage::postings::sync(conn, &refs, Utc::now().naive_utc())
        })
        .await
        .unwrap();
        let today = Utc::now().date_naive();
        let started = Instant::now();
        db.write(move |conn| {
            seed(conn, today);
            Ok(())
        })
        .await
        .unwrap();
        let count = db
            .read(peerhire::storage::applications::count)
            .await
            .unwrap();
        println!(
            "seeded {count} hires in {:.1} s",
            started.elapsed().as_secs_f64()
        );
        let base = url::Url::parse("http://localhost:8080/").unwrap();
        for (label, day) in [
            ("first scan of the day", today),
            ("same day again", today),
            ("next day", today + Duration::days(1)),
        ] {
            let started = Instant::now();
            let report = peerhire::alerts::scan(&db, &settings.deadlines, &forms.mail, &base, day)
                .await
                .unwrap();
            println!(
                "{label:<22} {:>8.1} ms  (queued {} deadline and {} upkeep alerts)",
                started.elapsed().as_secs_f64() * 1000.0,
                report.deadline_alerts,
                report.upkeep_alerts
            );
        }
    });
}

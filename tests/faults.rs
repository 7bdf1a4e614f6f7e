//! Faults, with the real `peerhire serve` binary: killed with SIGKILL under a continuous stream
//! of applications (every acknowledged one survives, none is half-written), and two instances
//! on one PostgreSQL database (each sees the other's writes; both schedulers scan the same day
//! and every email goes out once).

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is the failure report

#[path = "api/helpers.rs"]
#[allow(dead_code, unused_macros)]
mod helpers;
#[path = "support/smtp.rs"]
#[allow(dead_code)]
mod smtp;

use std::io::{BufRead, BufReader};
use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use diesel::prelude::*;
use helpers::{Backend, TestApp, spawn_app};
use peerhire::storage::schema::{answers, applicants, applications, stage_changes};
use tokio::sync::{Mutex, watch};

const SECRET: &str = "test-secret-key-that-is-long-enough-0123456789";

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// `peerhire serve` on `port` against the test app's database.
fn serve(app: &TestApp, port: u16, extra: &[(&str, &str)]) -> Child {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_peerhire"));
    cmd.arg("serve")
        .env("PEERHIRE_DATABASE_URL", &app.database_url)
        .env("PEERHIRE_BIND", format!("127.0.0.1:{port}"))
        .env("PEERHIRE_FORMS_DIR", helpers::forms_dir())
        .env("PEERHIRE_SECRET_KEY", SECRET)
        .env("PEERHIRE_WORKERS", "2")
        .env_remove("PEERHIRE_SMTP_URL")
        .env("PEERHIRE_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    cmd.envs(extra.iter().copied());
    cmd.spawn().expect("serve starts")
}

/// Waits until the server on `port` answers /healthz with 200 (it is another process starting).
async fn wait_healthy(client: &reqwest::Client, port: u16) {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let res = client
            .get(format!("http://127.0.0.1:{port}/healthz"))
            .send()
            .await;
        if res.is_ok_and(|r| r.status() == 200) {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "the server did not become healthy in 30 s"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

fn body(n: usize, worker: usize) -> serde_json::Value {
    serde_json::json!({
        "name": format!("Load Person {worker}-{n}"),
        "email": format!("load-{worker}-{n}@example.org"),
        "answers": {
            "q1": "both", "q2": "yes",
            "q3": format!("I would share how hope came back for me, step by step, number {n}."),
            "q4": "We agree together how we meet, and we check in on it each time.",
            "q5": "Nobody is the expert in the room; we both learn from what the other has lived."
        }
    })
}

/// Posts applications from 8 tasks until told to stop; each acknowledged reference goes in
/// `acked` and bumps the counter.
fn load(
    port: u16,
    stop: Arc<AtomicBool>,
    acked: Arc<Mutex<Vec<String>>>,
    count: watch::Sender<usize>,
) -> Vec<tokio::task::JoinHandle<()>> {
    let count = Arc::new(count);
    (0..8)
        .map(|worker| {
            let (stop, acked, count) = (stop.clone(), acked.clone(), count.clone());
            tokio::spawn(async move {
                let client = reqwest::Client::builder()
                    .timeout(Duration::from_secs(10))
                    .build()
                    .unwrap();
                let url = format!(
                    "http://127.0.0.1:{port}/api/v1/jobs/peer-support-specialist/applications"
                );
                let mut n = 0;
                while !stop.load(Ordering::SeqCst) {
                    n += 1;
                    let Ok(res) = client.post(&url).json(&body(n, worker)).send().await else {
                        // The server is down between a kill and its restart.
                        tokio::task::yield_now().await;
                        continue;
                    };
                    if res.status() != 201 {
                        assert!(
                            res.status().is_server_error() || res.status() == 503,
                            "{}",
                            res.status()
                        );
                        continue;
                    }
                    let Ok(json) = res.json::<serde_json::Value>().await else {
                        continue;
                    };
                    let reference = json["reference"].as_str().unwrap().to_owned();
                    let mut list = acked.lock().await;
                    list.push(reference);
                    count.send_replace(list.len());
                }
            })
        })
        .collect()
}

/// Every application in the database is whole: an applicant, five answers, a first stage.
async fn assert_whole(app: &TestApp) -> Vec<String> {
    app.db
        .read(|conn| {
            let rows: Vec<(i32, String, Option<i32>)> = applications::table
                .select((
                    applications::id,
                    applications::reference,
                    applications::applicant_id,
                ))
                .load(conn)?;
            for (id, reference, applicant) in &rows {
                let applicant = applicant.expect("an applicant");
                let people: i64 = applicants::table.find(applicant).count().get_result(conn)?;
                let answered: i64 = answers::table
                    .filter(answers::application_id.eq(id))
                    .count()
                    .get_result(conn)?;
                let stages: i64 = stage_changes::table
                    .filter(stage_changes::application_id.eq(id))
                    .count()
                    .get_result(conn)?;
                assert_eq!(
                    (people, answered, stages),
                    (1, 5, 1),
                    "{reference} is half-written"
                );
            }
            Ok(rows.into_iter().map(|r| r.1).collect())
        })
        .await
        .unwrap()
}

async fn killed_under_load_loses_no_acknowledged_application(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let port = free_port();
    let client = reqwest::Client::new();
    let mut server = serve(&app, port, &[]);
    wait_healthy(&client, port).await;
    let stop = Arc::new(AtomicBool::new(false));
    let acked = Arc::new(Mutex::new(Vec::new()));
    let (tx, mut rx) = watch::channel(0usize);
    let tasks = load(port, stop.clone(), acked.clone(), tx);
    for round in 1..=4 {
        // Kill only once this round has seen a good stream of acknowledgements.
        let target = round * 150;
        tokio::time::timeout(Duration::from_secs(60), rx.wait_for(|n| *n >= target))
            .await
            .expect("applications are acknowledged")
            .unwrap();
        server.kill().unwrap(); // SIGKILL: no shutdown, no flush beyond what was committed
        server.wait().unwrap();
        server = serve(&app, port, &[]);
        wait_healthy(&client, port).await;
    }
    stop.store(true, Ordering::SeqCst);
    for task in tasks {
        task.await.unwrap();
    }
    server.kill().unwrap();
    server.wait().unwrap();
    let stored = assert_whole(&app).await;
    let acked = acked.lock().await.clone();
    assert!(acked.len() >= 600, "{} acknowledged", acked.len());
    let missing: Vec<&String> = acked.iter().filter(|r| !stored.contains(r)).collect();
    assert!(missing.is_empty(), "acknowledged but lost: {missing:?}");
    app.shutdown().await;
}

#[actix_web::test]
async fn sqlite_killed_under_load_loses_no_acknowledged_application() {
    killed_under_load_loses_no_acknowledged_application(Backend::Sqlite).await;
}

#[actix_web::test]
async fn postgres_killed_under_load_loses_no_acknowledged_application() {
    killed_under_load_loses_no_acknowledged_application(Backend::Postgres).await;
}

/// Reads a child's stderr until a line contains `needle`, then keeps draining it on a thread
/// so the child never blocks on a full pipe.
fn wait_for_line(child: &mut Child, needle: &str) {
    let mut reader = BufReader::new(child.stderr.take().unwrap());
    let mut line = String::new();
    loop {
        line.clear();
        let n = reader.read_line(&mut line).unwrap();
        assert!(n > 0, "the server ended before logging {needle:?}");
        if line.contains(needle) {
            break;
        }
    }
    std::thread::spawn(move || std::io::copy(&mut reader, &mut std::io::sink()));
}

#[actix_web::test]
async fn two_instances_on_one_postgres_share_writes_and_send_each_alert_once() {
    let Some(app) = spawn_app(Backend::Postgres).await else {
        return;
    };
    let smtp = smtp::SmtpServer::start();
    let manager = app
        .add_user(
            "twin-manager@example.org",
            "Twin Manager",
            peerhire::domain::Role::Manager,
        )
        .await;
    // Ten hires whose 60-day alert is due today.
    let today = chrono::Utc::now().date_naive();
    let hired = (today + chrono::Duration::days(60))
        .checked_sub_months(chrono::Months::new(9))
        .unwrap();
    for n in 0..10 {
        app.hire(&format!("Twin Hire {n}"), &hired.to_string(), manager)
            .await;
    }
    // The receipts of those submissions: both instances will try to deliver them too.
    let (a_port, b_port) = (free_port(), free_port());
    let env = [
        ("PEERHIRE_SMTP_URL", smtp.url()),
        ("PEERHIRE_LOG", "info".into()),
    ];
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let spawn = |port| {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_peerhire"));
        cmd.arg("serve")
            .env("PEERHIRE_DATABASE_URL", &app.database_url)
            .env("PEERHIRE_BIND", format!("127.0.0.1:{port}"))
            .env("PEERHIRE_FORMS_DIR", helpers::forms_dir())
            .env("PEERHIRE_SECRET_KEY", SECRET)
            .env("PEERHIRE_WORKERS", "1")
            .envs(env.iter().copied())
            .stdout(Stdio::null())
            .stderr(Stdio::piped());
        cmd.spawn().unwrap()
    };
    let (mut a, mut b) = (spawn(a_port), spawn(b_port));
    // Both have finished their scan at start (logged once each scan is done).
    wait_for_line(&mut a, "daily scan done");
    wait_for_line(&mut b, "daily scan done");
    let client = reqwest::Client::new();
    wait_healthy(&client, a_port).await;
    wait_healthy(&client, b_port).await;

    // Posted to one, visible on the other.
    let res = client
        .post(format!(
            "http://127.0.0.1:{a_port}/api/v1/jobs/peer-support-specialist/applications"
        ))
        .json(&body(1, 99))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
    let reference = res.json::<serde_json::Value>().await.unwrap()["reference"]
        .as_str()
        .unwrap()
        .to_owned();
    let seen = client
        .get(format!(
            "http://127.0.0.1:{b_port}/applications/{reference}"
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(seen.status(), 200);
    assert!(seen.text().await.unwrap().contains(&reference));

    // 10 alerts and 11 receipts, each once, whichever instance sent it.
    let received = smtp.wait_for(21, Duration::from_secs(60));
    // Wait until the outbox is empty, then look again: nothing more arrives.
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let unsent = app
            .db
            .read(|conn| peerhire::storage::outbox::unsent(conn, 100))
            .await
            .unwrap();
        if unsent.is_empty() {
            break;
        }
        assert!(Instant::now() < deadline, "the outbox did not drain");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let all = smtp.messages();
    assert_eq!(
        all.len(),
        21,
        "{:?}",
        all.iter().map(|m| m.subject()).collect::<Vec<_>>()
    );
    let mut subjects: Vec<String> = received
        .iter()
        .map(|m| format!("{} {:?}", m.subject(), m.to))
        .collect();
    subjects.sort();
    subjects.dedup();
    assert_eq!(subjects.len(), 21, "each email once");
    for child in [&mut a, &mut b] {
        child.kill().unwrap();
        child.wait().unwrap();
    }
    app.shutdown().await;
}

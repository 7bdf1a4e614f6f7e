//! Hostile input at the public endpoints: more than 10,000 requests with invalid UTF-8, 10 MB
//! bodies, deeply nested JSON, NUL and control characters, right-to-left overrides, emoji, HTML
//! and script in every field, wrong content types, odd paths, and slow clients. No 5xx, the
//! server keeps answering, memory stays bounded, and script shows as text wherever it is
//! displayed later.

use std::io::Write;
use std::net::TcpStream;
use std::time::Duration;

use peerhire::domain::Role;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use crate::helpers::TestApp;

const SLUG: &str = "peer-support-specialist";
const SCRIPT: &str = "<script>alert('x')</script>";

/// Strings an attacker (or an unlucky keyboard) sends.
const NASTY: &[&str] = &[
    "\u{0}",
    "a\u{0}b",
    "\u{1}\u{2}\u{7}\u{8}\u{b}\u{c}\u{1b}[31m",
    "\u{202e}gnp.exe",
    "\u{200b}\u{feff}\u{2028}\u{2029}",
    "😀🏳️‍🌈👩🏽‍⚕️",
    "Z̴̡̛͓̖a̸͔̯̍l̵̛̹g̶̙̈́o̷̧̐",
    SCRIPT,
    "\"><img src=x onerror=alert(1)>",
    "'; DROP TABLE applications; --",
    "%00%0d%0a",
    "{{7*7}}${7*7}<%= 7*7 %>",
    "../../../../etc/passwd",
    "\\\\server\\share",
    "=HYPERLINK(\"http://x\")",
    "\r\n\r\nInjected: header",
    "ﬁ ＦＵＬＬ　ｗｉｄｔｈ",
    "",
    " ",
];

fn nasty(rng: &mut StdRng) -> String {
    let mut s = String::new();
    for _ in 0..rng.random_range(1..4) {
        s.push_str(NASTY[rng.random_range(0..NASTY.len())]);
        if rng.random_bool(0.5) {
            s.push_str(" some words ");
        }
    }
    if rng.random_bool(0.05) {
        s = s.repeat(rng.random_range(50..400));
    }
    s
}

fn form_body(rng: &mut StdRng) -> Vec<u8> {
    let fields = [
        "name",
        "email",
        "phone",
        "q1",
        "q2",
        "q3",
        "q4",
        "q5",
        "q1_note",
        "diploma",
        "cipss_status",
        "website",
    ];
    let mut pairs: Vec<(String, String)> = Vec::new();
    for f in fields {
        if rng.random_bool(0.85) {
            pairs.push((f.to_owned(), nasty(rng)));
        }
    }
    if rng.random_bool(0.1) {
        for n in 0..500 {
            pairs.push((format!("extra{n}"), "x".into()));
        }
    }
    let mut body = serde_urlencoded::to_string(&pairs).unwrap().into_bytes();
    if rng.random_bool(0.15) {
        // Raw bytes that are not UTF-8, before and after percent-decoding.
        body.extend_from_slice(b"&q3=%FF%FE%80&name=\xff\xfe\xc0\xaf");
    }
    body
}

fn json_body(rng: &mut StdRng) -> Vec<u8> {
    match rng.random_range(0..6) {
        0 => {
            let depth = rng.random_range(200..20_000);
            format!("{}{}", "[".repeat(depth), "]".repeat(depth)).into_bytes()
        }
        1 => {
            let depth = rng.random_range(100..5_000);
            let mut s = String::new();
            for _ in 0..depth {
                s.push_str("{\"a\":");
            }
            s.push('1');
            s.push_str(&"}".repeat(depth));
            s.into_bytes()
        }
        2 => b"{\"name\": \"\xff\xfe\", \"answers\": {}}".to_vec(),
        3 => b"{\"name\": 1e99999, \"email\": [], \"answers\": null}".to_vec(),
        _ => serde_json::json!({
            "name": nasty(rng), "email": nasty(rng), "phone": nasty(rng),
            "answers": {"q1": nasty(rng), "q2": nasty(rng), "q3": nasty(rng), "q4": nasty(rng), "q5": nasty(rng)},
            "attestations": {"diploma": nasty(rng), nasty(rng): nasty(rng)},
            "text": nasty(rng),
        })
        .to_string()
        .into_bytes(),
    }
}

/// One random hostile request; returns what it was, its status (0: no answer) and its size.
async fn one(base: &str, client: &reqwest::Client, rng: &mut StdRng) -> (String, u16, usize) {
    let content_types = [
        "application/x-www-form-urlencoded",
        "application/json",
        "text/plain",
        "application/xml",
        "multipart/form-data; boundary=x",
        "application/json; charset=utf-16",
        "",
    ];
    let ct = content_types[rng.random_range(0..content_types.len())];
    let (method, path, body): (&str, String, Vec<u8>) = match rng.random_range(0..10) {
        0..=2 => ("POST", format!("/jobs/{SLUG}/apply"), form_body(rng)),
        3..=5 => (
            "POST",
            format!("/api/v1/jobs/{SLUG}/applications"),
            json_body(rng),
        ),
        6 => ("POST", "/api/v1/screen".into(), json_body(rng)),
        7 => ("POST", "/signin".into(), form_body(rng)),
        8 => {
            let paths = [
                format!("/jobs/{}", urlencode(&nasty(rng))),
                format!("/applications/{}", urlencode(&nasty(rng))),
                format!("/jobs/{SLUG}/apply?{}", urlencode(&nasty(rng))),
                "/jobs/%ff%fe".into(),
                "/jobs/..%2f..%2fetc%2fpasswd".into(),
                format!("/{}", "a/".repeat(rng.random_range(1..2000))),
                format!("/calendar/{}.ics", urlencode(&nasty(rng))),
                format!("/setup/{}", urlencode(&nasty(rng))),
            ];
            (
                "GET",
                paths[rng.random_range(0..paths.len())].clone(),
                Vec::new(),
            )
        }
        _ => (
            "PUT",
            format!("/api/v1/jobs/{SLUG}/applications"),
            json_body(rng),
        ),
    };
    let size = path.len() + body.len();
    let mut req = client
        .request(method.parse().unwrap(), format!("{base}{path}"))
        .body(body);
    if !ct.is_empty() {
        req = req.header("content-type", ct);
    }
    let status = req.send().await.map(|r| r.status().as_u16()).unwrap_or(0);
    (format!("{method} {path:.80} [{ct}]"), status, size)
}

fn urlencode(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

/// The peak resident memory of process `pid`, in KiB.
fn peak_rss_kib(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1).and_then(|v| v.parse().ok()))
        })
        .unwrap_or(0)
}

/// The real `peerhire serve` on this test's database, so its memory is its own.
async fn serve_child(app: &TestApp) -> (std::process::Child, String) {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let child = app
        .cli(&["serve", "--bind", &format!("127.0.0.1:{port}")])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let base = format!("http://127.0.0.1:{port}");
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    // Another process starting up: wait until it answers.
    while reqwest::get(format!("{base}/healthz"))
        .await
        .map(|r| r.status() != 200)
        .unwrap_or(true)
    {
        assert!(std::time::Instant::now() < deadline, "serve did not start");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    (child, base)
}

async fn ten_thousand_hostile_requests_get_no_server_error(app: &TestApp) {
    let (mut server, base) = serve_child(app).await;
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let mut rng = StdRng::seed_from_u64(0x5eed_f00d);
    let mut errors = Vec::new();
    let mut by_status = std::collections::BTreeMap::<u16, usize>::new();
    for _ in 0..10_000 {
        let (what, status, size) = one(&base, &client, &mut rng).await;
        *by_status.entry(status).or_default() += 1;
        // A request line far over the limit is answered 400 and the connection closed while
        // the client is still writing, so the client may see the reset instead: that is fine.
        let unanswered = status == 0 && size < 32 * 1024;
        if unanswered || status >= 500 {
            errors.push(format!("{status} {what}"));
        }
    }
    // Bodies of 10 MB: refused with 413 before they are read whole.
    let big = vec![b'a'; 10 * 1024 * 1024];
    for path in [
        format!("/jobs/{SLUG}/apply"),
        format!("/api/v1/jobs/{SLUG}/applications"),
        "/api/v1/screen".into(),
    ] {
        for ct in ["application/x-www-form-urlencoded", "application/json"] {
            let res = client
                .post(format!("{base}{path}"))
                .header("content-type", ct)
                .body(big.clone())
                .send()
                .await;
            // The server may answer 413 and close before the whole body is sent.
            if let Ok(res) = res {
                assert_eq!(res.status(), 413, "{path} {ct}");
            }
        }
    }
    assert!(
        errors.is_empty(),
        "{} server errors: {:?}",
        errors.len(),
        &errors[..errors.len().min(20)]
    );
    assert!(by_status.keys().all(|s| *s < 500), "{by_status:?}");
    let health = client.get(format!("{base}/healthz")).send().await.unwrap();
    assert_eq!(health.status(), 200, "still answering");
    let peak_mib = peak_rss_kib(server.id()) / 1024;
    assert!(
        peak_mib > 0 && peak_mib < 128,
        "the server peaked at {peak_mib} MiB over 10,000 hostile requests"
    );
    server.kill().unwrap();
    server.wait().unwrap();
}

async fn slow_clients_do_not_stop_others(app: &TestApp) {
    let address = app.address.trim_start_matches("http://").to_owned();
    // Twenty clients that send half a request and then nothing.
    let mut slow = Vec::new();
    for _ in 0..20 {
        let mut s = TcpStream::connect(&address).unwrap();
        s.write_all(b"POST /api/v1/screen HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"te")
            .unwrap();
        slow.push(s);
    }
    let mut half_headers = TcpStream::connect(&address).unwrap();
    half_headers
        .write_all(b"GET /healthz HTTP/1.1\r\nHost:")
        .unwrap();
    for _ in 0..20 {
        let res = app
            .post_json(
                "/api/v1/screen",
                &serde_json::json!({"text": "I found hope."}),
            )
            .await;
        assert_eq!(
            res.status(),
            200,
            "others are served while slow clients wait"
        );
    }
    // The server gives up on a client that never finishes its headers.
    half_headers
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    let mut buf = Vec::new();
    let read = std::io::Read::read_to_end(&mut half_headers, &mut buf);
    assert!(read.is_ok(), "the server closed the connection: {read:?}");
    drop(slow);
}

async fn script_in_every_field_shows_as_text_wherever_it_is_shown(app: &TestApp) {
    let hr = app.staff(Role::Hr).await;
    let body = serde_json::json!({
        "name": format!("Sam {SCRIPT}"),
        "email": "sam@example.org",
        "phone": "207-555-0100",
        "answers": {"q1": "both", "q2": "yes",
                    "q3": format!("Hope {SCRIPT} grows."), "q4": format!("We agree {SCRIPT}."),
                    "q5": "We \u{202e}learn\u{202c} together 😀."},
    });
    let res = app
        .post_json(&format!("/api/v1/jobs/{SLUG}/applications"), &body)
        .await;
    let status = res.status();
    let json = res.json::<serde_json::Value>().await.unwrap();
    assert_eq!(status, 201, "{json}");
    let reference = json["reference"].as_str().unwrap().to_owned();
    let pages = [
        app.get(&format!("/applications/{reference}"))
            .await
            .text()
            .await
            .unwrap(),
        hr.get(app, "/hr/candidates").await.text().await.unwrap(),
        hr.get(app, &format!("/hr/candidates?q={reference}"))
            .await
            .text()
            .await
            .unwrap(),
        hr.get(app, &format!("/hr/candidates/{reference}"))
            .await
            .text()
            .await
            .unwrap(),
    ];
    for (n, page) in pages.iter().enumerate() {
        assert!(!page.contains("<script>alert"), "page {n} runs the script");
    }
    let escaped = ["&#60;script&#62;alert", "&lt;script&gt;alert"];
    assert!(
        escaped.iter().any(|e| pages[3].contains(e)),
        "shown as text on the candidate page"
    );
    let csv = hr
        .get(app, "/hr/candidates.csv")
        .await
        .text()
        .await
        .unwrap();
    assert!(
        csv.contains(SCRIPT),
        "the export keeps the text as it was typed"
    );
}

backend_tests!(
    ten_thousand_hostile_requests_get_no_server_error,
    slow_clients_do_not_stop_others,
    script_in_every_field_shows_as_text_wherever_it_is_shown,
);

//! Starting chromedriver and a headless Chromium, and small helpers over fantoccini.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::elements::Element;
use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::json;

pub struct Browser {
    pub client: Client,
    driver: Child,
    _profile: tempfile::TempDir,
}

fn find(candidates: &[&str]) -> Option<PathBuf> {
    candidates.iter().map(PathBuf::from).find(|p| p.exists())
}

pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A headless Chromium with the given viewport, or `None` (said once) when none is installed.
pub async fn start(width: u32, height: u32) -> Option<Browser> {
    let required = std::env::var("PEERHIRE_TEST_BROWSER").is_ok_and(|v| v == "1");
    let driver_path = std::env::var_os("PEERHIRE_CHROMEDRIVER")
        .map(PathBuf::from)
        .or_else(|| find(&["/usr/bin/chromedriver"]));
    let chromium = find(&["/usr/bin/chromium", "/usr/bin/chromium-browser"]);
    let (Some(driver_path), Some(chromium)) = (driver_path, chromium) else {
        assert!(
            !required,
            "PEERHIRE_TEST_BROWSER=1 but chromium/chromedriver are not installed"
        );
        eprintln!(
            "SKIPPED browser tests: chromium and chromium-driver are not installed (apt-get install chromium chromium-driver)"
        );
        return None;
    };
    let port = free_port();
    let driver = Command::new(driver_path)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("chromedriver starts");
    // Wait for chromedriver to listen: it is another process starting up, not a race in our code.
    let deadline = Instant::now() + Duration::from_secs(20);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            Instant::now() < deadline,
            "chromedriver did not start listening within 20 s"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    let profile = tempfile::tempdir().unwrap();
    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".into(),
        json!({
            "binary": chromium,
            "args": [
                "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--hide-scrollbars", format!("--window-size={width},{height}"),
                format!("--user-data-dir={}", profile.path().display()),
            ]
        }),
    );
    let client = ClientBuilder::new(HttpConnector::new())
        .capabilities(caps)
        .connect(&format!("http://127.0.0.1:{port}"))
        .await
        .expect("a WebDriver session");
    let browser = Browser {
        client,
        driver,
        _profile: profile,
    };
    browser.set_viewport(width, height).await;
    Some(browser)
}

impl Browser {
    /// Makes the page's viewport (not the window) exactly `width`×`height`.
    pub async fn set_viewport(&self, width: u32, height: u32) {
        let inner: Vec<u64> = serde_json::from_value(
            self.client
                .execute("return [window.innerWidth, window.innerHeight]", vec![])
                .await
                .unwrap(),
        )
        .unwrap();
        let (w, h) = self.client.get_window_size().await.unwrap();
        let (dw, dh) = (w.saturating_sub(inner[0]), h.saturating_sub(inner[1]));
        self.client
            .set_window_size(width + dw as u32, height + dh as u32)
            .await
            .unwrap();
    }

    pub async fn viewport_width(&self) -> u64 {
        serde_json::from_value(
            self.client
                .execute("return window.innerWidth", vec![])
                .await
                .unwrap(),
        )
        .unwrap()
    }

    pub async fn css(&self, selector: &str) -> Element {
        self.client
            .find(Locator::Css(selector))
            .await
            .unwrap_or_else(|e| panic!("{selector}: {e}"))
    }

    pub async fn value(&self, selector: &str) -> String {
        self.css(selector)
            .await
            .prop("value")
            .await
            .unwrap()
            .unwrap_or_default()
    }

    pub async fn fill(&self, selector: &str, text: &str) {
        let field = self.css(selector).await;
        field.clear().await.unwrap();
        field.send_keys(text).await.unwrap();
    }

    pub async fn click(&self, selector: &str) {
        self.css(selector).await.click().await.unwrap();
    }

    /// Clicks something that loads a new page (a submit button, a link), and waits until the
    /// old page is gone, so the next lookup cannot find an element of the page being left.
    pub async fn click_and_load(&self, selector: &str) {
        let old_root = self.css("html").await;
        self.click(selector).await;
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            // The old page's root goes stale once the browser has replaced the document.
            if old_root.tag_name().await.is_err() {
                break;
            }
            assert!(
                Instant::now() < deadline,
                "{selector}: the next page did not load within 20 s"
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        self.client
            .wait()
            .for_element(Locator::Css("body"))
            .await
            .unwrap();
    }

    /// Whether the page can be scrolled sideways (it must not, down to 320 px).
    pub async fn scrolls_sideways(&self) -> bool {
        serde_json::from_value(
            self.client
                .execute("return document.documentElement.scrollWidth > document.documentElement.clientWidth", vec![])
                .await
                .unwrap(),
        )
        .unwrap()
    }

    /// Saves a PNG of the viewport to target/screenshots/NAME.png.
    pub async fn screenshot(&self, name: &str) {
        let png = self.client.screenshot().await.unwrap();
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/screenshots");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join(format!("{name}.png")), png).unwrap();
    }

    /// Scrolls `selector` to the top of the viewport, then saves a PNG of the viewport.
    pub async fn screenshot_at(&self, selector: &str, name: &str) {
        let script =
            format!("document.querySelector({selector:?}).scrollIntoView({{block: 'start'}})");
        self.client.execute(&script, vec![]).await.unwrap();
        self.screenshot(name).await;
    }

    /// Saves a PNG of the whole page, however long, by sizing the window to it first.
    pub async fn full_page_screenshot(&self, name: &str, width: u32) {
        let height: u64 = serde_json::from_value(
            self.client
                .execute("return document.documentElement.scrollHeight", vec![])
                .await
                .unwrap(),
        )
        .unwrap();
        let (_, h) = self.client.get_window_size().await.unwrap();
        self.set_viewport(width, height.min(6000) as u32).await;
        self.screenshot(name).await;
        self.set_viewport(width, h as u32).await;
    }

    pub async fn active_id(&self) -> String {
        serde_json::from_value(
            self.client
                .execute("return document.activeElement.id || ''", vec![])
                .await
                .unwrap(),
        )
        .unwrap()
    }

    pub async fn close(mut self) {
        let _ = self.client.clone().close().await;
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

use std::io::Write;
use std::path::PathBuf;
use std::sync::{Mutex, Once, OnceLock};

use actix_web::dev::ServerHandle;
use diesel::{Connection, PgConnection, RunQueryDsl};
use peerhire::config::{RawSettings, Settings};
use peerhire::startup::Application;
use tempfile::TempDir;

/// Declares each listed `async fn name(app: &TestApp)` as two tests, `sqlite::name` and
/// `postgres::name`; the PostgreSQL one says clearly when it skips.
macro_rules! backend_tests {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[actix_web::test]
                async fn $name() {
                    let app = crate::helpers::spawn_app(crate::helpers::Backend::Sqlite).await
                        .expect("SQLite is always available");
                    super::$name(&app).await;
                    app.shutdown().await;
                }
            )*
        }
        mod postgres {
            $(
                #[actix_web::test]
                async fn $name() {
                    let Some(app) = crate::helpers::spawn_app(crate::helpers::Backend::Postgres).await else {
                        return;
                    };
                    super::$name(&app).await;
                    app.shutdown().await;
                }
            )*
        }
    };
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

pub const POSTGRES_ENV: &str = "PEERHIRE_TEST_POSTGRES_URL";

/// A running application and what a test needs to talk to it.
pub struct TestApp {
    pub address: String,
    pub client: reqwest::Client,
    pub backend: Backend,
    pub database_url: String,
    /// A handle on the same database, for tests that check what was (not) stored.
    pub db: peerhire::storage::Db,
    /// The first-run link `serve` would print (no user exists yet in a fresh database).
    pub setup_link: Option<String>,
    /// The background jobs as `serve` runs them (email written as .eml files: no SMTP set).
    pub jobs: peerhire::jobs::Jobs,
    /// The folder of this test: the SQLite file and the .eml outbox live here.
    pub dir: PathBuf,
    handle: ServerHandle,
    postgres: Option<PostgresDatabase>,
    _dir: TempDir,
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.address, path)
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client
            .get(self.url(path))
            .send()
            .await
            .expect("request reaches the server")
    }

    /// Posts the application form as a browser would (urlencoded).
    pub async fn post_form(&self, path: &str, fields: &[(&str, &str)]) -> reqwest::Response {
        let body = serde_urlencoded::to_string(fields).expect("encodable fields");
        self.client
            .post(self.url(path))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body)
            .send()
            .await
            .expect("request reaches the server")
    }

    pub async fn post_json(&self, path: &str, body: &serde_json::Value) -> reqwest::Response {
        self.client
            .post(self.url(path))
            .json(body)
            .send()
            .await
            .expect("request reaches the server")
    }

    /// How many applications the database holds.
    pub async fn application_count(&self) -> i64 {
        self.db
            .read(peerhire::storage::applications::count)
            .await
            .expect("count applications")
    }

    /// Whether `needle` occurs anywhere in the database: every text column searched, and for
    /// SQLite also the raw bytes of the database, WAL and shared-memory files.
    pub async fn database_contains(&self, needle: &str) -> bool {
        let owned = needle.to_owned();
        let in_tables = self
            .db
            .read(move |conn| peerhire::storage::dump::contains_text(conn, &owned))
            .await
            .expect("search the database");
        let in_files = match self.backend {
            Backend::Sqlite => {
                let base = self.database_url.trim_start_matches("sqlite://").to_owned();
                ["", "-wal", "-shm"].iter().any(|suffix| {
                    std::fs::read(format!("{base}{suffix}")).is_ok_and(|bytes| {
                        bytes.windows(needle.len()).any(|w| w == needle.as_bytes())
                    })
                })
            }
            Backend::Postgres => false,
        };
        in_tables || in_files
    }

    /// Drops this test's PostgreSQL database while the server still runs.
    pub fn drop_database_now(&self) {
        if let Some(pg) = &self.postgres {
            pg.drop_database();
        }
    }

    /// Stops the server, then drops the PostgreSQL database made for this test.
    pub async fn shutdown(self) {
        self.handle.stop(true).await;
        if let Some(pg) = self.postgres {
            pg.drop_database();
        }
    }
}

pub fn forms_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("forms")
}

/// Settings for a test: random port, one worker, the repository's forms.
pub fn test_settings(database_url: &str) -> Settings {
    let mut settings = Settings::parse(RawSettings {
        database_url: Some(database_url.to_owned()),
        bind: Some("127.0.0.1:0".into()),
        forms_dir: Some(forms_dir().display().to_string()),
        secret_key: Some("test-secret-key-that-is-long-enough-0123456789".into()),
        workers: Some("1".into()),
        ..RawSettings::default()
    })
    .expect("test settings are valid");
    settings.base_url = None;
    settings
}

/// Starts the real application on a fresh database. `None` (after one clear line) when the
/// backend is PostgreSQL and no server was given.
pub async fn spawn_app(backend: Backend) -> Option<TestApp> {
    capture_logs();
    let dir = tempfile::tempdir().expect("a temporary folder");
    let (database_url, postgres) = match backend {
        Backend::Sqlite => (
            format!("sqlite://{}", dir.path().join("test.db").display()),
            None,
        ),
        Backend::Postgres => {
            let pg = PostgresDatabase::create()?;
            (pg.url.clone(), Some(pg))
        }
    };
    let app = Application::build(test_settings(&database_url))
        .await
        .expect("the application starts");
    let db = app.state().db.clone();
    let setup_link = app.setup_link().map(|u| u.path().to_owned());
    let jobs = app.jobs().clone();
    let address = format!("http://{}", app.address());
    let server = app.into_server();
    let handle = server.handle();
    actix_web::rt::spawn(server);
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .cookie_store(true)
        .build()
        .expect("an HTTP client");
    Some(TestApp {
        address,
        client,
        backend,
        database_url,
        db,
        setup_link,
        jobs,
        dir: dir.path().to_owned(),
        handle,
        postgres,
        _dir: dir,
    })
}

/// Every log line of this test binary, at debug level, so tests can prove what is never logged.
static LOGS: Mutex<Vec<u8>> = Mutex::new(Vec::new());

struct LogSink;

impl Write for LogSink {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        LOGS.lock()
            .unwrap_or_else(|e| e.into_inner())
            .extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn capture_logs() {
    static INSTALLED: OnceLock<()> = OnceLock::new();
    INSTALLED.get_or_init(|| {
        let _ = tracing_subscriber::fmt()
            .with_env_filter("debug")
            .with_ansi(false)
            .with_writer(|| LogSink)
            .try_init();
    });
}

/// All that was logged so far, by every test of this binary.
pub fn captured_logs() -> String {
    String::from_utf8_lossy(&LOGS.lock().unwrap_or_else(|e| e.into_inner())).into_owned()
}

/// A database of its own on the PostgreSQL server named by `PEERHIRE_TEST_POSTGRES_URL`.
struct PostgresDatabase {
    admin_url: String,
    name: String,
    url: String,
}

impl PostgresDatabase {
    fn create() -> Option<Self> {
        let Ok(admin_url) = std::env::var(POSTGRES_ENV) else {
            static SAID: Once = Once::new();
            SAID.call_once(|| {
                eprintln!(
                    "SKIPPED PostgreSQL tests: {POSTGRES_ENV} is not set (SQLite tests still ran)"
                );
            });
            return None;
        };
        let name = format!(
            "peerhire_test_{}",
            peerhire::config::random_token(12).to_lowercase()
        );
        let mut admin = PgConnection::establish(&admin_url).unwrap_or_else(|e| {
            panic!("{POSTGRES_ENV} is set but the server does not answer: {e}")
        });
        diesel::sql_query(format!("CREATE DATABASE {name}"))
            .execute(&mut admin)
            .expect("create a test database");
        let mut url = url::Url::parse(&admin_url).expect("a PostgreSQL URL");
        url.set_path(&name);
        Some(Self {
            admin_url,
            name,
            url: url.to_string(),
        })
    }

    fn drop_database(&self) {
        if let Ok(mut admin) = PgConnection::establish(&self.admin_url) {
            let _ = diesel::sql_query(format!(
                "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                self.name
            ))
            .execute(&mut admin);
        }
    }
}

/// A person signed in through the real sign-in form, with their own cookie jar.
pub struct Staff {
    pub client: reqwest::Client,
    pub csrf: String,
    pub email: String,
    pub id: i32,
}

pub const PASSWORD: &str = "correct horse battery staple";

/// The value of the first hidden `csrf_token` input of a page.
pub fn csrf_in(html: &str) -> String {
    let marker = "name=\"csrf_token\" value=\"";
    let start = html
        .find(marker)
        .map(|i| i + marker.len())
        .expect("a CSRF field on the page");
    html[start..]
        .split('"')
        .next()
        .unwrap_or_default()
        .to_owned()
}

impl TestApp {
    /// Adds a user straight to the database (as `peerhire user add` would).
    pub async fn add_user(&self, email: &str, name: &str, role: peerhire::domain::Role) -> i32 {
        let hash = peerhire::security::hash_password(PASSWORD).unwrap();
        let (email, name) = (email.to_owned(), name.to_owned());
        self.db
            .write(move |conn| {
                peerhire::storage::users::create(
                    conn,
                    &email,
                    &name,
                    role,
                    &hash,
                    chrono::Utc::now().naive_utc(),
                )
            })
            .await
            .expect("add a user")
            .id
    }

    pub fn new_client(&self) -> reqwest::Client {
        reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .cookie_store(true)
            .build()
            .expect("an HTTP client")
    }

    /// Signs in through the form; returns the response of the POST.
    pub async fn sign_in(
        &self,
        client: &reqwest::Client,
        email: &str,
        password: &str,
    ) -> reqwest::Response {
        let page = client
            .get(self.url("/signin"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let csrf = csrf_in(&page);
        let body = serde_urlencoded::to_string([
            ("email", email),
            ("password", password),
            ("csrf_token", &csrf),
            ("next", ""),
        ])
        .unwrap();
        client
            .post(self.url("/signin"))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body)
            .send()
            .await
            .unwrap()
    }

    /// A new user of `role`, signed in, with the session's CSRF token.
    pub async fn staff(&self, role: peerhire::domain::Role) -> Staff {
        let email = format!(
            "{}-{}@example.org",
            role.as_str(),
            peerhire::config::random_token(6).to_lowercase()
        );
        let id = self
            .add_user(&email, &format!("{} Person", role.label()), role)
            .await;
        let client = self.new_client();
        let res = self.sign_in(&client, &email, PASSWORD).await;
        assert_eq!(res.status(), 303, "sign-in as {role}");
        let home = res.headers()["location"].to_str().unwrap().to_owned();
        let page = client
            .get(self.url(&home))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        Staff {
            client,
            csrf: csrf_in(&page),
            email,
            id,
        }
    }

    /// Submits a valid application through the API; returns its reference.
    pub async fn submit_application(&self, name: &str, q3: &str) -> String {
        let body = serde_json::json!({
            "name": name,
            "email": format!("{}@example.org", peerhire::config::random_token(8).to_lowercase()),
            "answers": {"q1": "both", "q2": "yes", "q3": q3, "q4": "We agree together.", "q5": "We both learn."},
            "attestations": {"diploma": "yes", "cipss_status": "none"}
        });
        let res = self
            .post_json("/api/v1/jobs/peer-support-specialist/applications", &body)
            .await;
        assert_eq!(res.status(), 201);
        res.json::<serde_json::Value>().await.unwrap()["reference"]
            .as_str()
            .unwrap()
            .to_owned()
    }
}

impl TestApp {
    /// The jobs of this app, delivering to the SMTP server at `url`.
    pub fn jobs_with_smtp(&self, url: &str) -> peerhire::jobs::Jobs {
        let mut jobs = self.jobs.clone();
        jobs.mailer = peerhire::mail::Mailer::Smtp {
            url: secrecy::SecretString::from(url.to_owned()),
        };
        jobs
    }

    /// The `peerhire` binary, set up for this test's database (no SMTP unless the test adds
    /// `PEERHIRE_SMTP_URL`).
    pub fn cli(&self, args: &[&str]) -> std::process::Command {
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_peerhire"));
        cmd.args(args)
            .env_remove("PEERHIRE_SMTP_URL")
            .env("PEERHIRE_DATABASE_URL", &self.database_url)
            .env("PEERHIRE_FORMS_DIR", forms_dir())
            .env(
                "PEERHIRE_SECRET_KEY",
                "test-secret-key-that-is-long-enough-0123456789",
            )
            .env("PEERHIRE_BASE_URL", &self.address)
            .env("PEERHIRE_LOG", "warn");
        cmd
    }

    /// Submits an application and puts it straight at `hired` with this date and manager (the
    /// pipeline's guards have their own tests; alert tests need hires in numbers).
    pub async fn hire(&self, name: &str, hire_date: &str, manager_id: i32) -> String {
        let reference = self.submit_application(name, "I will listen first.").await;
        self.set_stage(&reference, "hired", hire_date, Some(manager_id), None)
            .await;
        reference
    }

    /// Sets a candidate's stage and dates directly in the database.
    pub async fn set_stage(
        &self,
        reference: &str,
        stage: &str,
        hire_date: &str,
        manager_id: Option<i32>,
        certified_on: Option<&str>,
    ) {
        use diesel::prelude::*;
        use peerhire::storage::schema::applications;
        let (r, stage) = (reference.to_owned(), stage.to_owned());
        let date = |s: &str| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        let (hired, certified) = (date(hire_date), certified_on.map(date));
        self.db
            .write(move |conn| {
                diesel::update(applications::table.filter(applications::reference.eq(&r)))
                    .set((
                        applications::stage.eq(&stage),
                        applications::hire_date.eq(hired),
                        applications::hiring_manager_id.eq(manager_id),
                        applications::certified_on.eq(certified),
                    ))
                    .execute(conn)?;
                Ok(())
            })
            .await
            .unwrap();
    }

    /// Every outbox row, oldest first.
    pub async fn outbox(&self) -> Vec<peerhire::storage::outbox::OutboxRow> {
        self.db.read(peerhire::storage::outbox::all).await.unwrap()
    }
}

impl Staff {
    pub async fn get(&self, app: &TestApp, path: &str) -> reqwest::Response {
        self.client.get(app.url(path)).send().await.unwrap()
    }

    /// Posts a form with this session's CSRF token added.
    pub async fn post(
        &self,
        app: &TestApp,
        path: &str,
        fields: &[(&str, &str)],
    ) -> reqwest::Response {
        let mut all: Vec<(&str, &str)> = fields.to_vec();
        all.push(("csrf_token", &self.csrf));
        let body = serde_urlencoded::to_string(&all).unwrap();
        self.client
            .post(app.url(path))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body)
            .send()
            .await
            .unwrap()
    }

    /// The version field of a candidate page, which a stage move must send back.
    pub async fn candidate_version(&self, app: &TestApp, reference: &str) -> String {
        let html = self
            .get(app, &format!("/hr/candidates/{reference}"))
            .await
            .text()
            .await
            .unwrap();
        let marker = "name=\"version\" value=\"";
        let start = html.find(marker).expect("a version field") + marker.len();
        html[start..].split('"').next().unwrap().to_owned()
    }
}

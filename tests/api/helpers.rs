use std::path::PathBuf;
use std::sync::Once;

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
    peerhire::telemetry::init();
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
        handle,
        postgres,
        _dir: dir,
    })
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

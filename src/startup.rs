//! Builds the application from settings: forms, database, migrations, then the HTTP server on a
//! listener (port 0 in tests). `main` and the test helper both go through [`Application::build`].

use std::net::{SocketAddr, TcpListener};
use std::sync::Arc;

use actix_web::dev::Server;
use actix_web::middleware::from_fn;
use actix_web::{App, HttpServer, web};
use url::Url;

use crate::config::{SecretKey, Settings};
use crate::forms::{Forms, FormsError};
use crate::jobs::Jobs;
use crate::mail::Mailer;
use crate::storage::{Db, StorageError, postings};
use crate::web::{self as http, AppState, BlankForms};

#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    #[error("{0}")]
    Forms(#[from] FormsError),
    #[error("{0}")]
    Storage(#[from] StorageError),
    #[error("secret key: {0}")]
    SecretKey(std::io::Error),
    #[error("cannot listen on {0}: {1}")]
    Bind(SocketAddr, std::io::Error),
}

pub struct Application {
    /// With no user yet: the one-time link that creates the first administrator.
    setup_link: Option<Url>,
    server: Server,
    address: SocketAddr,
    base_url: Url,
    state: AppState,
    jobs: Jobs,
}

impl Application {
    pub async fn build(settings: Settings) -> Result<Self, StartupError> {
        let forms = Arc::new(Forms::load(&settings.forms_dir)?);
        let (_key, generated) = SecretKey::resolve(&settings).map_err(StartupError::SecretKey)?;
        if let Some(file) = generated {
            tracing::warn!(
                file = %file.display(),
                "PEERHIRE_SECRET_KEY is not set: generated one and kept it beside the database"
            );
        }
        let db = connect(&settings).await?;
        let applied = db.migrate().await?;
        if applied > 0 {
            tracing::info!(migrations = applied, "database migrated");
        }
        let listed: Vec<_> = forms.postings().map(|p| (**p).clone()).collect();
        db.write(move |conn| {
            let refs: Vec<_> = listed.iter().collect();
            postings::sync(conn, &refs, chrono::Utc::now().naive_utc())
        })
        .await?;

        let listener =
            TcpListener::bind(settings.bind).map_err(|e| StartupError::Bind(settings.bind, e))?;
        let address = listener
            .local_addr()
            .map_err(|e| StartupError::Bind(settings.bind, e))?;
        let base_url = settings.effective_base_url(address);
        let setup_link = first_run_link(&db, &base_url).await?;
        let settings = Arc::new(settings);
        let jobs = Jobs {
            db: db.clone(),
            settings: settings.clone(),
            mail: forms.mail.clone(),
            mailer: Mailer::from_settings(&settings),
            base_url: base_url.clone(),
        };
        let state = AppState {
            db,
            blank_forms: Arc::new(BlankForms::new(&forms)),
            forms,
            settings,
            base_url: base_url.clone(),
        };
        let server =
            build_server(listener, state.clone()).map_err(|e| StartupError::Bind(address, e))?;
        Ok(Self {
            setup_link,
            server,
            address,
            base_url,
            state,
            jobs,
        })
    }

    pub fn address(&self) -> SocketAddr {
        self.address
    }

    pub fn port(&self) -> u16 {
        self.address.port()
    }

    pub fn base_url(&self) -> &Url {
        &self.base_url
    }

    pub fn setup_link(&self) -> Option<&Url> {
        self.setup_link.as_ref()
    }

    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// The background jobs, for tests that run a scan or a delivery themselves.
    pub fn jobs(&self) -> &Jobs {
        &self.jobs
    }

    /// Starts the daily scan and the outbox worker, then serves until the process is asked to
    /// stop (Ctrl-C / SIGTERM) and drains requests. Tests use [`Application::into_server`] and
    /// run jobs themselves.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        actix_web::rt::spawn(self.jobs.clone().run_daily());
        actix_web::rt::spawn(self.jobs.clone().run_outbox());
        self.server.await
    }

    /// The server future, for tests that spawn it and stop it with the handle.
    pub fn into_server(self) -> Server {
        self.server
    }
}

/// How long the first-run link works.
pub const SETUP_LINK_LIFETIME: chrono::Duration = chrono::Duration::hours(1);

/// With no user in the database, a fresh one-time link (valid an hour) to create the first
/// administrator, so the two README commands are all a new installation needs.
async fn first_run_link(db: &Db, base_url: &Url) -> Result<Option<Url>, StorageError> {
    let token = crate::security::Token::generate();
    let digest = token.digest();
    let created = db
        .write(move |conn| {
            if crate::storage::users::count(conn)? > 0 {
                return Ok(false);
            }
            let expires = chrono::Utc::now().naive_utc() + SETUP_LINK_LIFETIME;
            crate::storage::users::create_setup_token(conn, &digest, expires)?;
            Ok(true)
        })
        .await?;
    Ok(created
        .then(|| base_url.join(&format!("setup/{}", token.expose())))
        .transpose()
        .ok()
        .flatten())
}

/// Opens the database pools on the blocking pool: connecting is blocking I/O.
pub async fn connect(settings: &Settings) -> Result<Db, StorageError> {
    let url = settings.database.clone();
    let read_pool_size = u32::try_from(settings.workers * 2)
        .unwrap_or(8)
        .clamp(4, 32);
    tokio::task::spawn_blocking(move || Db::connect(&url, read_pool_size))
        .await
        .map_err(|e| StorageError::Unavailable(format!("database task failed: {e}")))?
}

/// Request bodies larger than this are refused with 413 before they are read whole.
pub const MAX_BODY_BYTES: usize = 64 * 1024;

fn build_server(listener: TcpListener, state: AppState) -> std::io::Result<Server> {
    let workers = state.settings.workers;
    let data = web::Data::new(state);
    let server = HttpServer::new(move || {
        App::new()
            .app_data(data.clone())
            .app_data(web::PayloadConfig::new(MAX_BODY_BYTES))
            .app_data(web::JsonConfig::default().limit(MAX_BODY_BYTES))
            .app_data(
                web::FormConfig::default()
                    .limit(MAX_BODY_BYTES)
                    .error_handler(http::form_error),
            )
            .wrap(http::security_headers())
            .wrap(from_fn(http::refuse_oversized))
            .wrap(from_fn(http::log_request))
            .configure(http::configure)
    })
    .workers(workers)
    .listen(listener)?
    .run();
    Ok(server)
}

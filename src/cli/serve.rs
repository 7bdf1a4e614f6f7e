use clap::Args;

use super::{Failure, GlobalArgs, settings};
use crate::startup::{Application, StartupError};

#[derive(Debug, Args)]
#[command(
    after_help = "Also read from the environment (never from flags, which `ps` would show):\n  \
    PEERHIRE_SECRET_KEY  signs sessions and links; 32+ characters. Unset with SQLite: generated and\n                       \
    kept beside the database file. Required with PostgreSQL.\n  \
    PEERHIRE_SMTP_URL    smtp://host:port or smtps://user:password@host; unset: emails are written\n                       \
    as .eml files in outbox/ beside the database.\n  \
    PEERHIRE_LOG         log filter, e.g. info or peerhire=debug [default: info]"
)]
pub struct ServeArgs {
    /// The address and port to listen on
    #[arg(long, value_name = "ADDR:PORT", env = "PEERHIRE_BIND", default_value = crate::config::DEFAULT_BIND)]
    pub bind: String,

    /// The address people use to reach the service, for links in emails [default: http://BIND/]
    #[arg(long, value_name = "URL", env = "PEERHIRE_BASE_URL")]
    pub base_url: Option<String>,

    /// The sender of the emails peerhire sends
    #[arg(long, value_name = "MAILBOX", env = "PEERHIRE_MAIL_FROM", default_value = crate::config::DEFAULT_MAIL_FROM)]
    pub mail_from: String,

    /// HTTP worker threads [default: the number of cores]
    #[arg(long, value_name = "N", env = "PEERHIRE_WORKERS")]
    pub workers: Option<String>,
}

/// `peerhire serve`: migrate, then serve until Ctrl-C or SIGTERM.
pub fn run(global: &GlobalArgs, args: &ServeArgs) -> Result<(), Failure> {
    let mut raw = global.raw_settings();
    raw.bind = Some(args.bind.clone());
    raw.base_url = args.base_url.clone();
    raw.mail_from = Some(args.mail_from.clone());
    raw.workers = args.workers.clone();
    let settings = settings(raw)?;
    let database = settings.database.to_string();
    actix_web::rt::System::new().block_on(async move {
        let app = Application::build(settings).await.map_err(|e| match e {
            StartupError::Forms(_) => Failure::usage(e),
            other => Failure::runtime(other),
        })?;
        println!(
            "peerhire is serving {} ({database}). Press Ctrl-C to stop.",
            app.base_url()
        );
        println!("Email: {}.", app.jobs().mailer.describe_for_people());
        if let Some(link) = app.setup_link() {
            println!(
                "No staff account exists yet. Open this link within the hour to create the first \
                 administrator:\n  {link}"
            );
        }
        app.run_until_stopped().await.map_err(Failure::runtime)
    })
}

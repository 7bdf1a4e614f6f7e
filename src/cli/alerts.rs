use std::sync::Arc;

use chrono::Utc;
use clap::{Args, Subcommand};

use super::deadline::parse_date;
use super::{Failure, GlobalArgs, settings};
use crate::forms::MailTemplates;
use crate::jobs::Jobs;
use crate::mail::Mailer;
use crate::startup;

#[derive(Debug, Args)]
pub struct AlertsArgs {
    #[command(subcommand)]
    pub command: AlertsCommand,
}

#[derive(Debug, Subcommand)]
pub enum AlertsCommand {
    /// Scan once for the deadline and upkeep alerts due today, queue them, deliver the outbox,
    /// and exit (for cron and tests; `serve` does the same daily)
    Run(RunArgs),
}

#[derive(Debug, Args)]
pub struct RunArgs {
    /// Scan as if today were this date, YYYY-MM-DD [default: today, UTC]
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub today: Option<String>,

    /// The address people use to reach the service, for the links in emails
    /// [default: http://BIND/]
    #[arg(long, value_name = "URL", env = "PEERHIRE_BASE_URL")]
    pub base_url: Option<String>,
}

/// `peerhire alerts run [--today DATE]`.
pub fn run(global: &GlobalArgs, args: &AlertsArgs) -> Result<(), Failure> {
    let AlertsCommand::Run(args) = &args.command;
    let mut raw = global.raw_settings();
    raw.base_url = args.base_url.clone();
    raw.mail_from = std::env::var("PEERHIRE_MAIL_FROM").ok();
    raw.bind = std::env::var("PEERHIRE_BIND").ok();
    let settings = settings(raw)?;
    let today = match &args.today {
        Some(raw) => parse_date(raw).map_err(Failure::usage)?,
        None => Utc::now().date_naive(),
    };
    // Only the email templates: the scan needs neither the postings nor the screening lexicon.
    let mail = MailTemplates::load(&settings.forms_dir.join("mail")).map_err(Failure::usage)?;
    let base_url = settings.effective_base_url(settings.bind);
    actix_web::rt::System::new().block_on(async move {
        let db = startup::connect(&settings).await.map_err(Failure::runtime)?;
        db.migrate().await.map_err(Failure::runtime)?;
        let mailer = Mailer::from_settings(&settings);
        let jobs = Jobs { db, settings: Arc::new(settings), mail: Arc::new(mail), mailer, base_url };
        let (scanned, delivered) = jobs.alerts_once(today).await.map_err(Failure::runtime)?;
        println!(
            "{today}: queued {} deadline alert(s) and {} upkeep alert(s); delivered {}, {} to retry, {} failed",
            scanned.deadline_alerts, scanned.upkeep_alerts, delivered.sent, delivered.retried, delivered.failed
        );
        Ok(())
    })
}

//! The `peerhire` command line: one file per subcommand.

mod alerts;
mod check_forms;
mod deadline;
mod migrate;
mod purge;
mod screen;
mod serve;
mod user;

use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

use crate::config::{RawSettings, Settings};

#[derive(Debug, Parser)]
#[command(
    name = "peerhire",
    version,
    about = "Hiring pipeline for Peer Support Specialists",
    long_about = "peerhire runs the hiring pipeline for Peer Support Specialists: the application form \
                  (which refuses diagnoses and criminal history before anything is stored), HR screening \
                  against the posting's KSA checklist, and provisional CIPSS certification deadlines.\n\n\
                  Every option can also be set through the environment variable named beside it."
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Args)]
pub struct GlobalArgs {
    /// Where the data lives: sqlite://PATH, postgres://USER@HOST:PORT/DB, or a file path
    /// [default: peerhire.db in the working directory]
    #[arg(
        long,
        value_name = "URL",
        env = "PEERHIRE_DATABASE_URL",
        global = true,
        hide_env_values = true
    )]
    pub database_url: Option<String>,

    /// The forms folder: postings, their questions and KSAs, and the screening lexicon
    /// [default: ./forms]
    #[arg(long, value_name = "DIR", env = "PEERHIRE_FORMS_DIR", global = true)]
    pub forms_dir: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the web service: migrate the database, then serve until stopped
    Serve(serve::ServeArgs),
    /// Apply pending database migrations, then exit
    Migrate,
    /// Check every file in the forms folder and print a summary of each posting
    CheckForms,
    /// Screen text on stdin for diagnoses and criminal history; print the verdict as JSON
    Screen(screen::ScreenArgs),
    /// Manage staff accounts: add, list, disable, API tokens
    User(user::UserArgs),
    /// The provisional CIPSS due date for a hire date (hire date + PEERHIRE_CIPSS_MONTHS, default 9)
    Deadline(deadline::DeadlineArgs),
    /// Deadline and upkeep alerts: `alerts run` scans once, delivers the outbox and exits
    Alerts(alerts::AlertsArgs),
    /// Erase candidates who withdrew or were not selected more than PEERHIRE_RETENTION_DAYS
    /// (default 365) days ago: answers and contact details go, an audit line stays
    Purge(purge::PurgeArgs),
}

impl GlobalArgs {
    fn raw_settings(&self) -> RawSettings {
        let env = |name: &str| std::env::var(name).ok();
        RawSettings {
            database_url: self.database_url.clone(),
            forms_dir: self.forms_dir.clone(),
            // Secrets come only from the environment: a flag would show them in `ps`.
            secret_key: env("PEERHIRE_SECRET_KEY"),
            smtp_url: env("PEERHIRE_SMTP_URL"),
            retention_days: env("PEERHIRE_RETENTION_DAYS"),
            cipss_months: env("PEERHIRE_CIPSS_MONTHS"),
            alert_days: env("PEERHIRE_ALERT_DAYS"),
            overdue_every_days: env("PEERHIRE_OVERDUE_EVERY_DAYS"),
            upkeep_alert_days: env("PEERHIRE_UPKEEP_ALERT_DAYS"),
            alert_time: env("PEERHIRE_ALERT_TIME"),
            mail_give_up_hours: env("PEERHIRE_MAIL_GIVE_UP_HOURS"),
            upkeep_education_hours: env("PEERHIRE_UPKEEP_EDUCATION_HOURS"),
            upkeep_skill_hours: env("PEERHIRE_UPKEEP_SKILL_HOURS"),
            upkeep_reviews: env("PEERHIRE_UPKEEP_REVIEWS"),
            ..RawSettings::default()
        }
    }
}

/// Parses the command line, runs the subcommand, and turns its outcome into an exit status:
/// 0 on success, 1 when the work failed, 2 when the input (settings, forms) was wrong.
pub fn run() -> ExitCode {
    let cli = Cli::parse();
    crate::telemetry::init();
    let outcome = match &cli.command {
        Command::Serve(args) => serve::run(&cli.global, args),
        Command::Migrate => migrate::run(&cli.global),
        Command::CheckForms => check_forms::run(&cli.global),
        Command::Screen(args) => screen::run(&cli.global, args),
        Command::User(args) => user::run(&cli.global, args),
        Command::Purge(args) => purge::run(&cli.global, args),
        Command::Deadline(args) => deadline::run(&cli.global, args),
        Command::Alerts(args) => alerts::run(&cli.global, args),
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            eprintln!("peerhire: {}", failure.message);
            ExitCode::from(failure.code)
        }
    }
}

/// Why a command stopped: one line for the person, and the exit status.
#[derive(Debug)]
pub struct Failure {
    pub message: String,
    pub code: u8,
}

impl Failure {
    /// The input was wrong (a setting, a forms file, an argument).
    pub fn usage(message: impl ToString) -> Self {
        Self {
            message: message.to_string(),
            code: 2,
        }
    }

    /// The work could not be done (database down, port taken).
    pub fn runtime(message: impl ToString) -> Self {
        Self {
            message: message.to_string(),
            code: 1,
        }
    }
}

fn settings(raw: RawSettings) -> Result<Settings, Failure> {
    Settings::parse(raw).map_err(Failure::usage)
}

use chrono::{Duration, Utc};
use clap::Args;

use super::{Failure, GlobalArgs, settings};
use crate::startup;
use crate::storage::retention;

#[derive(Debug, Args)]
pub struct PurgeArgs {
    /// List what would be erased, and erase nothing
    #[arg(long)]
    pub dry_run: bool,
}

/// `peerhire purge [--dry-run]`: the retention job, once.
pub fn run(global: &GlobalArgs, args: &PurgeArgs) -> Result<(), Failure> {
    let settings = settings(global.raw_settings())?;
    let dry_run = args.dry_run;
    let days = settings.retention_days;
    actix_web::rt::System::new().block_on(async move {
        let db = startup::connect(&settings)
            .await
            .map_err(Failure::runtime)?;
        db.migrate().await.map_err(Failure::runtime)?;
        let now = Utc::now().naive_utc();
        let cutoff = now - Duration::days(i64::from(days));
        let references = db
            .write(move |conn| retention::erase_closed_before(conn, cutoff, dry_run, now))
            .await
            .map_err(Failure::runtime)?;
        let verb = if dry_run { "would erase" } else { "erased" };
        println!(
            "{verb} {} candidate(s) closed more than {days} days ago",
            references.len()
        );
        for reference in references {
            println!("  {reference}");
        }
        Ok(())
    })
}

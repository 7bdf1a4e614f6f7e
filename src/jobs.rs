//! Daily background work of `serve`: retention today; the deadline scan joins it later.
//! Each run is idempotent and safe with several instances (every erasure is its own
//! transaction guarded by `erased_at IS NULL`), so a missed or doubled run does no harm.

use std::time::Duration;

use chrono::Utc;

use crate::storage::{Db, retention};

/// Runs the daily jobs once now and then every 24 hours, until the process stops.
pub async fn run_daily(db: Db, retention_days: u32) {
    let mut every_day = tokio::time::interval(Duration::from_secs(24 * 60 * 60));
    loop {
        every_day.tick().await;
        run_retention(&db, retention_days).await;
        prune_sign_in_records(&db).await;
    }
}

/// Erases candidates closed more than `retention_days` ago; logs the count, never a name.
pub async fn run_retention(db: &Db, retention_days: u32) {
    let now = Utc::now().naive_utc();
    let cutoff = now - chrono::Duration::days(i64::from(retention_days));
    match db
        .write(move |conn| retention::erase_closed_before(conn, cutoff, false, now))
        .await
    {
        Ok(erased) if erased.is_empty() => {}
        Ok(erased) => tracing::info!(
            candidates = erased.len(),
            "retention: erased candidates closed long ago"
        ),
        Err(err) => {
            tracing::warn!(error = %err, "retention: could not run; will try again tomorrow")
        }
    }
}

/// Deletes dead sessions and sign-in attempts too old to count for throttling.
pub async fn prune_sign_in_records(db: &Db) {
    let now = Utc::now().naive_utc();
    let pruned = db
        .write(move |conn| {
            let sessions =
                crate::storage::users::prune_sessions(conn, now, crate::web::auth::SESSION_IDLE)?;
            let attempts =
                crate::storage::users::prune_attempts(conn, now - chrono::Duration::days(30))?;
            Ok((sessions, attempts))
        })
        .await;
    if let Err(err) = pruned {
        tracing::warn!(error = %err, "could not prune old sessions; will try again tomorrow");
    }
}

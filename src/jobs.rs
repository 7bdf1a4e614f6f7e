//! Background work of `serve`: the daily scan (deadline and upkeep alerts, retention, pruning)
//! at a configured time, and the outbox worker that delivers email.
//!
//! Every job is idempotent and safe with several instances: alerts are keyed once-only in the
//! database, every erasure is its own transaction guarded by `erased_at IS NULL`, and outbox
//! messages are claimed under a lease. A missed or doubled run therefore does no harm.

use std::sync::Arc;
use std::time::Duration;

use chrono::{NaiveDate, NaiveDateTime, NaiveTime, Utc};
use url::Url;

use crate::alerts::{self, ScanReport};
use crate::config::Settings;
use crate::forms::MailTemplates;
use crate::mail::{DeliveryReport, Mailer, deliver_due};
use crate::storage::{Db, StorageResult, retention};

/// What the background jobs need, shared by `serve` and `peerhire alerts run`.
#[derive(Clone)]
pub struct Jobs {
    pub db: Db,
    pub settings: Arc<Settings>,
    /// The email templates of forms/mail.
    pub mail: Arc<MailTemplates>,
    pub mailer: Mailer,
    /// The address people use, for the links in emails.
    pub base_url: Url,
}

/// How often the outbox worker looks for messages to send. Short, so an applicant's receipt
/// arrives while they are still on the confirmation page.
pub const OUTBOX_POLL: Duration = Duration::from_secs(5);

impl Jobs {
    /// One scan for `today`, then one delivery round: what `peerhire alerts run` does.
    pub async fn alerts_once(
        &self,
        today: NaiveDate,
    ) -> StorageResult<(ScanReport, DeliveryReport)> {
        let scanned = alerts::scan(
            &self.db,
            &self.settings.deadlines,
            &self.mail,
            &self.base_url,
            today,
        )
        .await?;
        let delivered = self.deliver(Utc::now().naive_utc()).await?;
        Ok((scanned, delivered))
    }

    pub async fn deliver(&self, now: NaiveDateTime) -> StorageResult<DeliveryReport> {
        deliver_due(
            &self.db,
            &self.mailer,
            &self.settings.mail_from,
            now,
            self.settings.mail_give_up,
        )
        .await
    }

    /// The daily jobs: once at start, then every day at the configured time (UTC), until the
    /// process stops.
    pub async fn run_daily(self) {
        loop {
            let today = Utc::now().date_naive();
            match self.alerts_once(today).await {
                Ok((scanned, _)) => tracing::info!(
                    deadline_alerts = scanned.deadline_alerts,
                    upkeep_alerts = scanned.upkeep_alerts,
                    "daily scan done"
                ),
                Err(err) => {
                    tracing::warn!(error = %err, "alert scan failed; it runs again at the next scan")
                }
            }
            run_retention(&self.db, self.settings.retention_days).await;
            prune_sign_in_records(&self.db).await;
            let wait = until_next(Utc::now().naive_utc(), self.settings.alert_time);
            tokio::time::sleep(wait).await;
        }
    }

    /// Delivers due messages every [`OUTBOX_POLL`], until the process stops.
    pub async fn run_outbox(self) {
        let mut tick = tokio::time::interval(OUTBOX_POLL);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            if let Err(err) = self.deliver(Utc::now().naive_utc()).await {
                tracing::warn!(error = %err, "outbox delivery failed; retrying shortly");
            }
        }
    }
}

/// Time from `now` to the next `at` o'clock (UTC); tomorrow's when today's has passed.
pub fn until_next(now: NaiveDateTime, at: NaiveTime) -> Duration {
    let today = now.date().and_time(at);
    let next = if today > now {
        today
    } else {
        today + chrono::Duration::days(1)
    };
    (next - now).to_std().unwrap_or(Duration::from_secs(60))
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

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
    }

    #[test]
    fn the_next_daily_run_is_today_or_tomorrow_at_the_set_time() {
        let seven = NaiveTime::from_hms_opt(7, 0, 0).unwrap();
        assert_eq!(
            until_next(at("2026-12-01 06:30"), seven),
            Duration::from_secs(30 * 60)
        );
        assert_eq!(
            until_next(at("2026-12-01 07:00"), seven),
            Duration::from_secs(24 * 3600)
        );
        assert_eq!(
            until_next(at("2026-12-31 23:00"), seven),
            Duration::from_secs(8 * 3600)
        );
    }
}

use chrono::{Duration, NaiveDateTime};
use diesel::Connection;

use super::transport::{Mailer, SendError};
use crate::storage::{Db, StorageResult, outbox};

/// A claimed message belongs to its worker for this long; if the worker dies, another takes it
/// over after it.
pub const LEASE: Duration = Duration::minutes(5);
/// Sending stops this long before the lease ends.
const LEASE_MARGIN: Duration = Duration::minutes(1);
const BATCH: i64 = 20;
/// At most this many batches per run, so a run always ends.
const MAX_BATCHES: usize = 50;

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct DeliveryReport {
    pub sent: usize,
    pub retried: usize,
    pub failed: usize,
}

/// Backoff after `attempts` failures: 30 s, 1 min, 2 min … at most an hour.
pub fn backoff(attempts: i32) -> Duration {
    let exp = attempts.clamp(0, 7) as u32;
    Duration::seconds((30_i64 << exp).min(3600))
}

/// Sends every message due at `now`, records each outcome, and returns the counts. Messages
/// refused outright (5xx) are retried until `give_up` after they were queued, then marked failed.
pub async fn deliver_due(
    db: &Db,
    mailer: &Mailer,
    from: &str,
    start: NaiveDateTime,
    give_up: Duration,
) -> StorageResult<DeliveryReport> {
    let mut report = DeliveryReport::default();
    let started = tokio::time::Instant::now();
    for _ in 0..MAX_BATCHES {
        // `start` is the caller's clock (tests move it); time spent in earlier batches adds to it,
        // so each lease is counted from its own claim.
        let now = start + Duration::from_std(started.elapsed()).unwrap_or_default();
        let batch = db
            .write(move |conn| outbox::claim(conn, now, LEASE, BATCH))
            .await?;
        if batch.is_empty() {
            break;
        }
        let deadline =
            tokio::time::Instant::now() + (LEASE - LEASE_MARGIN).to_std().unwrap_or_default();
        let outcomes = mailer.send_all(from, &batch, deadline).await;
        let mut updates = Vec::with_capacity(batch.len());
        for (message, outcome) in batch.iter().zip(outcomes) {
            let next = now + backoff(message.attempts);
            updates.push(match outcome {
                Ok(()) => {
                    report.sent += 1;
                    (message.id, Update::Sent)
                }
                Err(SendError::Permanent(e)) if now - message.created_at >= give_up => {
                    report.failed += 1;
                    (message.id, Update::Failed(e))
                }
                Err(SendError::Permanent(e) | SendError::Transient(e)) => {
                    report.retried += 1;
                    (message.id, Update::Retry(next, e))
                }
            });
        }
        // One transaction for the batch's outcomes: one commit (one flush) instead of one per
        // message, and the writer is free again sooner for the applications waiting on it.
        db.write(move |conn| {
            conn.transaction(|conn| {
                for (id, update) in &updates {
                    match update {
                        Update::Sent => outbox::mark_sent(conn, *id, now)?,
                        Update::Retry(next, e) => outbox::mark_retry(conn, *id, *next, e)?,
                        Update::Failed(e) => outbox::mark_failed(conn, *id, now, e)?,
                    }
                }
                Ok(())
            })
        })
        .await?;
        if report.retried + report.failed > 0 && report.sent == 0 {
            // The server is not taking mail; the rest waits for the next run.
            break;
        }
    }
    if report != DeliveryReport::default() {
        tracing::info!(
            sent = report.sent,
            retried = report.retried,
            failed = report.failed,
            "outbox delivery"
        );
    }
    Ok(report)
}

enum Update {
    Sent,
    Retry(NaiveDateTime, String),
    Failed(String),
}

#[cfg(test)]
mod tests {
    #[test]
    fn backoff_doubles_up_to_an_hour() {
        let secs: Vec<i64> = (0..10).map(|a| super::backoff(a).num_seconds()).collect();
        assert_eq!(secs, [30, 60, 120, 240, 480, 960, 1920, 3600, 3600, 3600]);
    }
}

//! The outbox: every email, written in the transaction of the event that causes it, then
//! claimed by a delivery worker under a lease. On PostgreSQL, workers of several instances
//! claim with `FOR UPDATE SKIP LOCKED`; on SQLite the single writer serialises claims.

use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;

use super::connection::on_backend;
use super::schema::outbox;
use super::{DbConnection, StorageResult};

/// A message to queue.
#[derive(Debug, Clone)]
pub struct NewMessage {
    pub kind: String,
    /// The candidate it is about, if any: erased with them.
    pub application_id: Option<i32>,
    pub to: String,
    pub cc: Option<String>,
    pub subject: String,
    pub text: String,
    pub html: String,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = outbox)]
pub struct OutboxRow {
    pub id: i32,
    pub kind: String,
    pub application_id: Option<i32>,
    pub to_address: String,
    pub cc_address: Option<String>,
    pub subject: String,
    pub text_body: String,
    pub html_body: String,
    pub created_at: NaiveDateTime,
    pub attempts: i32,
    pub next_attempt_at: NaiveDateTime,
    pub lease_until: Option<NaiveDateTime>,
    pub sent_at: Option<NaiveDateTime>,
    pub failed_at: Option<NaiveDateTime>,
    pub last_error: Option<String>,
}

/// Queues a message; call inside the transaction of the event.
pub fn enqueue(conn: &mut DbConnection, m: &NewMessage, now: NaiveDateTime) -> StorageResult<()> {
    enqueue_all(conn, &[(m.application_id, m, now)])
}

/// Queues several messages in one statement: each about the application whose id it is given
/// (the message's own is ignored), queued at the time given with it.
pub fn enqueue_all(
    conn: &mut DbConnection,
    messages: &[(Option<i32>, &NewMessage, NaiveDateTime)],
) -> StorageResult<()> {
    if messages.is_empty() {
        return Ok(());
    }
    let rows: Vec<_> = messages
        .iter()
        .map(|&(application_id, m, now)| {
            (
                outbox::kind.eq(&m.kind),
                outbox::application_id.eq(application_id),
                outbox::to_address.eq(&m.to),
                outbox::cc_address.eq(m.cc.as_deref()),
                outbox::subject.eq(&m.subject),
                outbox::text_body.eq(&m.text),
                outbox::html_body.eq(&m.html),
                outbox::created_at.eq(now),
                outbox::next_attempt_at.eq(now),
            )
        })
        .collect();
    let insert = diesel::insert_into(outbox::table).values(&rows);
    on_backend!(conn, |c| insert.execute(c)?);
    Ok(())
}

/// Claims up to `limit` due messages for `lease`: unsent, not failed, due, and not leased by a
/// worker that is still within its lease. Returns them with the new lease set.
pub fn claim(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    lease: Duration,
    limit: i64,
) -> StorageResult<Vec<OutboxRow>> {
    let until = now + lease;
    let due = || {
        outbox::table
            .filter(outbox::sent_at.is_null())
            .filter(outbox::failed_at.is_null())
            .filter(outbox::next_attempt_at.le(now))
            .filter(
                outbox::lease_until
                    .is_null()
                    .or(outbox::lease_until.lt(now)),
            )
            // Oldest due first, the order of the `outbox_waiting` index, which hands over the
            // first rows at once: claimed by id, a backlog was read whole and sorted at every
            // claim (40 ms with 70,000 waiting on SQLite, holding the write lock).
            .order((outbox::next_attempt_at.asc(), outbox::id.asc()))
            .limit(limit)
            .select(outbox::id)
    };
    let ids: Vec<i32> = match conn {
        // Rows another instance is claiming are skipped, not waited for.
        DbConnection::Pg(c) => c.transaction(|c| {
            let ids: Vec<i32> = due().for_update().skip_locked().load(c)?;
            diesel::update(outbox::table.filter(outbox::id.eq_any(&ids)))
                .set(outbox::lease_until.eq(until))
                .execute(c)?;
            Ok::<_, diesel::result::Error>(ids)
        })?,
        // IMMEDIATE takes the write lock before reading, so a second process waits its turn
        // (busy_timeout) instead of reading the same rows and failing to upgrade its lock.
        DbConnection::Sqlite(c) => c.immediate_transaction(|c| {
            let ids: Vec<i32> = due().load(c)?;
            diesel::update(outbox::table.filter(outbox::id.eq_any(&ids)))
                .set(outbox::lease_until.eq(until))
                .execute(c)?;
            Ok::<_, diesel::result::Error>(ids)
        })?,
    };
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(outbox::table
        .filter(outbox::id.eq_any(&ids))
        .order(outbox::id.asc())
        .select(OutboxRow::as_select())
        .load(conn)?)
}

pub fn mark_sent(conn: &mut DbConnection, id: i32, now: NaiveDateTime) -> StorageResult<()> {
    diesel::update(outbox::table.find(id))
        .set((
            outbox::sent_at.eq(now),
            outbox::lease_until.eq(None::<NaiveDateTime>),
            outbox::attempts.eq(outbox::attempts + 1),
        ))
        .execute(conn)?;
    Ok(())
}

/// Records a failed attempt and when to try again.
pub fn mark_retry(
    conn: &mut DbConnection,
    id: i32,
    next: NaiveDateTime,
    error: &str,
) -> StorageResult<()> {
    diesel::update(outbox::table.find(id))
        .set((
            outbox::attempts.eq(outbox::attempts + 1),
            outbox::next_attempt_at.eq(next),
            outbox::lease_until.eq(None::<NaiveDateTime>),
            outbox::last_error.eq(error),
        ))
        .execute(conn)?;
    Ok(())
}

/// Gives up on a message: an admin sees it and can retry it.
pub fn mark_failed(
    conn: &mut DbConnection,
    id: i32,
    now: NaiveDateTime,
    error: &str,
) -> StorageResult<()> {
    diesel::update(outbox::table.find(id))
        .set((
            outbox::attempts.eq(outbox::attempts + 1),
            outbox::failed_at.eq(now),
            outbox::lease_until.eq(None::<NaiveDateTime>),
            outbox::last_error.eq(error),
        ))
        .execute(conn)?;
    Ok(())
}

/// Puts a failed message back in the queue, due now.
pub fn retry(conn: &mut DbConnection, id: i32, now: NaiveDateTime) -> StorageResult<bool> {
    let changed = diesel::update(
        outbox::table
            .find(id)
            .filter(outbox::failed_at.is_not_null()),
    )
    .set((
        outbox::failed_at.eq(None::<NaiveDateTime>),
        outbox::next_attempt_at.eq(now),
        outbox::created_at.eq(now),
    ))
    .execute(conn)?;
    Ok(changed == 1)
}

/// Messages not yet sent (waiting or failed), newest first, for the admin page.
pub fn unsent(conn: &mut DbConnection, limit: i64) -> StorageResult<Vec<OutboxRow>> {
    Ok(outbox::table
        .filter(outbox::sent_at.is_null())
        .order(outbox::id.desc())
        .limit(limit)
        .select(OutboxRow::as_select())
        .load(conn)?)
}

/// Every message, oldest first (tests and the simulated calendar read it).
pub fn all(conn: &mut DbConnection) -> StorageResult<Vec<OutboxRow>> {
    Ok(outbox::table
        .order(outbox::id.asc())
        .select(OutboxRow::as_select())
        .load(conn)?)
}

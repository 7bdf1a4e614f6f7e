//! Many applications stored with one statement per table: the group commit's fast path.
//!
//! Stored one by one, an application costs eight statements, each a round trip to the database;
//! a batch of them costs the same eight in all. The outcome is the same as storing each alone,
//! in order, repeats inside the batch included. Any error fails the whole batch, and the group
//! commit then stores each one alone ([`super::insert`]: a batch of one), so one bad
//! application still fails by itself.

use std::collections::HashMap;

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::{FIRST_STAGE, NewSubmission, Submitted, fingerprint};
use crate::domain::{Application, Reference};
use crate::storage::connection::on_backend;
use crate::storage::outbox;
use crate::storage::schema::{
    answers, applicants, applications, attestations, postings, stage_changes,
};
use crate::storage::{DbConnection, StorageError, StorageResult};

/// An application waiting for the group commit, with everything its insert needs.
pub struct Pending {
    pub posting_slug: String,
    pub application: Application,
    pub submission: NewSubmission,
    pub now: NaiveDateTime,
}

/// Stores every pending application, or none (the caller's savepoint undoes a failure); returns
/// the outcome of each, in order.
pub fn insert_batch(conn: &mut DbConnection, batch: &[Pending]) -> StorageResult<Vec<Submitted>> {
    let prints: Vec<String> = batch
        .iter()
        .map(|p| fingerprint(&p.posting_slug, &p.application))
        .collect();
    if let DbConnection::Pg(c) = conn {
        // A cached generic plan for `fingerprint = ANY($1)` is fixed when the statement is
        // first prepared; on a young table that is a sequential scan, kept as the table grows
        // until autovacuum's next ANALYZE. Planning it for the table as it is costs far less.
        diesel::sql_query("SET LOCAL plan_cache_mode = force_custom_plan").execute(c)?;
    }
    // fingerprint → reference, of what is stored and of what this batch stores before it.
    let mut known: HashMap<String, String> = applications::table
        .filter(applications::fingerprint.eq_any(&prints))
        .select((
            applications::fingerprint.assume_not_null(),
            applications::reference,
        ))
        .load(conn)?
        .into_iter()
        .collect();
    let posting_ids = posting_ids(conn, batch)?;

    let mut outcomes = Vec::with_capacity(batch.len());
    let mut fresh = Vec::with_capacity(batch.len());
    for (pending, print) in batch.iter().zip(&prints) {
        if let Some(first) = known.get(print) {
            let first = Reference::parse(first).ok_or_else(|| {
                StorageError::Unavailable("a stored reference is malformed".into())
            })?;
            outcomes.push(Submitted::AlreadyReceived(first));
            continue;
        }
        let posting_id = *posting_ids
            .get(pending.posting_slug.as_str())
            .ok_or(StorageError::NotFound)?;
        let reference = &pending.submission.reference;
        known.insert(print.clone(), reference.as_str().to_owned());
        outcomes.push(Submitted::Created(reference.clone()));
        fresh.push((pending, print.as_str(), posting_id));
    }
    if !fresh.is_empty() {
        insert_fresh(conn, &fresh)?;
    }
    Ok(outcomes)
}

fn posting_ids<'a>(
    conn: &mut DbConnection,
    batch: &'a [Pending],
) -> StorageResult<HashMap<&'a str, i32>> {
    let mut slugs: Vec<&str> = batch.iter().map(|p| p.posting_slug.as_str()).collect();
    slugs.sort_unstable();
    slugs.dedup();
    let found: Vec<(i32, String)> = postings::table
        .filter(postings::slug.eq_any(&slugs))
        .select((postings::id, postings::slug))
        .load(conn)?;
    Ok(slugs
        .into_iter()
        .filter_map(|slug| {
            let id = found.iter().find(|(_, s)| s == slug)?.0;
            Some((slug, id))
        })
        .collect())
}

/// The rows of applications not stored before: (pending, fingerprint, posting id).
fn insert_fresh(conn: &mut DbConnection, fresh: &[(&Pending, &str, i32)]) -> StorageResult<()> {
    let applicant_rows: Vec<_> = fresh
        .iter()
        .map(|(p, _, _)| {
            let app = &p.application;
            (
                applicants::full_name.eq(app.name.as_str()),
                applicants::email.eq(app.email.as_str()),
                applicants::phone.eq(app.phone.as_ref().map(|n| n.as_str())),
                applicants::created_at.eq(p.now),
            )
        })
        .collect();
    let insert = diesel::insert_into(applicants::table)
        .values(&applicant_rows)
        .returning(applicants::id);
    let mut applicant_ids: Vec<i32> = on_backend!(conn, |c| insert.get_results(c)?);
    // RETURNING's row order is unspecified (SQLite says so), but the rows are inserted in VALUES
    // order and each new id is above every earlier one — SQLite's rowid is the table's largest
    // plus one, a PostgreSQL sequence only rises within a session — so ascending ids are the
    // rows in order, even with other instances inserting between them.
    applicant_ids.sort_unstable();
    expect_rows(applicant_ids.len(), fresh.len())?;

    let application_rows: Vec<_> = fresh
        .iter()
        .zip(&applicant_ids)
        .map(|(&(p, print, posting_id), &applicant_id)| {
            (
                applications::reference.eq(p.submission.reference.as_str()),
                applications::posting_id.eq(posting_id),
                applications::applicant_id.eq(Some(applicant_id)),
                applications::stage.eq(FIRST_STAGE),
                applications::version.eq(1),
                applications::fingerprint.eq(Some(print)),
                applications::submitted_at.eq(p.now),
                applications::updated_at.eq(p.now),
            )
        })
        .collect();
    let insert = diesel::insert_into(applications::table)
        .values(&application_rows)
        .returning((applications::reference, applications::id));
    let ids: HashMap<String, i32> = on_backend!(conn, |c| insert.get_results(c)?)
        .into_iter()
        .collect();
    expect_rows(ids.len(), fresh.len())?;
    // Each pending application with the id of its row.
    let stored: Vec<(&Pending, i32)> = fresh
        .iter()
        .map(|&(p, _, _)| {
            let id = ids.get(p.submission.reference.as_str()).copied();
            id.map(|id| (p, id)).ok_or_else(|| {
                StorageError::Unavailable("a batch insert did not return a reference".into())
            })
        })
        .collect::<StorageResult<_>>()?;

    let answer_rows: Vec<_> = stored
        .iter()
        .flat_map(|&(p, id)| {
            p.application.answers.iter().map(move |(field, value)| {
                (
                    answers::application_id.eq(id),
                    answers::question_id.eq(field),
                    answers::value.eq(value),
                )
            })
        })
        .collect();
    let insert = diesel::insert_into(answers::table).values(&answer_rows);
    on_backend!(conn, |c| insert.execute(c)?);

    let attestation_rows: Vec<_> = stored
        .iter()
        .flat_map(|&(p, id)| {
            p.application
                .attestations
                .iter()
                .map(move |(field, value)| {
                    (
                        attestations::application_id.eq(id),
                        attestations::field.eq(field),
                        attestations::value.eq(value),
                    )
                })
        })
        .collect();
    if !attestation_rows.is_empty() {
        let insert = diesel::insert_into(attestations::table).values(&attestation_rows);
        on_backend!(conn, |c| insert.execute(c)?);
    }

    let stage_rows: Vec<_> = stored
        .iter()
        .map(|&(p, id)| {
            (
                stage_changes::application_id.eq(id),
                stage_changes::from_stage.eq(None::<String>),
                stage_changes::to_stage.eq(FIRST_STAGE),
                stage_changes::actor.eq(Some("applicant")),
                stage_changes::created_at.eq(p.now),
            )
        })
        .collect();
    let insert = diesel::insert_into(stage_changes::table).values(&stage_rows);
    on_backend!(conn, |c| insert.execute(c)?);

    let receipts: Vec<_> = stored
        .iter()
        .filter_map(|&(p, id)| Some((Some(id), p.submission.receipt.as_ref()?, p.now)))
        .collect();
    outbox::enqueue_all(conn, &receipts)?;
    Ok(())
}

fn expect_rows(got: usize, wanted: usize) -> StorageResult<()> {
    if got == wanted {
        Ok(())
    } else {
        Err(StorageError::Unavailable(format!(
            "a batch insert returned {got} rows for {wanted}"
        )))
    }
}

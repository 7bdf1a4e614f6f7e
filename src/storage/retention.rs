//! Retention: candidates who withdrew or were not selected are erased after a set time. Erasure
//! removes answers, attestations, review notes, reasons and contact details; the application row
//! stays (reference, posting, stage, dates) so counts and the audit trail still add up.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::audit::{self, Actor};
use super::schema::{
    answers, applicants, applications, attestations, deadline_extensions, ksa_reviews, outbox,
    stage_changes, upkeep_entries,
};
use super::{DbConnection, StorageResult};
use crate::domain::Stage;

/// References of the applications that would be (or, unless `dry_run`, were) erased: closed as
/// withdrawn or not selected before `cutoff`, and not erased yet.
pub fn erase_closed_before(
    conn: &mut DbConnection,
    cutoff: NaiveDateTime,
    dry_run: bool,
    now: NaiveDateTime,
) -> StorageResult<Vec<String>> {
    let due: Vec<(i32, String, Option<i32>, String)> = applications::table
        .filter(applications::erased_at.is_null())
        .filter(
            applications::stage.eq_any([Stage::Withdrawn.as_str(), Stage::NotSelected.as_str()]),
        )
        .filter(applications::closed_at.lt(cutoff))
        .order(applications::id.asc())
        .select((
            applications::id,
            applications::reference,
            applications::applicant_id,
            applications::stage,
        ))
        .load(conn)?;
    if dry_run {
        return Ok(due.into_iter().map(|(_, r, _, _)| r).collect());
    }
    let system = Actor::system("retention");
    let mut erased = Vec::with_capacity(due.len());
    for (id, reference, applicant_id, stage) in due {
        // One transaction per candidate: a crash leaves each one either whole or erased.
        conn.transaction(|conn| {
            diesel::delete(answers::table.filter(answers::application_id.eq(id))).execute(conn)?;
            diesel::delete(attestations::table.filter(attestations::application_id.eq(id)))
                .execute(conn)?;
            diesel::delete(ksa_reviews::table.filter(ksa_reviews::application_id.eq(id)))
                .execute(conn)?;
            // The emails about them (receipt, notice) carry their name and address.
            diesel::delete(outbox::table.filter(outbox::application_id.eq(id))).execute(conn)?;
            diesel::delete(
                deadline_extensions::table.filter(deadline_extensions::application_id.eq(id)),
            )
            .execute(conn)?;
            diesel::delete(upkeep_entries::table.filter(upkeep_entries::application_id.eq(id)))
                .execute(conn)?;
            diesel::update(stage_changes::table.filter(stage_changes::application_id.eq(id)))
                .set(stage_changes::reason.eq(None::<String>))
                .execute(conn)?;
            diesel::update(applications::table.find(id))
                .set((
                    applications::applicant_id.eq(None::<i32>),
                    applications::fingerprint.eq(None::<String>),
                    applications::erased_at.eq(now),
                    applications::updated_at.eq(now),
                ))
                .execute(conn)?;
            if let Some(applicant) = applicant_id {
                diesel::delete(applicants::table.find(applicant)).execute(conn)?;
            }
            audit::record(
                conn,
                &system,
                "retention.erase",
                Some(&reference),
                Some(&format!("stage={stage}")),
                now,
            )
        })?;
        erased.push(reference);
    }
    // SQLite keeps old page images in the WAL until a checkpoint: copy them into the database
    // (where secure_delete has zeroed the erased rows) and empty the WAL.
    if !erased.is_empty()
        && let DbConnection::Sqlite(c) = conn
    {
        use diesel::connection::SimpleConnection;
        c.batch_execute("PRAGMA wal_checkpoint(TRUNCATE);")?;
    }
    Ok(erased)
}

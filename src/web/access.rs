//! Who may open which candidate, in one place for the pages and the API: HR and admins open any
//! (and their view of the answers is audited, in the same transaction as the read); a manager
//! opens only their own hires, without answers; nobody else opens any.

use chrono::Utc;

use super::auth::Viewer;
use super::{ApiError, AppState, PageError};
use crate::domain::{Reference, Role};
use crate::storage::candidates::{self, CandidateDetail};
use crate::storage::{StorageError, audit};

pub enum Denied {
    NotFound,
    Forbidden,
    Storage(StorageError),
}

impl From<Denied> for PageError {
    fn from(d: Denied) -> Self {
        match d {
            Denied::NotFound => Self::NotFound,
            Denied::Forbidden => Self::Forbidden,
            Denied::Storage(e) => e.into(),
        }
    }
}

impl From<Denied> for ApiError {
    fn from(d: Denied) -> Self {
        match d {
            Denied::NotFound => Self::NotFound,
            Denied::Forbidden => Self::Forbidden,
            Denied::Storage(e) => e.into(),
        }
    }
}

/// Loads the candidate `reference` for `viewer`; `via` ("page", "api") goes in the audit line.
pub async fn candidate(
    state: &AppState,
    viewer: &Viewer,
    reference: &str,
    via: &'static str,
) -> Result<CandidateDetail, Denied> {
    let reference = Reference::parse(reference).ok_or(Denied::NotFound)?;
    if !viewer.role.screens_candidates() && viewer.role != Role::Manager {
        return Err(Denied::Forbidden);
    }
    let reads = viewer.role.reads_answers();
    let actor = viewer.actor();
    let found = state
        .db
        .write(move |conn| {
            let found = candidates::get(conn, &reference, reads)?;
            if let Some(c) = &found
                && reads
                && c.erased_at.is_none()
            {
                audit::record(
                    conn,
                    &actor,
                    "answers.view",
                    Some(&c.reference),
                    Some(via),
                    Utc::now().naive_utc(),
                )?;
            }
            Ok(found)
        })
        .await
        .map_err(Denied::Storage)?
        .ok_or(Denied::NotFound)?;
    if viewer.role == Role::Manager && found.hiring_manager_id != Some(viewer.id) {
        return Err(Denied::Forbidden);
    }
    Ok(found)
}

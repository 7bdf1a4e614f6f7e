//! Applications: stored whole in one transaction, or not at all.
//! The inserts themselves are in [`batch`]: one application is a batch of one.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use sha2::{Digest, Sha256};

use super::outbox::NewMessage;
use super::schema::{applications, postings};
use super::{DbConnection, StorageError, StorageResult};
use crate::domain::{Application, Reference};

mod batch;
pub use batch::{Pending, insert_batch};

/// The stage every application starts in.
pub const FIRST_STAGE: &str = "applied";

/// What `insert` did: a new application, or the one an identical submission already made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Submitted {
    Created(Reference),
    AlreadyReceived(Reference),
}

impl Submitted {
    pub fn reference(&self) -> &Reference {
        match self {
            Self::Created(r) | Self::AlreadyReceived(r) => r,
        }
    }
}

/// A digest of everything the applicant sent to this posting: a double click or a resent form
/// produces the same one and finds the first application instead of making a second.
pub fn fingerprint(posting_slug: &str, app: &Application) -> String {
    let mut hasher = Sha256::new();
    let mut put = |part: &str| {
        hasher.update((part.len() as u64).to_le_bytes());
        hasher.update(part.as_bytes());
    };
    put(posting_slug);
    put(&app.email.as_str().to_lowercase());
    put(app.name.as_str());
    put(app.phone.as_ref().map_or("", |p| p.as_str()));
    for (field, value) in app.answers.iter().chain(&app.attestations) {
        put(field);
        put(value);
    }
    hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// What is stored with a new application besides the application itself: its reference and the
/// applicant's receipt, both made by the caller before the write (rendering a receipt is work the
/// one writing thread of a group commit should not do).
pub struct NewSubmission {
    pub reference: Reference,
    pub receipt: Option<NewMessage>,
}

/// Stores one parsed, screened application with its answers, attestations and first stage, in
/// one transaction (inside a group commit, a savepoint of the batch's). A repeat of an identical
/// submission returns the first one's reference. The receipt is queued in the same transaction,
/// so an application is never stored without it nor it sent without one.
pub fn insert(conn: &mut DbConnection, pending: &Pending) -> StorageResult<Submitted> {
    let mut stored = conn.transaction(|conn| insert_batch(conn, std::slice::from_ref(pending)))?;
    stored
        .pop()
        .ok_or_else(|| StorageError::Unavailable("the insert reported nothing".into()))
}

/// What the confirmation page shows: nothing sensitive, only what and when.
#[derive(Debug, Clone)]
pub struct Receipt {
    pub reference: Reference,
    pub posting_slug: String,
    pub posting_title: String,
    pub submitted_at: NaiveDateTime,
}

pub fn receipt(conn: &mut DbConnection, reference: &Reference) -> StorageResult<Option<Receipt>> {
    let row: Option<(String, String, NaiveDateTime)> = applications::table
        .inner_join(postings::table)
        .filter(applications::reference.eq(reference.as_str()))
        .select((postings::slug, postings::title, applications::submitted_at))
        .first(conn)
        .optional()?;
    Ok(
        row.map(|(posting_slug, posting_title, submitted_at)| Receipt {
            reference: reference.clone(),
            posting_slug,
            posting_title,
            submitted_at,
        }),
    )
}

/// How many applications exist (tests and the load benchmark check nothing was half-written).
pub fn count(conn: &mut DbConnection) -> StorageResult<i64> {
    Ok(applications::table.count().get_result(conn)?)
}

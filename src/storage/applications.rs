//! Applications: stored whole in one transaction, or not at all.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use sha2::{Digest, Sha256};

use super::outbox::{self, NewMessage};
use super::schema::{answers, applicants, applications, attestations, postings, stage_changes};
use super::{DbConnection, StorageError, StorageResult};
use crate::domain::{Application, Reference};

/// The stage every application starts in.
pub const FIRST_STAGE: &str = "applied";

#[derive(Insertable)]
#[diesel(table_name = applicants)]
pub(crate) struct NewApplicant<'a> {
    full_name: &'a str,
    email: &'a str,
    phone: Option<&'a str>,
    created_at: NaiveDateTime,
}

#[derive(Insertable)]
#[diesel(table_name = applications)]
struct NewApplication<'a> {
    reference: &'a str,
    posting_id: i32,
    applicant_id: Option<i32>,
    stage: &'a str,
    version: i32,
    fingerprint: Option<&'a str>,
    submitted_at: NaiveDateTime,
    updated_at: NaiveDateTime,
}

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

/// Stores a parsed, screened application with its answers, attestations and first stage, in
/// one transaction. A repeat of an identical submission returns the first one's reference. The
/// receipt is queued in the same transaction, so an application is never stored without it nor
/// it sent without one.
pub fn insert(
    conn: &mut DbConnection,
    posting_slug: &str,
    app: &Application,
    new: NewSubmission,
    now: NaiveDateTime,
) -> StorageResult<Submitted> {
    // One transaction of its own; inside a group commit it is a savepoint of the batch's.
    conn.transaction(|conn| insert_rows(conn, posting_slug, app, new, now))
}

fn insert_rows(
    conn: &mut DbConnection,
    posting_slug: &str,
    app: &Application,
    new: NewSubmission,
    now: NaiveDateTime,
) -> StorageResult<Submitted> {
    let print = fingerprint(posting_slug, app);
    if let Some(existing) = find_by_fingerprint(conn, &print)? {
        return Ok(Submitted::AlreadyReceived(existing));
    }
    let posting_id: i32 = postings::table
        .filter(postings::slug.eq(posting_slug))
        .select(postings::id)
        .first(conn)
        .optional()?
        .ok_or(StorageError::NotFound)?;

    let applicant = NewApplicant {
        full_name: app.name.as_str(),
        email: app.email.as_str(),
        phone: app.phone.as_ref().map(|p| p.as_str()),
        created_at: now,
    };
    // RETURNING is per backend (MultiConnection does not offer it): the id must be this
    // insert's own even with other instances writing to the same PostgreSQL database.
    let insert_applicant = diesel::insert_into(applicants::table)
        .values(&applicant)
        .returning(applicants::id);
    let applicant_id: i32 = match conn {
        DbConnection::Sqlite(c) => insert_applicant.get_result(c)?,
        DbConnection::Pg(c) => insert_applicant.get_result(c)?,
    };

    // References are random 59-bit values, unique by the table's constraint: a clash is
    // astronomically rare, and would fail this application's savepoint with a clear error
    // rather than store a duplicate.
    let NewSubmission { reference, receipt } = new;
    let insert_application = diesel::insert_into(applications::table)
        .values(NewApplication {
            reference: reference.as_str(),
            posting_id,
            applicant_id: Some(applicant_id),
            stage: FIRST_STAGE,
            version: 1,
            fingerprint: Some(&print),
            submitted_at: now,
            updated_at: now,
        })
        .returning(applications::id);
    let application_id: i32 = match conn {
        DbConnection::Sqlite(c) => insert_application.get_result(c)?,
        DbConnection::Pg(c) => insert_application.get_result(c)?,
    };

    // Answers and attestations in one statement each (a multi-row insert is per backend).
    let answers: Vec<_> = app
        .answers
        .iter()
        .map(|(field, value)| {
            (
                answers::application_id.eq(application_id),
                answers::question_id.eq(field),
                answers::value.eq(value),
            )
        })
        .collect();
    let insert_answers = diesel::insert_into(answers::table).values(&answers);
    match conn {
        DbConnection::Sqlite(c) => insert_answers.execute(c)?,
        DbConnection::Pg(c) => insert_answers.execute(c)?,
    };
    if !app.attestations.is_empty() {
        let attestations: Vec<_> = app
            .attestations
            .iter()
            .map(|(field, value)| {
                (
                    attestations::application_id.eq(application_id),
                    attestations::field.eq(field),
                    attestations::value.eq(value),
                )
            })
            .collect();
        let insert_attestations = diesel::insert_into(attestations::table).values(&attestations);
        match conn {
            DbConnection::Sqlite(c) => insert_attestations.execute(c)?,
            DbConnection::Pg(c) => insert_attestations.execute(c)?,
        };
    }
    diesel::insert_into(stage_changes::table)
        .values((
            stage_changes::application_id.eq(application_id),
            stage_changes::from_stage.eq(None::<String>),
            stage_changes::to_stage.eq(FIRST_STAGE),
            stage_changes::actor.eq(Some("applicant")),
            stage_changes::created_at.eq(now),
        ))
        .execute(conn)?;
    if let Some(mut message) = receipt {
        message.application_id = Some(application_id);
        outbox::enqueue(conn, &message, now)?;
    }
    Ok(Submitted::Created(reference))
}

fn find_by_fingerprint(conn: &mut DbConnection, print: &str) -> StorageResult<Option<Reference>> {
    let found: Option<String> = applications::table
        .filter(applications::fingerprint.eq(print))
        .select(applications::reference)
        .first(conn)
        .optional()?;
    Ok(found.as_deref().and_then(Reference::parse))
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

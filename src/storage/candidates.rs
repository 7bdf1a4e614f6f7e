//! Candidates as HR sees them: lists with filters and counts, one candidate in full, and the two
//! changes screeners make — a KSA item and a stage — each under the application's version, so two
//! screeners acting at once cannot lose an update (one wins, the other is told it is stale).

use std::collections::BTreeMap;

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::audit::{self, Actor};
use super::schema::{
    answers, applicants, applications, attestations, ksa_reviews, postings, stage_changes, users,
};
use super::{DbConnection, StorageError, StorageResult};
use crate::domain::{
    ChecklistState, KsaStatus, MoveDetails, Posting, Reference, Requirement, Role, Stage,
    check_move,
};

diesel::define_sql_function! {
    /// SQL `lower()`, on both backends, for case-insensitive search.
    fn lower(x: diesel::sql_types::Text) -> diesel::sql_types::Text;
}

#[derive(Debug, Clone, Default)]
pub struct CandidateFilter {
    pub posting: Option<String>,
    pub stage: Option<Stage>,
    /// A reference, or part of a name or email.
    pub search: Option<String>,
    /// Only the hires of this manager (the manager's own view).
    pub hiring_manager: Option<i32>,
}

#[derive(Debug, Clone)]
pub struct CandidateSummary {
    pub reference: String,
    pub posting_slug: String,
    pub posting_title: String,
    /// `None` once retention erased the contact details.
    pub name: Option<String>,
    pub email: Option<String>,
    pub stage: String,
    pub submitted_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

type SummaryRow = (
    String,
    String,
    String,
    Option<String>,
    Option<String>,
    String,
    NaiveDateTime,
    NaiveDateTime,
);

macro_rules! filtered {
    ($filter:expr) => {{
        let filter: &CandidateFilter = $filter;
        let mut q = applications::table
            .inner_join(postings::table)
            .left_join(applicants::table)
            .into_boxed();
        if let Some(slug) = &filter.posting {
            q = q.filter(postings::slug.eq(slug.clone()));
        }
        if let Some(manager) = filter.hiring_manager {
            q = q.filter(applications::hiring_manager_id.eq(manager));
        }
        if let Some(search) = filter
            .search
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            let pattern = format!(
                "%{}%",
                search
                    .to_lowercase()
                    .replace('\\', "")
                    .replace('%', "")
                    .replace('_', "")
            );
            let reference = Reference::parse(search)
                .map(|r| r.to_string())
                .unwrap_or_default();
            q = q.filter(
                applications::reference
                    .eq(reference)
                    .or(lower(applicants::full_name.assume_not_null()).like(pattern.clone()))
                    .or(lower(applicants::email.assume_not_null()).like(pattern)),
            );
        }
        q
    }};
}

/// The last page number a list accepts: far past any real list, and small enough that the
/// offset it makes cannot overflow.
pub const MAX_PAGE: i64 = 1_000_000;

/// One page of candidates, newest first, and how many match in all.
pub fn list(
    conn: &mut DbConnection,
    filter: &CandidateFilter,
    page: i64,
    per_page: i64,
) -> StorageResult<(Vec<CandidateSummary>, i64)> {
    let mut count_query = filtered!(filter);
    let mut rows_query = filtered!(filter);
    if let Some(stage) = filter.stage {
        count_query = count_query.filter(applications::stage.eq(stage.as_str()));
        rows_query = rows_query.filter(applications::stage.eq(stage.as_str()));
    }
    let total: i64 = count_query.count().get_result(conn)?;
    let rows: Vec<SummaryRow> = rows_query
        .order((applications::submitted_at.desc(), applications::id.desc()))
        .limit(per_page)
        .offset(page.clamp(0, MAX_PAGE).saturating_mul(per_page))
        .select((
            applications::reference,
            postings::slug,
            postings::title,
            applicants::full_name.nullable(),
            applicants::email.nullable(),
            applications::stage,
            applications::submitted_at,
            applications::updated_at,
        ))
        .load(conn)?;
    let summaries = rows
        .into_iter()
        .map(
            |(
                reference,
                posting_slug,
                posting_title,
                name,
                email,
                stage,
                submitted_at,
                updated_at,
            )| CandidateSummary {
                reference,
                posting_slug,
                posting_title,
                name,
                email,
                stage,
                submitted_at,
                updated_at,
            },
        )
        .collect();
    Ok((summaries, total))
}

/// How many candidates are at each stage, under the same filter (stage aside).
pub fn stage_counts(
    conn: &mut DbConnection,
    filter: &CandidateFilter,
) -> StorageResult<BTreeMap<String, i64>> {
    let stages: Vec<String> = filtered!(filter).select(applications::stage).load(conn)?;
    let mut counts = BTreeMap::new();
    for stage in stages {
        *counts.entry(stage).or_insert(0) += 1;
    }
    Ok(counts)
}

#[derive(Debug, Clone)]
pub struct Review {
    pub status: KsaStatus,
    pub note: Option<String>,
    pub reviewer: Option<String>,
    pub reviewed_at: NaiveDateTime,
}

#[derive(Debug, Clone)]
pub struct HistoryEntry {
    pub from: Option<String>,
    pub to: String,
    pub reason: Option<String>,
    pub actor: Option<String>,
    pub at: NaiveDateTime,
}

/// One candidate in full. Answers are only loaded when asked for (the caller's role decides).
#[derive(Debug, Clone)]
pub struct CandidateDetail {
    pub id: i32,
    pub reference: String,
    pub posting_slug: String,
    pub stage: Stage,
    pub version: i32,
    pub name: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub submitted_at: NaiveDateTime,
    pub erased_at: Option<NaiveDateTime>,
    pub answers: Option<BTreeMap<String, String>>,
    pub attestations: BTreeMap<String, String>,
    pub reviews: BTreeMap<String, Review>,
    pub history: Vec<HistoryEntry>,
    pub hire_date: Option<NaiveDate>,
    pub hiring_manager_id: Option<i32>,
    pub hiring_manager: Option<String>,
    pub provisional_certified_on: Option<NaiveDate>,
    pub certified_on: Option<NaiveDate>,
}

type DetailRow = (
    i32,
    String,
    String,
    String,
    i32,
    Option<String>,
    Option<String>,
    Option<String>,
    NaiveDateTime,
    Option<NaiveDateTime>,
    Option<NaiveDate>,
    Option<i32>,
    Option<NaiveDate>,
    Option<NaiveDate>,
);

pub fn get(
    conn: &mut DbConnection,
    reference: &Reference,
    with_answers: bool,
) -> StorageResult<Option<CandidateDetail>> {
    let row: Option<DetailRow> = applications::table
        .inner_join(postings::table)
        .left_join(applicants::table)
        .filter(applications::reference.eq(reference.as_str()))
        .select((
            applications::id,
            applications::reference,
            postings::slug,
            applications::stage,
            applications::version,
            applicants::full_name.nullable(),
            applicants::email.nullable(),
            applicants::phone.nullable().assume_not_null().nullable(),
            applications::submitted_at,
            applications::erased_at,
            applications::hire_date,
            applications::hiring_manager_id,
            applications::provisional_certified_on,
            applications::certified_on,
        ))
        .first(conn)
        .optional()?;
    let Some((
        id,
        reference,
        posting_slug,
        stage,
        version,
        name,
        email,
        phone,
        submitted_at,
        erased_at,
        hire_date,
        hiring_manager_id,
        provisional_certified_on,
        certified_on,
    )) = row
    else {
        return Ok(None);
    };
    let stage = Stage::parse(&stage)
        .ok_or_else(|| StorageError::Conflict(format!("unknown stage {stage}")))?;
    let answers = if with_answers {
        let rows: Vec<(String, String)> = answers::table
            .filter(answers::application_id.eq(id))
            .select((answers::question_id, answers::value))
            .load(conn)?;
        Some(rows.into_iter().collect())
    } else {
        None
    };
    let attestations: Vec<(String, String)> = attestations::table
        .filter(attestations::application_id.eq(id))
        .select((attestations::field, attestations::value))
        .load(conn)?;
    type ReviewRow = (
        String,
        String,
        Option<String>,
        Option<String>,
        NaiveDateTime,
    );
    let review_rows: Vec<ReviewRow> = ksa_reviews::table
        .left_join(users::table)
        .filter(ksa_reviews::application_id.eq(id))
        .select((
            ksa_reviews::ksa_id,
            ksa_reviews::status,
            ksa_reviews::note,
            users::full_name.nullable(),
            ksa_reviews::reviewed_at,
        ))
        .load(conn)?;
    let reviews = review_rows
        .into_iter()
        .filter_map(|(ksa, status, note, reviewer, reviewed_at)| {
            KsaStatus::parse(&status).map(|status| {
                (
                    ksa,
                    Review {
                        status,
                        note,
                        reviewer,
                        reviewed_at,
                    },
                )
            })
        })
        .collect();
    let history = stage_changes::table
        .filter(stage_changes::application_id.eq(id))
        .order(stage_changes::id.asc())
        .select((
            stage_changes::from_stage,
            stage_changes::to_stage,
            stage_changes::reason,
            stage_changes::actor,
            stage_changes::created_at,
        ))
        .load::<(
            Option<String>,
            String,
            Option<String>,
            Option<String>,
            NaiveDateTime,
        )>(conn)?
        .into_iter()
        .map(|(from, to, reason, actor, at)| HistoryEntry {
            from,
            to,
            reason,
            actor,
            at,
        })
        .collect();
    let hiring_manager = match hiring_manager_id {
        Some(manager) => users::table
            .find(manager)
            .select(users::full_name)
            .first(conn)
            .optional()?,
        None => None,
    };
    Ok(Some(CandidateDetail {
        id,
        reference,
        posting_slug,
        stage,
        version,
        name,
        email,
        phone,
        submitted_at,
        erased_at,
        answers,
        attestations: attestations.into_iter().collect(),
        reviews,
        history,
        hire_date,
        hiring_manager_id,
        hiring_manager,
        provisional_certified_on,
        certified_on,
    }))
}

/// Why a change did not happen (the database itself worked).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rejected {
    NotFound,
    /// Someone changed the candidate since the page was loaded: reload and try again.
    Stale {
        current_version: i32,
    },
    /// A guard of the stage table said no, with the reason.
    Refused(String),
}

/// Bumps the version if it is still `expected`; the compare-and-set behind every change.
fn claim_version(
    conn: &mut DbConnection,
    id: i32,
    expected: i32,
    now: NaiveDateTime,
) -> StorageResult<Result<i32, Rejected>> {
    let changed = diesel::update(
        applications::table
            .find(id)
            .filter(applications::version.eq(expected)),
    )
    .set((
        applications::version.eq(expected + 1),
        applications::updated_at.eq(now),
    ))
    .execute(conn)?;
    if changed == 1 {
        return Ok(Ok(expected + 1));
    }
    let current_version = applications::table
        .find(id)
        .select(applications::version)
        .first(conn)?;
    Ok(Err(Rejected::Stale { current_version }))
}

fn id_of(conn: &mut DbConnection, reference: &Reference) -> StorageResult<Option<i32>> {
    Ok(applications::table
        .filter(applications::reference.eq(reference.as_str()))
        .filter(applications::erased_at.is_null())
        .select(applications::id)
        .first(conn)
        .optional()?)
}

/// Sets one KSA item's review. Audited with the item and status, never the note's text.
#[expect(
    clippy::too_many_arguments,
    reason = "each argument is a distinct part of the change"
)]
pub fn set_ksa(
    conn: &mut DbConnection,
    reference: &Reference,
    ksa_id: &str,
    status: KsaStatus,
    note: Option<&str>,
    expected_version: i32,
    actor: &Actor,
    now: NaiveDateTime,
) -> StorageResult<Result<i32, Rejected>> {
    conn.transaction(|conn| {
        let Some(id) = id_of(conn, reference)? else {
            return Ok(Err(Rejected::NotFound));
        };
        let version = match claim_version(conn, id, expected_version, now)? {
            Ok(v) => v,
            Err(rejected) => return Ok(Err(rejected)),
        };
        diesel::delete(
            ksa_reviews::table
                .filter(ksa_reviews::application_id.eq(id))
                .filter(ksa_reviews::ksa_id.eq(ksa_id)),
        )
        .execute(conn)?;
        diesel::insert_into(ksa_reviews::table)
            .values((
                ksa_reviews::application_id.eq(id),
                ksa_reviews::ksa_id.eq(ksa_id),
                ksa_reviews::status.eq(status.as_str()),
                ksa_reviews::note.eq(note.map(str::trim).filter(|n| !n.is_empty())),
                ksa_reviews::reviewer_id.eq(actor.id),
                ksa_reviews::reviewed_at.eq(now),
            ))
            .execute(conn)?;
        let detail = format!("ksa={ksa_id} status={}", status.as_str());
        audit::record(
            conn,
            actor,
            "ksa.set",
            Some(reference.as_str()),
            Some(&detail),
            now,
        )?;
        Ok(Ok(version))
    })
}

/// The checklist as the stage guards see it, from the posting's KSAs and the stored reviews.
pub fn checklist_state(posting: &Posting, reviews: &BTreeMap<String, KsaStatus>) -> ChecklistState {
    let mut state = ChecklistState::default();
    for ksa in posting
        .ksas
        .iter()
        .filter(|k| k.requirement == Requirement::Required)
    {
        match reviews
            .get(ksa.id.as_str())
            .copied()
            .unwrap_or(KsaStatus::NotReviewed)
        {
            KsaStatus::NotReviewed => state.required_not_reviewed.push(ksa.title.clone()),
            KsaStatus::NotMet => state.required_not_met.push(ksa.title.clone()),
            KsaStatus::Met | KsaStatus::FollowUp => {}
        }
    }
    state
}

/// A stage move as requested: where to, what it carries, the version it was read at, and the
/// message it sends (the not-selected notice, when HR chose to send it).
#[derive(Debug, Clone)]
pub struct StageMove {
    pub to: Stage,
    pub details: MoveDetails,
    pub expected_version: i32,
    pub notice: Option<crate::storage::outbox::NewMessage>,
}

/// Moves a candidate, checking the stage table, its guards and the version, in one transaction
/// with the history line, the audit line and any message.
pub fn move_stage(
    conn: &mut DbConnection,
    posting: &Posting,
    reference: &Reference,
    mv: &StageMove,
    actor: &Actor,
    now: NaiveDateTime,
) -> StorageResult<Result<i32, Rejected>> {
    let (to, details, expected_version) = (mv.to, &mv.details, mv.expected_version);
    conn.transaction(|conn| {
        let Some(id) = id_of(conn, reference)? else {
            return Ok(Err(Rejected::NotFound));
        };
        let (stage, version): (String, i32) = applications::table
            .find(id)
            .select((applications::stage, applications::version))
            .first(conn)?;
        if version != expected_version {
            return Ok(Err(Rejected::Stale {
                current_version: version,
            }));
        }
        let from = Stage::parse(&stage)
            .ok_or_else(|| StorageError::Conflict(format!("unknown stage {stage}")))?;
        let reviews: BTreeMap<String, KsaStatus> = ksa_reviews::table
            .filter(ksa_reviews::application_id.eq(id))
            .select((ksa_reviews::ksa_id, ksa_reviews::status))
            .load::<(String, String)>(conn)?
            .into_iter()
            .filter_map(|(k, s)| KsaStatus::parse(&s).map(|s| (k, s)))
            .collect();
        if let Err(refused) = check_move(from, to, details, &checklist_state(posting, &reviews)) {
            return Ok(Err(Rejected::Refused(refused.0)));
        }
        if to == Stage::Hired {
            let manager_ok = details.hiring_manager.is_some_and(|m| {
                users::table
                    .find(m)
                    .filter(users::role.eq(Role::Manager.as_str()))
                    .filter(users::disabled_at.is_null())
                    .count()
                    .get_result::<i64>(conn)
                    .is_ok_and(|n| n == 1)
            });
            if !manager_ok {
                return Ok(Err(Rejected::Refused(
                    "The hiring manager must be an active user with the manager role.".into(),
                )));
            }
        }
        let new_version = match claim_version(conn, id, expected_version, now)? {
            Ok(v) => v,
            Err(rejected) => return Ok(Err(rejected)),
        };
        let target = applications::table.find(id);
        diesel::update(target)
            .set(applications::stage.eq(to.as_str()))
            .execute(conn)?;
        match to {
            Stage::Hired => {
                diesel::update(target)
                    .set((
                        applications::hire_date.eq(details.hire_date),
                        applications::hiring_manager_id.eq(details.hiring_manager),
                    ))
                    .execute(conn)?;
            }
            Stage::ProvisionalCipss => {
                diesel::update(target)
                    .set(applications::provisional_certified_on.eq(details.certification_date))
                    .execute(conn)?;
            }
            Stage::Certified => {
                diesel::update(target)
                    .set(applications::certified_on.eq(details.certification_date))
                    .execute(conn)?;
            }
            Stage::Withdrawn | Stage::NotSelected => {
                diesel::update(target)
                    .set(applications::closed_at.eq(now))
                    .execute(conn)?;
            }
            _ => {}
        }
        let reason = match (
            details
                .reason
                .as_deref()
                .map(str::trim)
                .filter(|r| !r.is_empty()),
            details
                .override_reason
                .as_deref()
                .map(str::trim)
                .filter(|r| !r.is_empty()),
        ) {
            (Some(r), Some(o)) => Some(format!("{r} (override: {o})")),
            (Some(r), None) => Some(r.to_owned()),
            (None, Some(o)) if from == Stage::Screening => Some(format!("Override: {o}")),
            _ => None,
        };
        diesel::insert_into(stage_changes::table)
            .values((
                stage_changes::application_id.eq(id),
                stage_changes::from_stage.eq(Some(from.as_str())),
                stage_changes::to_stage.eq(to.as_str()),
                stage_changes::reason.eq(reason),
                stage_changes::actor.eq(Some(actor.label.as_str())),
                stage_changes::actor_id.eq(actor.id),
                stage_changes::created_at.eq(now),
            ))
            .execute(conn)?;
        let overridden = details
            .override_reason
            .as_deref()
            .is_some_and(|o| !o.trim().is_empty())
            && from == Stage::Screening;
        let detail = format!(
            "from={} to={}{}",
            from.as_str(),
            to.as_str(),
            if overridden { " override=yes" } else { "" }
        );
        audit::record(
            conn,
            actor,
            "stage.move",
            Some(reference.as_str()),
            Some(&detail),
            now,
        )?;
        if let Some(notice) = mv.notice.as_ref().filter(|_| to == Stage::NotSelected) {
            crate::storage::outbox::enqueue(conn, notice, now)?;
        }
        Ok(Ok(new_version))
    })
}

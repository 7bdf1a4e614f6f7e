//! HR's candidate list, the candidate page, the KSA checklist, stage moves and the CSV export.

use std::collections::BTreeMap;

use actix_web::http::StatusCode;
use actix_web::http::header::{CONTENT_DISPOSITION, LOCATION};
use actix_web::{HttpResponse, web};
use askama::Template;
use chrono::{NaiveDate, Utc};
use serde::Deserialize;

use crate::domain::deadline::UpkeepKind;
use crate::domain::{KsaStatus, MoveDetails, Posting, Reference, Role, Stage};
use crate::storage::audit;
use crate::storage::candidates::StageMove;
use crate::storage::candidates::{
    self, CandidateDetail, CandidateFilter, CandidateSummary, Rejected,
};
use crate::storage::hires;
use crate::storage::users::{self, UserRow};
use crate::web::access;
use crate::web::auth::{SignedIn, Viewer};
use crate::web::render::page;
use crate::web::views::candidate::CandidateView;
use crate::web::views::hire::{DeadlineView, UpkeepView};
use crate::web::{AppState, PageError};

pub const PER_PAGE: i64 = 25;

#[derive(Debug, Deserialize, Default, Clone)]
pub struct ListQuery {
    posting: Option<String>,
    stage: Option<String>,
    q: Option<String>,
    page: Option<i64>,
    include_q1_q2: Option<String>,
}

impl ListQuery {
    fn filter(&self) -> CandidateFilter {
        CandidateFilter {
            posting: self.posting.clone().filter(|p| !p.is_empty()),
            stage: self.stage.as_deref().and_then(Stage::parse),
            search: self.q.clone().filter(|q| !q.trim().is_empty()),
            hiring_manager: None,
        }
    }

    /// This query with another page or stage, as a URL query string.
    fn link(&self, page: i64, stage: Option<&str>) -> String {
        let mut parts = url::form_urlencoded::Serializer::new(String::new());
        if let Some(p) = self.posting.as_deref().filter(|p| !p.is_empty()) {
            parts.append_pair("posting", p);
        }
        if let Some(s) = stage.filter(|s| !s.is_empty()) {
            parts.append_pair("stage", s);
        }
        if let Some(q) = self.q.as_deref().filter(|q| !q.is_empty()) {
            parts.append_pair("q", q);
        }
        if page > 0 {
            parts.append_pair("page", &page.to_string());
        }
        parts.finish()
    }
}

pub struct StageCount {
    pub label: &'static str,
    pub count: i64,
    pub current: bool,
    pub link: String,
}

#[derive(Template)]
#[template(path = "hr/candidates.html")]
struct CandidatesPage<'a> {
    viewer: &'a Viewer,
    query: ListQuery,
    postings: Vec<(String, String)>,
    counts: Vec<StageCount>,
    all_count: i64,
    rows: Vec<CandidateSummary>,
    total: i64,
    page: i64,
    pages: i64,
    prev_link: Option<String>,
    next_link: Option<String>,
    export_link: String,
}

impl CandidatesPage<'_> {
    fn stage_label(&self, stage: &str) -> &'static str {
        Stage::parse(stage).map_or("Unknown", Stage::label)
    }
}

/// `GET /hr/candidates`: filter by posting and stage, search, newest first, paginated.
pub async fn get_candidates(
    state: web::Data<AppState>,
    SignedIn(viewer): SignedIn,
    query: web::Query<ListQuery>,
) -> Result<HttpResponse, PageError> {
    viewer.require(Role::screens_candidates)?;
    let query = query.into_inner();
    let filter = query.filter();
    let page_no = query.page.unwrap_or(0).clamp(0, candidates::MAX_PAGE);
    let (rows, total, counts) = state
        .db
        .read(move |conn| {
            let (rows, total) = candidates::list(conn, &filter, page_no, PER_PAGE)?;
            Ok((rows, total, candidates::stage_counts(conn, &filter)?))
        })
        .await?;
    let current = query.stage.clone().unwrap_or_default();
    let all_count = counts.values().sum();
    let counts = Stage::ALL
        .iter()
        .map(|s| StageCount {
            label: s.label(),
            count: counts.get(s.as_str()).copied().unwrap_or(0),
            current: current == s.as_str(),
            link: query.link(0, Some(s.as_str())),
        })
        .collect();
    let pages = (total + PER_PAGE - 1) / PER_PAGE;
    let stage = query.stage.clone();
    let page_view = CandidatesPage {
        viewer: &viewer,
        postings: state
            .forms
            .postings()
            .map(|p| (p.slug.to_string(), p.title.clone()))
            .collect(),
        counts,
        all_count,
        rows,
        total,
        page: page_no,
        pages,
        prev_link: (page_no > 0).then(|| query.link(page_no - 1, stage.as_deref())),
        next_link: (page_no + 1 < pages).then(|| query.link(page_no + 1, stage.as_deref())),
        export_link: query.link(0, stage.as_deref()),
        query,
    };
    page(StatusCode::OK, &page_view)
}

#[derive(Template)]
#[template(path = "hr/candidate.html")]
struct CandidatePage<'a> {
    viewer: &'a Viewer,
    c: CandidateDetail,
    posting: &'a Posting,
    view: CandidateView,
    managers: Vec<UserRow>,
    message: Option<String>,
    today: String,
    /// For a hire still without provisional certification.
    deadline: Option<DeadlineView>,
    /// For a certified hire.
    upkeep: Option<UpkeepView>,
    upkeep_kinds: Vec<(&'static str, &'static str)>,
}

impl CandidatePage<'_> {
    fn hours(&self, h: &f64) -> String {
        crate::domain::deadline::hours(*h)
    }

    fn stage_label(&self, stage: &str) -> &'static str {
        Stage::parse(stage).map_or("Unknown", Stage::label)
    }
}

/// Loads a candidate for `viewer`: HR and admins see everything (and the view of the answers is
/// audited); a manager sees only their own hires, without answers.
pub(super) async fn load(
    state: &AppState,
    viewer: &Viewer,
    reference: &str,
) -> Result<CandidateDetail, PageError> {
    Ok(access::candidate(state, viewer, reference, "page").await?)
}

pub(super) async fn render_candidate(
    state: &AppState,
    viewer: &Viewer,
    c: CandidateDetail,
    status: StatusCode,
    message: Option<String>,
) -> Result<HttpResponse, PageError> {
    let posting = state
        .forms
        .posting(&c.posting_slug)
        .ok_or(PageError::NotFound)?;
    let id = c.id;
    let (managers, extensions, entries) = state
        .db
        .read(move |conn| {
            Ok((
                users::active_managers(conn)?,
                hires::extensions(conn, id)?,
                hires::all_upkeep(conn, id)?,
            ))
        })
        .await?;
    let view = CandidateView::new(posting, &c);
    let today = Utc::now().date_naive();
    let settings = &state.settings.deadlines;
    let deadline = match (c.stage, c.hire_date) {
        (Stage::Hired, Some(hired)) => DeadlineView::new(settings, hired, extensions, today),
        _ => None,
    };
    let upkeep = match (c.stage, c.certified_on) {
        (Stage::Certified, Some(on)) => Some(UpkeepView::new(settings, on, entries, today)),
        _ => None,
    };
    let upkeep_kinds = UpkeepKind::ALL
        .iter()
        .map(|k| (k.as_str(), k.label()))
        .collect();
    page(
        status,
        &CandidatePage {
            viewer,
            c,
            posting,
            view,
            managers,
            message,
            today: today.to_string(),
            deadline,
            upkeep,
            upkeep_kinds,
        },
    )
}

/// `GET /hr/candidates/{reference}`
pub async fn get_candidate(
    state: web::Data<AppState>,
    SignedIn(viewer): SignedIn,
    reference: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let candidate = load(&state, &viewer, &reference).await?;
    render_candidate(&state, &viewer, candidate, StatusCode::OK, None).await
}

#[derive(Deserialize)]
pub struct KsaForm {
    status: String,
    #[serde(default)]
    note: String,
    version: i32,
    #[serde(default)]
    csrf_token: String,
}

const STALE: &str = "Someone else changed this candidate while you were looking. The page now shows the latest; please check it and try again.";

/// `POST /hr/candidates/{reference}/ksa/{ksa_id}`
pub async fn post_ksa(
    state: web::Data<AppState>,
    SignedIn(viewer): SignedIn,
    path: web::Path<(String, String)>,
    form: web::Form<KsaForm>,
) -> Result<HttpResponse, PageError> {
    viewer.check_csrf(&form.csrf_token)?;
    viewer.require(Role::screens_candidates)?;
    let (reference, ksa_id) = path.into_inner();
    let parsed = Reference::parse(&reference).ok_or(PageError::NotFound)?;
    let candidate = load(&state, &viewer, &reference).await?;
    let posting = state
        .forms
        .posting(&candidate.posting_slug)
        .ok_or(PageError::NotFound)?;
    if posting.ksa(&ksa_id).is_none() {
        return Err(PageError::NotFound);
    }
    let Some(status) = KsaStatus::parse(&form.status) else {
        return render_candidate(
            &state,
            &viewer,
            candidate,
            StatusCode::UNPROCESSABLE_ENTITY,
            Some("Please choose a status for the item.".into()),
        )
        .await;
    };
    if form.note.chars().count() > crate::domain::stage::REASON_MAX_CHARS {
        return render_candidate(
            &state,
            &viewer,
            candidate,
            StatusCode::UNPROCESSABLE_ENTITY,
            Some("A note may be at most 2000 characters.".into()),
        )
        .await;
    }
    let (actor, note, version, item) = (
        viewer.actor(),
        form.note.clone(),
        form.version,
        ksa_id.clone(),
    );
    let outcome = state
        .db
        .write(move |conn| {
            candidates::set_ksa(
                conn,
                &parsed,
                &item,
                status,
                Some(&note),
                version,
                &actor,
                Utc::now().naive_utc(),
            )
        })
        .await?;
    after_change(
        &state,
        &viewer,
        &reference,
        outcome,
        &format!("#ksa-{ksa_id}"),
    )
    .await
}

async fn after_change(
    state: &AppState,
    viewer: &Viewer,
    reference: &str,
    outcome: Result<i32, Rejected>,
    anchor: &str,
) -> Result<HttpResponse, PageError> {
    match outcome {
        Ok(_) => Ok(HttpResponse::SeeOther()
            .insert_header((LOCATION, format!("/hr/candidates/{reference}{anchor}")))
            .finish()),
        Err(Rejected::NotFound) => Err(PageError::NotFound),
        Err(Rejected::Stale { .. }) => {
            let fresh = load(state, viewer, reference).await?;
            render_candidate(
                state,
                viewer,
                fresh,
                StatusCode::CONFLICT,
                Some(STALE.into()),
            )
            .await
        }
        Err(Rejected::Refused(why)) => {
            let fresh = load(state, viewer, reference).await?;
            render_candidate(state, viewer, fresh, StatusCode::CONFLICT, Some(why)).await
        }
    }
}

#[derive(Deserialize)]
pub struct StageForm {
    to: String,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    override_reason: String,
    #[serde(default)]
    hire_date: String,
    #[serde(default)]
    hiring_manager: String,
    #[serde(default)]
    certification_date: String,
    version: i32,
    /// Present when the "send the applicant a notice" box is ticked.
    notify_applicant: Option<String>,
    #[serde(default)]
    csrf_token: String,
}

pub(super) fn date(raw: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(raw.trim(), "%Y-%m-%d").ok()
}

/// What a stage move carries, from form or JSON fields.
pub fn move_details(
    reason: &str,
    override_reason: &str,
    hire_date: &str,
    hiring_manager: &str,
    certification_date: &str,
) -> MoveDetails {
    let text = |s: &str| Some(s.trim().to_owned()).filter(|s| !s.is_empty());
    MoveDetails {
        reason: text(reason),
        override_reason: text(override_reason),
        hire_date: date(hire_date),
        hiring_manager: hiring_manager.trim().parse().ok(),
        certification_date: date(certification_date),
    }
}

/// `POST /hr/candidates/{reference}/stage`
pub async fn post_stage(
    state: web::Data<AppState>,
    SignedIn(viewer): SignedIn,
    reference: web::Path<String>,
    form: web::Form<StageForm>,
) -> Result<HttpResponse, PageError> {
    viewer.check_csrf(&form.csrf_token)?;
    viewer.require(Role::screens_candidates)?;
    let reference = reference.into_inner();
    let parsed = Reference::parse(&reference).ok_or(PageError::NotFound)?;
    let candidate = load(&state, &viewer, &reference).await?;
    let posting = state
        .forms
        .posting(&candidate.posting_slug)
        .ok_or(PageError::NotFound)?
        .clone();
    let Some(to) = Stage::parse(&form.to) else {
        return render_candidate(
            &state,
            &viewer,
            candidate,
            StatusCode::UNPROCESSABLE_ENTITY,
            Some("Please choose the stage to move to.".into()),
        )
        .await;
    };
    let details = move_details(
        &form.reason,
        &form.override_reason,
        &form.hire_date,
        &form.hiring_manager,
        &form.certification_date,
    );
    // The not-selected notice goes unless HR unticked it.
    let notice = (to == Stage::NotSelected && form.notify_applicant.is_some())
        .then(|| crate::mail::not_selected_notice(&state.forms.mail, &posting, &candidate))
        .flatten();
    let mv = StageMove {
        to,
        details,
        expected_version: form.version,
        notice,
    };
    let actor = viewer.actor();
    let outcome = state
        .db
        .write(move |conn| {
            candidates::move_stage(conn, &posting, &parsed, &mv, &actor, Utc::now().naive_utc())
        })
        .await?;
    after_change(&state, &viewer, &reference, outcome, "#stage").await
}

/// Neutralises a CSV cell a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab, CR).
pub fn csv_cell(value: &str) -> String {
    match value.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{value}"),
        _ => value.to_owned(),
    }
}

/// `GET /hr/candidates.csv`: the filtered list; q1–q2 only when an admin asks. Audited.
pub async fn get_export(
    state: web::Data<AppState>,
    SignedIn(viewer): SignedIn,
    query: web::Query<ListQuery>,
) -> Result<HttpResponse, PageError> {
    viewer.require(Role::screens_candidates)?;
    let with_q12 = query.include_q1_q2.is_some() && viewer.role.administers();
    if query.include_q1_q2.is_some() && !with_q12 {
        return Err(PageError::Forbidden);
    }
    let filter = query.filter();
    let actor = viewer.actor();
    let described = query.link(0, query.stage.as_deref());
    let rows = state
        .db
        .write(move |conn| {
            let (rows, _) = candidates::list(conn, &filter, 0, i64::MAX / 2)?;
            let mut out = Vec::with_capacity(rows.len());
            for row in rows {
                let answers = if with_q12 {
                    let r = Reference::parse(&row.reference)
                        .ok_or(crate::storage::StorageError::NotFound)?;
                    candidates::get(conn, &r, true)?
                        .and_then(|c| c.answers)
                        .unwrap_or_default()
                } else {
                    BTreeMap::new()
                };
                out.push((row, answers));
            }
            let detail = format!(
                "rows={} filter={described}{}",
                out.len(),
                if with_q12 { " with q1-q2" } else { "" }
            );
            audit::record(
                conn,
                &actor,
                "export.csv",
                None,
                Some(&detail),
                Utc::now().naive_utc(),
            )?;
            Ok(out)
        })
        .await?;
    let mut writer = csv::Writer::from_writer(Vec::new());
    let mut header = vec![
        "reference",
        "posting",
        "stage",
        "submitted_at",
        "name",
        "email",
    ];
    if with_q12 {
        header.extend(["q1", "q1_comment", "q2"]);
    }
    let csv_failed = |e: csv::Error| PageError::Internal(format!("csv: {e}"));
    writer.write_record(&header).map_err(csv_failed)?;
    for (row, answers) in rows {
        let mut record = vec![
            csv_cell(&row.reference),
            csv_cell(&row.posting_slug),
            csv_cell(&row.stage),
            row.submitted_at.format("%Y-%m-%dT%H:%M:%SZ").to_string(),
            csv_cell(row.name.as_deref().unwrap_or("(erased)")),
            csv_cell(row.email.as_deref().unwrap_or("")),
        ];
        if with_q12 {
            for field in ["q1", "q1_comment", "q2"] {
                record.push(csv_cell(answers.get(field).map_or("", String::as_str)));
            }
        }
        writer.write_record(&record).map_err(csv_failed)?;
    }
    let body = writer
        .into_inner()
        .map_err(|e| PageError::Internal(format!("csv: {e}")))?;
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((
            CONTENT_DISPOSITION,
            "attachment; filename=\"candidates.csv\"",
        ))
        .body(body))
}

#[cfg(test)]
mod tests {
    #[test]
    fn formula_cells_are_neutralised() {
        assert_eq!(super::csv_cell("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(super::csv_cell("+1"), "'+1");
        assert_eq!(super::csv_cell("-2"), "'-2");
        assert_eq!(super::csv_cell("@SUM"), "'@SUM");
        assert_eq!(super::csv_cell("Sam"), "Sam");
    }
}

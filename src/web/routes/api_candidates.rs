//! The JSON API for HR: list and read candidates, set a KSA item, move a stage. Authenticated by
//! a session or a personal API token; the same rules, guards and audit as the pages.

use actix_web::{HttpRequest, HttpResponse, web};
use chrono::Utc;
use serde::Deserialize;
use serde_json::{Value, json};

use crate::domain::{KsaStatus, Reference, Stage};
use crate::storage::candidates::{self, CandidateDetail, CandidateFilter, Rejected};
use crate::web::access;
use crate::web::auth::{ApiScreener, ApiUser, Viewer};
use crate::web::views::candidate::CandidateView;
use crate::web::{ApiError, AppState};

use super::hr_candidates::{PER_PAGE, move_details};

#[derive(Deserialize)]
pub struct ListQuery {
    posting: Option<String>,
    stage: Option<String>,
    q: Option<String>,
    page: Option<i64>,
}

/// `GET /api/v1/candidates`
pub async fn list(
    state: web::Data<AppState>,
    ApiScreener(_viewer): ApiScreener,
    query: web::Query<ListQuery>,
) -> Result<HttpResponse, ApiError> {
    let stage = match query.stage.as_deref().filter(|s| !s.is_empty()) {
        Some(raw) => Some(Stage::parse(raw).ok_or_else(|| invalid("stage", "is not a stage"))?),
        None => None,
    };
    let filter = CandidateFilter {
        posting: query.posting.clone(),
        stage,
        search: query.q.clone(),
        hiring_manager: None,
    };
    let page = query.page.unwrap_or(0);
    if !(0..=candidates::MAX_PAGE).contains(&page) {
        return Err(invalid("page", "is not a page number from 0 to 1000000"));
    }
    let (rows, total, counts) = state
        .db
        .read(move |conn| {
            let (rows, total) = candidates::list(conn, &filter, page, PER_PAGE)?;
            Ok((rows, total, candidates::stage_counts(conn, &filter)?))
        })
        .await?;
    let items: Vec<Value> = rows
        .iter()
        .map(|r| {
            json!({
                "reference": r.reference, "posting": r.posting_slug, "name": r.name, "email": r.email,
                "stage": r.stage, "submitted_at": r.submitted_at.and_utc().to_rfc3339(),
            })
        })
        .collect();
    Ok(HttpResponse::Ok().json(json!({ "total": total, "page": page, "per_page": PER_PAGE, "counts": counts, "candidates": items })))
}

fn invalid(field: &str, what: &str) -> ApiError {
    let mut fields = crate::domain::FieldErrors::new();
    fields.insert(field.into(), format!("“{field}” {what}."));
    ApiError::Validation(fields)
}

fn detail_json(state: &AppState, c: &CandidateDetail) -> Value {
    let checklist: Vec<Value> = state
        .forms
        .posting(&c.posting_slug)
        .map(|posting| {
            CandidateView::new(posting, c)
                .checklist
                .into_iter()
                .map(|i| {
                    json!({
                        "id": i.id, "title": i.title, "required": i.required, "status": i.status.as_str(),
                        "note": i.note, "reviewer": i.reviewer, "reviewed_at": i.reviewed_at,
                        "applicant_says": i.attested, "flags": i.flags,
                    })
                })
                .collect()
        })
        .unwrap_or_default();
    let history: Vec<Value> = c
        .history
        .iter()
        .map(|h| json!({ "from": h.from, "to": h.to, "reason": h.reason, "by": h.actor, "at": h.at.and_utc().to_rfc3339() }))
        .collect();
    json!({
        "reference": c.reference, "posting": c.posting_slug, "stage": c.stage.as_str(), "version": c.version,
        "name": c.name, "email": c.email, "phone": c.phone, "submitted_at": c.submitted_at.and_utc().to_rfc3339(),
        "answers": c.answers, "attestations": c.attestations, "checklist": checklist, "history": history,
        "hire_date": c.hire_date, "hiring_manager": c.hiring_manager,
        "provisional_certified_on": c.provisional_certified_on, "certified_on": c.certified_on,
    })
}

async fn load(
    state: &AppState,
    viewer: &Viewer,
    reference: &str,
) -> Result<CandidateDetail, ApiError> {
    Ok(access::candidate(state, viewer, reference, "api").await?)
}

/// `GET /api/v1/candidates/{reference}`
pub async fn get(
    state: web::Data<AppState>,
    ApiUser(viewer): ApiUser,
    reference: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let c = load(&state, &viewer, &reference).await?;
    Ok(HttpResponse::Ok().json(detail_json(&state, &c)))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KsaBody {
    status: String,
    #[serde(default)]
    note: Option<String>,
    version: i32,
}

async fn conflict(
    state: &AppState,
    viewer: &Viewer,
    reference: &str,
    rejected: Rejected,
) -> Result<HttpResponse, ApiError> {
    let message = match rejected {
        Rejected::NotFound => return Err(ApiError::NotFound),
        Rejected::Stale { .. } => {
            "someone else changed this candidate; here is the fresh state".to_owned()
        }
        Rejected::Refused(why) => why,
    };
    let fresh = load(state, viewer, reference).await?;
    Err(ApiError::Conflict {
        message,
        current: Some(detail_json(state, &fresh)),
    })
}

/// `PUT /api/v1/candidates/{reference}/ksa/{ksa_id}`
pub async fn put_ksa(
    state: web::Data<AppState>,
    ApiScreener(viewer): ApiScreener,
    path: web::Path<(String, String)>,
    req: HttpRequest,
    body: web::Bytes,
) -> Result<HttpResponse, ApiError> {
    let body: KsaBody = json_body(&req, &body)?;
    let (reference, ksa_id) = path.into_inner();
    let c = load(&state, &viewer, &reference).await?;
    if state
        .forms
        .posting(&c.posting_slug)
        .and_then(|p| p.ksa(&ksa_id))
        .is_none()
    {
        return Err(ApiError::NotFound);
    }
    let status = KsaStatus::parse(&body.status)
        .ok_or_else(|| invalid("status", "must be not_reviewed, met, not_met or follow_up"))?;
    let note = body.note.clone().unwrap_or_default();
    if note.chars().count() > crate::domain::stage::REASON_MAX_CHARS {
        return Err(invalid("note", "is longer than 2000 characters"));
    }
    let parsed = Reference::parse(&reference).ok_or(ApiError::NotFound)?;
    let (actor, version, item) = (viewer.actor(), body.version, ksa_id.clone());
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
    match outcome {
        Ok(version) => Ok(HttpResponse::Ok().json(json!({ "reference": reference, "ksa": ksa_id, "status": status.as_str(), "version": version }))),
        Err(rejected) => conflict(&state, &viewer, &reference, rejected).await,
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StageBody {
    to: String,
    version: i32,
    #[serde(default)]
    reason: Option<String>,
    #[serde(default)]
    override_reason: Option<String>,
    #[serde(default)]
    hire_date: Option<String>,
    /// The manager's user id.
    #[serde(default)]
    hiring_manager: Option<i32>,
    #[serde(default)]
    certification_date: Option<String>,
    /// For `not_selected`: send the applicant the notice (default true).
    #[serde(default)]
    notify_applicant: Option<bool>,
}

/// `POST /api/v1/candidates/{reference}/stage`
pub async fn post_stage(
    state: web::Data<AppState>,
    ApiScreener(viewer): ApiScreener,
    reference: web::Path<String>,
    req: HttpRequest,
    body: web::Bytes,
) -> Result<HttpResponse, ApiError> {
    let body: StageBody = json_body(&req, &body)?;
    let reference = reference.into_inner();
    let c = load(&state, &viewer, &reference).await?;
    let posting = state
        .forms
        .posting(&c.posting_slug)
        .ok_or(ApiError::NotFound)?
        .clone();
    let to = Stage::parse(&body.to).ok_or_else(|| invalid("to", "is not a stage"))?;
    for (field, value) in [
        ("hire_date", &body.hire_date),
        ("certification_date", &body.certification_date),
    ] {
        if let Some(v) = value
            && chrono::NaiveDate::parse_from_str(v, "%Y-%m-%d").is_err()
        {
            return Err(invalid(field, "must be a date such as 2026-01-05"));
        }
    }
    let details = move_details(
        body.reason.as_deref().unwrap_or(""),
        body.override_reason.as_deref().unwrap_or(""),
        body.hire_date.as_deref().unwrap_or(""),
        &body
            .hiring_manager
            .map(|m| m.to_string())
            .unwrap_or_default(),
        body.certification_date.as_deref().unwrap_or(""),
    );
    let parsed = Reference::parse(&reference).ok_or(ApiError::NotFound)?;
    let notice = (to == Stage::NotSelected && body.notify_applicant.unwrap_or(true))
        .then(|| crate::mail::not_selected_notice(&state.forms.mail, &posting, &c))
        .flatten();
    let mv = candidates::StageMove {
        to,
        details,
        expected_version: body.version,
        notice,
    };
    let actor = viewer.actor();
    let outcome = state
        .db
        .write(move |conn| {
            candidates::move_stage(conn, &posting, &parsed, &mv, &actor, Utc::now().naive_utc())
        })
        .await?;
    match outcome {
        Ok(version) => Ok(HttpResponse::Ok()
            .json(json!({ "reference": reference, "stage": to.as_str(), "version": version }))),
        Err(rejected) => conflict(&state, &viewer, &reference, rejected).await,
    }
}

/// Reads a JSON body only after the caller is known to be allowed (a `web::Json` extractor could
/// answer "malformed" to someone who should hear "forbidden").
fn json_body<T: serde::de::DeserializeOwned>(
    req: &HttpRequest,
    body: &[u8],
) -> Result<T, ApiError> {
    let is_json = req
        .headers()
        .get(actix_web::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.split(';')
                .next()
                .is_some_and(|t| t.trim().eq_ignore_ascii_case("application/json"))
        });
    if !is_json {
        return Err(ApiError::UnsupportedMediaType);
    }
    serde_json::from_slice(body).map_err(|e| invalid_body(&e.to_string()))
}

fn invalid_body(message: &str) -> ApiError {
    let mut fields = crate::domain::FieldErrors::new();
    fields.insert(
        "body".into(),
        format!("The body is not the expected JSON: {message}"),
    );
    ApiError::Validation(fields)
}

//! The JSON API under `/api/v1`, described by `openapi.json` (served at `/api/v1/openapi.json`).
//! Errors share one envelope: `{"error": "...", ...}`.

use std::collections::BTreeMap;

use actix_web::error::JsonPayloadError;
use actix_web::{HttpRequest, HttpResponse, web};
use serde::Deserialize;
use serde_json::json;

use crate::domain::{ApplicationInput, FieldErrors};
use crate::screening::Finding;
use crate::storage::applications::Submitted;
use crate::submission::{self, Rejection};
use crate::web::{ApiError, AppState};

/// The OpenAPI 3 document, written by hand and checked against the route table by the tests.
pub const OPENAPI_DOCUMENT: &str = include_str!("../openapi.json");

/// `POST /api/v1/jobs/{slug}/applications`, as JSON.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ApplicationRequest {
    name: String,
    email: String,
    #[serde(default)]
    phone: Option<String>,
    answers: BTreeMap<String, String>,
    #[serde(default)]
    attestations: BTreeMap<String, String>,
}

fn validation(fields: &FieldErrors) -> HttpResponse {
    HttpResponse::BadRequest().json(json!({ "error": "validation", "fields": fields }))
}

fn screening(findings: &[Finding]) -> HttpResponse {
    HttpResponse::UnprocessableEntity().json(json!({ "error": "screening", "findings": findings }))
}

/// 201 with the reference; 200 with the same reference for an identical resubmission.
pub async fn post_application(
    state: web::Data<AppState>,
    slug: web::Path<String>,
    body: web::Json<ApplicationRequest>,
) -> Result<HttpResponse, ApiError> {
    let posting = state
        .forms
        .posting(&slug)
        .filter(|p| p.is_open())
        .ok_or(ApiError::NotFound)?;
    let body = body.into_inner();
    let known: Vec<&str> = posting.questions.iter().map(|q| q.id.as_str()).collect();
    let unknown: FieldErrors = body
        .answers
        .keys()
        .filter(|k| !known.contains(&k.as_str()) && !k.ends_with("_comment"))
        .map(|k| {
            (
                format!("answers.{k}"),
                format!("“{k}” is not a question of this posting."),
            )
        })
        .collect();
    if !unknown.is_empty() {
        return Ok(validation(&unknown));
    }
    let input = ApplicationInput {
        name: body.name,
        email: body.email,
        phone: body.phone,
        answers: body.answers,
        attestations: body.attestations,
    };
    match submission::submit(&state.db, &state.forms, posting, &input).await {
        Ok((Submitted::Created(reference), _)) => {
            Ok(HttpResponse::Created().json(json!({ "reference": reference.as_str() })))
        }
        Ok((Submitted::AlreadyReceived(reference), _)) => Ok(HttpResponse::Ok()
            .json(json!({ "reference": reference.as_str(), "already_received": true }))),
        Err(Rejection::Invalid { errors, .. }) => Ok(validation(&errors)),
        Err(Rejection::Refused { findings }) => Ok(screening(&findings)),
        Err(Rejection::Storage(err)) => Err(err.into()),
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScreenRequest {
    text: String,
}

/// `POST /api/v1/screen`: the verdict for one text; nothing is stored or logged.
pub async fn post_screen(
    state: web::Data<AppState>,
    body: web::Json<ScreenRequest>,
) -> HttpResponse {
    let findings = state.forms.screener.screen("text", &body.text);
    HttpResponse::Ok().json(json!({ "allowed": findings.is_empty(), "findings": findings }))
}

/// `GET /api/v1/openapi.json`.
pub async fn get_openapi_document() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("application/json")
        .body(OPENAPI_DOCUMENT)
}

/// A query string that does not fit (`page=null`): 400 in the API's envelope, naming it.
pub fn query_error(
    err: actix_web::error::QueryPayloadError,
    _req: &HttpRequest,
) -> actix_web::Error {
    let mut fields = FieldErrors::new();
    fields.insert(
        "query".into(),
        format!("The query string does not fit: {err}"),
    );
    actix_web::error::InternalError::from_response(err, validation(&fields)).into()
}

/// Turns a body that cannot be read into the API's envelope: 413, 415 or 400 with the reason.
pub fn json_error(err: JsonPayloadError, _req: &HttpRequest) -> actix_web::Error {
    let response = match &err {
        JsonPayloadError::OverflowKnownLength { .. } | JsonPayloadError::Overflow { .. } => {
            HttpResponse::PayloadTooLarge()
                .json(json!({ "error": "too_large", "message": "the body is larger than 64 KiB" }))
        }
        JsonPayloadError::ContentType => HttpResponse::UnsupportedMediaType()
            .json(json!({ "error": "unsupported_media_type", "message": "send Content-Type: application/json" })),
        other => {
            let mut fields = FieldErrors::new();
            fields.insert("body".into(), format!("The body is not the expected JSON: {other}"));
            validation(&fields)
        }
    };
    actix_web::error::InternalError::from_response(err, response).into()
}

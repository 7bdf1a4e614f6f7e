//! The application form (`/jobs/{slug}/apply`) and its confirmation (`/applications/{ref}`).

use std::sync::Arc;

use actix_web::http::StatusCode;
use actix_web::http::header::LOCATION;
use actix_web::{HttpResponse, web};
use askama::Template;

use crate::domain::{ApplicationInput, FieldErrors, Posting, Reference};
use crate::screening::{Category, Finding};
use crate::storage::applications::{self, Receipt};
use crate::submission::{self, Rejection};
use crate::web::render::page;
use crate::web::views::apply_form::ApplyFormView;
use crate::web::{AppState, PageError};

#[derive(Template)]
#[template(path = "apply.html")]
struct ApplyPage<'a> {
    posting: &'a Posting,
    form: ApplyFormView,
    /// Set when the database could not take the application: the form comes back as it was.
    unavailable: bool,
}

impl ApplyPage<'_> {
    fn explains(&self, category: &Category) -> &'static str {
        explanation(*category)
    }
    fn category_name(&self, category: &Category) -> &'static str {
        match category {
            Category::Diagnosis => "names a diagnosis",
            Category::CriminalHistory => "mentions criminal history",
        }
    }
}

/// What the applicant reads next to a refused phrase: why, kindly, and what to do instead.
fn explanation(category: Category) -> &'static str {
    match category {
        Category::Diagnosis => {
            "We can’t take the name of a diagnosis at this stage — the law keeps employers from asking about \
             diagnoses before a job offer, and we don’t need it. What matters is what you lived through and \
             learned. Please say it in your own words, without the name of the diagnosis."
        }
        Category::CriminalHistory => {
            "We don’t consider criminal history on this application, so please leave out arrests, charges, \
             court, jail, probation and records. You are welcome to talk about what you learned and how you \
             have grown."
        }
    }
}

fn open_posting<'a>(state: &'a AppState, slug: &str) -> Result<&'a Arc<Posting>, PageError> {
    state
        .forms
        .posting(slug)
        .filter(|p| p.is_open())
        .ok_or(PageError::NotFound)
}

/// `GET /jobs/{slug}/apply`: the empty form.
pub async fn get_apply(
    state: web::Data<AppState>,
    slug: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let posting = open_posting(&state, &slug)?;
    let body = state.blank_forms.get_or_render(&slug, || {
        let form = ApplyFormView::new(
            posting,
            &ApplicationInput::default(),
            &FieldErrors::new(),
            &[],
        );
        ApplyPage {
            posting,
            form,
            unavailable: false,
        }
        .render()
        .map_err(|e| PageError::Internal(format!("template: {e}")))
    })?;
    Ok(HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .body(body))
}

/// Form fields as sent. Pairs rather than a map, so a repeated field is not a 400.
pub type FormPairs = web::Form<Vec<(String, String)>>;

fn input_from_pairs(posting: &Posting, pairs: Vec<(String, String)>) -> ApplicationInput {
    let mut input = ApplicationInput::default();
    let attestation_fields: Vec<&str> = posting
        .attestations()
        .map(|(_, a)| a.field.as_str())
        .collect();
    for (key, value) in pairs {
        match key.as_str() {
            "name" => input.name = value,
            "email" => input.email = value,
            "phone" => input.phone = Some(value),
            k if posting.question(k).is_some() || k.ends_with("_comment") => {
                input.answers.insert(key, value);
            }
            k if attestation_fields.contains(&k) => {
                input.attestations.insert(key, value);
            }
            _ => {} // anything else (an idempotency token, a stray field) is ignored
        }
    }
    input
}

/// `POST /jobs/{slug}/apply`: 303 to the confirmation, or the form again (422) with every word kept.
pub async fn post_apply(
    state: web::Data<AppState>,
    slug: web::Path<String>,
    form: FormPairs,
) -> Result<HttpResponse, PageError> {
    let posting = open_posting(&state, &slug)?;
    let input = input_from_pairs(posting, form.into_inner());
    let again = |errors: &FieldErrors, findings: &[Finding], status, unavailable| {
        let form = ApplyFormView::new(posting, &input, errors, findings);
        page(
            status,
            &ApplyPage {
                posting,
                form,
                unavailable,
            },
        )
    };
    match submission::submit(&state.db, &state.forms, posting, &input).await {
        Ok((submitted, application)) => {
            let mut location = format!("/applications/{}", submitted.reference());
            if !application.flagged_ksas.is_empty() {
                location.push_str("?note=lived-experience");
            }
            Ok(HttpResponse::SeeOther()
                .insert_header((LOCATION, location))
                .finish())
        }
        Err(Rejection::Invalid { errors, findings }) => {
            again(&errors, &findings, StatusCode::UNPROCESSABLE_ENTITY, false)
        }
        Err(Rejection::Refused { findings }) => again(
            &FieldErrors::new(),
            &findings,
            StatusCode::UNPROCESSABLE_ENTITY,
            false,
        ),
        Err(Rejection::Storage(err)) => match PageError::from(err) {
            PageError::Unavailable => again(
                &FieldErrors::new(),
                &[],
                StatusCode::SERVICE_UNAVAILABLE,
                true,
            ),
            other => Err(other),
        },
    }
}

#[derive(Template)]
#[template(path = "received.html")]
struct ReceivedPage {
    receipt: Receipt,
    lived_experience_note: bool,
}

#[derive(serde::Deserialize)]
pub struct ReceivedQuery {
    note: Option<String>,
}

/// `GET /applications/{reference}`: the confirmation. Shows no answer and no contact detail, so
/// the address is safe to keep in a browser's history.
pub async fn get_received(
    state: web::Data<AppState>,
    reference: web::Path<String>,
    query: web::Query<ReceivedQuery>,
) -> Result<HttpResponse, PageError> {
    let reference = Reference::parse(&reference).ok_or(PageError::NotFound)?;
    let receipt = state
        .db
        .read(move |conn| applications::receipt(conn, &reference))
        .await?
        .ok_or(PageError::NotFound)?;
    let lived_experience_note = query.note.as_deref() == Some("lived-experience");
    page(
        StatusCode::OK,
        &ReceivedPage {
            receipt,
            lived_experience_note,
        },
    )
}

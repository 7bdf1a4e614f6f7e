//! HR's part in a hire's certification: extending the provisional CIPSS deadline with a reason,
//! and recording what a certified hire did to keep the certification. Both audited.

use actix_web::http::StatusCode;
use actix_web::http::header::LOCATION;
use actix_web::{HttpResponse, web};
use chrono::Utc;
use serde::Deserialize;

use super::hr_candidates::{date, load, render_candidate};
use crate::domain::deadline::UpkeepKind;
use crate::domain::{Reference, Role, Stage};
use crate::storage::hires;
use crate::web::auth::SignedIn;
use crate::web::views::hire::DeadlineView;
use crate::web::{AppState, PageError};

#[derive(Deserialize)]
pub struct ExtensionForm {
    new_due_date: String,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    csrf_token: String,
}

/// `POST /hr/candidates/{reference}/extension`: a later due date with its reason; audited.
pub async fn post_extension(
    state: web::Data<AppState>,
    SignedIn(viewer): SignedIn,
    reference: web::Path<String>,
    form: web::Form<ExtensionForm>,
) -> Result<HttpResponse, PageError> {
    viewer.check_csrf(&form.csrf_token)?;
    viewer.require(Role::screens_candidates)?;
    let reference = reference.into_inner();
    let candidate = load(&state, &viewer, &reference).await?;
    let current = match (candidate.stage, candidate.hire_date) {
        (Stage::Hired, Some(hired)) => {
            let id = candidate.id;
            let extensions = state
                .db
                .read(move |conn| hires::extensions(conn, id))
                .await?;
            DeadlineView::new(
                &state.settings.deadlines,
                hired,
                extensions,
                Utc::now().date_naive(),
            )
            .map(|d| d.due)
        }
        _ => None,
    };
    let Some(current) = current else {
        return render_candidate(
            &state,
            &viewer,
            candidate,
            StatusCode::CONFLICT,
            Some(
                "Only a hire waiting for provisional certification has a deadline to extend."
                    .into(),
            ),
        )
        .await;
    };
    let reason = form.reason.trim().to_owned();
    let new_due = date(&form.new_due_date);
    let problem = match new_due {
        None => Some("Please give the new due date.".to_owned()),
        Some(d) if d <= current => Some(format!(
            "The new due date must be after the current one, {current}."
        )),
        _ if reason.is_empty() => Some("An extension needs a reason.".to_owned()),
        _ if reason.chars().count() > crate::domain::stage::REASON_MAX_CHARS => {
            Some("A reason may be at most 2000 characters.".to_owned())
        }
        _ => None,
    };
    if let Some(problem) = problem {
        return render_candidate(
            &state,
            &viewer,
            candidate,
            StatusCode::UNPROCESSABLE_ENTITY,
            Some(problem),
        )
        .await;
    }
    let (parsed, actor) = (
        Reference::parse(&reference).ok_or(PageError::NotFound)?,
        viewer.actor(),
    );
    let new_due = new_due.ok_or(PageError::NotFound)?;
    state
        .db
        .write(move |conn| {
            hires::extend(
                conn,
                &parsed,
                new_due,
                &reason,
                &actor,
                Utc::now().naive_utc(),
            )
        })
        .await?;
    Ok(HttpResponse::SeeOther()
        .insert_header((LOCATION, format!("/hr/candidates/{reference}#deadline")))
        .finish())
}

#[derive(Deserialize)]
pub struct UpkeepForm {
    done_on: String,
    kind: String,
    #[serde(default)]
    hours: String,
    #[serde(default)]
    note: String,
    #[serde(default)]
    csrf_token: String,
}

/// `POST /hr/candidates/{reference}/upkeep`: one continuing-education, skill-building or review
/// entry for a certified hire; audited.
pub async fn post_upkeep(
    state: web::Data<AppState>,
    SignedIn(viewer): SignedIn,
    reference: web::Path<String>,
    form: web::Form<UpkeepForm>,
) -> Result<HttpResponse, PageError> {
    viewer.check_csrf(&form.csrf_token)?;
    viewer.require(Role::screens_candidates)?;
    let reference = reference.into_inner();
    let candidate = load(&state, &viewer, &reference).await?;
    let kind = UpkeepKind::parse(&form.kind);
    let hours: Option<f64> = match kind {
        Some(UpkeepKind::Review) => Some(0.0),
        _ => form
            .hours
            .trim()
            .parse()
            .ok()
            .filter(|h: &f64| *h > 0.0 && *h <= 100.0),
    };
    let problem = match (candidate.stage, date(&form.done_on), kind, hours) {
        (s, ..) if s != Stage::Certified => Some("Upkeep is recorded for certified staff."),
        (_, None, ..) => Some("Please give the date."),
        (_, _, None, _) => Some("Please choose what was done."),
        (_, _, _, None) => Some("Please give the hours, a number above 0 and at most 100."),
        _ => None,
    };
    if let Some(problem) = problem {
        return render_candidate(
            &state,
            &viewer,
            candidate,
            StatusCode::UNPROCESSABLE_ENTITY,
            Some(problem.into()),
        )
        .await;
    }
    let (Some(done_on), Some(kind), Some(hours)) = (date(&form.done_on), kind, hours) else {
        return Err(PageError::NotFound);
    };
    let (parsed, actor, note) = (
        Reference::parse(&reference).ok_or(PageError::NotFound)?,
        viewer.actor(),
        form.note.clone(),
    );
    state
        .db
        .write(move |conn| {
            hires::add_upkeep(
                conn,
                &parsed,
                done_on,
                kind,
                hours,
                Some(&note),
                &actor,
                Utc::now().naive_utc(),
            )
        })
        .await?;
    Ok(HttpResponse::SeeOther()
        .insert_header((LOCATION, format!("/hr/candidates/{reference}#upkeep")))
        .finish())
}

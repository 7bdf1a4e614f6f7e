//! The hiring manager's view: their own hires, most urgent deadline first, with upkeep progress
//! for certified staff; and their calendar feed at a secret link.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;
use chrono::Utc;
use serde::Deserialize;

use crate::domain::{Role, Stage};
use crate::security::Token;
use crate::storage::{calendar_feeds, hires};
use crate::web::auth::{SignedIn, Viewer};
use crate::web::render::page;
use crate::web::views::hire::{ManagerRow, deadline_calendar};
use crate::web::{AppState, PageError};

#[derive(Template)]
#[template(path = "manager.html")]
struct ManagerPage<'a> {
    viewer: &'a Viewer,
    rows: Vec<ManagerRow>,
    months: u32,
    has_feed: bool,
    /// Shown once, right after the link is made.
    new_feed_link: Option<String>,
}

const MANAGED: [Stage; 3] = [Stage::Hired, Stage::ProvisionalCipss, Stage::Certified];

async fn render(
    state: &AppState,
    viewer: &Viewer,
    new_feed_link: Option<String>,
) -> Result<HttpResponse, PageError> {
    let manager = viewer.id;
    let (found, upkeep, has_feed) = state
        .db
        .read(move |conn| {
            let found = hires::hires(conn, &MANAGED, None, Some(manager))?;
            let mut upkeep = std::collections::BTreeMap::new();
            for hire in found.iter().filter(|h| h.stage == Stage::Certified) {
                upkeep.insert(
                    hire.application_id,
                    hires::all_upkeep(conn, hire.application_id)?,
                );
            }
            Ok((found, upkeep, calendar_feeds::exists(conn, manager)?))
        })
        .await?;
    let rows = ManagerRow::sorted(
        &state.settings.deadlines,
        found,
        upkeep,
        Utc::now().date_naive(),
    );
    page(
        StatusCode::OK,
        &ManagerPage {
            viewer,
            rows,
            months: state.settings.deadlines.cipss_months,
            has_feed,
            new_feed_link,
        },
    )
}

/// `GET /manager`
pub async fn get_manager(
    state: web::Data<AppState>,
    SignedIn(viewer): SignedIn,
) -> Result<HttpResponse, PageError> {
    viewer.require(|r| r == Role::Manager)?;
    render(&state, &viewer, None).await
}

#[derive(Deserialize)]
pub struct FeedForm {
    #[serde(default)]
    csrf_token: String,
}

/// `POST /manager/calendar`: a new secret feed link; the previous one stops working.
pub async fn post_calendar(
    state: web::Data<AppState>,
    SignedIn(viewer): SignedIn,
    form: web::Form<FeedForm>,
) -> Result<HttpResponse, PageError> {
    viewer.check_csrf(&form.csrf_token)?;
    viewer.require(|r| r == Role::Manager)?;
    let token = Token::generate();
    let (digest, manager, actor) = (token.digest(), viewer.id, viewer.actor());
    state
        .db
        .write(move |conn| {
            let now = Utc::now().naive_utc();
            calendar_feeds::replace(conn, manager, &digest, now)?;
            crate::storage::audit::record(conn, &actor, "calendar.link", None, None, now)
        })
        .await?;
    let link = state
        .base_url()
        .join(&format!("calendar/{}.ics", token.expose()))
        .map(|u| u.to_string())
        .map_err(|e| PageError::Internal(format!("calendar link: {e}")))?;
    render(&state, &viewer, Some(link)).await
}

/// `GET /calendar/{token}.ics`: the manager's deadlines as an iCalendar feed. The link is the
/// credential (calendar apps cannot sign in), so an unknown one is a plain 404.
pub async fn get_calendar(
    state: web::Data<AppState>,
    file: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let token = file.strip_suffix(".ics").ok_or(PageError::NotFound)?;
    let digest = Token::from_presented(token).digest();
    let found = state
        .db
        .read(move |conn| {
            let Some(manager) = calendar_feeds::manager_for(conn, &digest)? else {
                return Ok(None);
            };
            Ok(Some(hires::hires(
                conn,
                &[Stage::Hired],
                None,
                Some(manager),
            )?))
        })
        .await?
        .ok_or(PageError::NotFound)?;
    let body = deadline_calendar(&state.settings.deadlines, &found, state.base_url());
    Ok(HttpResponse::Ok()
        .content_type("text/calendar; charset=utf-8")
        .insert_header(("Cache-Control", "private, no-store"))
        .body(body))
}

//! The hiring manager's view: their own hires. (Deadlines and upkeep build on this page.)

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;

use crate::domain::{Role, Stage};
use crate::storage::candidates::{self, CandidateFilter, CandidateSummary};
use crate::web::auth::{SignedIn, Viewer};
use crate::web::render::page;
use crate::web::{AppState, PageError};

#[derive(Template)]
#[template(path = "manager.html")]
struct ManagerPage<'a> {
    viewer: &'a Viewer,
    hires: Vec<CandidateSummary>,
}

impl ManagerPage<'_> {
    fn stage_label(&self, stage: &str) -> &'static str {
        Stage::parse(stage).map_or("Unknown", Stage::label)
    }
}

/// `GET /manager`
pub async fn get_manager(
    state: web::Data<AppState>,
    SignedIn(viewer): SignedIn,
) -> Result<HttpResponse, PageError> {
    viewer.require(|r| r == Role::Manager)?;
    let filter = CandidateFilter {
        hiring_manager: Some(viewer.id),
        ..CandidateFilter::default()
    };
    let (hires, _) = state
        .db
        .read(move |conn| candidates::list(conn, &filter, 0, 500))
        .await?;
    page(
        StatusCode::OK,
        &ManagerPage {
            viewer: &viewer,
            hires,
        },
    )
}

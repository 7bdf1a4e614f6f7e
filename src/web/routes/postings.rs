use std::sync::Arc;

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;

use crate::domain::{Posting, Requirement};
use crate::web::render::page;
use crate::web::{AppState, PageError};

#[derive(Template)]
#[template(path = "index.html")]
struct IndexPage<'a> {
    postings: Vec<&'a Arc<Posting>>,
}

/// `GET /`: the open postings, newest first.
pub async fn get_index(state: web::Data<AppState>) -> Result<HttpResponse, PageError> {
    page(
        StatusCode::OK,
        &IndexPage {
            postings: state.forms.open_postings(),
        },
    )
}

#[derive(Template)]
#[template(path = "posting.html")]
struct PostingPage<'a> {
    posting: &'a Posting,
}

impl PostingPage<'_> {
    fn requirement_label(&self, requirement: &Requirement) -> &'static str {
        match requirement {
            Requirement::Required => "Required",
            Requirement::Preferred => "Preferred",
        }
    }
}

/// `GET /jobs/{slug}`: one posting; 404 for an unknown slug.
pub async fn get_posting(
    state: web::Data<AppState>,
    slug: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let posting = state.forms.posting(&slug).ok_or(PageError::NotFound)?;
    page(StatusCode::OK, &PostingPage { posting })
}

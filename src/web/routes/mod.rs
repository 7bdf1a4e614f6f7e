//! The route table: every URL the service answers, in one place.

mod assets;
mod health;
mod postings;

use actix_web::{HttpRequest, HttpResponse, ResponseError, web};

use super::{ApiError, PageError};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/healthz", web::get().to(health::get_healthz))
        .route("/static/style.css", web::get().to(assets::get_stylesheet))
        .route("/", web::get().to(postings::get_index))
        .route("/jobs/{slug}", web::get().to(postings::get_posting))
        .default_service(web::to(not_found));
}

/// Unknown addresses: JSON under /api, a page elsewhere.
async fn not_found(req: HttpRequest) -> HttpResponse {
    if req.path().starts_with("/api/") {
        ApiError::NotFound.error_response()
    } else {
        PageError::NotFound.error_response()
    }
}

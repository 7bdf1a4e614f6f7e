//! The route table: every URL the service answers, in one place.

mod api;
mod api_candidates;
mod apply;
mod assets;
mod health;
mod hr_admin;
mod hr_candidates;
mod hr_hires;
mod hr_outbox;
mod manager;
mod postings;
mod session;

use actix_web::http::header::LOCATION;
use actix_web::{HttpRequest, HttpResponse, ResponseError, web};

pub use api::OPENAPI_DOCUMENT;

use super::{ApiError, PageError};

pub fn configure(cfg: &mut web::ServiceConfig) {
    // Public: the postings, the application form and its confirmation.
    cfg.route("/healthz", web::get().to(health::get_healthz))
        .route("/static/style.css", web::get().to(assets::get_stylesheet))
        .route("/", web::get().to(postings::get_index))
        .route("/jobs/{slug}", web::get().to(postings::get_posting))
        .route("/jobs/{slug}/apply", web::get().to(apply::get_apply))
        .route("/jobs/{slug}/apply", web::post().to(apply::post_apply))
        .route(
            "/applications/{reference}",
            web::get().to(apply::get_received),
        );
    // Staff: sign-in and the first-run setup link.
    cfg.route("/signin", web::get().to(session::get_signin))
        .route("/signin", web::post().to(session::post_signin))
        .route("/signout", web::post().to(session::post_signout))
        .route("/setup/{token}", web::get().to(session::get_setup))
        .route("/setup/{token}", web::post().to(session::post_setup));
    // HR, admins and managers.
    cfg.route("/hr", web::get().to(go_to_candidates))
        .route(
            "/hr/candidates",
            web::get().to(hr_candidates::get_candidates),
        )
        .route(
            "/hr/candidates.csv",
            web::get().to(hr_candidates::get_export),
        )
        .route(
            "/hr/candidates/{reference}",
            web::get().to(hr_candidates::get_candidate),
        )
        .route(
            "/hr/candidates/{reference}/ksa/{ksa_id}",
            web::post().to(hr_candidates::post_ksa),
        )
        .route(
            "/hr/candidates/{reference}/stage",
            web::post().to(hr_candidates::post_stage),
        )
        .route(
            "/hr/candidates/{reference}/extension",
            web::post().to(hr_hires::post_extension),
        )
        .route(
            "/hr/candidates/{reference}/upkeep",
            web::post().to(hr_hires::post_upkeep),
        )
        .route("/hr/users", web::get().to(hr_admin::get_users))
        .route("/hr/users", web::post().to(hr_admin::post_users))
        .route(
            "/hr/users/{id}/disable",
            web::post().to(hr_admin::post_disable_user),
        )
        .route("/hr/audit", web::get().to(hr_admin::get_audit))
        .route("/hr/outbox", web::get().to(hr_outbox::get_outbox))
        .route(
            "/hr/outbox/{id}/retry",
            web::post().to(hr_outbox::post_retry),
        )
        .route("/manager", web::get().to(manager::get_manager))
        .route("/manager/calendar", web::post().to(manager::post_calendar))
        .route("/calendar/{file}", web::get().to(manager::get_calendar));
    // The JSON API, with its own body limits and error envelope.
    cfg.service(
        web::scope("/api/v1")
            .app_data(
                web::JsonConfig::default()
                    .limit(crate::startup::MAX_BODY_BYTES)
                    .content_type_required(true)
                    .error_handler(api::json_error),
            )
            .app_data(web::QueryConfig::default().error_handler(api::query_error))
            .route(
                "/jobs/{slug}/applications",
                web::post().to(api::post_application),
            )
            .route("/screen", web::post().to(api::post_screen))
            .route("/openapi.json", web::get().to(api::get_openapi_document))
            .route("/candidates", web::get().to(api_candidates::list))
            .route(
                "/candidates/{reference}",
                web::get().to(api_candidates::get),
            )
            .route(
                "/candidates/{reference}/ksa/{ksa_id}",
                web::put().to(api_candidates::put_ksa),
            )
            .route(
                "/candidates/{reference}/stage",
                web::post().to(api_candidates::post_stage),
            ),
    );
    cfg.default_service(web::to(not_found));
}

async fn go_to_candidates() -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((LOCATION, "/hr/candidates"))
        .finish()
}

/// Unknown addresses: JSON under /api, a page elsewhere.
async fn not_found(req: HttpRequest) -> HttpResponse {
    if req.path().starts_with("/api/") {
        ApiError::NotFound.error_response()
    } else {
        PageError::NotFound.error_response()
    }
}

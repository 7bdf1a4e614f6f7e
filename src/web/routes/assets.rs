use actix_web::HttpResponse;
use actix_web::http::header;

const STYLESHEET: &str = include_str!("../static/style.css");

/// The one stylesheet, compiled into the binary: no CDN, nothing to deploy beside it.
pub async fn get_stylesheet() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/css; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "public, max-age=3600"))
        .body(STYLESHEET)
}

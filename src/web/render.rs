use actix_web::HttpResponse;
use actix_web::http::StatusCode;
use askama::Template;

use super::PageError;

/// Renders a page with the given status. Templates escape by default; a render failure is an
/// internal error, logged once where it is turned into a response.
pub fn page<T: Template>(status: StatusCode, template: &T) -> Result<HttpResponse, PageError> {
    let body = template
        .render()
        .map_err(|e| PageError::Internal(format!("template: {e}")))?;
    Ok(HttpResponse::build(status)
        .content_type("text/html; charset=utf-8")
        .body(body))
}

use std::time::Instant;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::middleware::Next;

/// One log line per request: id, method, path (never the query string, which may hold a
/// searched name), status and time. Bodies are never logged. The id is returned in
/// `X-Request-Id` so a person reporting a problem can quote it.
pub async fn log_request(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let request_id = crate::config::random_token(12);
    let method = req.method().clone();
    let path = req.path().to_owned();
    let started = Instant::now();
    let result = next.call(req).await;
    let status = match &result {
        Ok(res) => res.status().as_u16(),
        Err(err) => err.as_response_error().status_code().as_u16(),
    };
    let duration_ms = started.elapsed().as_secs_f64() * 1000.0;
    tracing::info!(
        request_id = %request_id,
        method = %method,
        path = %path,
        status,
        duration_ms = format_args!("{duration_ms:.2}"),
        "request"
    );
    result.map(|mut res| {
        if let Ok(value) = HeaderValue::from_str(&request_id) {
            res.headers_mut()
                .insert(HeaderName::from_static("x-request-id"), value);
        }
        res
    })
}

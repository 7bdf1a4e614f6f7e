//! Bodies announced larger than the limit are refused with 413 before anything else looks at
//! the request — whatever the content type or route, so a 10 MB upload never gets a 400 for
//! its type first. Bodies without a length are stopped by each extractor's own limit.

use actix_web::body::{BoxBody, EitherBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::CONTENT_LENGTH;
use actix_web::middleware::Next;
use actix_web::{HttpResponse, ResponseError};
use serde_json::json;

use super::PageError;
use crate::startup::MAX_BODY_BYTES;

pub async fn refuse_oversized(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody, BoxBody>>, actix_web::Error> {
    let announced = req
        .headers()
        .get(CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    if announced.is_some_and(|n| n > MAX_BODY_BYTES as u64) {
        let response = if req.path().starts_with("/api/") {
            HttpResponse::PayloadTooLarge()
                .json(json!({ "error": "too_large", "message": "the body is larger than 64 KiB" }))
        } else {
            PageError::TooLarge.error_response()
        };
        return Ok(req.into_response(response).map_into_right_body());
    }
    next.call(req)
        .await
        .map(ServiceResponse::map_into_left_body)
}

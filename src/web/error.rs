//! Every error a handler can return, mapped to HTTP in this one place.
//! Pages get a readable HTML page; the API gets one JSON envelope `{"error", "message"}`.
//! Internal details are logged once here and never shown.

use actix_web::http::StatusCode;
use actix_web::http::header::{HeaderValue, LOCATION, RETRY_AFTER};
use actix_web::{HttpResponse, ResponseError};
use askama::Template;
use serde_json::json;

use crate::domain::FieldErrors;
use crate::storage::StorageError;

#[derive(Debug, thiserror::Error)]
pub enum PageError {
    #[error("not found")]
    NotFound,
    /// The request could not be read (a malformed form body).
    #[error("bad request: {0}")]
    BadRequest(&'static str),
    #[error("request body too large")]
    TooLarge,
    /// Not signed in: go to the sign-in page, then back to this path.
    #[error("sign-in required")]
    SignInRequired(String),
    /// Signed in, but the role does not allow it (or the CSRF token is missing).
    #[error("forbidden")]
    Forbidden,
    #[error("the database is unavailable")]
    Unavailable,
    #[error("internal error: {0}")]
    Internal(String),
}

impl From<StorageError> for PageError {
    fn from(err: StorageError) -> Self {
        match err {
            StorageError::NotFound => Self::NotFound,
            StorageError::Unavailable(reason) => {
                tracing::warn!(reason = %reason, "database unavailable");
                Self::Unavailable
            }
            other => Self::Internal(other.to_string()),
        }
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    title: &'static str,
    message: &'static str,
}

impl PageError {
    fn page(&self) -> ErrorPage {
        let (title, message) = match self {
            Self::NotFound => (
                "Page not found",
                "We could not find that page. The posting may have closed, or the address may have a typo.",
            ),
            Self::BadRequest(message) => ("We could not read that", *message),
            Self::TooLarge => (
                "That was too much to send at once",
                "What you sent is larger than we accept (64 KB). Please go back and shorten your answers.",
            ),
            Self::SignInRequired(_) => ("Please sign in", "Please sign in to continue."),
            Self::Forbidden => (
                "Not available to you",
                "Your account does not have access to this page, or the form was out of date. Go back, reload the page and try again.",
            ),
            Self::Unavailable => (
                "Please try again shortly",
                "We cannot reach our records right now. Nothing you sent has been lost on our side; please try again in a few minutes.",
            ),
            Self::Internal(detail) => {
                tracing::error!(error = %detail, "internal error");
                (
                    "Something went wrong",
                    "Something went wrong on our side. Please try again; if it keeps happening, let us know.",
                )
            }
        };
        ErrorPage { title, message }
    }
}

impl ResponseError for PageError {
    fn status_code(&self) -> StatusCode {
        match self {
            Self::NotFound => StatusCode::NOT_FOUND,
            Self::BadRequest(_) => StatusCode::BAD_REQUEST,
            Self::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            Self::SignInRequired(_) => StatusCode::SEE_OTHER,
            Self::Forbidden => StatusCode::FORBIDDEN,
            Self::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
            Self::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        if let Self::SignInRequired(path) = self {
            let next: String = url::form_urlencoded::byte_serialize(path.as_bytes()).collect();
            return HttpResponse::SeeOther()
                .insert_header((LOCATION, format!("/signin?next={next}")))
                .finish();
        }
        let page = self.page();
        let body = page.render().unwrap_or_else(|_| page.title.to_owned());
        let mut res = HttpResponse::build(self.status_code())
            .content_type("text/html; charset=utf-8")
            .body(body);
        if matches!(self, Self::Unavailable) {
            res.headers_mut()
                .insert(RETRY_AFTER, HeaderValue::from_static("30"));
        }
        res
    }
}

/// Errors of the JSON API.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("not found")]
    NotFound,
    #[error("unauthorized")]
    Unauthorized,
    #[error("forbidden")]
    Forbidden,
    /// 400 with a field → message map.
    #[error("validation")]
    Validation(FieldErrors),
    /// 409: a stale version or a move the stage table refuses; `current` is the fresh state.
    #[error("conflict: {message}")]
    Conflict {
        message: String,
        current: Option<serde_json::Value>,
    },
    #[error("unsupported media type")]
    UnsupportedMediaType,
    #[error("the database is unavailable")]
    Unavailable,
    #[error("internal error: {0}")]
    Internal(String),
}

impl From<StorageError> for ApiError {
    fn from(err: StorageError) -> Self {
        match PageError::from(err) {
            PageError::NotFound => Self::NotFound,
            PageError::Unavailable => Self::Unavailable,
            PageError::Forbidden => Self::Forbidden,
            PageError::SignInRequired(_) => Self::Unauthorized,
            other => Self::Internal(other.to_string()),
        }
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        match self {
            Self::NotFound => StatusCode::NOT_FOUND,
            Self::Unauthorized => StatusCode::UNAUTHORIZED,
            Self::Forbidden => StatusCode::FORBIDDEN,
            Self::Validation(_) => StatusCode::BAD_REQUEST,
            Self::Conflict { .. } => StatusCode::CONFLICT,
            Self::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Self::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
            Self::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        let body = match self {
            Self::UnsupportedMediaType => {
                json!({ "error": "unsupported_media_type", "message": "send Content-Type: application/json" })
            }
            Self::Validation(fields) => json!({ "error": "validation", "fields": fields }),
            Self::Conflict { message, current } => {
                json!({ "error": "conflict", "message": message, "current": current })
            }
            Self::NotFound => {
                json!({ "error": "not_found", "message": "nothing is at this address" })
            }
            Self::Unauthorized => {
                json!({ "error": "unauthorized", "message": "sign in, or send Authorization: Bearer <token>" })
            }
            Self::Forbidden => {
                json!({ "error": "forbidden", "message": "your role does not allow this" })
            }
            Self::Unavailable => {
                json!({ "error": "unavailable", "message": "the database is unavailable; try again shortly" })
            }
            Self::Internal(detail) => {
                tracing::error!(error = %detail, "internal error");
                json!({ "error": "internal", "message": "something went wrong on our side" })
            }
        };
        HttpResponse::build(self.status_code()).json(body)
    }
}

/// A form body that cannot be read: 413 when too large, 400 otherwise — as a page.
pub fn form_error(
    err: actix_web::error::UrlencodedError,
    _req: &actix_web::HttpRequest,
) -> actix_web::Error {
    use actix_web::error::UrlencodedError;
    let page = match err {
        UrlencodedError::Overflow { .. } => PageError::TooLarge,
        UrlencodedError::ContentType => {
            PageError::BadRequest("Please send the form from its page.")
        }
        _ => PageError::BadRequest(
            "Something in the form could not be read. Please go back and send it again.",
        ),
    };
    page.into()
}

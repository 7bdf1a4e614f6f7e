//! Every error a handler can return, mapped to HTTP in this one place.
//! Pages get a readable HTML page; the API gets one JSON envelope `{"error", "message"}`.
//! Internal details are logged once here and never shown.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError};
use askama::Template;
use serde_json::json;

use crate::storage::StorageError;

#[derive(Debug, thiserror::Error)]
pub enum PageError {
    #[error("not found")]
    NotFound,
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

impl ResponseError for PageError {
    fn status_code(&self) -> StatusCode {
        match self {
            Self::NotFound => StatusCode::NOT_FOUND,
            Self::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
            Self::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        let page = match self {
            Self::NotFound => ErrorPage {
                title: "Page not found",
                message: "We could not find that page. The posting may have closed, or the address may have a typo.",
            },
            Self::Unavailable => ErrorPage {
                title: "Please try again shortly",
                message: "We cannot reach our records right now. Nothing you sent has been lost on our side; please try again in a few minutes.",
            },
            Self::Internal(detail) => {
                tracing::error!(error = %detail, "internal error");
                ErrorPage {
                    title: "Something went wrong",
                    message: "Something went wrong on our side. Please try again; if it keeps happening, let us know.",
                }
            }
        };
        let body = page.render().unwrap_or_else(|_| page.title.to_owned());
        let mut res = HttpResponse::build(self.status_code())
            .content_type("text/html; charset=utf-8")
            .body(body);
        if matches!(self, Self::Unavailable) {
            res.headers_mut().insert(
                actix_web::http::header::RETRY_AFTER,
                actix_web::http::header::HeaderValue::from_static("30"),
            );
        }
        res
    }
}

/// Errors of the JSON API.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("not found")]
    NotFound,
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
            PageError::Internal(detail) => Self::Internal(detail),
        }
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        match self {
            Self::NotFound => StatusCode::NOT_FOUND,
            Self::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
            Self::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        let (error, message) = match self {
            Self::NotFound => ("not_found", "nothing is at this address"),
            Self::Unavailable => (
                "unavailable",
                "the database is unavailable; try again shortly",
            ),
            Self::Internal(detail) => {
                tracing::error!(error = %detail, "internal error");
                ("internal", "something went wrong on our side")
            }
        };
        HttpResponse::build(self.status_code()).json(json!({ "error": error, "message": message }))
    }
}

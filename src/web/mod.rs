//! HTTP: the route table, the state every handler shares, and errors mapped to responses.

mod access;
pub mod auth;
mod body_limit;
mod error;
mod headers;
mod render;
mod request_log;
mod routes;
mod state;
mod views;

pub use body_limit::refuse_oversized;
pub use error::{ApiError, PageError, form_error};
pub use routes::{OPENAPI_DOCUMENT, configure};
pub use state::{AppState, BlankForms};

pub(crate) use headers::security_headers;
pub(crate) use request_log::log_request;

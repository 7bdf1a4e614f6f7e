//! HTTP: the route table, the state every handler shares, and errors mapped to responses.

mod error;
mod headers;
mod render;
mod request_log;
mod routes;
mod state;

pub use error::{ApiError, PageError};
pub use routes::configure;
pub use state::AppState;

pub(crate) use headers::security_headers;
pub(crate) use request_log::log_request;

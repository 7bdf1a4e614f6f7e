//! Persistence with diesel on SQLite (the embedded default) or PostgreSQL, from one codebase.
//!
//! Every function here takes `&mut DbConnection` and returns `QueryResult`/`StorageResult`; the
//! [`Db`] handle runs them on the blocking thread pool, never on the async executor.

mod connection;
mod error;
mod migrations;
mod pool;
pub mod postings;
pub mod schema;

pub use connection::{DatabaseUrl, DbConnection};
pub use error::{StorageError, StorageResult};
pub use pool::Db;

//! Persistence with diesel on SQLite (the embedded default) or PostgreSQL, from one codebase.
//!
//! Every function here takes `&mut DbConnection` and returns `QueryResult`/`StorageResult`; the
//! [`Db`] handle runs them on the blocking thread pool, never on the async executor.

pub mod applications;
pub mod audit;
pub mod calendar_feeds;
pub mod candidates;
mod connection;
pub mod dump;
mod error;
mod group_commit;
pub mod hires;
mod migrations;
pub mod outbox;
mod pool;
pub mod postings;
pub mod retention;
pub mod schema;
pub mod users;

pub use connection::{DatabaseUrl, DbConnection};
pub use error::{StorageError, StorageResult};
pub use pool::Db;

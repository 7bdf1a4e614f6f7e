use thiserror::Error;

pub type StorageResult<T> = Result<T, StorageError>;

/// What can go wrong below the web layer. Mapped to HTTP in one place (`web::error`).
#[derive(Debug, Error)]
pub enum StorageError {
    /// No connection could be had: the server is down, the file unreadable, the pool exhausted.
    #[error("the database is unavailable: {0}")]
    Unavailable(String),
    #[error("not found")]
    NotFound,
    /// A concurrent change won; the caller should reload and retry.
    #[error("conflict: {0}")]
    Conflict(String),
    #[error("database query failed: {0}")]
    Query(diesel::result::Error),
    #[error("migrations failed: {0}")]
    Migration(String),
}

impl From<diesel::result::Error> for StorageError {
    fn from(err: diesel::result::Error) -> Self {
        use diesel::result::{DatabaseErrorKind, Error};
        match err {
            Error::NotFound => Self::NotFound,
            Error::DatabaseError(DatabaseErrorKind::ClosedConnection, info) => {
                Self::Unavailable(info.message().to_owned())
            }
            other => Self::Query(other),
        }
    }
}

impl From<diesel::r2d2::PoolError> for StorageError {
    fn from(err: diesel::r2d2::PoolError) -> Self {
        Self::Unavailable(err.to_string())
    }
}

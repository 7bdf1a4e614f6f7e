use std::fmt;
use std::path::PathBuf;

use diesel::Connection;
use diesel::connection::SimpleConnection;
use diesel::pg::PgConnection;
use diesel::r2d2::{self, ManageConnection, R2D2Connection};
use diesel::sqlite::SqliteConnection;
use secrecy::{ExposeSecret, SecretString};

/// One connection type for both backends; queries written once run on either.
/// Backend-only SQL (`RETURNING`, `SKIP LOCKED`) matches on the variant where it matters.
#[derive(diesel::MultiConnection)]
pub enum DbConnection {
    Sqlite(SqliteConnection),
    Pg(PgConnection),
}

/// Runs `$body` with `$c` bound to the backend's own connection, for the queries
/// MultiConnection cannot run for both (`RETURNING`, multi-row `VALUES`); the query is written
/// once and compiled for each backend.
macro_rules! on_backend {
    ($conn:expr, |$c:ident| $body:expr) => {
        match $conn {
            $crate::storage::DbConnection::Sqlite($c) => $body,
            $crate::storage::DbConnection::Pg($c) => $body,
        }
    };
}
pub(crate) use on_backend;

/// Where the data lives, parsed from `PEERHIRE_DATABASE_URL`.
#[derive(Clone)]
pub enum DatabaseUrl {
    /// An embedded SQLite file; created on first use.
    Sqlite(PathBuf),
    /// A PostgreSQL server; the URL may hold a password, so it is never printed whole.
    Postgres(SecretString),
}

impl DatabaseUrl {
    pub const DEFAULT_SQLITE_FILE: &'static str = "peerhire.db";

    /// Accepts `sqlite://PATH`, `postgres://…` / `postgresql://…`, or a bare file path.
    pub fn parse(raw: &str) -> Result<Self, String> {
        let raw = raw.trim();
        if raw.is_empty() {
            return Err("is empty; use sqlite://PATH or postgres://USER@HOST/DB".into());
        }
        if let Some(path) = raw.strip_prefix("sqlite://") {
            if path.is_empty() {
                return Err("names no file after sqlite://".into());
            }
            return Ok(Self::Sqlite(PathBuf::from(path)));
        }
        if raw.starts_with("postgres://") || raw.starts_with("postgresql://") {
            let parsed =
                url::Url::parse(raw).map_err(|e| format!("is not a valid PostgreSQL URL ({e})"))?;
            if parsed.host_str().is_none_or(str::is_empty) && !raw.contains("host=") {
                return Err("names no host; use postgres://USER@HOST:PORT/DB".into());
            }
            return Ok(Self::Postgres(SecretString::from(raw.to_owned())));
        }
        if let Some((scheme, _)) = raw.split_once("://") {
            return Err(format!(
                "uses `{scheme}://`; peerhire speaks sqlite:// and postgres://"
            ));
        }
        Ok(Self::Sqlite(PathBuf::from(raw)))
    }

    pub fn is_postgres(&self) -> bool {
        matches!(self, Self::Postgres(_))
    }
}

impl Default for DatabaseUrl {
    fn default() -> Self {
        Self::Sqlite(PathBuf::from(Self::DEFAULT_SQLITE_FILE))
    }
}

/// Shows the backend and place without a password.
impl fmt::Display for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Sqlite(path) => write!(f, "SQLite file {}", path.display()),
            Self::Postgres(url) => match url::Url::parse(url.expose_secret()) {
                Ok(u) => write!(
                    f,
                    "PostgreSQL {}@{}:{}{}",
                    u.username(),
                    u.host_str().unwrap_or("?"),
                    u.port().unwrap_or(5432),
                    u.path()
                ),
                Err(_) => f.write_str("PostgreSQL"),
            },
        }
    }
}

impl fmt::Debug for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

/// What a pooled connection is for. SQLite gets one writer beside a read pool whose
/// connections are `query_only`, so a write can never slip past the single writer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Reader,
    Writer,
}

/// Opens connections for r2d2, choosing the backend from the URL rather than by trial
/// (the derived `establish` would open a SQLite file named after a PostgreSQL URL that failed).
pub struct Manager {
    url: DatabaseUrl,
    role: Role,
}

impl Manager {
    pub fn new(url: DatabaseUrl, role: Role) -> Self {
        Self { url, role }
    }
}

/// SQLite settings for every connection: WAL so readers never block the writer;
/// `synchronous=FULL` so an acknowledged application survives a power cut; a busy timeout
/// instead of instant `SQLITE_BUSY`; foreign keys enforced; deleted content overwritten with
/// zeros (`secure_delete`), so erased answers do not linger in free pages. Temporary data in
/// memory: each savepoint of a group commit keeps the pages it changes in a sub-journal, and in
/// a file that cost a write per page (a fifth of the writer's time, measured).
const SQLITE_PRAGMAS: &str = "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; \
     PRAGMA busy_timeout = 5000; PRAGMA foreign_keys = ON; PRAGMA secure_delete = ON; \
     PRAGMA temp_store = MEMORY;";

impl ManageConnection for Manager {
    type Connection = DbConnection;
    type Error = r2d2::Error;

    fn connect(&self) -> Result<DbConnection, r2d2::Error> {
        match &self.url {
            DatabaseUrl::Sqlite(path) => {
                let path = path.to_string_lossy();
                let mut conn =
                    SqliteConnection::establish(&path).map_err(r2d2::Error::ConnectionError)?;
                conn.batch_execute(SQLITE_PRAGMAS)
                    .map_err(r2d2::Error::QueryError)?;
                if self.role == Role::Reader {
                    conn.batch_execute("PRAGMA query_only = ON;")
                        .map_err(r2d2::Error::QueryError)?;
                }
                Ok(DbConnection::Sqlite(conn))
            }
            DatabaseUrl::Postgres(url) => PgConnection::establish(url.expose_secret())
                .map(DbConnection::Pg)
                .map_err(r2d2::Error::ConnectionError),
        }
    }

    fn is_valid(&self, conn: &mut DbConnection) -> Result<(), r2d2::Error> {
        conn.ping().map_err(r2d2::Error::QueryError)
    }

    fn has_broken(&self, conn: &mut DbConnection) -> bool {
        conn.is_broken()
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;

    #[test]
    fn parses_each_form_of_database_url() {
        assert!(
            matches!(DatabaseUrl::parse("sqlite://data/p.db").unwrap(), DatabaseUrl::Sqlite(p) if p == Path::new("data/p.db"))
        );
        assert!(
            matches!(DatabaseUrl::parse("sqlite:///var/lib/p.db").unwrap(), DatabaseUrl::Sqlite(p) if p == Path::new("/var/lib/p.db"))
        );
        assert!(matches!(
            DatabaseUrl::parse("p.db").unwrap(),
            DatabaseUrl::Sqlite(_)
        ));
        assert!(
            DatabaseUrl::parse("postgres://postgres@127.0.0.1:5432/test")
                .unwrap()
                .is_postgres()
        );
        assert!(
            DatabaseUrl::parse("postgresql://u:pw@db/x")
                .unwrap()
                .is_postgres()
        );
    }

    #[test]
    fn refuses_unknown_schemes_and_empty_values() {
        assert!(
            DatabaseUrl::parse("mysql://root@localhost/x")
                .unwrap_err()
                .contains("mysql://")
        );
        assert!(DatabaseUrl::parse("").is_err());
        assert!(DatabaseUrl::parse("sqlite://").is_err());
        assert!(DatabaseUrl::parse("postgres://").is_err());
    }

    #[test]
    fn never_displays_the_password() {
        let url = DatabaseUrl::parse("postgres://app:hunter2@db.internal:6543/hire").unwrap();
        let shown = format!("{url} {url:?}");
        assert!(!shown.contains("hunter2"), "{shown}");
        assert!(shown.contains("db.internal:6543/hire"), "{shown}");
    }
}

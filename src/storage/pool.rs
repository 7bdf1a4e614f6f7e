use std::time::Duration;

use diesel::r2d2::Pool;

use super::applications::{Pending, Submitted};
use super::connection::{DatabaseUrl, DbConnection, Manager, Role};
use super::group_commit::GroupCommit;
use super::{StorageError, StorageResult, migrations};

/// How long a request waits for a connection before it is told the database is unavailable.
const CONNECTION_TIMEOUT: Duration = Duration::from_secs(3);

/// Group-commit writers on PostgreSQL: while one waits for its commit or a round trip, the other
/// runs its batch. Measured with the load benchmark: 1 writer 3,060 applications/s, 2 writers
/// 5,020, 3 writers 4,340 (the database and the load generator then compete for two cores).
/// SQLite has one: it lets one transaction write at a time.
const POSTGRES_GROUP_WRITERS: usize = 2;

/// The database handle kept in the application state: cheap to clone.
///
/// SQLite: one writer connection (several writers under `synchronous=FULL` only queue on the
/// file lock, with long tails) beside a pool of read-only connections. PostgreSQL: one pool.
#[derive(Clone)]
pub struct Db {
    read: Pool<Manager>,
    write: Pool<Manager>,
    /// Applications go through here: many made durable by one flush.
    grouped: GroupCommit,
    url: DatabaseUrl,
}

impl Db {
    /// Opens the pools; blocking, so call it from a blocking context or before the runtime.
    pub fn connect(url: &DatabaseUrl, read_pool_size: u32) -> StorageResult<Self> {
        let build = |role, size, min_idle| {
            Pool::builder()
                .max_size(size)
                .min_idle(Some(min_idle))
                .connection_timeout(CONNECTION_TIMEOUT)
                .build(Manager::new(url.clone(), role))
                .map_err(|e| StorageError::Unavailable(format!("cannot connect to the {url}: {e}")))
        };
        let (read, write) = match url {
            DatabaseUrl::Sqlite(_) => {
                // The writer first: it creates the file and switches it to WAL.
                let write = build(Role::Writer, 1, 1)?;
                (build(Role::Reader, read_pool_size, 1)?, write)
            }
            DatabaseUrl::Postgres(_) => {
                // No idle minimum: r2d2 would replenish it on a background thread, and a libpq
                // connection being set up (OpenSSL) while the process exits crashes in
                // OPENSSL_cleanup — seen as a segfault at the end of ~5% of CLI runs.
                let pool = build(Role::Writer, read_pool_size, 0)?;
                (pool.clone(), pool)
            }
        };
        let writers = if url.is_postgres() {
            POSTGRES_GROUP_WRITERS
        } else {
            1
        };
        let grouped = GroupCommit::start(write.clone(), writers).map_err(|e| {
            StorageError::Unavailable(format!("cannot start the database writer: {e}"))
        })?;
        Ok(Self {
            read,
            write,
            grouped,
            url: url.clone(),
        })
    }

    pub fn url(&self) -> &DatabaseUrl {
        &self.url
    }

    /// Applies pending migrations for this backend; returns how many ran.
    pub async fn migrate(&self) -> StorageResult<usize> {
        self.write(migrations::run_pending).await
    }

    /// Runs `f` on a read connection on the blocking pool.
    pub async fn read<T, F>(&self, f: F) -> StorageResult<T>
    where
        F: FnOnce(&mut DbConnection) -> StorageResult<T> + Send + 'static,
        T: Send + 'static,
    {
        Self::run(self.read.clone(), f).await
    }

    /// Runs `f` on the write connection on the blocking pool. `f` opens its own transaction.
    pub async fn write<T, F>(&self, f: F) -> StorageResult<T>
    where
        F: FnOnce(&mut DbConnection) -> StorageResult<T> + Send + 'static,
        T: Send + 'static,
    {
        Self::run(self.write.clone(), f).await
    }

    /// Runs `f` on the write connection as part of a group commit: in its own savepoint, inside
    /// a transaction shared with whatever other grouped writes are waiting, and returns once
    /// that transaction is durable. For writes many people make at once.
    pub async fn write_grouped<T, F>(&self, f: F) -> StorageResult<T>
    where
        F: FnOnce(&mut DbConnection) -> StorageResult<T> + Send + 'static,
        T: Send + 'static,
    {
        self.grouped.write(f).await
    }

    /// Stores an application in the next group commit, together with the others waiting, and
    /// returns once it is durable.
    pub async fn store_application(&self, pending: Pending) -> StorageResult<Submitted> {
        self.grouped.store_application(pending).await
    }

    /// Blocking variant for the CLI, which has no executor to protect.
    pub fn write_blocking<T>(
        &self,
        f: impl FnOnce(&mut DbConnection) -> StorageResult<T>,
    ) -> StorageResult<T> {
        let mut conn = self.write.get()?;
        f(&mut conn)
    }

    async fn run<T, F>(pool: Pool<Manager>, f: F) -> StorageResult<T>
    where
        F: FnOnce(&mut DbConnection) -> StorageResult<T> + Send + 'static,
        T: Send + 'static,
    {
        tokio::task::spawn_blocking(move || {
            let mut conn = pool.get()?;
            f(&mut conn)
        })
        .await
        .map_err(|e| StorageError::Unavailable(format!("database task failed: {e}")))?
    }

    /// Answers whether the database responds to a trivial query.
    pub async fn ping(&self) -> StorageResult<()> {
        self.read(|conn| {
            use diesel::RunQueryDsl;
            diesel::sql_query("SELECT 1").execute(conn)?;
            Ok(())
        })
        .await
    }
}

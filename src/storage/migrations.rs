use diesel::connection::SimpleConnection;
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};

use super::{DbConnection, StorageError, StorageResult};

const SQLITE: EmbeddedMigrations = embed_migrations!("migrations/sqlite");
const POSTGRES: EmbeddedMigrations = embed_migrations!("migrations/postgres");

/// An arbitrary key for `pg_advisory_lock`, so instances starting together migrate one at a time.
const PG_MIGRATION_LOCK: i64 = 0x7065_6572_6869_7265; // "peerhire"

pub fn run_pending(conn: &mut DbConnection) -> StorageResult<usize> {
    let failed =
        |e: Box<dyn std::error::Error + Send + Sync>| StorageError::Migration(e.to_string());
    match conn {
        DbConnection::Sqlite(c) => c
            .run_pending_migrations(SQLITE)
            .map(|v| v.len())
            .map_err(failed),
        DbConnection::Pg(c) => {
            c.batch_execute(&format!("SELECT pg_advisory_lock({PG_MIGRATION_LOCK})"))?;
            let result = c
                .run_pending_migrations(POSTGRES)
                .map(|v| v.len())
                .map_err(failed);
            c.batch_execute(&format!("SELECT pg_advisory_unlock({PG_MIGRATION_LOCK})"))?;
            result
        }
    }
}

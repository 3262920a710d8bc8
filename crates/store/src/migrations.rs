use diesel::pg::PgConnection;
use diesel::{RunQueryDsl, sql_query};
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};

use crate::StoreError;

pub const MIGRATIONS: EmbeddedMigrations = embed_migrations!("../../migrations");

/// Several replicas may start at once: an advisory lock lets one migrate while the others wait.
const MIGRATION_LOCK: i64 = 0x6669_6e73_616d_0001;

/// Applies every pending migration; returns the versions applied.
pub fn run_pending(conn: &mut PgConnection) -> Result<Vec<String>, StoreError> {
    with_lock(conn, |conn| {
        conn.run_pending_migrations(MIGRATIONS).map(|versions| versions.iter().map(ToString::to_string).collect())
    })
}

/// Reverts every applied migration, newest first; returns the versions reverted.
pub fn revert_all(conn: &mut PgConnection) -> Result<Vec<String>, StoreError> {
    with_lock(conn, |conn| {
        conn.revert_all_migrations(MIGRATIONS).map(|versions| versions.iter().map(ToString::to_string).collect())
    })
}

fn with_lock<T>(
    conn: &mut PgConnection,
    work: impl FnOnce(&mut PgConnection) -> diesel::migration::Result<T>,
) -> Result<T, StoreError> {
    sql_query(format!("SELECT pg_advisory_lock({MIGRATION_LOCK})")).execute(conn)?;
    let result = work(conn).map_err(|e| StoreError::Migration(e.to_string()));
    sql_query(format!("SELECT pg_advisory_unlock({MIGRATION_LOCK})")).execute(conn)?;
    result
}

use std::time::Duration;

use diesel::Connection;
use diesel::connection::SimpleConnection;
use diesel::pg::PgConnection;
use diesel::r2d2::{ConnectionManager, CustomizeConnection, Pool};

use crate::StoreError;

pub type PgPool = Pool<ConnectionManager<PgConnection>>;

/// How long a request may wait for the database, in its two places: for a connection, and for a
/// statement. Both bound how long a client waits when the database is gone or overloaded.
#[derive(Debug, Clone, Copy)]
pub struct PoolOptions {
    pub max_size: u32,
    /// Waiting for a free (or new) connection; past it the request gets a 503.
    pub acquire_timeout: Duration,
    /// PostgreSQL's `statement_timeout` for every connection of the pool; zero means none.
    /// Import jobs lift it for their own transaction (see `imports::requests::run_next_job`).
    pub statement_timeout: Duration,
}

impl PoolOptions {
    /// No statement timeout: for commands such as `migrate`, whose statements may rightly run
    /// long on a large database. `serve` sets one (`--db-statement-timeout`).
    pub fn new(max_size: u32) -> PoolOptions {
        PoolOptions { max_size, acquire_timeout: Duration::from_secs(5), statement_timeout: Duration::ZERO }
    }
}

/// Opens one connection first so that a wrong or unreachable URL fails at once with libpq's own
/// message, rather than after the pool's timeout with a generic one.
pub fn connect(url: &str, max_size: u32) -> Result<PgPool, StoreError> {
    connect_with(url, &PoolOptions::new(max_size))
}

pub fn connect_with(url: &str, options: &PoolOptions) -> Result<PgPool, StoreError> {
    establish(url)?;
    Pool::builder()
        .max_size(options.max_size)
        .min_idle(Some(1))
        .connection_timeout(options.acquire_timeout)
        // A connection from before a database restart is dead: r2d2 checks each one as it is
        // handed out (the default, kept on purpose) and replaces it, so the pool recovers alone.
        .test_on_check_out(true)
        .connection_customizer(Box::new(Timeouts { statement: options.statement_timeout }))
        .build(ConnectionManager::new(url))
        .map_err(StoreError::Pool)
}

#[derive(Debug)]
struct Timeouts {
    statement: Duration,
}

impl CustomizeConnection<PgConnection, diesel::r2d2::Error> for Timeouts {
    fn on_acquire(&self, conn: &mut PgConnection) -> Result<(), diesel::r2d2::Error> {
        // A transaction left open by a client that vanished would hold its locks forever.
        let idle = if self.statement.is_zero() { Duration::ZERO } else { self.statement.max(Duration::from_secs(60)) };
        conn.batch_execute(&format!(
            "SET statement_timeout = {}; SET idle_in_transaction_session_timeout = {}",
            self.statement.as_millis(),
            idle.as_millis()
        ))
        .map_err(diesel::r2d2::Error::QueryError)
    }
}

pub fn establish(url: &str) -> Result<PgConnection, StoreError> {
    PgConnection::establish(url).map_err(|e| StoreError::Connect(one_line(&e.to_string())))
}

/// libpq reports over several lines; logs and terminals want one.
pub fn one_line(message: &str) -> String {
    message.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The same server and credentials with another database: `postgres://u@h:5432/a?x=y` with `b`
/// gives `postgres://u@h:5432/b?x=y`.
pub fn url_with_database(url: &str, database: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((base, query)) => (base, Some(query)),
        None => (url, None),
    };
    let authority_start = base.find("://").map_or(0, |i| i + 3);
    let server = match base[authority_start..].find('/') {
        Some(slash) => &base[..authority_start + slash],
        None => base,
    };
    match query {
        Some(query) => format!("{server}/{database}?{query}"),
        None => format!("{server}/{database}"),
    }
}

#[cfg(test)]
mod tests {
    use super::url_with_database;

    #[test]
    fn replaces_or_adds_the_database() {
        assert_eq!(
            url_with_database("postgres://u:p@h:5432/a?sslmode=off", "b"),
            "postgres://u:p@h:5432/b?sslmode=off"
        );
        assert_eq!(url_with_database("postgres://h", "b"), "postgres://h/b");
        assert_eq!(
            url_with_database("postgresql://postgres@/x?host=%2Ftmp&port=5432", "y"),
            "postgresql://postgres@/y?host=%2Ftmp&port=5432"
        );
        assert_eq!(url_with_database("postgres://h/", "b"), "postgres://h/b");
    }
}

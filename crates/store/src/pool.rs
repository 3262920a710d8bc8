use std::time::Duration;

use diesel::Connection;
use diesel::pg::PgConnection;
use diesel::r2d2::{ConnectionManager, Pool};

use crate::StoreError;

pub type PgPool = Pool<ConnectionManager<PgConnection>>;

/// Opens one connection first so that a wrong or unreachable URL fails at once with libpq's own
/// message, rather than after the pool's timeout with a generic one.
pub fn connect(url: &str, max_size: u32) -> Result<PgPool, StoreError> {
    establish(url)?;
    Pool::builder()
        .max_size(max_size)
        .min_idle(Some(1))
        .connection_timeout(Duration::from_secs(5))
        .build(ConnectionManager::new(url))
        .map_err(StoreError::Pool)
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

use thiserror::Error;

#[derive(Debug, Error)]
pub enum StoreError {
    #[error("cannot connect to the database: {0}")]
    Connect(String),
    #[error("no database connection available: {0}")]
    Pool(#[from] diesel::r2d2::PoolError),
    #[error("migration failed: {0}")]
    Migration(String),
    #[error("reference data {file}: {detail}")]
    ReferenceData { file: &'static str, detail: String },
    #[error(transparent)]
    Query(#[from] diesel::result::Error),
}

impl StoreError {
    /// Whether the database could not be reached at all, or was lost during the request (as
    /// opposed to refusing a query): a client should retry shortly.
    pub fn is_unavailable(&self) -> bool {
        match self {
            StoreError::Connect(_) | StoreError::Pool(_) => true,
            StoreError::Query(error) => connection_lost(error),
            _ => false,
        }
    }

    /// PostgreSQL cancelled a statement that ran past the pool's `statement_timeout`.
    pub fn is_timeout(&self) -> bool {
        matches!(self, StoreError::Query(error) if statement_timed_out(error))
    }
}

/// libpq reports a server that died or shut down mid-request in several ways; diesel names some
/// of them, and the rest only by PostgreSQL's message (diesel does not expose the SQLSTATE).
pub fn connection_lost(error: &diesel::result::Error) -> bool {
    use diesel::result::{DatabaseErrorKind, Error};
    match error {
        Error::DatabaseError(DatabaseErrorKind::ClosedConnection | DatabaseErrorKind::UnableToSendCommand, _) => true,
        Error::DatabaseError(_, info) => {
            let message = info.message();
            [
                "server closed the connection",
                "no connection to the server",
                "terminating connection due to administrator command",
                "the database system is shutting down",
                "the database system is starting up",
                "the database system is in recovery mode",
                "connection to server",
                "could not receive data from server",
                "SSL SYSCALL error",
            ]
            .iter()
            .any(|known| message.contains(known))
        }
        Error::BrokenTransactionManager => true,
        _ => false,
    }
}

fn statement_timed_out(error: &diesel::result::Error) -> bool {
    matches!(error, diesel::result::Error::DatabaseError(_, info)
        if info.message().contains("canceling statement due to statement timeout"))
}

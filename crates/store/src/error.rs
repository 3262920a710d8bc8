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
    /// Whether the database could not be reached at all (as opposed to refusing a query).
    pub fn is_unavailable(&self) -> bool {
        matches!(self, StoreError::Connect(_) | StoreError::Pool(_))
    }
}

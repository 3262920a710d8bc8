//! PostgreSQL for finsam: the diesel schema, embedded migrations, reference data, the audit log,
//! connection pools, and a private local cluster for running without a database server.

pub mod allocations;
pub mod annual_reports;
pub mod audit;
pub mod completeness;
pub mod error;
pub mod freshness;
pub mod imports;
pub mod local_pg;
pub mod membership_history;
pub mod memberships;
pub mod migrations;
pub mod money_settings;
pub mod open_releases;
pub mod pool;
pub mod reference;
pub mod reference_statistics;
pub mod registration;
pub mod report_commentary;
pub mod schema;
pub mod sessions;
pub mod statistics;

pub use error::StoreError;
pub use pool::{PgPool, PoolOptions, connect, connect_with};

/// Changes whenever a migration or a reference data file changes (see build.rs).
pub const SCHEMA_FINGERPRINT: &str = env!("FINSAM_SCHEMA_FINGERPRINT");

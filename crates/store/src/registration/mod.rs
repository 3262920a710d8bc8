//! Registered data: insatser, their years, förbund finances and reporting-year states, as SQL
//! primitives. The use cases (`finsam-usecases`) compose them: each opens the transaction, asks
//! [`reporting_years::check_writable`] before writing a year's data, checks the version the
//! writer last saw and records the audit event with [`record`], in that one transaction.

pub mod finances;
pub mod forbund_years;
pub mod insats_years;
pub mod insatser;
pub mod one_statement;
pub mod reporting_years;

use diesel::PgConnection;
use diesel::result::{DatabaseErrorKind, Error as DieselError};
use finsam_domain::changes::Conflict;
use finsam_domain::codes::Code;
use finsam_domain::version::{Expected, Stale};
use finsam_domain::{ErrorCode, Role};
use serde::Serialize;

use crate::audit::{self, NewAuditEvent};

/// Who is writing, for the audit log.
#[derive(Debug, Clone, Copy)]
pub struct Actor<'a> {
    pub sub: &'a str,
    pub role: Role,
    pub request_id: Option<&'a str>,
}

/// Why a write was refused (the database itself is fine).
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    /// No such row: the entity says which (`insats`, `förbund`), for the message.
    #[error("no such {0}")]
    NotFound(&'static str),
    /// The row has moved on since the caller read it.
    #[error("version {expected} is not the current version {current}")]
    VersionConflict { expected: i32, current: i32 },
    /// The row exists, and replacing it needs the version the caller last saw.
    #[error("the current version {current} must be given to replace it")]
    VersionRequired { current: i32 },
    #[error("{detail}")]
    Conflict { code: ErrorCode, field: &'static str, detail: String },
    #[error(transparent)]
    Database(#[from] DieselError),
}

impl WriteError {
    pub fn check_version(expected: Expected, current: i32) -> Result<(), WriteError> {
        expected.check(current).map_err(|stale| match stale {
            Stale::Moved { expected, current } => WriteError::VersionConflict { expected, current },
            Stale::Required { current } => WriteError::VersionRequired { current },
        })
    }
}

impl From<Conflict> for WriteError {
    fn from(conflict: Conflict) -> Self {
        WriteError::Conflict { code: conflict.code, field: conflict.field, detail: conflict.detail }
    }
}

/// Unique violations are the caller's conflict, not the database's failure.
pub(crate) fn is_unique_violation(error: &DieselError, constraint: &str) -> bool {
    matches!(error, DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, info)
        if info.constraint_name() == Some(constraint))
}

pub(crate) fn is_foreign_key_violation(error: &DieselError, constraint: &str) -> bool {
    matches!(error, DieselError::DatabaseError(DatabaseErrorKind::ForeignKeyViolation, info)
        if info.constraint_name() == Some(constraint))
}

pub const INSATS_ENTITY: &str = "insats";
pub const YEAR_ENTITY: &str = "insats_year";
pub const FINANCES_ENTITY: &str = "finances";
pub const FORBUND_YEAR_ENTITY: &str = "forbund_year";
pub const REPORTING_YEAR_ENTITY: &str = "reporting_year";

/// One audited change of one entity of a förbund.
pub struct Change<'a, T: Serialize> {
    pub forbund_key: &'a str,
    pub entity: &'a str,
    pub entity_id: String,
    pub action: &'a str,
    pub before: Option<&'a T>,
    pub after: Option<&'a T>,
}

/// Records `change` in the audit log; call it in the transaction of the change.
pub fn record<T: Serialize>(
    conn: &mut PgConnection,
    actor: &Actor<'_>,
    change: Change<'_, T>,
) -> Result<(), DieselError> {
    let json = |value: Option<&T>| value.map(|v| serde_json::to_value(v).expect("records serialise"));
    audit::record(
        conn,
        &NewAuditEvent {
            actor: actor.sub,
            actor_role: actor.role.code(),
            forbund_key: Some(change.forbund_key),
            entity: change.entity,
            entity_id: &change.entity_id,
            action: change.action,
            before: json(change.before),
            after: json(change.after),
            reason: None,
            request_id: actor.request_id,
        },
    )?;
    Ok(())
}

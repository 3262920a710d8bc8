//! Registered data: insatser, their years, förbund finances and reporting-year states. Every
//! write records its audit event in the same transaction; writes that replace a row check the
//! version the caller last saw; writes to a year's data first ask
//! [`reporting_years::check_writable`], in the same transaction.

pub mod finances;
pub mod forbund_years;
pub mod insats_years;
pub mod insatser;
pub mod reporting_years;

use diesel::PgConnection;
use diesel::result::{DatabaseErrorKind, Error as DieselError};
use serde::Serialize;

use crate::audit::{self, NewAuditEvent};

/// Who is writing, for the audit log.
#[derive(Debug, Clone, Copy)]
pub struct Actor<'a> {
    pub sub: &'a str,
    pub role: &'a str,
    pub request_id: Option<&'a str>,
}

/// Why a write was refused (the database itself is fine).
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error("not found")]
    NotFound,
    /// The row has moved on since the caller read it.
    #[error("version {expected} is not the current version {current}")]
    VersionConflict { expected: i32, current: i32 },
    /// The row exists, and replacing it needs the version the caller last saw.
    #[error("the current version {current} must be given to replace it")]
    VersionRequired { current: i32 },
    #[error("{detail}")]
    Conflict { code: &'static str, field: &'static str, detail: String },
    #[error(transparent)]
    Database(#[from] DieselError),
}

impl WriteError {
    fn check_version(expected: Option<i32>, current: i32) -> Result<(), WriteError> {
        match expected {
            None => Err(WriteError::VersionRequired { current }),
            Some(expected) if expected != current => Err(WriteError::VersionConflict { expected, current }),
            Some(_) => Ok(()),
        }
    }
}

/// Unique violations are the caller's conflict, not the database's failure.
pub(crate) fn is_unique_violation(error: &DieselError, constraint: &str) -> bool {
    matches!(error, DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, info)
        if info.constraint_name() == Some(constraint))
}

pub(crate) const INSATS_ENTITY: &str = "insats";
pub(crate) const YEAR_ENTITY: &str = "insats_year";

pub(crate) struct Change<'a, T: Serialize> {
    pub forbund_key: &'a str,
    pub entity: &'a str,
    pub entity_id: String,
    pub action: &'a str,
    pub before: Option<&'a T>,
    pub after: Option<&'a T>,
}

pub(crate) fn record<T: Serialize>(
    conn: &mut PgConnection,
    actor: &Actor<'_>,
    change: Change<'_, T>,
) -> Result<(), DieselError> {
    let json = |value: Option<&T>| value.map(|v| serde_json::to_value(v).expect("records serialise"));
    audit::record(
        conn,
        &NewAuditEvent {
            actor: actor.sub,
            actor_role: actor.role,
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

//! What the service holds for a registration, as clients read it back: the validated payload
//! plus identity, version and times.

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::Warning;
use crate::finances::Finances;
use crate::insats::Insats;
use crate::insats_year::InsatsYear;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InsatsRecord {
    pub id: i64,
    pub forbund_key: String,
    #[serde(flatten)]
    pub insats: Insats,
    /// Send it back as `If-Match` (or `version`) when replacing or deleting.
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// The years with figures, oldest first.
    pub years: Vec<InsatsYearRecord>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InsatsYearRecord {
    pub year: i32,
    #[serde(flatten)]
    pub figures: InsatsYear,
    pub version: i32,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FinancesRecord {
    pub forbund_key: String,
    pub year: i32,
    #[serde(flatten)]
    pub finances: Finances,
    /// Closing minus opening equity; `null` while closing equity is pending.
    #[serde(with = "rust_decimal::serde::str_option")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, example = "-100000.00"))]
    pub result: Option<Decimal>,
    pub version: i32,
    pub updated_at: DateTime<Utc>,
    /// Accepted but worth a look, e.g. contributions off 2:1:1.
    pub warnings: Vec<Warning>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ForbundYearStatus {
    Open,
    Submitted,
}

/// A förbund's own state for a reporting year.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ForbundYearRecord {
    pub forbund_key: String,
    pub year: i32,
    pub status: ForbundYearStatus,
    pub submitted_at: Option<DateTime<Utc>>,
    pub submitted_by: Option<String>,
}

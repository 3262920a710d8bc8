//! What the allocation is computed from, besides the year's parameters: the reference statistics,
//! the förbund with last year's allocation, and which municipalities each förbund covers.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::parameters::AllocationParameters;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AllocationInput {
    pub parameters: AllocationParameters,
    pub statistics: ReferenceStatistics,
    pub forbund: Vec<ForbundInput>,
    pub memberships: Vec<Membership>,
}

/// The statistics of one year for every member municipality (others may be present; they are
/// not counted).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReferenceStatistics {
    /// The year the figures are of: must be the parameters' `statistics_year`.
    pub year: i32,
    pub municipalities: Vec<MunicipalityStatistics>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MunicipalityStatistics {
    /// SCB's four-digit code.
    pub municipality_code: String,
    /// Signed so that a wrong import is refused by a rule with a message, not by a type.
    pub inhabitants_16_64: i64,
    /// Försörjningsmått in SEK thousands, as Statistics Sweden delivers it.
    pub forsorjningsmatt: Decimal,
}

/// A förbund that receives an allocation this year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ForbundInput {
    pub forbund_key: String,
    /// Its total allocation the year before; none for a förbund that had none (then it has no
    /// damping floor and no change).
    pub previous_allocation: Option<Decimal>,
    /// From the equity assessment; needed only when the year's equity rule excludes förbund
    /// above the recommendation from damping. None: not assessed (the recommendation's steps
    /// are set by an admin, and may not be).
    pub equity_above_recommendation: Option<bool>,
}

/// A municipality's membership of a förbund in the allocation year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Membership {
    pub forbund_key: String,
    pub municipality_code: String,
    /// The part of the municipality's statistics counted for this förbund, 0–1. A municipality
    /// split between förbund has shares summing to at most 1, so it is counted at most once.
    #[serde(default = "whole")]
    pub share: Decimal,
}

fn whole() -> Decimal {
    Decimal::ONE
}

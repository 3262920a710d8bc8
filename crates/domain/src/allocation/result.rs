//! The allocation as computed: per förbund the parts of its allocation, and the figures each
//! part was computed from, so that a page can show every förbund its own computation.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::parameters::ParameterSet;

/// The rounding, as table metadata states it.
pub const ROUNDING_RULE: &str = "Whole kronor by largest remainder (Hamilton's method), ties to the förbund first \
     by key: the base amounts are whole kronor; what is left is split between the two keys, then each key's amount \
     between the förbund; the cost of damping is split between the förbund that bear it. Every column sums exactly \
     to its amount and the totals to the amount distributed.";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Allocation {
    pub parameters: ParameterSet,
    /// The frame less the national support: what the totals sum to.
    pub distributed: Decimal,
    pub base_total: Decimal,
    /// What the försörjningsmått key distributed: its weight of what is left after the base.
    pub by_forsorjningsmatt_total: Decimal,
    pub by_population_total: Decimal,
    /// All förbund's försörjningsmått (SEK thousands), each municipality by its shares.
    pub forsorjningsmatt_total: Decimal,
    pub inhabitants_16_64_total: Decimal,
    /// What lifting the protected förbund to their floors cost the others.
    pub damping_cost: Decimal,
    /// How many times the cost was spread before no further förbund fell under its floor (0:
    /// none needed lifting).
    pub damping_rounds: u32,
    /// Ordered by förbund key.
    pub forbund: Vec<ForbundAllocation>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ForbundAllocation {
    pub forbund_key: String,
    pub base: Decimal,
    pub by_forsorjningsmatt: Decimal,
    pub by_population: Decimal,
    /// Positive for a förbund lifted to its floor, negative for one bearing the cost of it.
    pub damping_adjustment: Decimal,
    /// base + by_forsorjningsmatt + by_population + damping_adjustment.
    pub total: Decimal,
    pub previous_allocation: Option<Decimal>,
    /// total − previous_allocation; none without a previous allocation.
    pub change: Option<Decimal>,
    /// total / distributed, unrounded: presentation rounds it.
    pub share: Decimal,
    pub explanation: Explanation,
}

impl ForbundAllocation {
    pub fn before_damping(&self) -> Decimal {
        self.base + self.by_forsorjningsmatt + self.by_population
    }
}

/// The figures behind one förbund's allocation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Explanation {
    /// Ordered by municipality code.
    pub municipalities: Vec<MunicipalityPart>,
    /// Σ counted försörjningsmått, SEK thousands.
    pub forsorjningsmatt: Decimal,
    /// Σ counted inhabitants aged 16–64 (a split municipality may make it fractional).
    pub inhabitants_16_64: Decimal,
    /// Of all förbund's, unrounded: by_forsorjningsmatt is this share of the key's amount.
    pub forsorjningsmatt_share: Decimal,
    pub population_share: Decimal,
    pub damping: Protection,
}

/// One member municipality as counted for the förbund.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MunicipalityPart {
    pub municipality_code: String,
    pub share: Decimal,
    pub inhabitants_16_64: i64,
    /// SEK thousands.
    pub forsorjningsmatt: Decimal,
    /// share × inhabitants_16_64.
    pub counted_inhabitants_16_64: Decimal,
    /// share × forsorjningsmatt.
    pub counted_forsorjningsmatt: Decimal,
}

/// Where a förbund stands with damping.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum Protection {
    /// The year has no damping.
    NoDamping,
    /// No allocation the year before, so no floor.
    NoPreviousAllocation,
    /// Equity above the recommendation, and the year's rule excludes such förbund.
    ExcludedForEquity,
    /// Protected; the keys (and the cost of lifting others) left it at or above its floor.
    AboveFloor { floor: Decimal },
    /// Protected and held at its floor: the keys, or the cost of lifting others, would have left
    /// it below. Usually lifted; one pushed under only by that cost bears part of it down to the floor.
    HeldAtFloor { floor: Decimal },
}

impl Protection {
    pub fn floor(self) -> Option<Decimal> {
        match self {
            Protection::AboveFloor { floor } | Protection::HeldAtFloor { floor } => Some(floor),
            _ => None,
        }
    }
}

//! The registered data the statistics are computed from, as plain rows: the store loads them,
//! `finsam_stats` computes its tables from them (and re-exports them), tests write them by hand.
//! Here, in the domain, so that neither the store nor the statistics needs the other: the store
//! builds without polars. Money is in öre (hundredths of a krona) as i64: exact, and far from
//! overflow (all Finsam money in a year is some 10^11 öre). Codes are the domain's code strings
//! ([`crate::codes`]), as the store holds them.

use std::collections::BTreeMap;

use crate::ExitReason;
use crate::codes::Code;
use crate::money_settings::MoneySettings;

/// The number of exit reasons: one (women, men) pair each in [`InsatsYearRow::exits`].
pub const EXIT_REASONS: usize = ExitReason::ALL.len();

/// A live (not deleted) insats.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InsatsRow {
    pub id: i64,
    pub forbund_key: String,
    /// a `Kind` code
    pub kind: String,
    /// an `Orientation` code of that kind
    pub orientation: String,
    /// `TargetGroup` codes; empty = no specific target group
    pub target_groups: Vec<String>,
}

/// An insats' figures for one year. An insats counts in a year when it has such a row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InsatsYearRow {
    pub insats_id: i64,
    pub year: i32,
    /// `None`: participants not tracked (structural only)
    pub participants: Option<(i64, i64)>,
    pub budget_ore: i64,
    pub outcome_ore: Option<i64>,
    /// (women, men) who left, per exit reason in `ExitReason::ALL` order; `None`: not reported
    pub exits: Option<[(i64, i64); EXIT_REASONS]>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FinancesRow {
    pub forbund_key: String,
    pub year: i32,
    pub contributions_state_ore: i64,
    pub contributions_regions_ore: i64,
    pub contributions_municipalities_ore: i64,
    pub administration_budget_ore: i64,
    pub administration_outcome_ore: Option<i64>,
    pub equity_opening_ore: i64,
    /// `None`: pending until the annual report
    pub equity_closing_ore: Option<i64>,
}

/// A municipality's membership in a förbund from `valid_from_year` to `valid_to_year`
/// (inclusive; `None` = still a member). Years, not dates: a membership counts for every
/// calendar year it touches.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MembershipRow {
    pub forbund_key: String,
    pub municipality_code: String,
    pub county_code: String,
    pub valid_from_year: i32,
    pub valid_to_year: Option<i32>,
}

/// A förbund's declared state for a year; absent = open.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ForbundYearRow {
    pub forbund_key: String,
    pub year: i32,
    pub submitted: bool,
}

/// A förbund's part of the allocation an admin decided for `year`, in öre of whole kronor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AllocationRow {
    pub forbund_key: String,
    pub year: i32,
    /// Base, by försörjningsmått, by population, damping adjustment; `None` for a decision
    /// stored before the parts were kept (only its total is known).
    pub parts: Option<[i64; 4]>,
    pub total_ore: i64,
    /// The förbund's decided allocation of `year − 1`, if it had one.
    pub previous_ore: Option<i64>,
}

/// A decided allocation year: the state's frame and the part kept for national support.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AllocationYearRow {
    pub year: i32,
    pub frame_ore: i64,
    pub national_support_ore: i64,
}

/// Everything registered, for all years.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Inputs {
    /// every förbund key (förbund with no registration count too, in completeness)
    pub forbund: Vec<String>,
    pub memberships: Vec<MembershipRow>,
    pub insatser: Vec<InsatsRow>,
    pub insats_years: Vec<InsatsYearRow>,
    pub finances: Vec<FinancesRow>,
    pub forbund_years: Vec<ForbundYearRow>,
    /// förbund key → name, for the tables with a förbund dimension
    pub forbund_names: BTreeMap<String, String>,
    pub allocations: Vec<AllocationRow>,
    pub allocation_years: Vec<AllocationYearRow>,
    /// What an admin set for each year's money follow-up; a year not listed has nothing set.
    pub money_settings: Vec<MoneySettings>,
}

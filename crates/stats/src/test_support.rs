//! Builders for hand-written test inputs.

use std::str::FromStr;

use finsam_domain::Orientation;
use finsam_domain::codes::Code;
use rust_decimal::Decimal;

use crate::inputs::{FinancesRow, ForbundYearRow, InsatsRow, InsatsYearRow, MembershipRow};

pub(crate) fn member(forbund: &str, municipality: &str, county: &str, from: i32, to: Option<i32>) -> MembershipRow {
    MembershipRow {
        forbund_key: forbund.into(),
        municipality_code: municipality.into(),
        county_code: county.into(),
        valid_from_year: from,
        valid_to_year: to,
    }
}

/// The kind follows from the orientation, which must be a domain code.
pub(crate) fn insats(id: i64, forbund: &str, orientation: &str, groups: &[&str]) -> InsatsRow {
    let kind = Orientation::from_code(orientation).expect("an orientation code").kind();
    InsatsRow {
        id,
        forbund_key: forbund.into(),
        kind: kind.code().into(),
        orientation: orientation.into(),
        target_groups: groups.iter().map(|g| (*g).to_owned()).collect(),
    }
}

pub(crate) fn figures(
    insats_id: i64,
    year: i32,
    participants: Option<(i64, i64)>,
    budget_ore: i64,
    outcome_ore: Option<i64>,
) -> InsatsYearRow {
    InsatsYearRow { insats_id, year, participants, budget_ore, outcome_ore, exits: None }
}

/// Contributions (state, regions, municipalities), administration (budget, outcome) and
/// equity (opening, closing), all in öre.
pub(crate) fn finances(
    forbund: &str,
    year: i32,
    contributions: (i64, i64, i64),
    administration: (i64, Option<i64>),
    equity: (i64, i64),
) -> FinancesRow {
    FinancesRow {
        forbund_key: forbund.into(),
        year,
        contributions_state_ore: contributions.0,
        contributions_regions_ore: contributions.1,
        contributions_municipalities_ore: contributions.2,
        administration_budget_ore: administration.0,
        administration_outcome_ore: administration.1,
        equity_opening_ore: equity.0,
        equity_closing_ore: Some(equity.1),
    }
}

pub(crate) fn submitted(forbund: &str, year: i32) -> ForbundYearRow {
    ForbundYearRow { forbund_key: forbund.into(), year, submitted: true }
}

/// A cell value written as in a table: `d("66.7")`, `d("1250.50")`.
pub(crate) fn d(text: &str) -> Option<Decimal> {
    Some(Decimal::from_str(text).expect("a decimal"))
}

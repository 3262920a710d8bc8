//! Data-quality flags for analysts: registrations that are probably wrong or missing. They
//! point at individual records, so they are computed straight from the rows (one pass over the
//! insats-years, with a few look-ups), not from aggregated frames.

use std::collections::{BTreeSet, HashMap, HashSet};

use finsam_domain::Kind;
use finsam_domain::codes::Code;
use finsam_domain::money_settings::{self, MoneySettings};
use rust_decimal::Decimal;
use serde::Serialize;

use crate::inputs::{Inputs, InsatsRow};
use crate::scope::Scope;
use crate::table::Selection;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct QualityFlag {
    /// `contributions_off_2_1_1`, `individual_zero_participants`, `missing_year_figures`,
    /// `equity_above_recommendation`, `administration_share_above_limit`, `closing_equity_pending`
    /// or `no_registration`
    pub code: &'static str,
    pub forbund_key: String,
    /// The insats concerned, for flags about one insats.
    pub insats_id: Option<i64>,
    pub detail: String,
}

/// Contributions may deviate from 2:1:1 by rounding to whole kronor on each side.
const TOLERANCE_ORE: i64 = 100;

/// The flags for `year` within the selection (a förbund is in a county as its `year`
/// attribution says), sorted by förbund, insats and code.
///
/// - `contributions_off_2_1_1`: total contributions above zero, and the state's share differs
///   from regions + municipalities, or the regions' from the municipalities', by more than 1 SEK.
/// - `individual_zero_participants`: an individual insats with figures for the year but no
///   participants (0 women and 0 men, or none registered).
/// - `missing_year_figures`: an insats without figures for the year that looks active in it:
///   it has figures for an earlier and for a later year (a gap), or it has figures for the
///   previous year and its förbund has registered something (insats figures or finances) for
///   this year (it was left out of an ongoing registration). An insats that ended the previous
///   year is flagged by the second rule too: insatser carry no end year here, so the flag asks
///   the förbund to confirm rather than asserting an error.
/// - `equity_above_recommendation`: the förbund's closing equity, as a share of the year's
///   contributions, exceeds what the national council's recommendation allows for its step, as
///   an admin set the steps for the year (never flagged while no steps are set: no source gives
///   them, nor while the closing equity is pending).
/// - `administration_share_above_limit`: administration is a larger share of the budget (or of the
///   outcome, when every outcome is given) than the limit an admin set for the year; only when
///   a limit is set.
/// - `closing_equity_pending`: the förbund's finances for the year leave closing equity pending
///   (its annual report is not yet adopted); the equity tables leave it out and count it.
/// - `no_registration`: a förbund with member municipalities during the year, without any
///   insats figures or finances for it.
pub fn quality(inputs: &Inputs, year: i32, selection: &Selection) -> Vec<QualityFlag> {
    let scope = Scope::new(&inputs.memberships);
    let selected = |forbund: &str| scope.selects(selection, forbund, year);
    let insatser: HashMap<i64, &InsatsRow> = inputs.insatser.iter().map(|i| (i.id, i)).collect();
    let settings = inputs.money_settings.iter().find(|s| s.year == year);
    let steps = settings.and_then(|s: &MoneySettings| s.equity_recommendation.as_deref());
    let mut flags = Vec::new();

    // Which years around `year` each insats has figures for, and who registered for `year`.
    let mut years_of: HashMap<i64, YearsAround> = HashMap::new();
    // Per förbund: the insatser's budget of the year and their outcome if every one is given.
    let mut insats_budgets: HashMap<&str, (i64, Option<i64>)> = HashMap::new();
    let mut registered: HashSet<&str> =
        inputs.finances.iter().filter(|f| f.year == year).map(|f| f.forbund_key.as_str()).collect();
    for row in &inputs.insats_years {
        let Some(insats) = insatser.get(&row.insats_id) else { continue };
        years_of.entry(row.insats_id).or_default().add(row.year, year);
        if row.year != year {
            continue;
        }
        registered.insert(insats.forbund_key.as_str());
        let sums = insats_budgets.entry(insats.forbund_key.as_str()).or_insert((0, Some(0)));
        sums.0 += row.budget_ore;
        // An outcome share needs every insats' outcome: one missing makes it unknown.
        sums.1 = sums.1.zip(row.outcome_ore).map(|(a, b)| a + b);
        let no_participants = row.participants.is_none_or(|(women, men)| women == 0 && men == 0);
        if insats.kind == Kind::Individual.code() && no_participants && selected(&insats.forbund_key) {
            flags.push(flag(
                "individual_zero_participants",
                insats,
                format!("individual insats without participants in {year}"),
            ));
        }
    }

    for insats in inputs.insatser.iter().filter(|i| selected(&i.forbund_key)) {
        let Some(years) = years_of.get(&insats.id) else { continue };
        if years.this {
            continue;
        }
        let detail = if years.before && years.after {
            format!("no figures for {year}, but for years before and after it")
        } else if years.previous && registered.contains(insats.forbund_key.as_str()) {
            format!("no figures for {year}, but for {} and the förbund has registered {year}", year - 1)
        } else {
            continue;
        };
        flags.push(flag("missing_year_figures", insats, detail));
    }

    for f in inputs.finances.iter().filter(|f| f.year == year && selected(&f.forbund_key)) {
        let (state, regions, municipalities) =
            (f.contributions_state_ore, f.contributions_regions_ore, f.contributions_municipalities_ore);
        let off = (state - (regions + municipalities)).abs() > TOLERANCE_ORE
            || (regions - municipalities).abs() > TOLERANCE_ORE;
        if state + regions + municipalities > 0 && off {
            flags.push(forbund_flag(
                "contributions_off_2_1_1",
                &f.forbund_key,
                format!(
                    "contributions {year}: state {} SEK, regions {} SEK, municipalities {} SEK; expected 2:1:1",
                    sek(state),
                    sek(regions),
                    sek(municipalities)
                ),
            ));
        }
        let Some(closing) = f.equity_closing_ore else {
            flags.push(forbund_flag(
                "closing_equity_pending",
                &f.forbund_key,
                format!("closing equity {year} pending: the annual report is not yet adopted"),
            ));
            continue;
        };
        let contributed = f.contributions_state_ore + f.contributions_regions_ore + f.contributions_municipalities_ore;
        let assessment = money_settings::assess(Some(sek(closing)), sek(contributed), steps);
        if let (Some(true), Some(share), Some(max)) =
            (assessment.above, assessment.share_percent, assessment.max_percent)
        {
            flags.push(forbund_flag(
                "equity_above_recommendation",
                &f.forbund_key,
                format!(
                    "closing equity {year} {} SEK is {} % of the year's contributions ({} SEK); the recommendation allows {} %",
                    sek(closing),
                    share.round_dp(1),
                    sek(contributed),
                    max.normalize()
                ),
            ));
        }
    }

    if let Some(limit) = settings.and_then(|s| s.administration_share_limit_percent) {
        for f in inputs.finances.iter().filter(|f| f.year == year && selected(&f.forbund_key)) {
            let insatser = insats_budgets.get(f.forbund_key.as_str()).copied().unwrap_or_default();
            let parts = [
                ("budget", Some(f.administration_budget_ore), Some(insatser.0)),
                ("outcome", f.administration_outcome_ore, insatser.1),
            ];
            for (what, administration, insatser) in parts {
                let (Some(administration), Some(insatser)) = (administration, insatser) else { continue };
                let whole = administration + insatser;
                if whole > 0 && Decimal::new(administration, 0) * Decimal::ONE_HUNDRED > limit * Decimal::new(whole, 0)
                {
                    flags.push(forbund_flag(
                        "administration_share_above_limit",
                        &f.forbund_key,
                        format!(
                            "administration is {} % of the {what} {year}; the limit set is {} %",
                            (Decimal::new(administration, 0) * Decimal::ONE_HUNDRED / Decimal::new(whole, 0))
                                .round_dp(1),
                            limit.normalize()
                        ),
                    ));
                }
            }
        }
    }

    let all_forbund: BTreeSet<&str> = inputs
        .forbund
        .iter()
        .map(String::as_str)
        .chain(inputs.memberships.iter().map(|m| m.forbund_key.as_str()))
        .collect();
    for forbund in all_forbund {
        if scope.has_members(forbund, year) && selected(forbund) && !registered.contains(forbund) {
            flags.push(forbund_flag(
                "no_registration",
                forbund,
                format!("members during {year} but no insats figures and no finances registered"),
            ));
        }
    }

    flags.sort_by(|a, b| (&a.forbund_key, a.insats_id, a.code).cmp(&(&b.forbund_key, b.insats_id, b.code)));
    flags
}

/// Where an insats has figures, relative to the year looked at.
#[derive(Default)]
struct YearsAround {
    this: bool,
    previous: bool,
    before: bool,
    after: bool,
}

impl YearsAround {
    fn add(&mut self, has: i32, year: i32) {
        self.this |= has == year;
        self.previous |= has == year - 1;
        self.before |= has < year;
        self.after |= has > year;
    }
}

fn flag(code: &'static str, insats: &InsatsRow, detail: String) -> QualityFlag {
    QualityFlag { code, forbund_key: insats.forbund_key.clone(), insats_id: Some(insats.id), detail }
}

fn forbund_flag(code: &'static str, forbund: &str, detail: String) -> QualityFlag {
    QualityFlag { code, forbund_key: forbund.to_owned(), insats_id: None, detail }
}

fn sek(ore: i64) -> Decimal {
    Decimal::new(ore, 2)
}

#[cfg(test)]
mod tests;

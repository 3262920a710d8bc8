//! The polars frames every table is computed from, built once from the registered rows and
//! reusable for any number of tables, years and selections.

use std::collections::{BTreeMap, HashSet};

use finsam_domain::Party;
use finsam_domain::codes::Code;
use polars::prelude::*;

use super::StatsError;
use super::by_forbund::MoneyRows;
use super::insats_years::insats_year_frames;
use crate::inputs::{FinancesRow, Inputs};
use crate::scope::Scope;

/// Everything registered, as frames, plus the small reference parts (memberships,
/// submissions) that the tables need around them.
pub struct Frames {
    /// Förbund keys in ascending order; a förbund's index here is the one in keys and frames.
    pub(crate) forbund: Vec<String>,
    /// Per year: the figures of live insatser (see `insats_years`).
    pub(crate) insats_years: BTreeMap<i32, DataFrame>,
    /// forbund, year, a contributions column per party (named by its code), administration
    /// budget/outcome, equity.
    pub(crate) finances: DataFrame,
    pub(crate) scope: Scope,
    /// (year, förbund index) of every submitted förbund-year.
    pub(crate) submitted: HashSet<(i32, usize)>,
    /// The decided allocations, the year's money settings, the finances by förbund, the names.
    pub(crate) money: MoneyRows,
}

impl Frames {
    /// Lays the rows out as frames. Fails on an insats the tables cannot place: an unknown kind,
    /// orientation, target group or förbund, an orientation of the other kind, a repeated id.
    /// Figures of an insats that is absent (deleted) are left out.
    pub fn new(inputs: &Inputs) -> Result<Frames, StatsError> {
        let keys = all_forbund_keys(inputs);
        let index: PlHashMap<&str, u32> =
            keys.iter().enumerate().map(|(i, key)| (*key, u32::try_from(i).expect("few förbund"))).collect();
        let insats_years = insats_year_frames(inputs, &index)?;
        let finances = finances_frame(&inputs.finances, &index)?;
        let submitted = inputs
            .forbund_years
            .iter()
            .filter(|row| row.submitted)
            .map(|row| (row.year, index[row.forbund_key.as_str()] as usize))
            .collect();
        let forbund = keys.into_iter().map(str::to_owned).collect();
        let (scope, money) = (Scope::new(&inputs.memberships), MoneyRows::new(inputs));
        Ok(Frames { forbund, insats_years, finances, scope, submitted, money })
    }

    /// Every förbund (ascending key) with the county it counts in for `year`: the one holding most
    /// of its member municipalities (ties: the lowest code); `None` when it has no members then.
    /// County tables are sums of these förbund, so disclosure control can relate the levels.
    pub fn county_attribution(&self, year: i32) -> Vec<(String, Option<String>)> {
        self.forbund.iter().map(|key| (key.clone(), self.scope.county(key, year).map(str::to_owned))).collect()
    }

    pub(crate) fn forbund_index(&self, key: &str) -> Option<u32> {
        self.forbund.binary_search_by(|k| k.as_str().cmp(key)).ok().map(|i| i as u32)
    }
}

/// The listed förbund and any other key a reference or finance row mentions (so that no such
/// row is lost for want of a listing), sorted. Insatser must name one of these; checking them
/// against the index while looking them up saves a million string hashes here.
fn all_forbund_keys(inputs: &Inputs) -> Vec<&str> {
    let mut keys: PlHashSet<&str> = inputs.forbund.iter().map(String::as_str).collect();
    keys.extend(inputs.memberships.iter().map(|r| r.forbund_key.as_str()));
    keys.extend(inputs.finances.iter().map(|r| r.forbund_key.as_str()));
    keys.extend(inputs.forbund_years.iter().map(|r| r.forbund_key.as_str()));
    keys.extend(inputs.allocations.iter().map(|r| r.forbund_key.as_str()));
    let mut keys: Vec<&str> = keys.into_iter().collect();
    keys.sort_unstable();
    keys
}

fn finances_frame(rows: &[FinancesRow], index: &PlHashMap<&str, u32>) -> Result<DataFrame, StatsError> {
    let money = |name: &str, f: fn(&FinancesRow) -> i64| {
        Int64Chunked::from_vec(name.into(), rows.iter().map(f).collect()).into_column()
    };
    let mut columns = vec![
        UInt32Chunked::from_vec("forbund".into(), rows.iter().map(|r| index[r.forbund_key.as_str()]).collect())
            .into_column(),
        Int32Chunked::from_vec("year".into(), rows.iter().map(|r| r.year).collect()).into_column(),
    ];
    columns.extend(Party::ALL.iter().map(|&party| {
        let amounts = rows.iter().map(|r| contribution(r, party)).collect();
        Int64Chunked::from_vec(party.code().into(), amounts).into_column()
    }));
    columns.extend([
        money("administration_budget", |r| r.administration_budget_ore),
        Int64Chunked::from_iter_options(
            "administration_outcome".into(),
            rows.iter().map(|r| r.administration_outcome_ore),
        )
        .into_column(),
        money("opening", |r| r.equity_opening_ore),
        Int64Chunked::from_iter_options("closing".into(), rows.iter().map(|r| r.equity_closing_ore)).into_column(),
    ]);
    Ok(DataFrame::new(rows.len(), columns)?)
}

/// A finance row's contribution of one party, in öre.
fn contribution(row: &FinancesRow, party: Party) -> i64 {
    match party {
        Party::State => row.contributions_state_ore,
        Party::Regions => row.contributions_regions_ore,
        Party::Municipalities => row.contributions_municipalities_ore,
    }
}

//! The money tables that come from decisions and settings rather than from registrations alone:
//! the state's allocation and equity against the recommendation, one row per förbund, and the
//! state's ledger. Their inputs are a few hundred rows (förbund × years), so plain Rust reads them.

use std::collections::{BTreeMap, BTreeSet};

use finsam_domain::money_settings::{self, MoneySettings};
use rust_decimal::Decimal;

use super::frames::Frames;
use super::values::{count, money, share};
use crate::catalog::{TableId, forbund_category, year_dimension};
use crate::inputs::{AllocationRow, AllocationYearRow, FinancesRow, Inputs};
use crate::table::{
    ALLOCATION_NOT_DECIDED, Dimension, EQUITY_RECOMMENDATION_NOT_SET, NATIONAL_SUPPORT_SPENT_NOT_SET,
    PENDING_CLOSING_EQUITY, Selection, Table, TableNote,
};

/// The rows these tables read, keyed by (year, förbund).
#[derive(Default)]
pub(crate) struct MoneyRows {
    names: BTreeMap<String, String>,
    allocations: BTreeMap<(i32, String), AllocationRow>,
    years: BTreeMap<i32, AllocationYearRow>,
    settings: BTreeMap<i32, MoneySettings>,
    finances: BTreeMap<(i32, String), FinancesRow>,
}

impl MoneyRows {
    pub(crate) fn new(inputs: &Inputs) -> MoneyRows {
        MoneyRows {
            names: inputs.forbund_names.clone(),
            allocations: inputs.allocations.iter().map(|r| ((r.year, r.forbund_key.clone()), r.clone())).collect(),
            years: inputs.allocation_years.iter().map(|r| (r.year, r.clone())).collect(),
            settings: inputs.money_settings.iter().map(|s| (s.year, s.clone())).collect(),
            finances: inputs.finances.iter().map(|r| ((r.year, r.forbund_key.clone()), r.clone())).collect(),
        }
    }

    /// Frame less national support: what the förbund share.
    fn distributed(&self, year: i32) -> Option<i64> {
        self.years.get(&year).map(|y| y.frame_ore - y.national_support_ore)
    }

    fn steps(&self, year: i32) -> Option<&[money_settings::EquityStep]> {
        self.settings.get(&year).and_then(|s| s.equity_recommendation.as_deref())
    }
}

/// Whole kronor from öre that hold whole kronor.
fn kronor(ore: i64) -> Option<Decimal> {
    Some(Decimal::new(ore / 100, 0))
}

fn contributions(f: &FinancesRow) -> i64 {
    f.contributions_state_ore + f.contributions_regions_ore + f.contributions_municipalities_ore
}

/// Sums `value` over `rows` when every row has it.
fn sum_all<'a, T: 'a>(rows: impl IntoIterator<Item = &'a T>, value: impl Fn(&T) -> Option<i64>) -> Option<i64> {
    rows.into_iter().map(value).sum()
}

impl Frames {
    /// A table with a `forbund` dimension: the förbund the selection covers in any of the years
    /// with a row of the table, ascending by key, then `total` (the sum over those covered in
    /// each year).
    pub(crate) fn by_forbund(&self, id: TableId, years: &[i32], selection: &Selection) -> Table {
        let rows = &self.money;
        let has_row = |year: i32, key: &str| match id {
            TableId::Allocation => rows.allocations.contains_key(&(year, key.to_owned())),
            _ => rows.finances.contains_key(&(year, key.to_owned())),
        };
        let covered: Vec<BTreeSet<&str>> = years
            .iter()
            .map(|&year| {
                self.forbund
                    .iter()
                    .map(String::as_str)
                    .filter(|key| has_row(year, key) && self.scope.selects(selection, key, year))
                    .collect()
            })
            .collect();
        let keys: BTreeSet<&str> = covered.iter().flatten().copied().collect();
        let info = id.info();
        let mut forbund: Dimension = info.dimensions[0].clone();
        let total = forbund.categories.pop().expect("the catalog lists total");
        forbund.categories = keys
            .iter()
            .map(|key| forbund_category(key, rows.names.get(*key).map_or(key, String::as_str)))
            .chain([total])
            .collect();
        let measures = info.dimensions[1].clone();
        let mut values = Vec::new();
        for (&year, covered) in years.iter().zip(&covered) {
            for category in &forbund.categories {
                let who: Vec<&str> = match category.code.as_str() {
                    "total" => covered.iter().copied().collect(),
                    key if covered.contains(key) => vec![key],
                    _ => Vec::new(),
                };
                let single = category.code != "total";
                for measure in &measures.categories {
                    values.push(if single && who.is_empty() {
                        None
                    } else {
                        match id {
                            TableId::Allocation => allocation_cell(rows, year, &who, &measure.code),
                            _ => equity_cell(rows, year, &who, single, &measure.code),
                        }
                    });
                }
            }
        }
        let notes = match id {
            TableId::Allocation => undecided_notes(rows, years),
            _ => equity_notes(rows, years, &covered),
        };
        let dimensions = vec![year_dimension(years), forbund, measures];
        Table { id, selection: selection.clone(), dimensions, values, notes }
    }

    /// The state's ledger of each year. The frame, national support and what was spent of it are
    /// national: a county's or förbund's table has only what was paid to its förbund.
    pub(crate) fn state_funds(&self, years: &[i32], selection: &Selection) -> Table {
        let rows = &self.money;
        let info = TableId::StateFunds.info();
        let national = *selection == Selection::National;
        let mut values = Vec::new();
        for &year in years {
            let decided = rows.years.get(&year);
            let paid: Option<i64> = decided.map(|_| {
                rows.allocations
                    .range((year, String::new())..(year + 1, String::new()))
                    .filter(|((_, key), _)| self.scope.selects(selection, key, year))
                    .map(|(_, row)| row.total_ore)
                    .sum()
            });
            let spent_support = rows.settings.get(&year).and_then(|s| s.national_support_spent).map(ore);
            let frame = decided.filter(|_| national).map(|y| y.frame_ore);
            let spent = paid.zip(spent_support.filter(|_| national)).map(|(p, s)| p + s);
            for measure in &info.dimensions[0].categories {
                values.push(match measure.code.as_str() {
                    "frame" => frame.and_then(money),
                    "national_support" => decided.filter(|_| national).and_then(|y| money(y.national_support_ore)),
                    "paid_to_forbund" => paid.and_then(money),
                    "national_support_spent" => spent_support.filter(|_| national).and_then(money),
                    "spent" => spent.and_then(money),
                    "unspent" => frame.zip(spent).and_then(|(f, s)| money(f - s)),
                    other => panic!("state-funds has no measure {other}"),
                });
            }
        }
        let mut notes = undecided_notes(rows, years);
        if national {
            notes.extend(
                years.iter().filter(|y| rows.years.contains_key(y) && national_support_spent(rows, **y).is_none()).map(
                    |&year| TableNote {
                        code: NATIONAL_SUPPORT_SPENT_NOT_SET.to_owned(),
                        year,
                        count: 0,
                        text_sv: format!(
                            "{year}: förbrukat nationellt stöd är inte angivet, så förbrukat och ej förbrukat saknas."
                        ),
                        text_en: format!(
                            "{year}: the national support spent is not set, so spent and unspent are missing."
                        ),
                    },
                ),
            );
        }
        let mut dimensions = vec![year_dimension(years)];
        dimensions.extend(info.dimensions);
        Table { id: TableId::StateFunds, selection: selection.clone(), dimensions, values, notes }
    }
}

fn national_support_spent(rows: &MoneyRows, year: i32) -> Option<Decimal> {
    rows.settings.get(&year).and_then(|s| s.national_support_spent)
}

/// SEK with öre as öre.
fn ore(amount: Decimal) -> i64 {
    i64::try_from((amount * Decimal::ONE_HUNDRED).round()).expect("an amount of NUMERIC(16,2)")
}

/// One förbund's allocation, or (for `total`) the sums over `who`.
fn allocation_cell(rows: &MoneyRows, year: i32, who: &[&str], measure: &str) -> Option<Decimal> {
    // A year no one decided has no allocation, not one of 0 (its note says so).
    rows.years.get(&year)?;
    let found: Vec<&AllocationRow> =
        who.iter().filter_map(|key| rows.allocations.get(&(year, (*key).to_owned()))).collect();
    let part = |i: usize| sum_all(found.iter().copied(), |r| r.parts.map(|p| p[i]));
    let total: i64 = found.iter().map(|r| r.total_ore).sum();
    let previous = sum_all(found.iter().copied(), |r| r.previous_ore);
    match measure {
        "base" => part(0).and_then(kronor),
        "by_forsorjningsmatt" => part(1).and_then(kronor),
        "by_population" => part(2).and_then(kronor),
        "damping_adjustment" => part(3).and_then(kronor),
        "total" => kronor(total),
        "previous" => previous.and_then(kronor),
        "change" => previous.and_then(|p| kronor(total - p)),
        "change_percent" => previous.and_then(|p| share(total - p, p)),
        "share" => rows.distributed(year).and_then(|d| share(total, d)),
        other => panic!("allocation has no measure {other}"),
    }
}

/// One förbund's equity against the recommendation, or (for `total`) sums over `who`: equity
/// and its shares over the förbund whose closing equity is given, and how many are above.
fn equity_cell(rows: &MoneyRows, year: i32, who: &[&str], single: bool, measure: &str) -> Option<Decimal> {
    let finances: Vec<&FinancesRow> = who.iter().filter_map(|k| rows.finances.get(&(year, (*k).to_owned()))).collect();
    let closed: Vec<&FinancesRow> = finances.iter().copied().filter(|f| f.equity_closing_ore.is_some()).collect();
    let closing: i64 = closed.iter().filter_map(|f| f.equity_closing_ore).sum();
    let allocation_of = |f: &FinancesRow| rows.allocations.get(&(year, f.forbund_key.clone())).map(|a| a.total_ore);
    let steps = rows.steps(year);
    let assessment = |f: &FinancesRow| {
        let sek = |ore: i64| Decimal::new(ore, 2);
        money_settings::assess(f.equity_closing_ore.map(sek), sek(contributions(f)), steps)
    };
    let any_closed = !closed.is_empty();
    match measure {
        "contributions" => money(finances.iter().map(|f| contributions(f)).sum()),
        "allocation" => {
            let decided: Vec<i64> = finances.iter().filter_map(|f| allocation_of(f)).collect();
            (!decided.is_empty()).then(|| decided.iter().sum()).and_then(kronor)
        }
        "closing" => any_closed.then_some(closing).and_then(money),
        "share_of_contributions" => {
            any_closed.then(|| share(closing, closed.iter().map(|f| contributions(f)).sum())).flatten()
        }
        "share_of_allocation" => {
            let with_allocation: Vec<(i64, i64)> =
                closed.iter().filter_map(|f| Some((f.equity_closing_ore?, allocation_of(f)?))).collect();
            (!with_allocation.is_empty())
                .then(|| share(with_allocation.iter().map(|p| p.0).sum(), with_allocation.iter().map(|p| p.1).sum()))
                .flatten()
        }
        "recommended_max_share" => {
            if single {
                finances.first().and_then(|f| assessment(f).max_percent)
            } else {
                None
            }
        }
        "above_recommendation" => {
            steps?;
            let above = finances.iter().filter(|f| assessment(f).above == Some(true)).count();
            if single && finances.first().is_some_and(|f| assessment(f).above.is_none()) {
                return None;
            }
            count(i64::try_from(above).expect("few förbund"))
        }
        other => panic!("equity-by-forbund has no measure {other}"),
    }
}

fn undecided_notes(rows: &MoneyRows, years: &[i32]) -> Vec<TableNote> {
    years
        .iter()
        .filter(|y| !rows.years.contains_key(y))
        .map(|&year| TableNote {
            code: ALLOCATION_NOT_DECIDED.to_owned(),
            year,
            count: 0,
            text_sv: format!("{year}: ingen medelstilldelning är beslutad för året."),
            text_en: format!("{year}: no allocation is decided for the year."),
        })
        .collect()
}

fn equity_notes(rows: &MoneyRows, years: &[i32], covered: &[BTreeSet<&str>]) -> Vec<TableNote> {
    let mut notes = Vec::new();
    for (&year, covered) in years.iter().zip(covered) {
        if rows.steps(year).is_none() {
            notes.push(TableNote {
                code: EQUITY_RECOMMENDATION_NOT_SET.to_owned(),
                year,
                count: 0,
                text_sv: format!(
                    "{year}: rekommendationens trappa är inte angiven för året, så det går inte att bedöma om något \
                     förbunds eget kapital är över rekommendationen."
                ),
                text_en: format!(
                    "{year}: the recommendation's steps are not set for the year, so no förbund's equity can be \
                     assessed against it."
                ),
            });
        }
        let pending = covered
            .iter()
            .filter(|key| {
                rows.finances.get(&(year, (**key).to_owned())).is_some_and(|f| f.equity_closing_ore.is_none())
            })
            .count();
        if pending > 0 {
            notes.push(TableNote {
                code: PENDING_CLOSING_EQUITY.to_owned(),
                year,
                count: i64::try_from(pending).expect("few förbund"),
                text_sv: format!(
                    "{year}: utgående eget kapital saknas ännu (årsredovisningen ej klar) för {pending} förbund; \
                     summorna avser de förbund som lämnat det."
                ),
                text_en: format!(
                    "{year}: closing equity is pending (annual report not yet adopted) for {pending} förbund; the \
                     sums cover the förbund that gave it."
                ),
            });
        }
    }
    notes
}

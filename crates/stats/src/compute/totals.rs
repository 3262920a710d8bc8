//! The exact figures of each requested year within a selection, from which every table is
//! assembled. Polars reduces a year's insats-year frame to one group per key (förbund ×
//! orientation × target-group set: some thousands at most); selection by county and the sums
//! over förbund then run over those groups, not over the rows.

use std::ops::{Add, AddAssign};

use finsam_domain::codes::Code;
use finsam_domain::{Gender, Kind, Orientation};
use polars::prelude::*;

use super::StatsError;
use super::frames::Frames;
use super::keys::{EXIT_COLUMNS, ORIENTATIONS, PARTIES, TARGET_GROUPS, decode, exit_column_names, forbund_keys};
use crate::table::Selection;

/// Sums over insats-years. All money in öre as i64: a year's Finsam money is some 10^11 öre,
/// far from i64::MAX (9.2·10^18), so neither polars' sums nor these can overflow.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Figures {
    pub(crate) insatser: i64,
    /// insatser whose participants are tracked
    pub(crate) tracking: i64,
    pub(crate) women: i64,
    pub(crate) men: i64,
    pub(crate) budget: i64,
    /// the sum of the known outcomes, of which there are `outcome_known`
    pub(crate) outcome: i64,
    pub(crate) outcome_known: i64,
    /// in `exit_column` order
    pub(crate) exits: [i64; EXIT_COLUMNS],
}

impl Figures {
    pub(crate) fn participants(&self) -> i64 {
        self.women + self.men
    }

    /// A gender's participants, or all of them for `total`.
    pub(crate) fn participants_of(&self, gender: &str) -> i64 {
        match Gender::from_code(gender) {
            Some(Gender::Women) => self.women,
            Some(Gender::Men) => self.men,
            None if gender == "total" => self.participants(),
            None => panic!("no gender {gender}"),
        }
    }
}

impl AddAssign for Figures {
    fn add_assign(&mut self, other: Figures) {
        self.insatser += other.insatser;
        self.tracking += other.tracking;
        self.women += other.women;
        self.men += other.men;
        self.budget += other.budget;
        self.outcome += other.outcome;
        self.outcome_known += other.outcome_known;
        for (sum, n) in self.exits.iter_mut().zip(other.exits) {
            *sum += n;
        }
    }
}

impl Add for Figures {
    type Output = Figures;
    fn add(mut self, other: Figures) -> Figures {
        self += other;
        self
    }
}

/// Sums over förbund-year finances, in öre.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct FinanceFigures {
    /// per party, by its index
    pub(crate) contributions: [i64; PARTIES],
    pub(crate) administration_budget: i64,
    pub(crate) administration_outcome: i64,
    pub(crate) administration_outcome_known: i64,
    /// Over every förbund with finances.
    pub(crate) opening: i64,
    /// Over the förbund whose closing equity is given.
    pub(crate) closing: i64,
    /// Σ (closing − opening) over the förbund whose closing equity is given.
    pub(crate) result: i64,
    pub(crate) closing_known: i64,
    /// Förbund with finances whose closing equity is pending (annual report not yet adopted).
    pub(crate) closing_pending: i64,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Completeness {
    pub(crate) forbund: i64,
    pub(crate) registered: i64,
    pub(crate) submitted: i64,
    pub(crate) municipalities: i64,
}

/// One year's figures within the selection.
#[derive(Debug, Clone, Default)]
pub(crate) struct YearTotals {
    /// per orientation, by its index
    pub(crate) orientations: [Figures; ORIENTATIONS],
    /// individual insatser per target group, by its index
    pub(crate) target_groups: [i64; TARGET_GROUPS],
    pub(crate) no_target_group: i64,
    pub(crate) finances: FinanceFigures,
    pub(crate) completeness: Completeness,
}

impl YearTotals {
    pub(crate) fn of_kind(&self, kind: Kind) -> Figures {
        Orientation::ALL
            .iter()
            .filter(|o| o.kind() == kind)
            .fold(Figures::default(), |sum, o| sum + self.orientations[o.index()])
    }

    pub(crate) fn individual(&self) -> Figures {
        self.of_kind(Kind::Individual)
    }

    pub(crate) fn structural(&self) -> Figures {
        self.of_kind(Kind::Structural)
    }

    pub(crate) fn all(&self) -> Figures {
        self.orientations.iter().fold(Figures::default(), |sum, f| sum + *f)
    }

    /// One orientation's figures; `total` is the sum over the kind of `kind_total`.
    pub(crate) fn orientation(&self, code: &str, kind_total: Figures) -> Figures {
        if code == "total" {
            return kind_total;
        }
        let orientation = Orientation::from_code(code).unwrap_or_else(|| panic!("no orientation {code}"));
        self.orientations[orientation.index()]
    }
}

/// What the per-year passes share: which förbund the selection covers in each year, and which
/// of them registered anything.
pub(crate) struct Selected<'a> {
    pub(crate) years: &'a [i32],
    /// `covers[year position][förbund index]`
    pub(crate) covers: Vec<Vec<bool>>,
    pub(crate) registered: Vec<Vec<bool>>,
    pub(crate) narrow: Narrow,
}

/// A one-förbund selection narrows the frames before any work is done on them; a county's
/// förbund vary by year and are picked from the (few) groups instead.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Narrow {
    No,
    ToForbund(u32),
    /// A förbund no row mentions.
    ToNothing,
}

impl Selected<'_> {
    /// The position of a year among the requested ones, if the row belongs to the selection.
    pub(crate) fn position(&self, year: i32, forbund: usize) -> Option<usize> {
        let position = self.years.binary_search(&year).ok()?;
        self.covers[position][forbund].then_some(position)
    }
}

impl Frames {
    /// The figures of each of `years` (sorted, non-empty) within the selection.
    pub(crate) fn totals(&self, years: &[i32], selection: &Selection) -> Result<Vec<YearTotals>, StatsError> {
        let covers: Vec<Vec<bool>> = years
            .iter()
            .map(|&year| self.forbund.iter().map(|key| self.scope.selects(selection, key, year)).collect())
            .collect();
        let narrow = match selection {
            Selection::Forbund(key) => self.forbund_index(key).map_or(Narrow::ToNothing, Narrow::ToForbund),
            Selection::National | Selection::County(_) => Narrow::No,
        };
        let registered = vec![vec![false; self.forbund.len()]; years.len()];
        let mut selected = Selected { years, covers, registered, narrow };
        let mut totals = vec![YearTotals::default(); years.len()];
        self.add_insats_years(&mut selected, &mut totals)?;
        self.add_finances(&mut selected, &mut totals)?;
        self.add_completeness(&selected, &mut totals);
        Ok(totals)
    }

    fn add_insats_years(&self, selected: &mut Selected, totals: &mut [YearTotals]) -> Result<(), StatsError> {
        for (position, year) in selected.years.iter().enumerate() {
            let Some(frame) = self.insats_years.get(year) else { continue };
            let mut rows = frame.clone().lazy();
            match selected.narrow {
                Narrow::No => {}
                Narrow::ToForbund(index) => {
                    let keys = forbund_keys(index);
                    rows = rows.filter(col("key").gt_eq(lit(keys.start)).and(col("key").lt(lit(keys.end))));
                }
                Narrow::ToNothing => continue,
            }
            let groups = group_by_key(rows)?;
            add_groups(&groups, position, selected, &mut totals[position])?;
        }
        Ok(())
    }
}

fn group_by_key(rows: LazyFrame) -> Result<DataFrame, StatsError> {
    let mut aggregates = vec![
        len().alias("insatser"),
        // A boolean sums to the number of true values.
        col("tracked").sum().alias("tracking"),
        col("women").sum(),
        col("men").sum(),
        col("budget").sum(),
        col("outcome").sum(),
        col("outcome_known").sum(),
    ];
    aggregates.extend(exit_column_names().iter().map(|c| col(c.as_str()).sum()));
    Ok(rows.group_by([col("key")]).agg(aggregates).collect()?)
}

/// Adds one year's groups that the selection covers.
fn add_groups(
    groups: &DataFrame,
    position: usize,
    selected: &mut Selected,
    year: &mut YearTotals,
) -> Result<(), StatsError> {
    let [key, insatser, tracking, women, men, budget, outcome, outcome_known] =
        int_columns(groups, ["key", "insatser", "tracking", "women", "men", "budget", "outcome", "outcome_known"])?;
    let exit_names = exit_column_names();
    let exits = int_columns(groups, exit_names.each_ref().map(String::as_str))?;

    for (row, &key) in key.iter().enumerate() {
        let parts = decode(key);
        if !selected.covers[position][parts.forbund] {
            continue;
        }
        selected.registered[position][parts.forbund] = true;
        let figures = Figures {
            insatser: insatser[row],
            tracking: tracking[row],
            women: women[row],
            men: men[row],
            budget: budget[row],
            outcome: outcome[row],
            outcome_known: outcome_known[row],
            exits: std::array::from_fn(|i| exits[i][row]),
        };
        year.orientations[parts.category] += figures;
        if Orientation::ALL[parts.category].kind() == Kind::Individual {
            if parts.groups == 0 {
                year.no_target_group += figures.insatser;
            }
            for (bit, count) in year.target_groups.iter_mut().enumerate() {
                if parts.groups & (1 << bit) != 0 {
                    *count += figures.insatser;
                }
            }
        }
    }
    Ok(())
}

/// Columns of a collected frame as i64, nulls as 0 (a sum over nothing).
pub(crate) fn int_columns<const N: usize>(frame: &DataFrame, names: [&str; N]) -> Result<[Vec<i64>; N], StatsError> {
    let mut columns = Vec::with_capacity(N);
    for name in names {
        let column = frame.column(name)?.cast(&DataType::Int64)?;
        columns.push(column.i64()?.iter().map(|v| v.unwrap_or(0)).collect());
    }
    Ok(columns.try_into().unwrap_or_else(|_| unreachable!("one column per name")))
}

/// A column of a collected frame as i64, keeping nulls.
pub(crate) fn optional_int_column(frame: &DataFrame, name: &str) -> Result<Vec<Option<i64>>, StatsError> {
    let column = frame.column(name)?.cast(&DataType::Int64)?;
    Ok(column.i64()?.iter().collect())
}

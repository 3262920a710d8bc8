//! The insats-year frames: one per year, each row reduced to its insats' key and its figures.
//!
//! The rows arrive as Rust structs, so one pass over them is needed to lay them out as columns
//! anyway; that pass also looks up each row's insats (a polars join would need id and year
//! columns, a hash table and a gather of every column: measured, about a quarter of the time
//! of building the frames) and sorts it into its year (so a table for one year reads that
//! year's frame whole, where a filter would copy every column).

use std::collections::BTreeMap;

use finsam_domain::codes::Code;
use finsam_domain::{ExitReason, Gender, Kind, Orientation};
use polars::prelude::*;

use super::StatsError;
use super::keys::{EXIT_COLUMNS, encode, exit_column, exit_column_names, target_group_set};
use crate::inputs::{Inputs, InsatsYearRow};

/// Per year: key, women, men, tracked, budget, outcome, outcome_known and the exit columns.
/// Untracked participants and unknown outcomes are zeros beside a false flag rather than nulls:
/// plain vectors become columns without copying, and a flag sums to the count the tables need.
/// Unreported exits are zeros: they add nothing to any sum.
pub(crate) fn insats_year_frames(
    inputs: &Inputs,
    forbund_index: &PlHashMap<&str, u32>,
) -> Result<BTreeMap<i32, DataFrame>, StatsError> {
    let insatser = InsatsLookup::new(inputs, forbund_index)?;
    // Rows per year first, so that each column is allocated once at its final size: growing
    // vectors of a million rows would copy them and fault in their pages twice over.
    let mut per_year: BTreeMap<i32, usize> = BTreeMap::new();
    for row in &inputs.insats_years {
        *per_year.entry(row.year).or_default() += 1;
    }
    let years: Vec<i32> = per_year.keys().copied().collect();
    let mut columns: Vec<Columns> = per_year.values().map(|&n| Columns::with_capacity(n)).collect();
    for row in &inputs.insats_years {
        let Some(key) = insatser.get(row.insats_id) else { continue };
        let position = years.binary_search(&row.year).expect("counted above");
        columns[position].push(key, row);
    }
    let mut frames = BTreeMap::new();
    for (year, columns) in years.into_iter().zip(columns) {
        frames.insert(year, columns.into_frame()?);
    }
    Ok(frames)
}

struct Columns {
    key: Vec<i64>,
    women: Vec<i64>,
    men: Vec<i64>,
    tracked: Vec<bool>,
    budget: Vec<i64>,
    outcome: Vec<i64>,
    outcome_known: Vec<bool>,
    /// in `exit_column` order
    exits: [Vec<i64>; EXIT_COLUMNS],
}

impl Columns {
    fn with_capacity(n: usize) -> Columns {
        Columns {
            key: Vec::with_capacity(n),
            women: Vec::with_capacity(n),
            men: Vec::with_capacity(n),
            tracked: Vec::with_capacity(n),
            budget: Vec::with_capacity(n),
            outcome: Vec::with_capacity(n),
            outcome_known: Vec::with_capacity(n),
            exits: std::array::from_fn(|_| Vec::with_capacity(n)),
        }
    }

    fn push(&mut self, key: i64, row: &InsatsYearRow) {
        self.key.push(key);
        let (women, men) = row.participants.unwrap_or_default();
        self.women.push(women);
        self.men.push(men);
        self.tracked.push(row.participants.is_some());
        self.budget.push(row.budget_ore);
        self.outcome.push(row.outcome_ore.unwrap_or_default());
        self.outcome_known.push(row.outcome_ore.is_some());
        for (&reason, (women, men)) in ExitReason::ALL.iter().zip(row.exits.unwrap_or_default()) {
            self.exits[exit_column(reason, Gender::Women)].push(women);
            self.exits[exit_column(reason, Gender::Men)].push(men);
        }
    }

    fn into_frame(self) -> PolarsResult<DataFrame> {
        let height = self.key.len();
        let mut columns = vec![
            Int64Chunked::from_vec("key".into(), self.key).into_column(),
            Int64Chunked::from_vec("women".into(), self.women).into_column(),
            Int64Chunked::from_vec("men".into(), self.men).into_column(),
            BooleanChunked::from_slice("tracked".into(), &self.tracked).into_column(),
            Int64Chunked::from_vec("budget".into(), self.budget).into_column(),
            Int64Chunked::from_vec("outcome".into(), self.outcome).into_column(),
            BooleanChunked::from_slice("outcome_known".into(), &self.outcome_known).into_column(),
        ];
        for (name, values) in exit_column_names().into_iter().zip(self.exits) {
            columns.push(Int64Chunked::from_vec(name.into(), values).into_column());
        }
        DataFrame::new(height, columns)
    }
}

/// Per live insats, its key.
///
/// Store ids come from an identity sequence and are nearly dense, so a vector indexed by
/// `id − smallest id` answers each of the million look-ups with one read from a few megabytes;
/// a hash map (the fallback for sparse ids) misses the cache on most probes, which measured at
/// half the time of building the frames.
enum InsatsLookup {
    Dense { first: i64, keys: Vec<i64> },
    Sparse(PlHashMap<i64, i64>),
}

impl InsatsLookup {
    const ABSENT: i64 = -1;

    fn new(inputs: &Inputs, forbund_index: &PlHashMap<&str, u32>) -> Result<InsatsLookup, StatsError> {
        let ids = inputs.insatser.iter().map(|row| row.id);
        let (first, last) = (ids.clone().min().unwrap_or(0), ids.max().unwrap_or(0));
        let span = i128::from(last) - i128::from(first) + 1;
        let mut lookup = if span <= 4 * inputs.insatser.len() as i128 + 1024 {
            InsatsLookup::Dense { first, keys: vec![Self::ABSENT; span as usize] }
        } else {
            InsatsLookup::Sparse(PlHashMap::with_capacity(inputs.insatser.len()))
        };
        for row in &inputs.insatser {
            let category = category(row.id, &row.kind, &row.orientation)?;
            let groups = target_group_set(&row.target_groups).map_err(|code| StatsError::UnknownCode {
                insats_id: row.id,
                field: "target group",
                code: code.to_owned(),
            })?;
            let forbund = forbund_index.get(row.forbund_key.as_str()).ok_or_else(|| StatsError::UnknownForbund {
                insats_id: row.id,
                forbund_key: row.forbund_key.clone(),
            })?;
            let key = encode(*forbund, category, groups);
            let duplicate = match &mut lookup {
                InsatsLookup::Dense { first, keys } => {
                    std::mem::replace(&mut keys[(row.id - *first) as usize], key) != Self::ABSENT
                }
                InsatsLookup::Sparse(keys) => keys.insert(row.id, key).is_some(),
            };
            if duplicate {
                return Err(StatsError::DuplicateInsats(row.id));
            }
        }
        Ok(lookup)
    }

    fn get(&self, id: i64) -> Option<i64> {
        match self {
            InsatsLookup::Dense { first, keys } => {
                let position = usize::try_from(id.checked_sub(*first)?).ok()?;
                keys.get(position).copied().filter(|&key| key != Self::ABSENT)
            }
            InsatsLookup::Sparse(keys) => keys.get(&id).copied(),
        }
    }
}

/// The key's category of an insats: its orientation's index, once kind and orientation are
/// known codes that belong together.
fn category(insats_id: i64, kind: &str, orientation: &str) -> Result<usize, StatsError> {
    let unknown = |field, code: &str| StatsError::UnknownCode { insats_id, field, code: code.to_owned() };
    let of_kind = Kind::from_code(kind).ok_or_else(|| unknown("kind", kind))?;
    let found = Orientation::from_code(orientation).ok_or_else(|| unknown("orientation", orientation))?;
    if found.kind() != of_kind {
        return Err(StatsError::OrientationOfOtherKind {
            insats_id,
            kind: kind.to_owned(),
            orientation: orientation.to_owned(),
        });
    }
    Ok(found.index())
}

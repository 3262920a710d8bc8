//! Computing the tables: [`Frames`] holds the registered data as polars frames, built once;
//! each call reduces them to the exact figures of the requested years within the selection and
//! assembles tables in the shape the catalog describes (`year`, then the table's dimensions,
//! the last varying fastest).

mod by_forbund;
mod completeness;
mod finances;
mod frames;
mod insats_years;
mod insatser;
mod keys;
mod participants;
mod totals;
pub(crate) mod values;

#[cfg(test)]
mod tests;

use polars::prelude::PolarsError;
use rust_decimal::Decimal;

pub use frames::Frames;

use crate::catalog::{TableId, year_dimension};
use crate::inputs::Inputs;
use crate::table::{Dimension, Selection, Table};
use totals::YearTotals;

#[derive(Debug, thiserror::Error)]
pub enum StatsError {
    #[error("no years requested")]
    NoYears,
    #[error("years must be in increasing order without repeats, got {0:?}")]
    UnsortedYears(Vec<i32>),
    #[error("insats {insats_id}: unknown {field} `{code}`")]
    UnknownCode { insats_id: i64, field: &'static str, code: String },
    #[error("insats {insats_id}: orientation `{orientation}` is not one of kind `{kind}`")]
    OrientationOfOtherKind { insats_id: i64, kind: String, orientation: String },
    #[error("insats {insats_id}: förbund `{forbund_key}` is not listed")]
    UnknownForbund { insats_id: i64, forbund_key: String },
    #[error("insats {0} is listed more than once")]
    DuplicateInsats(i64),
    #[error("polars: {0}")]
    Polars(#[from] PolarsError),
}

/// One table for `years` (sorted, non-empty) and a selection. Builds the frames for this call
/// only; to compute several tables, use [`compute_all`] or keep a [`Frames`].
pub fn compute(inputs: &Inputs, id: TableId, years: &[i32], selection: &Selection) -> Result<Table, StatsError> {
    validate_years(years)?;
    Frames::new(inputs)?.compute(id, years, selection)
}

/// Every table (in `TableId::ALL` order) for `years` and a selection, from frames built once.
pub fn compute_all(inputs: &Inputs, years: &[i32], selection: &Selection) -> Result<Vec<Table>, StatsError> {
    validate_years(years)?;
    Frames::new(inputs)?.compute_all(years, selection)
}

impl Frames {
    /// One table for `years` (sorted, non-empty) and a selection.
    pub fn compute(&self, id: TableId, years: &[i32], selection: &Selection) -> Result<Table, StatsError> {
        validate_years(years)?;
        self.compute_many(&[id], years, selection).map(|mut tables| tables.remove(0))
    }

    /// Every table, in `TableId::ALL` order; the frames are reduced once for all of them.
    pub fn compute_all(&self, years: &[i32], selection: &Selection) -> Result<Vec<Table>, StatsError> {
        self.compute_many(&TableId::ALL, years, selection)
    }

    /// The tables `ids`, in that order; the frames are reduced once for all of them.
    pub fn compute_many(
        &self,
        ids: &[TableId],
        years: &[i32],
        selection: &Selection,
    ) -> Result<Vec<Table>, StatsError> {
        validate_years(years)?;
        let registered = ids.iter().any(|id| !id.by_forbund() && *id != TableId::StateFunds);
        let totals = if registered { self.totals(years, selection)? } else { Vec::new() };
        Ok(ids
            .iter()
            .map(|&id| match id {
                _ if id.by_forbund() => self.by_forbund(id, years, selection),
                TableId::StateFunds => self.state_funds(years, selection),
                _ => assemble(id, years, selection, &totals),
            })
            .collect())
    }
}

fn validate_years(years: &[i32]) -> Result<(), StatsError> {
    if years.is_empty() {
        return Err(StatsError::NoYears);
    }
    if years.windows(2).any(|pair| pair[0] >= pair[1]) {
        return Err(StatsError::UnsortedYears(years.to_vec()));
    }
    Ok(())
}

/// A table's value for one year at one category code per dimension after `year`.
type CellValue = fn(&YearTotals, &[&str]) -> Option<Decimal>;

fn assemble(id: TableId, years: &[i32], selection: &Selection, totals: &[YearTotals]) -> Table {
    let value: CellValue = match id {
        TableId::InsatserByKind => insatser::by_kind,
        TableId::IndividualInsatser => insatser::individual,
        TableId::IndividualParticipants => participants::individual,
        TableId::StructuralInsatser => insatser::structural,
        TableId::TargetGroups => insatser::target_groups,
        TableId::Costs => finances::costs,
        TableId::Contributions => finances::contributions,
        TableId::Equity => finances::equity,
        TableId::Completeness => completeness::completeness,
        TableId::Exits => participants::exits,
        TableId::AdministrationShare => finances::administration_share,
        TableId::Allocation | TableId::EquityByForbund | TableId::StateFunds => {
            unreachable!("{} is assembled from decisions", id.code())
        }
    };
    let mut dimensions = vec![year_dimension(years)];
    dimensions.extend(id.info().dimensions);
    let codes = cell_codes(&dimensions[1..]);
    let values = totals.iter().flat_map(|year| codes.iter().map(move |cell| value(year, cell))).collect();
    let notes = match id {
        TableId::Equity => finances::equity_notes(years, totals),
        _ => Vec::new(),
    };
    Table { id, selection: selection.clone(), dimensions, values, notes }
}

/// Every combination of category codes, the last dimension varying fastest: the order of a
/// year's block of values. Driven by the catalog, so a table cannot drift from its metadata.
fn cell_codes(dimensions: &[Dimension]) -> Vec<Vec<&str>> {
    dimensions.iter().fold(vec![vec![]], |cells, dimension| {
        cells
            .iter()
            .flat_map(|cell| {
                dimension.categories.iter().map(move |category| {
                    let mut next = cell.clone();
                    next.push(category.code.as_str());
                    next
                })
            })
            .collect()
    })
}

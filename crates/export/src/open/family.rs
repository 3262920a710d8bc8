//! One table family: the same table (one id, one year) for the nation, every county and every
//! förbund. Its person counts become cells, tied by the table's own totals (gender → total,
//! orientation → total, reason → total) and by the levels (nation = Σ counties and unattributed
//! förbund, county = Σ its förbund).
//!
//! The family is protected as one problem (with the other person families, see `persons`), not
//! level by level as τ-Argus' HiTaS does: a pattern safe at each level on its own can still be
//! undone by combining the levels (a county's cell bounded both by the nation's sum and by its
//! förbund's), and the audit of the whole family is cheap enough (a few LPs per connected group
//! of suppressed cells, see `disclosure`).

use finsam_stats::Table;
use rust_decimal::prelude::ToPrimitive;

use crate::disclosure::{Cells, Relation};
pub(crate) use crate::labels::Layout;

/// Position of `code` in a dimension of `table`.
pub(crate) fn position(table: &Table, dimension: usize, code: &str) -> Option<usize> {
    table.dimensions[dimension].categories.iter().position(|c| c.code == code)
}

/// The family's tables, one per node, and each node's parent (`None` for the nation only).
pub(crate) struct Family<'a> {
    pub(crate) tables: &'a [Table],
    pub(crate) parents: &'a [Option<usize>],
    /// The person-count measure, e.g. `participants`.
    pub(crate) measure: &'static str,
}

/// `cell[node][value index]`: the cell of each person count, `None` for other values.
pub(crate) type CellMap = Vec<Vec<Option<usize>>>;

/// Adds the family's person counts to `cells` and its relations to `relations`.
pub(crate) fn add_family(family: &Family, cells: &mut Cells, relations: &mut Vec<Relation>) -> CellMap {
    let mut cell = Vec::with_capacity(family.tables.len());
    for table in family.tables {
        let measure_dim = table.dimensions.len() - 1;
        let wanted = position(table, measure_dim, family.measure);
        let layout = Layout::of(table);
        let ids: Vec<Option<usize>> = (0..table.values.len())
            .map(|i| {
                let value = table.values[i]?.to_i64()?;
                (Some(layout.coords(i)[measure_dim]) == wanted).then(|| {
                    cells.values.push(value);
                    cells.person_count.push(true);
                    cells.values.len() - 1
                })
            })
            .collect();
        cell.push(ids);
    }
    for (node, table) in family.tables.iter().enumerate() {
        relations.extend(within(table, &cell[node]));
    }
    for parent in 0..family.tables.len() {
        let children: Vec<usize> =
            (0..family.tables.len()).filter(|&node| family.parents[node] == Some(parent)).collect();
        if children.is_empty() {
            continue;
        }
        for (i, total) in cell[parent].iter().enumerate() {
            let parts: Option<Vec<usize>> = children.iter().map(|&c| cell[c].get(i).copied().flatten()).collect();
            if let (Some(total), Some(parts)) = (total, parts) {
                relations.push(Relation { total: *total, parts });
            }
        }
    }
    cell
}

/// A table's own totals among its person cells: for each dimension with a `total` category
/// (not `year`, not `measure`), every total equals the sum of the other categories.
fn within(table: &Table, cell: &[Option<usize>]) -> Vec<Relation> {
    let layout = Layout::of(table);
    let last = table.dimensions.len() - 1;
    let mut relations = Vec::new();
    for (i, total) in cell.iter().enumerate() {
        let Some(total) = *total else { continue };
        let coords = layout.coords(i);
        for d in 1..last {
            let Some(total_at) = position(table, d, "total") else { continue };
            if coords[d] != total_at {
                continue;
            }
            let parts: Option<Vec<usize>> = (0..table.dimensions[d].categories.len())
                .filter(|&k| k != total_at)
                .map(|k| {
                    let mut at = coords.clone();
                    at[d] = k;
                    cell[layout.index(&at)]
                })
                .collect();
            if let Some(parts) = parts {
                relations.push(Relation { total, parts });
            }
        }
    }
    relations
}

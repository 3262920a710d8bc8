//! The person counts of one release of a year as one problem: the three person-count families
//! (individual participants, structural insatser, exits) at every node, their totals and levels
//! (see [`family`](super::family)), and the bound an attacker also knows: nobody leaves who did
//! not take part.
//!
//! Every insats-year's exits (summed over reasons) are at most its participants, for women and
//! for men (the domain refuses anything else, and so does the database). Exits are counted over
//! all insatser, individual and structural, while structural participants are published only
//! as a total without gender. Summed over a node's insatser that gives, for each gender g of
//! women, men and total,
//!
//! `exits[reason total, g] ≤ individual participants[orientation total, g] + structural participants[orientation total]`,
//!
//! the tightest bound true of every possible data set (for women and men, the structural
//! participants of the gender are at most their total). It is stated at every node, so it is
//! carried up the levels.

use finsam_stats::{Table, TableId};

use super::family::{CellMap, Family, Layout, add_family, position};
use super::person_measure;
use crate::disclosure::{Bound, Cells, Constraint, Relation, Status, System};

/// The person-count tables, in the order of [`PersonCells::cell`] (the bound below relies on it).
pub(crate) const PERSON_TABLES: [TableId; 3] =
    [TableId::IndividualParticipants, TableId::StructuralInsatser, TableId::Exits];

/// The person counts of one release.
pub(crate) struct PersonCells {
    pub(crate) cells: Cells,
    pub(crate) relations: Vec<Relation>,
    pub(crate) bounds: Vec<Bound>,
    /// `cell[family][node][value index]`, families in [`PERSON_TABLES`] order.
    pub(crate) cell: Vec<CellMap>,
}

impl PersonCells {
    /// `families[f][node]`: the exact tables of [`PERSON_TABLES`]`[f]` at every node.
    pub(crate) fn build(families: [&[Table]; 3], parents: &[Option<usize>]) -> PersonCells {
        let (mut cells, mut relations) = (Cells::default(), Vec::new());
        let cell: Vec<CellMap> = families
            .iter()
            .zip(PERSON_TABLES)
            .map(|(tables, id)| {
                let measure = person_measure(id).expect("a person table").measure;
                add_family(&Family { tables, parents, measure }, &mut cells, &mut relations)
            })
            .collect();
        let mut bounds = Vec::new();
        for node in 0..parents.len() {
            let structural = at(&families[1][node], &[("orientation", "total"), ("measure", "participants")])
                .and_then(|i| cell[1][node][i]);
            for gender in ["women", "men", "total"] {
                let exits = at(&families[2][node], &[("reason", "total"), ("gender", gender), ("measure", "exits")])
                    .and_then(|i| cell[2][node][i]);
                let individual = at(
                    &families[0][node],
                    &[("orientation", "total"), ("gender", gender), ("measure", "participants")],
                )
                .and_then(|i| cell[0][node][i]);
                if let (Some(exits), Some(individual), Some(structural)) = (exits, individual, structural) {
                    bounds.push(Bound { parts: vec![exits], limit: vec![individual, structural] });
                }
            }
        }
        // A fact the figures break would make the audit infeasible; it cannot happen for sums
        // computed from the same rows (or rows the database checked), and is left out rather than trusted.
        let holds = |c: Constraint| c.holds(&cells.values);
        relations.retain(|r| holds(Constraint { lhs: vec![r.total], rhs: r.parts.clone(), equal: true }));
        bounds.retain(|b| holds(Constraint { lhs: b.parts.clone(), rhs: b.limit.clone(), equal: false }));
        PersonCells { cells, relations, bounds, cell }
    }

    pub(crate) fn system(&self) -> System<'_> {
        System { cells: &self.cells, relations: &self.relations, bounds: &self.bounds }
    }

    /// `status[family][node][value index]` from the status of each cell; values that are not
    /// person counts are `Published` (shares are settled afterwards, from these).
    pub(crate) fn spread(&self, status: &[Status]) -> Vec<Vec<Vec<Status>>> {
        self.cell
            .iter()
            .map(|family| {
                family
                    .iter()
                    .map(|node| node.iter().map(|c| c.map_or(Status::Published, |c| status[c])).collect())
                    .collect()
            })
            .collect()
    }
}

/// The index of the value of the first year with the given (dimension, category) codes; `None`
/// when the table lacks one of them.
fn at(table: &Table, codes: &[(&str, &str)]) -> Option<usize> {
    let mut coords = vec![0; table.dimensions.len()];
    for &(dimension, code) in codes {
        let d = table.dimensions.iter().position(|dim| dim.id == dimension)?;
        coords[d] = position(table, d, code)?;
    }
    Some(Layout::of(table).index(&coords))
}

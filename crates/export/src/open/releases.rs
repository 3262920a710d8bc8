//! The person counts of a new release of a year, protected together with the year's earlier
//! releases (see "Releases" in `disclosure`): the same cell is the same table, selection and value
//! index, and where its exact value did not change the attacker is assumed to know it.

use std::collections::HashMap;

use finsam_stats::{Selection, Table};

use super::OpenYear;
use super::persons::{PERSON_TABLES, PersonCells};
use crate::disclosure::{CellRef, Counterpart, Release, Status, protect_after};

/// One release as the disclosure problem sees it.
pub(crate) struct Version<'a> {
    pub(crate) selections: &'a [Selection],
    pub(crate) families: [&'a [Table]; 3],
    pub(crate) persons: PersonCells,
}

impl<'a> Version<'a> {
    pub(crate) fn new(selections: &'a [Selection], families: [&'a [Table]; 3], parents: &[Option<usize>]) -> Self {
        Version { selections, families, persons: PersonCells::build(families, parents) }
    }

    /// An earlier release from what it holds; `guess` supplies the levels when it does not.
    fn of(year: &'a OpenYear, guess: &dyn Fn(&[Selection]) -> Vec<Option<usize>>) -> Self {
        let families = PERSON_TABLES.map(|id| year.exact_family(id));
        let parents = year.parents.clone().unwrap_or_else(|| guess(&year.selections));
        Version::new(&year.selections, families, &parents)
    }

    /// The published status of each cell of an earlier release.
    pub(crate) fn published_status(&self, year: &OpenYear) -> Vec<Status> {
        let mut status = vec![Status::Published; self.persons.cells.values.len()];
        for (f, &id) in PERSON_TABLES.iter().enumerate() {
            for (node, open) in year.family(id).iter().enumerate() {
                for (i, cell) in self.persons.cell[f][node].iter().enumerate() {
                    if let Some(c) = cell
                        && open.status[i].is_some()
                    {
                        status[*c] = Status::Secondary;
                    }
                }
            }
        }
        status
    }
}

/// The status of every person cell of `current`, protected with `earlier` (oldest first).
/// `parents` are the current levels, used for an earlier release that does not hold its own.
pub(crate) fn protect(
    current: &Version,
    parents: &[Option<usize>],
    earlier: &[&OpenYear],
    threshold: i64,
) -> Vec<Status> {
    let guess = |selections: &[Selection]| guess_parents(selections, current.selections, parents);
    let versions: Vec<Version> = earlier.iter().map(|year| Version::of(year, &guess)).collect();
    let statuses: Vec<Vec<Status>> = versions.iter().zip(earlier).map(|(v, year)| v.published_status(year)).collect();
    let releases: Vec<Release> =
        versions.iter().zip(&statuses).map(|(v, status)| Release { system: v.persons.system(), status }).collect();
    let all: Vec<&Version> = versions.iter().chain([current]).collect();
    protect_after(current.persons.system(), &releases, &counterparts(&all), threshold)
}

/// Every pair of releases' cells at the same place: same table, same selection, same value index
/// of a table of the same shape.
pub(crate) fn counterparts(versions: &[&Version]) -> Vec<Counterpart> {
    let mut pairs = Vec::new();
    for (b, later) in versions.iter().enumerate() {
        let index: HashMap<&Selection, usize> = later.selections.iter().enumerate().map(|(i, s)| (s, i)).collect();
        for (a, before) in versions[..b].iter().enumerate() {
            for f in 0..PERSON_TABLES.len() {
                for (node_a, selection) in before.selections.iter().enumerate() {
                    let Some(&node_b) = index.get(selection) else { continue };
                    if before.families[f][node_a].dimensions != later.families[f][node_b].dimensions {
                        continue;
                    }
                    let cells_a = &before.persons.cell[f][node_a];
                    let cells_b = &later.persons.cell[f][node_b];
                    for (ca, cb) in cells_a.iter().zip(cells_b) {
                        if let (Some(ca), Some(cb)) = (ca, cb) {
                            pairs.push(Counterpart(
                                CellRef { release: a, cell: *ca },
                                CellRef { release: b, cell: *cb },
                            ));
                        }
                    }
                }
            }
        }
    }
    pairs
}

/// Levels for an earlier release loaded without them: each förbund in the county it has now
/// (in the nation if that county is not in the release, or the förbund is no longer known).
/// Should the attribution have changed, the levels no longer add up and `PersonCells` drops them.
fn guess_parents(selections: &[Selection], current: &[Selection], parents: &[Option<usize>]) -> Vec<Option<usize>> {
    let index: HashMap<&Selection, usize> = selections.iter().enumerate().map(|(i, s)| (s, i)).collect();
    let now: HashMap<&Selection, usize> = current.iter().enumerate().map(|(i, s)| (s, i)).collect();
    let nation = index.get(&Selection::National).copied();
    selections
        .iter()
        .map(|selection| match selection {
            Selection::National => None,
            Selection::County(_) => nation,
            Selection::Forbund(_) => {
                now.get(selection).and_then(|&i| parents[i]).and_then(|p| index.get(&current[p]).copied()).or(nation)
            }
        })
        .collect()
}

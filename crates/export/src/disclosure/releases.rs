//! Several releases of the same tables as one problem: see "Releases" in the module documentation.

use std::collections::{BTreeMap, HashSet};

use super::protect::{Task, run};
use super::{Cells, Constraint, Status, System, audit, is_primary};

/// A cell of one release. `release` indexes the releases oldest first, the one being protected
/// (if any) last.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CellRef {
    pub release: usize,
    pub cell: usize,
}

/// The same cell (the same place in the same table) in two releases. When their true values
/// are equal, the attacker is assumed to know that it did not change: they are one unknown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Counterpart(pub CellRef, pub CellRef);

/// A published release: its cells, relations and bounds, and the status of each cell.
#[derive(Debug, Clone, Copy)]
pub struct Release<'a> {
    pub system: System<'a>,
    pub status: &'a [Status],
}

/// Statuses for the cells of `new` such that no suppressed cell of it or of any `earlier`
/// release (oldest first, statuses frozen) has an interval of width `threshold` or less, given
/// every release's published cells, relations and bounds and which counterparts are unchanged.
/// `counterparts` refer to the earlier releases by position and to `new` as `earlier.len()`.
///
/// # Panics
/// If a status list does not match its cells, or a relation, bound or counterpart indexes
/// outside them.
pub fn protect_after(new: System, earlier: &[Release], counterparts: &[Counterpart], threshold: i64) -> Vec<Status> {
    let systems: Vec<System> = earlier.iter().map(|r| r.system).chain([new]).collect();
    let merged = Merged::of(&systems, counterparts);
    let n = merged.cells.values.len();
    let mut frozen: Vec<Option<Status>> = vec![None; n];
    for (r, release) in earlier.iter().enumerate() {
        assert_eq!(release.status.len(), release.system.cells.values.len(), "one status per cell");
        for (c, status) in release.status.iter().enumerate() {
            let m = merged.of[r][c];
            // Published anywhere, the value is out; suppressed in every earlier release, it stays hidden.
            frozen[m] = if frozen[m] == Some(Status::Published) || !status.is_suppressed() {
                Some(Status::Published)
            } else {
                Some(Status::Secondary)
            };
        }
    }
    let latest = earlier.len();
    let mut preferred = vec![false; n];
    for &Counterpart(a, b) in counterparts {
        for (old, now) in [(a, b), (b, a)] {
            if now.release == latest && old.release < latest && earlier[old.release].status[old.cell].is_suppressed() {
                preferred[merged.of[latest][now.cell]] = true;
            }
        }
    }
    let task = Task { cells: &merged.cells, constraints: &merged.constraints, frozen: &frozen, preferred: &preferred };
    let status = run(&task, threshold);
    (0..new.cells.values.len())
        .map(|c| {
            let m = merged.of[latest][c];
            let hidden = frozen[m] != Some(Status::Published) && status[m].is_suppressed();
            // A count from 1 to the threshold is marked suppressed even when an earlier release
            // gave its value (a threshold raised since): the rule is kept, though it hides nothing.
            match (is_primary(new.cells, c, threshold), hidden) {
                (true, _) => Status::Primary,
                (false, true) => Status::Secondary,
                (false, false) => Status::Published,
            }
        })
        .collect()
}

/// Each release's intervals as the attacker of the module documentation computes them, holding
/// every release: for each suppressed cell the interval of values consistent with everything
/// published, `None` for published cells. A cell suppressed here but published unchanged in
/// another release has a zero-width interval.
pub fn combined_intervals(releases: &[Release], counterparts: &[Counterpart]) -> Vec<Vec<Option<(f64, f64)>>> {
    let systems: Vec<System> = releases.iter().map(|r| r.system).collect();
    let merged = Merged::of(&systems, counterparts);
    let mut hidden = vec![true; merged.cells.values.len()];
    for (r, release) in releases.iter().enumerate() {
        for (c, status) in release.status.iter().enumerate() {
            hidden[merged.of[r][c]] &= status.is_suppressed();
        }
    }
    let status: Vec<Status> = hidden.iter().map(|&h| if h { Status::Secondary } else { Status::Published }).collect();
    let intervals = audit::intervals(&merged.cells, &merged.constraints, &status);
    releases
        .iter()
        .enumerate()
        .map(|(r, release)| {
            (0..release.status.len())
                .map(|c| {
                    let m = merged.of[r][c];
                    let value = merged.cells.values[m] as f64;
                    release.status[c].is_suppressed().then(|| intervals[m].unwrap_or((value, value)))
                })
                .collect()
        })
        .collect()
}

/// Every release's cells as one set, counterparts with equal values as one cell, and every
/// release's constraints over them, each distinct constraint once.
struct Merged {
    cells: Cells,
    constraints: Vec<Constraint>,
    /// `of[release][cell]`: the merged cell.
    of: Vec<Vec<usize>>,
}

impl Merged {
    fn of(systems: &[System], counterparts: &[Counterpart]) -> Merged {
        let offsets: Vec<usize> = systems
            .iter()
            .scan(0, |next, s| {
                let at = *next;
                *next += s.cells.values.len();
                Some(at)
            })
            .collect();
        let global = |r: CellRef| offsets[r.release] + r.cell;
        let value = |r: CellRef| systems[r.release].cells.values[r.cell];
        let total: usize = systems.iter().map(|s| s.cells.values.len()).sum();
        let mut parent: Vec<usize> = (0..total).collect();
        for &Counterpart(a, b) in counterparts {
            if value(a) == value(b) {
                let (ra, rb) = (find(&mut parent, global(a)), find(&mut parent, global(b)));
                parent[ra] = rb;
            }
        }
        let mut id_of_root: BTreeMap<usize, usize> = BTreeMap::new();
        let mut cells = Cells::default();
        let mut of = Vec::with_capacity(systems.len());
        for (r, system) in systems.iter().enumerate() {
            let mut ids = Vec::with_capacity(system.cells.values.len());
            for c in 0..system.cells.values.len() {
                let root = find(&mut parent, offsets[r] + c);
                let next = id_of_root.len();
                let id = *id_of_root.entry(root).or_insert(next);
                if id == cells.values.len() {
                    cells.values.push(system.cells.values[c]);
                    cells.person_count.push(false);
                }
                cells.person_count[id] |= system.cells.person_count[c];
                ids.push(id);
            }
            of.push(ids);
        }
        let mut seen = HashSet::new();
        let mut constraints = Vec::new();
        for (r, system) in systems.iter().enumerate() {
            for constraint in system.constraints() {
                let map = |side: &[usize]| {
                    let mut side: Vec<usize> = side.iter().map(|&c| of[r][c]).collect();
                    side.sort_unstable();
                    side
                };
                let merged =
                    Constraint { lhs: map(&constraint.lhs), rhs: map(&constraint.rhs), equal: constraint.equal };
                if seen.insert(merged.clone()) {
                    constraints.push(merged);
                }
            }
        }
        Merged { cells, constraints, of }
    }
}

fn find(parent: &mut [usize], mut i: usize) -> usize {
    while parent[i] != i {
        parent[i] = parent[parent[i]];
        i = parent[i];
    }
    i
}

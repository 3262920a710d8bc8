//! Disclosure control for tables of counts: primary and secondary cell suppression, proved by an
//! LP audit. Pure and generic: it sees cells (values, and whether each counts persons) and the
//! additive relations between them (a total equals the sum of its parts), nothing else. The same
//! cell may take part in many relations, so several tables published side by side (national,
//! county, förbund, a series) are protected together by passing them as one [`Cells`].
//!
//! # Algorithm
//!
//! 1. **Primary suppression.** Every person count from 1 to `threshold` (inclusive) is suppressed.
//!    Zero is published: it is not a small group of persons, and hiding it would hide nothing.
//!    Cells that are not person counts (insatser, money) are never primary-suppressed.
//! 2. **First secondary pass** (cheap, no LP). A relation with exactly one suppressed member (its
//!    total or a part) would give that member away by subtraction, so the cheapest suitable other
//!    published member of the relation is suppressed too (see "Cost" below). This is repeated to a
//!    fixed point, since each new suppression may expose another relation.
//! 3. **Audit and repair.** The pass above only defeats single-equation arithmetic; combinations of
//!    equations (e.g. a 2×2 table with margins) can still pin a cell down. So for every suppressed
//!    cell the interval of values consistent with the published cells, the relations and
//!    non-negativity is computed by linear programming ([`feasible_intervals`]). Each suppressed
//!    cell whose interval is not wider than `threshold` gets one more suppression: the cheapest
//!    suitable published cell in a relation containing it, or, when those relations are all
//!    suppressed, in a relation touching its connected group of suppressed cells. Step 2 closes
//!    any relation this leaves with one suppressed member, and the audit runs again.
//!
//! The audit is cheap because it rarely needs the two LPs per cell that define the intervals:
//! the true values and every LP optimum are feasible points, and a cell whose values across the
//! points seen already span more than the threshold is proven protected. Two LPs pushing the sum
//! of a whole group up and then down usually prove most of it at once.
//!
//! Step 3 terminates because each round suppresses at least one more cell, or stops when no
//! published cell can be added near a failing one. Suppressing a whole connected group leaves only
//! homogeneous equations and non-negativity, whose solutions can be scaled up, so any cell with a
//! positive value then has an unbounded interval; the loop therefore ends passing the audit except
//! in degenerate cases (cells forced to zero), where everything near them is suppressed.
//!
//! **Cost.** The cost of a cell is its value, as in τ-Argus' default: hiding small cells loses
//! least information. But a partner can only give a suppressed cell as much room as it has itself,
//! so the cheapest cell *above the threshold* is chosen, the largest one when none is; zeros and
//! ones would fail the audit and draw more suppressions. The result is a good, not a minimal,
//! pattern (optimal secondary suppression is NP-hard); the audit is what guarantees protection,
//! not the heuristic.

mod audit;
#[cfg(test)]
mod tests;

pub use audit::feasible_intervals;

/// Cells of one or more tables, and the additive relations between them (a total equals the sum of its parts).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Cells {
    /// The true value of each cell.
    pub values: Vec<i64>,
    /// Whether each cell counts persons; only these may be primary-suppressed.
    pub person_count: Vec<bool>,
}

/// `values[total] == sum(values[parts])`, indices into [`Cells`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Relation {
    pub total: usize,
    pub parts: Vec<usize>,
}

impl Relation {
    /// The total and the parts: every cell the equation mentions.
    fn members(&self) -> impl Iterator<Item = usize> + '_ {
        std::iter::once(self.total).chain(self.parts.iter().copied())
    }
}

/// Publication status of one cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Published,
    /// A person count from 1 to the threshold.
    Primary,
    /// Hidden so that a primary (or other secondary) cell cannot be computed.
    Secondary,
}

impl Status {
    pub fn is_suppressed(self) -> bool {
        self != Status::Published
    }
}

/// Tolerance for LP results: the solver works in floating point, and a width that is the threshold
/// up to rounding must count as "not wider".
pub(crate) const EPS: f64 = 1e-6;

/// Whether an audited interval protects its cell: wider than `threshold`. `None` means the audit
/// found the system infeasible (inconsistent input), which cannot be shown safe.
pub(crate) fn wide_enough(interval: Option<(f64, f64)>, threshold: i64) -> bool {
    interval.is_some_and(|(lo, hi)| hi - lo > threshold as f64 + EPS)
}

/// Primary: person counts from 1 to `threshold` (inclusive; 0 is never suppressed). Secondary: enough further cells,
/// cheapest first (smallest values), that no suppressed cell can be computed from the published ones and the relations.
///
/// Every suppressed cell's feasible interval (see [`feasible_intervals`]) is wider than `threshold`,
/// unless even suppressing everything near it cannot achieve that (see the module documentation).
///
/// # Panics
/// If `cells.person_count` and `cells.values` differ in length, or a relation indexes outside them.
pub fn protect(cells: &Cells, relations: &[Relation], threshold: i64) -> Vec<Status> {
    assert_eq!(cells.values.len(), cells.person_count.len(), "one person_count flag per value");
    let mut status: Vec<Status> = cells
        .values
        .iter()
        .zip(&cells.person_count)
        .map(|(&v, &person)| if person && (1..=threshold).contains(&v) { Status::Primary } else { Status::Published })
        .collect();
    if !status.iter().any(|s| s.is_suppressed()) {
        return status;
    }
    let pick = Picker { cells };
    first_pass(&pick, relations, threshold, &mut status);
    loop {
        let failing = audit::unprotected(cells, relations, &status, threshold);
        if failing.is_empty() {
            return status;
        }
        // Cells sharing a relation with a cell suppressed this round may already be protected by
        // it; waiting for the next audit avoids suppressing two cells where one suffices.
        let mut touched = vec![false; relations.len()];
        let mut added = false;
        for cell in failing {
            if containing(relations, cell).any(|k| touched[k]) {
                continue;
            }
            if let Some(next) = repair_candidate(&pick, relations, &status, cell, threshold) {
                status[next] = Status::Secondary;
                added = true;
                containing(relations, next).for_each(|k| touched[k] = true);
            }
        }
        if !added {
            // Nothing published is left near any failing cell: the best that can be done.
            return status;
        }
        // A new suppression may be alone in another relation: close that gap before paying for an audit.
        first_pass(&pick, relations, threshold, &mut status);
    }
}

/// Chooses secondary suppressions.
struct Picker<'a> {
    cells: &'a Cells,
}

impl Picker<'_> {
    /// The cell to suppress next: among the published cells of `candidates`, the smallest above
    /// the threshold, else the largest. A suppressed cell can only move as far as the cells it
    /// trades with across its equations can move the other way, so partners above the threshold
    /// give the room an attacker must not be able to rule out; choosing by value alone would
    /// pick zeros and ones, which hide little, fail the audit and set off cascades of further
    /// suppressions. Ties go to the lowest index so the pattern is deterministic.
    fn cheapest(&self, status: &[Status], candidates: impl Iterator<Item = usize>, threshold: i64) -> Option<usize> {
        let need = threshold + 1;
        let open: Vec<usize> = candidates.filter(|&i| !status[i].is_suppressed()).collect();
        let value = |i: usize| self.cells.values[i];
        open.iter()
            .copied()
            .filter(|&i| value(i) >= need)
            .min_by_key(|&i| (value(i), i))
            .or_else(|| open.iter().copied().max_by_key(|&i| (value(i), std::cmp::Reverse(i))))
    }
}

/// Indices of the relations that mention `cell`.
fn containing(relations: &[Relation], cell: usize) -> impl Iterator<Item = usize> + '_ {
    relations.iter().enumerate().filter(move |(_, r)| r.members().any(|i| i == cell)).map(|(k, _)| k)
}

/// Step 2: no relation may have exactly one suppressed member. Fixed point.
fn first_pass(pick: &Picker, relations: &[Relation], threshold: i64, status: &mut [Status]) {
    let mut changed = true;
    while changed {
        changed = false;
        for relation in relations {
            let mut suppressed = relation.members().filter(|&i| status[i].is_suppressed());
            if let (Some(_), None) = (suppressed.next(), suppressed.next())
                && let Some(next) = pick.cheapest(status, relation.members(), threshold)
            {
                status[next] = Status::Secondary;
                changed = true;
            }
        }
    }
}

/// Step 3's choice for a failing cell: the cheapest published cell in a relation containing it,
/// else in a relation touching any suppressed cell connected to it through relations.
fn repair_candidate(
    pick: &Picker,
    relations: &[Relation],
    status: &[Status],
    cell: usize,
    threshold: i64,
) -> Option<usize> {
    let direct = relations.iter().filter(|r| r.members().any(|i| i == cell)).flat_map(Relation::members);
    if let Some(found) = pick.cheapest(status, direct, threshold) {
        return Some(found);
    }
    let group = suppressed_group(relations, status, cell);
    let near = relations.iter().filter(|r| r.members().any(|i| group[i])).flat_map(Relation::members);
    pick.cheapest(status, near, threshold)
}

/// The suppressed cells reachable from `cell` through relations, walking only over suppressed
/// cells (published cells are constants in the audit and so do not connect anything).
fn suppressed_group(relations: &[Relation], status: &[Status], cell: usize) -> Vec<bool> {
    let mut seen = vec![false; status.len()];
    seen[cell] = true;
    let mut stack = vec![cell];
    while let Some(c) = stack.pop() {
        for relation in relations.iter().filter(|r| r.members().any(|i| i == c)) {
            for m in relation.members() {
                if status[m].is_suppressed() && !seen[m] {
                    seen[m] = true;
                    stack.push(m);
                }
            }
        }
    }
    seen
}

//! Disclosure control for tables of counts: primary and secondary cell suppression, proved by an
//! LP audit. Pure and generic: it sees cells (values, and whether each counts persons) and what
//! an attacker knows about them besides the published values: additive relations (a total equals
//! the sum of its parts), bounds (a sum of cells is at most another sum) and non-negativity. The
//! same cell may take part in many relations, so several tables published side by side (national,
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
//!    fixed point, since each new suppression may expose another relation. Bounds are left to
//!    the audit: one alone never pins a cell down to a point.
//! 3. **Audit and repair.** The pass above only defeats single-equation arithmetic; combinations of
//!    equations (e.g. a 2×2 table with margins), and bounds (exits at most participants), can
//!    still pin a cell down. So for every suppressed cell the interval of values consistent with
//!    the published cells, the relations, the bounds and non-negativity is computed by linear
//!    programming ([`feasible_intervals`]). Each suppressed cell whose interval is not wider than
//!    `threshold` gets one more suppression: the cheapest published cell above the threshold in a
//!    relation or bound containing it, else in one touching its connected group of suppressed
//!    cells, and only when neither has one a smaller cell (nearest first). Step 2 closes any
//!    relation this leaves with one suppressed member, and the audit runs again.
//!
//! The audit is cheap because it rarely needs the two LPs per cell that define the intervals:
//! the true values and every LP optimum are feasible points, and a cell whose values across the
//! points seen already span more than the threshold is proven protected. Two LPs pushing the sum
//! of a whole group up and then down usually prove most of it at once.
//!
//! Step 3 terminates because each round suppresses at least one more cell, or stops when no
//! published cell can be added near a failing one. Suppressing a whole connected group leaves only
//! homogeneous equations, bounds by published cells and non-negativity; short of cells forced to
//! zero or pinned by published bounds, that leaves every cell room, and the loop ends passing the
//! audit; otherwise everything near the failing cells is suppressed.
//!
//! **Cost.** The cost of a cell is its value, as in τ-Argus' default: hiding small cells loses
//! least information. But a partner can only give a suppressed cell as much room as it has itself,
//! so the cheapest cell *above the threshold* is chosen, the largest one when none is; zeros and
//! ones would fail the audit and draw more suppressions. The result is a good, not a minimal,
//! pattern (optimal secondary suppression is NP-hard); the audit is what guarantees protection,
//! not the heuristic.
//!
//! # Releases
//!
//! A table may be published again after corrections (a new release of a closed year), and an
//! attacker then holds every release. [`protect_after`] protects a new release together with the
//! earlier ones, whose statuses are frozen. The attacker is assumed to know, besides each
//! release's published cells and relations, which cells did not change between releases: the
//! caller names [`Counterpart`]s (the same cell in two releases), and counterparts with equal
//! true values are *one* unknown. So a cell published in any release is known in all releases
//! where it is unchanged, and a cell suppressed earlier and unchanged must stay suppressed.
//!
//! The releases are merged into one problem: cells linked through equal counterparts become one
//! cell (union-find), and every release's relations and bounds are rewritten over the merged
//! cells (duplicates, e.g. an unchanged table's totals, kept once). A merged cell with a member in
//! an earlier release is frozen: published if any earlier member was published (the value is out),
//! suppressed otherwise (and then its member in the new release is suppressed as well). Only
//! cells of the new release alone are free. Steps 1–3 then run on the merged problem, choosing
//! among free cells only, and the audit covers every suppressed cell of every release. Free cells
//! suppressed at the same place in an earlier release (changed since) are the cheapest candidates,
//! before the cost above: repeating the earlier pattern is the standard remedy for periodic
//! releases, and hides least that was not hidden before. With unchanged data everything is frozen,
//! and the new release gets exactly the earlier pattern.

mod audit;
mod protect;
#[cfg(test)]
mod release_tests;
mod releases;
#[cfg(test)]
mod tests;

pub use audit::{feasible_intervals, feasible_intervals_of};
pub use releases::{CellRef, Counterpart, Release, combined_intervals, protect_after};

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

/// `sum(values[parts]) <= sum(values[limit])`, indices into [`Cells`]: a fact about every
/// possible data set (e.g. no more exits than participants), not only about these values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bound {
    pub parts: Vec<usize>,
    pub limit: Vec<usize>,
}

/// Cells and everything an attacker knows about them besides the published values.
#[derive(Debug, Clone, Copy)]
pub struct System<'a> {
    pub cells: &'a Cells,
    pub relations: &'a [Relation],
    pub bounds: &'a [Bound],
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

/// Whether a cell is primary-suppressed: a person count from 1 to `threshold` (0 never is).
pub(crate) fn is_primary(cells: &Cells, i: usize, threshold: i64) -> bool {
    cells.person_count[i] && (1..=threshold).contains(&cells.values[i])
}

/// One linear fact over cells, as the algorithm sees both kinds: `Σ lhs = Σ rhs` or `Σ lhs ≤ Σ rhs`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct Constraint {
    pub(crate) lhs: Vec<usize>,
    pub(crate) rhs: Vec<usize>,
    /// `=` rather than `≤`.
    pub(crate) equal: bool,
}

impl Constraint {
    pub(crate) fn members(&self) -> impl Iterator<Item = usize> + '_ {
        self.lhs.iter().chain(&self.rhs).copied()
    }

    /// Whether the values satisfy it: facts the figures break would make the audit infeasible.
    pub(crate) fn holds(&self, values: &[i64]) -> bool {
        let sum = |side: &[usize]| side.iter().map(|&i| values[i]).sum::<i64>();
        let (l, r) = (sum(&self.lhs), sum(&self.rhs));
        if self.equal { l == r } else { l <= r }
    }
}

impl System<'_> {
    /// Relations and bounds as one list of constraints.
    pub(crate) fn constraints(&self) -> Vec<Constraint> {
        let equal = self.relations.iter().map(|r| Constraint { lhs: vec![r.total], rhs: r.parts.clone(), equal: true });
        let bounds =
            self.bounds.iter().map(|b| Constraint { lhs: b.parts.clone(), rhs: b.limit.clone(), equal: false });
        equal.chain(bounds).collect()
    }
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
    protect_system(System { cells, relations, bounds: &[] }, threshold)
}

/// [`protect`] with bounds too: every suppressed cell's interval given the relations, the bounds
/// and non-negativity is wider than `threshold`.
pub fn protect_system(system: System, threshold: i64) -> Vec<Status> {
    protect_after(system, &[], &[], threshold)
}

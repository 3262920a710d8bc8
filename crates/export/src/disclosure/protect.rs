//! Steps 1–3 of the algorithm (see the module documentation) on one problem, some of whose cells
//! may be frozen by earlier releases.

use super::{Cells, Constraint, Status, audit, is_primary};

/// One problem to protect.
pub(crate) struct Task<'a> {
    pub(crate) cells: &'a Cells,
    pub(crate) constraints: &'a [Constraint],
    /// The status an earlier release fixed, `None` for cells free to choose.
    pub(crate) frozen: &'a [Option<Status>],
    /// Free cells to choose first as secondary suppressions.
    pub(crate) preferred: &'a [bool],
}

impl Task<'_> {
    fn is_free(&self, i: usize) -> bool {
        self.frozen[i].is_none()
    }
}

/// Statuses such that every suppressed cell, frozen or free, has an interval wider than
/// `threshold`, as far as suppressing free cells can achieve it.
pub(crate) fn run(task: &Task, threshold: i64) -> Vec<Status> {
    let n = task.cells.values.len();
    assert_eq!(n, task.cells.person_count.len(), "one person_count flag per value");
    assert!(task.frozen.len() == n && task.preferred.len() == n, "one frozen and preferred flag per value");
    let mut status: Vec<Status> = (0..n)
        .map(|i| {
            task.frozen[i].unwrap_or(if is_primary(task.cells, i, threshold) {
                Status::Primary
            } else {
                Status::Published
            })
        })
        .collect();
    if !status.iter().any(|s| s.is_suppressed()) {
        return status;
    }
    let mut containing = vec![Vec::new(); n];
    for (k, constraint) in task.constraints.iter().enumerate() {
        for m in constraint.members() {
            if containing[m].last() != Some(&k) {
                containing[m].push(k);
            }
        }
    }
    let pick = Picker { task, containing: &containing };
    pick.first_pass(threshold, &mut status);
    loop {
        let failing = audit::unprotected(task.cells, task.constraints, &status, threshold);
        if failing.is_empty() {
            return status;
        }
        // Cells sharing a constraint with a cell suppressed this round may already be protected
        // by it; waiting for the next audit avoids suppressing two cells where one suffices.
        let mut touched = vec![false; task.constraints.len()];
        let mut added = false;
        for cell in failing {
            if containing[cell].iter().any(|&k| touched[k]) {
                continue;
            }
            if let Some(next) = pick.repair_candidate(&status, cell, threshold) {
                status[next] = Status::Secondary;
                added = true;
                containing[next].iter().for_each(|&k| touched[k] = true);
            }
        }
        if !added {
            // Nothing free and published is left near any failing cell: the best that can be done.
            return status;
        }
        // A new suppression may be alone in another relation: close that gap before paying for an audit.
        pick.first_pass(threshold, &mut status);
    }
}

/// Chooses secondary suppressions.
struct Picker<'a> {
    task: &'a Task<'a>,
    /// The constraints mentioning each cell.
    containing: &'a [Vec<usize>],
}

impl Picker<'_> {
    fn members(&self, k: usize) -> impl Iterator<Item = usize> + '_ {
        self.task.constraints[k].members()
    }

    /// The cell to suppress next: among the free published cells of `candidates`, the preferred
    /// before the others, and within each the smallest above the threshold, else the largest. A
    /// suppressed cell can only move as far as the cells it trades with across its equations can
    /// move the other way, so partners above the threshold give the room an attacker must not be
    /// able to rule out; choosing by value alone would pick zeros and ones, which hide little,
    /// fail the audit and set off cascades of further suppressions. Ties go to the lowest index
    /// so the pattern is deterministic.
    fn cheapest(&self, status: &[Status], candidates: impl Iterator<Item = usize>, threshold: i64) -> Option<usize> {
        let open: Vec<usize> = self.open(status, candidates);
        self.above(&open, threshold).or_else(|| self.largest(&open))
    }

    /// The free published cells among `candidates`.
    fn open(&self, status: &[Status], candidates: impl Iterator<Item = usize>) -> Vec<usize> {
        candidates.filter(|&i| !status[i].is_suppressed() && self.task.is_free(i)).collect()
    }

    /// The preferred, then smallest, cell above the threshold.
    fn above(&self, open: &[usize], threshold: i64) -> Option<usize> {
        let task = self.task;
        let value = |i: usize| task.cells.values[i];
        open.iter().copied().filter(|&i| value(i) > threshold).min_by_key(|&i| (!task.preferred[i], value(i), i))
    }

    /// The preferred, then largest, cell.
    fn largest(&self, open: &[usize]) -> Option<usize> {
        let task = self.task;
        open.iter().copied().min_by_key(|&i| (!task.preferred[i], std::cmp::Reverse(task.cells.values[i]), i))
    }

    /// Step 2: no relation may have exactly one suppressed member. Fixed point.
    fn first_pass(&self, threshold: i64, status: &mut [Status]) {
        let mut changed = true;
        while changed {
            changed = false;
            for (k, constraint) in self.task.constraints.iter().enumerate() {
                if !constraint.equal {
                    continue;
                }
                let mut suppressed = self.members(k).filter(|&i| status[i].is_suppressed());
                if let (Some(_), None) = (suppressed.next(), suppressed.next())
                    && let Some(next) = self.cheapest(status, self.members(k), threshold)
                {
                    status[next] = Status::Secondary;
                    changed = true;
                }
            }
        }
    }

    /// Step 3's choice for a failing cell: the cheapest published cell above the threshold in a
    /// constraint containing it, else in a constraint touching any suppressed cell connected to it
    /// through constraints; only then a smaller one, nearest first. A small partner near the cell
    /// gives it little room and, pinned itself, draws further suppressions: a larger one a step
    /// away does better.
    fn repair_candidate(&self, status: &[Status], cell: usize, threshold: i64) -> Option<usize> {
        let direct = self.open(status, self.containing[cell].iter().flat_map(|&k| self.members(k)));
        if let Some(found) = self.above(&direct, threshold) {
            return Some(found);
        }
        let group = self.suppressed_group(status, cell);
        let near =
            self.open(status, group.iter().flat_map(|&c| self.containing[c].iter()).flat_map(|&k| self.members(k)));
        self.above(&near, threshold).or_else(|| self.largest(&direct)).or_else(|| self.largest(&near))
    }

    /// The suppressed cells reachable from `cell` through constraints, walking only over
    /// suppressed cells (published cells are constants in the audit and so connect nothing).
    fn suppressed_group(&self, status: &[Status], cell: usize) -> Vec<usize> {
        let mut seen = vec![false; status.len()];
        seen[cell] = true;
        let (mut group, mut stack) = (vec![cell], vec![cell]);
        while let Some(c) = stack.pop() {
            for &k in &self.containing[c] {
                for m in self.members(k) {
                    if status[m].is_suppressed() && !seen[m] {
                        seen[m] = true;
                        group.push(m);
                        stack.push(m);
                    }
                }
            }
        }
        group
    }
}

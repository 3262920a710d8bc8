//! The LP audit: what an attacker can deduce about each suppressed cell from the published cells,
//! the relations, the bounds and non-negativity of counts.

use good_lp::{Expression, ProblemVariables, ResolutionError, Solution, SolverModel, Variable, microlp, variable};

use super::{Cells, Constraint, Relation, Status, System, wide_enough};

/// For each suppressed cell, the interval of values consistent with the published cells, the relations and
/// non-negativity, by linear programming (min and max of the cell). See [`feasible_intervals_of`] for bounds too.
///
/// `None` for published cells. The max is `f64::INFINITY` when nothing bounds the cell (e.g. a
/// suppressed grand total). A suppressed cell also gets `None` if its equations have no
/// non-negative solution, which only happens when the relations do not hold for `cells.values`.
///
/// Suppressed cells are split into groups connected through relations, and each group is solved
/// on its own: cells in different groups share no equation, so this gives the same intervals as
/// one large LP, with much smaller ones.
///
/// # Panics
/// If `status` and `cells.values` differ in length, or a relation indexes outside them.
pub fn feasible_intervals(cells: &Cells, relations: &[Relation], status: &[Status]) -> Vec<Option<(f64, f64)>> {
    feasible_intervals_of(System { cells, relations, bounds: &[] }, status)
}

/// [`feasible_intervals`] given the relations and the bounds of `system`.
pub fn feasible_intervals_of(system: System, status: &[Status]) -> Vec<Option<(f64, f64)>> {
    intervals(system.cells, &system.constraints(), status)
}

pub(crate) fn intervals(cells: &Cells, relations: &[Constraint], status: &[Status]) -> Vec<Option<(f64, f64)>> {
    let mut result = vec![None; status.len()];
    for (group, touching) in groups(relations, status) {
        for (k, &cell) in group.iter().enumerate() {
            let lo = optimise(cells, &touching, &group, Objective::Cell(cell), false).extreme_of(k, false);
            let hi = optimise(cells, &touching, &group, Objective::Cell(cell), true).extreme_of(k, true);
            result[cell] = lo.zip(hi);
        }
    }
    result
}

/// The suppressed cells whose feasible interval is not wider than `threshold`: what
/// [`feasible_intervals`] and [`wide_enough`] would say, with far fewer LPs. Every optimum is a
/// feasible point for all cells of its group, as are the true values; a cell whose values over
/// the points seen so far already span more than `threshold` is protected without its own LPs.
pub(crate) fn unprotected(cells: &Cells, relations: &[Constraint], status: &[Status], threshold: i64) -> Vec<usize> {
    let mut failing = Vec::new();
    for (group, touching) in groups(relations, status) {
        let mut seen: Vec<(f64, f64)> =
            group.iter().map(|&c| (cells.values[c] as f64, cells.values[c] as f64)).collect();
        let spans = |seen: &[(f64, f64)], k: usize| wide_enough(Some(seen[k]), threshold);
        let record = |seen: &mut Vec<(f64, f64)>, point: Vec<f64>| {
            for (slot, value) in seen.iter_mut().zip(point) {
                *slot = (slot.0.min(value), slot.1.max(value));
            }
        };
        // Pushing all cells up, then all down, at once usually spreads most of them far enough
        // in two LPs; only the rest need LPs of their own.
        for maximise in [true, false] {
            if let Outcome::Optimum(point) = optimise(cells, &touching, &group, Objective::Sum, maximise) {
                record(&mut seen, point);
            }
        }
        for (k, &cell) in group.iter().enumerate() {
            for maximise in [true, false] {
                if spans(&seen, k) {
                    break;
                }
                match optimise(cells, &touching, &group, Objective::Cell(cell), maximise) {
                    Outcome::Optimum(point) => record(&mut seen, point),
                    Outcome::Unbounded => seen[k].1 = f64::INFINITY,
                    Outcome::Infeasible => break,
                }
            }
            if !spans(&seen, k) {
                failing.push(cell);
            }
        }
    }
    failing.sort_unstable();
    failing
}

/// The suppressed cells split into groups connected through constraints (ascending cell order),
/// each with the constraints that touch it.
fn groups<'r>(relations: &'r [Constraint], status: &[Status]) -> Vec<(Vec<usize>, Vec<&'r Constraint>)> {
    let suppressed = |i: usize| status[i].is_suppressed();
    let mut sets = UnionFind::new(status.len());
    for relation in relations {
        let mut members = relation.members().filter(|&i| suppressed(i));
        if let Some(first) = members.next() {
            members.for_each(|m| sets.union(first, m));
        }
    }
    let mut by_root: std::collections::BTreeMap<usize, Vec<usize>> = std::collections::BTreeMap::new();
    for cell in (0..status.len()).filter(|&i| suppressed(i)) {
        by_root.entry(sets.find(cell)).or_default().push(cell);
    }
    let root_of_relation: Vec<Option<usize>> =
        relations.iter().map(|r| r.members().find(|&i| suppressed(i)).map(|i| sets.find(i))).collect();
    by_root
        .into_iter()
        .map(|(root, group)| {
            let touching = relations
                .iter()
                .zip(&root_of_relation)
                .filter(|(_, r)| **r == Some(root))
                .map(|(rel, _)| rel)
                .collect();
            (group, touching)
        })
        .collect()
}

/// What an LP pushes up or down: one cell, or the sum of the whole group.
#[derive(Clone, Copy)]
enum Objective {
    Cell(usize),
    Sum,
}

enum Outcome {
    /// The value of every cell of the group at the optimum, in group order.
    Optimum(Vec<f64>),
    Unbounded,
    Infeasible,
}

impl Outcome {
    fn extreme_of(&self, k: usize, maximise: bool) -> Option<f64> {
        match self {
            Outcome::Optimum(point) => Some(point[k]),
            Outcome::Unbounded => Some(if maximise { f64::INFINITY } else { f64::NEG_INFINITY }),
            Outcome::Infeasible => None,
        }
    }
}

/// One LP: the extreme of `target`, with the point reaching it. The model is rebuilt per solve
/// because good_lp consumes it.
fn optimise(cells: &Cells, relations: &[&Constraint], group: &[usize], target: Objective, maximise: bool) -> Outcome {
    let mut vars = ProblemVariables::new();
    let unknowns: Vec<Variable> = group.iter().map(|_| vars.add(variable().min(0.0))).collect();
    let term = |i: usize| -> Expression {
        match group.binary_search(&i) {
            Ok(k) => Expression::from(unknowns[k]),
            // Values are counts far below 2^53, so the conversion is exact.
            Err(_) => Expression::from(cells.values[i] as f64),
        }
    };
    let objective = match target {
        Objective::Cell(cell) => term(cell),
        Objective::Sum => unknowns.iter().map(|&v| Expression::from(v)).sum(),
    };
    let problem = if maximise { vars.maximise(objective) } else { vars.minimise(objective) };
    let constraints = relations.iter().map(|r| {
        let side = |cells: &[usize]| cells.iter().map(|&p| term(p)).sum::<Expression>();
        if r.equal { side(&r.lhs).eq(side(&r.rhs)) } else { side(&r.lhs).leq(side(&r.rhs)) }
    });
    match problem.using(microlp).with_all(constraints).solve() {
        Ok(solution) => Outcome::Optimum(unknowns.iter().map(|&v| solution.value(v)).collect()),
        Err(ResolutionError::Unbounded) => Outcome::Unbounded,
        Err(_) => Outcome::Infeasible,
    }
}

/// Disjoint sets over cell indices, for grouping suppressed cells that share an equation.
struct UnionFind {
    parent: Vec<usize>,
}

impl UnionFind {
    fn new(n: usize) -> Self {
        UnionFind { parent: (0..n).collect() }
    }

    fn find(&mut self, mut i: usize) -> usize {
        while self.parent[i] != i {
            self.parent[i] = self.parent[self.parent[i]];
            i = self.parent[i];
        }
        i
    }

    fn union(&mut self, a: usize, b: usize) {
        let (a, b) = (self.find(a), self.find(b));
        self.parent[a] = b;
    }
}

//! The LP audit: what an attacker can deduce about each suppressed cell from the published cells,
//! the relations and non-negativity of counts.

use good_lp::{Expression, ProblemVariables, ResolutionError, Solution, SolverModel, Variable, microlp, variable};

use super::{Cells, Relation, Status};

/// For each suppressed cell, the interval of values consistent with the published cells, the relations and
/// non-negativity, by linear programming (min and max of the cell).
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
    assert_eq!(cells.values.len(), status.len(), "one status per value");
    let suppressed = |i: usize| status[i].is_suppressed();
    let mut groups = UnionFind::new(status.len());
    for relation in relations {
        let mut members = relation.members().filter(|&i| suppressed(i));
        if let Some(first) = members.next() {
            members.for_each(|m| groups.union(first, m));
        }
    }
    let mut result = vec![None; status.len()];
    let mut done = vec![false; status.len()];
    for root in 0..status.len() {
        if !suppressed(root) || done[groups.find(root)] {
            continue;
        }
        let group_root = groups.find(root);
        done[group_root] = true;
        let group: Vec<usize> = (0..status.len()).filter(|&i| suppressed(i) && groups.find(i) == group_root).collect();
        let touching: Vec<&Relation> =
            relations.iter().filter(|r| r.members().any(|i| suppressed(i) && groups.find(i) == group_root)).collect();
        for (cell, interval) in solve_group(cells, &touching, &group) {
            result[cell] = interval;
        }
    }
    result
}

/// Min and max of every cell of `group` (the unknowns) subject to `relations`, with every cell
/// outside the group taken as its published value.
fn solve_group(cells: &Cells, relations: &[&Relation], group: &[usize]) -> Vec<(usize, Option<(f64, f64)>)> {
    group
        .iter()
        .map(|&cell| {
            let lo = optimise(cells, relations, group, cell, false);
            let hi = optimise(cells, relations, group, cell, true);
            let interval = match (lo, hi) {
                (Some(lo), Some(hi)) => Some((lo, hi)),
                _ => None,
            };
            (cell, interval)
        })
        .collect()
}

/// One LP: the extreme of `target`, `None` if infeasible, `+inf` if unbounded. The model is rebuilt
/// per solve because good_lp consumes it; the groups are small.
fn optimise(cells: &Cells, relations: &[&Relation], group: &[usize], target: usize, maximise: bool) -> Option<f64> {
    let mut vars = ProblemVariables::new();
    let unknowns: Vec<(usize, Variable)> = group.iter().map(|&i| (i, vars.add(variable().min(0.0)))).collect();
    let term = |i: usize| -> Expression {
        match unknowns.iter().find(|(c, _)| *c == i) {
            Some((_, v)) => Expression::from(*v),
            // Values are counts far below 2^53, so the conversion is exact.
            None => Expression::from(cells.values[i] as f64),
        }
    };
    let objective = term(target);
    let problem = if maximise { vars.maximise(objective.clone()) } else { vars.minimise(objective.clone()) };
    let constraints = relations.iter().map(|r| {
        let parts: Expression = r.parts.iter().map(|&p| term(p)).sum();
        term(r.total).eq(parts)
    });
    match problem.using(microlp).with_all(constraints).solve() {
        Ok(solution) => Some(solution.eval(&objective)),
        Err(ResolutionError::Unbounded) => Some(if maximise { f64::INFINITY } else { f64::NEG_INFINITY }),
        Err(_) => None,
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

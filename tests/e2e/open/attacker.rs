//! The attacker's model for the recovery test: the levels published, person counts as cells and
//! the sums relating them, and the LPs that bound every suppressed cell.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use good_lp::{Expression, ProblemVariables, ResolutionError, Solution, SolverModel, Variable, microlp, variable};

/// Person counts from 1 to this are suppressed (the service's default).
pub(super) const THRESHOLD: f64 = 4.0;
/// Tolerance for LP results, which are floating point.
pub(super) const EPS: f64 = 1e-6;

#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Node {
    Nation,
    County(String),
    Forbund(String),
}

impl Node {
    pub(super) fn query(&self) -> String {
        match self {
            Node::Nation => String::new(),
            Node::County(code) => format!("&county={code}"),
            Node::Forbund(key) => format!("&forbund={key}"),
        }
    }

    pub(super) fn level(&self) -> &'static str {
        match self {
            Node::Nation => "nation",
            Node::County(_) => "county",
            Node::Forbund(_) => "forbund",
        }
    }
}

/// A person count of one table at one node, as the attacker sees it: `None` when suppressed.
#[derive(Clone)]
pub(super) struct Cell {
    pub(super) table: usize,
    pub(super) node: usize,
    pub(super) index: usize,
    pub(super) published: Option<f64>,
}

/// `cells[total] == Σ cells[parts]`.
pub(super) struct Relation {
    pub(super) total: usize,
    pub(super) parts: Vec<usize>,
}

impl Relation {
    pub(super) fn members(&self) -> impl Iterator<Item = usize> + '_ {
        std::iter::once(self.total).chain(self.parts.iter().copied())
    }
}

struct Sets(Vec<usize>);

impl Sets {
    fn find(&mut self, mut i: usize) -> usize {
        while self.0[i] != i {
            self.0[i] = self.0[self.0[i]];
            i = self.0[i];
        }
        i
    }

    fn union(&mut self, a: usize, b: usize) {
        let (a, b) = (self.find(a), self.find(b));
        self.0[a] = b;
    }
}

enum Goal {
    /// Push the sum of the group's unknowns.
    Sum,
    /// Push one unknown (its position in the group).
    One(usize),
}

enum Outcome {
    /// The value of every unknown of the group at the optimum.
    Optimum(Vec<f64>),
    Unbounded,
    Infeasible(String),
}

/// One LP over a group: unknowns ≥ 0 for its suppressed cells, published cells as constants.
fn solve(cells: &[Cell], group: &[usize], relations: &[&Relation], goal: &Goal, maximise: bool) -> Outcome {
    let mut vars = ProblemVariables::new();
    let unknowns: Vec<Variable> = group.iter().map(|_| vars.add(variable().min(0.0))).collect();
    let slot: HashMap<usize, usize> = group.iter().enumerate().map(|(k, &c)| (c, k)).collect();
    let term = |c: usize| -> Expression {
        match slot.get(&c) {
            Some(&k) => unknowns[k].into(),
            None => cells[c].published.expect("a cell outside the group is published").into(),
        }
    };
    let objective: Expression = match goal {
        Goal::Sum => unknowns.iter().map(|&v| Expression::from(v)).sum(),
        Goal::One(k) => unknowns[*k].into(),
    };
    let problem = if maximise { vars.maximise(objective) } else { vars.minimise(objective) };
    let mut model = problem.using(microlp);
    for relation in relations {
        let parts: Expression = relation.parts.iter().map(|&p| term(p)).sum();
        model = model.with(term(relation.total).eq(parts));
    }
    match model.solve() {
        Ok(solution) => Outcome::Optimum(unknowns.iter().map(|&v| solution.value(v)).collect()),
        Err(ResolutionError::Unbounded) => Outcome::Unbounded,
        Err(e) => Outcome::Infeasible(e.to_string()),
    }
}

/// What the attacker's LPs found.
pub(super) struct Audit {
    pub(super) suppressed: usize,
    pub(super) groups: usize,
    pub(super) largest: usize,
    pub(super) lps: usize,
    /// The narrowest range a suppressed cell was shown to have (interval or seen points).
    pub(super) narrowest: f64,
    /// (cell, [min, max]) of every cell whose own LPs were solved.
    pub(super) intervals: Vec<(usize, (f64, f64))>,
    /// The cells whose interval is not wider than the threshold.
    pub(super) exposed: Vec<(usize, (f64, f64))>,
}

/// Every suppressed cell's feasible interval, or feasible points showing it is wider than the
/// threshold. Suppressed cells sharing a relation form a group; groups are independent LPs. The
/// optimum of every LP is a feasible point of its whole group, so after pushing the group's sum up
/// and down, only cells whose seen values do not yet span more than the threshold need LPs of
/// their own.
pub(super) fn audit(cells: &[Cell], relations: &[Relation]) -> Audit {
    let unknown = |c: usize| cells[c].published.is_none();
    let mut sets = Sets((0..cells.len()).collect());
    for relation in relations {
        let mut members = relation.members().filter(|&c| unknown(c));
        if let Some(first) = members.next() {
            members.for_each(|m| sets.union(first, m));
        }
    }
    let mut groups: BTreeMap<usize, (Vec<usize>, Vec<&Relation>)> = BTreeMap::new();
    for c in (0..cells.len()).filter(|&c| unknown(c)) {
        let root = sets.find(c);
        groups.entry(root).or_default().0.push(c);
    }
    for relation in relations {
        if let Some(first) = relation.members().find(|&c| unknown(c)) {
            let root = sets.find(first);
            groups.get_mut(&root).unwrap().1.push(relation);
        }
    }
    let mut found = Audit {
        suppressed: groups.values().map(|(g, _)| g.len()).sum(),
        groups: groups.len(),
        largest: groups.values().map(|(g, _)| g.len()).max().unwrap_or(0),
        lps: 0,
        narrowest: f64::INFINITY,
        intervals: Vec::new(),
        exposed: Vec::new(),
    };
    let wide = |(lo, hi): (f64, f64)| hi - lo > THRESHOLD + EPS;
    for (group, touching) in groups.values() {
        // The values of each unknown over the feasible points seen so far.
        let mut seen: Vec<(f64, f64)> = vec![(f64::INFINITY, f64::NEG_INFINITY); group.len()];
        for maximise in [true, false] {
            found.lps += 1;
            match solve(cells, group, touching, &Goal::Sum, maximise) {
                Outcome::Optimum(point) => widen(&mut seen, &point),
                Outcome::Unbounded => {}
                Outcome::Infeasible(e) => panic!("a group of {} cells is infeasible: {e}", group.len()),
            }
        }
        for k in 0..group.len() {
            if wide(seen[k]) {
                found.narrowest = found.narrowest.min(seen[k].1 - seen[k].0);
                continue;
            }
            // Not yet shown: the cell's own minimum and maximum.
            let mut interval = (f64::NAN, f64::NAN);
            for maximise in [false, true] {
                found.lps += 1;
                let extreme = match solve(cells, group, touching, &Goal::One(k), maximise) {
                    Outcome::Optimum(point) => {
                        widen(&mut seen, &point);
                        point[k]
                    }
                    Outcome::Unbounded => f64::INFINITY,
                    Outcome::Infeasible(e) => panic!("cell {} cannot be optimised: {e}", group[k]),
                };
                if maximise {
                    interval.1 = extreme;
                } else {
                    interval.0 = extreme;
                }
            }
            found.narrowest = found.narrowest.min(interval.1 - interval.0);
            found.intervals.push((group[k], interval));
            if !wide(interval) {
                found.exposed.push((group[k], interval));
            }
        }
    }
    found
}

/// Widens each unknown's range of seen values by a feasible point.
fn widen(seen: &mut [(f64, f64)], point: &[f64]) {
    for (slot, &value) in seen.iter_mut().zip(point) {
        *slot = (slot.0.min(value), slot.1.max(value));
    }
}

/// The county a förbund counts in: the one holding most of its member municipalities that
/// year, ties to the lowest county code; `None` without members.
pub(super) fn majority_county(members: &[String], county_of: &HashMap<String, String>) -> Option<String> {
    let mut per_county: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for m in members {
        let county = county_of.get(m).unwrap_or_else(|| panic!("municipality {m} is not listed"));
        per_county.entry(county).or_default().insert(m);
    }
    let mut best: Option<(&str, usize)> = None;
    for (county, municipalities) in per_county {
        // Ascending codes, and only a strictly larger count takes over: ties keep the lowest.
        if best.is_none_or(|(_, n)| municipalities.len() > n) {
            best = Some((county, municipalities.len()));
        }
    }
    best.map(|(county, _)| county.to_owned())
}

//! The attacker's model for the recovery tests: the levels published, person counts as cells, the
//! sums relating them, the bound exits ≤ participants, several releases with one unknown for a
//! cell whose true value did not change between them, and the LPs that bound every suppressed
//! cell. Written from the published tables and the domain's rules only, not from the service's
//! disclosure code.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use good_lp::{Expression, ProblemVariables, ResolutionError, Solution, SolverModel, Variable, microlp, variable};
use reqwest::Method;
use serde_json::Value;

use super::fetch::{Plain, open_json};
use crate::e2e::support::{TestApp, parts, token};

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

/// `Σ cells[parts] ≤ Σ cells[limit]`.
pub(super) struct Bound {
    pub(super) parts: Vec<usize>,
    pub(super) limit: Vec<usize>,
}

impl Bound {
    fn members(&self) -> impl Iterator<Item = usize> + '_ {
        self.parts.iter().chain(&self.limit).copied()
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

/// The relations and bounds touching one group of unknowns.
#[derive(Default)]
struct Touching<'a> {
    relations: Vec<&'a Relation>,
    bounds: Vec<&'a Bound>,
}

/// One LP over a group: unknowns ≥ 0 for its suppressed cells, published cells as constants.
fn solve(cells: &[Cell], group: &[usize], touching: &Touching, goal: &Goal, maximise: bool) -> Outcome {
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
    let sum = |cells: &[usize]| cells.iter().map(|&p| term(p)).sum::<Expression>();
    for relation in &touching.relations {
        model = model.with(term(relation.total).eq(sum(&relation.parts)));
    }
    for bound in &touching.bounds {
        model = model.with(sum(&bound.parts).leq(sum(&bound.limit)));
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

/// The suppressed cells split into groups connected through relations and bounds, each with
/// what touches it.
fn groups<'a>(
    cells: &[Cell],
    relations: &'a [Relation],
    bounds: &'a [Bound],
) -> BTreeMap<usize, (Vec<usize>, Touching<'a>)> {
    let unknown = |c: usize| cells[c].published.is_none();
    let mut sets = Sets((0..cells.len()).collect());
    let mut join = |members: &mut dyn Iterator<Item = usize>| {
        let mut members = members.filter(|&c| unknown(c));
        if let Some(first) = members.next() {
            members.for_each(|m| sets.union(first, m));
        }
    };
    relations.iter().for_each(|r| join(&mut r.members()));
    bounds.iter().for_each(|b| join(&mut b.members()));
    let mut groups: BTreeMap<usize, (Vec<usize>, Touching)> = BTreeMap::new();
    for c in (0..cells.len()).filter(|&c| unknown(c)) {
        let root = sets.find(c);
        groups.entry(root).or_default().0.push(c);
    }
    for relation in relations {
        if let Some(first) = relation.members().find(|&c| unknown(c)) {
            let root = sets.find(first);
            groups.get_mut(&root).unwrap().1.relations.push(relation);
        }
    }
    for bound in bounds {
        if let Some(first) = bound.members().find(|&c| unknown(c)) {
            let root = sets.find(first);
            groups.get_mut(&root).unwrap().1.bounds.push(bound);
        }
    }
    groups
}

/// Every suppressed cell's feasible interval, or feasible points showing it is wider than the
/// threshold, given the relations and the bounds. Suppressed cells sharing a relation or bound
/// form a group; groups are independent LPs. The optimum of every LP is a feasible point of its
/// whole group, so after pushing the group's sum up and down, only cells whose seen values do not
/// yet span more than the threshold need LPs of their own.
pub(super) fn audit(cells: &[Cell], relations: &[Relation], bounds: &[Bound]) -> Audit {
    let groups = groups(cells, relations, bounds);
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

/// Every suppressed cell's own interval (two LPs each), by cell.
pub(super) fn intervals(cells: &[Cell], relations: &[Relation], bounds: &[Bound]) -> BTreeMap<usize, (f64, f64)> {
    let mut all = BTreeMap::new();
    for (group, touching) in groups(cells, relations, bounds).values() {
        for (k, &c) in group.iter().enumerate() {
            let extreme = |maximise: bool| match solve(cells, group, touching, &Goal::One(k), maximise) {
                Outcome::Optimum(point) => point[k],
                Outcome::Unbounded => f64::INFINITY,
                Outcome::Infeasible(e) => panic!("cell {c} cannot be optimised: {e}"),
            };
            all.insert(c, (extreme(false), extreme(true)));
        }
    }
    all
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

/// (table, its person-count measure): what the attacker models.
pub(super) const PERSON_TABLES: [(&str, &str); 3] =
    [("individual-participants", "participants"), ("exits", "exits"), ("structural-insatser", "participants")];

/// The levels, from the reference data only: the nation, the counties and the förbund of the
/// year, and the county each förbund counts in.
pub(super) struct Levels {
    pub(super) counties: Vec<String>,
    pub(super) attribution: Vec<Option<String>>,
    pub(super) nodes: Vec<Node>,
}

pub(super) async fn levels(app: &TestApp, year: &str) -> Levels {
    let codes = |list: Value, key: &str| -> Vec<String> {
        list.as_array().unwrap().iter().map(|c| c[key].as_str().unwrap().to_owned()).collect()
    };
    let counties = codes(open_json(app, "/api/v1/counties").await, "code");
    let forbund = codes(open_json(app, &format!("/api/v1/forbund?year={year}")).await, "forbund_key");
    let county_of: HashMap<String, String> = open_json(app, "/api/v1/municipalities")
        .await
        .as_array()
        .unwrap()
        .iter()
        .map(|m| (m["code"].as_str().unwrap().to_owned(), m["county_code"].as_str().unwrap().to_owned()))
        .collect();
    let mut attribution = Vec::new();
    for key in &forbund {
        let one = open_json(app, &format!("/api/v1/forbund/{key}?year={year}")).await;
        let members: Vec<String> =
            one["municipality_codes"].as_array().unwrap().iter().map(|m| m.as_str().unwrap().to_owned()).collect();
        attribution.push(majority_county(&members, &county_of));
    }
    let mut nodes = vec![Node::Nation];
    nodes.extend(counties.iter().cloned().map(Node::County));
    nodes.extend(forbund.into_iter().map(Node::Forbund));
    Levels { counties, attribution, nodes }
}

/// `[table][node]`: every person table of [`PERSON_TABLES`] at every node. With `analyst`, the
/// exact tables; otherwise the open ones, `query` choosing the release (e.g. `&release=2`).
pub(super) async fn person_tables(
    app: &TestApp,
    levels: &Levels,
    year: &str,
    query: &str,
    analyst: bool,
) -> Vec<Vec<Plain>> {
    let token = analyst.then(|| token("analyst", None));
    let base = if analyst { "/api/v1/tables" } else { "/api/v1/open/tables" };
    let mut all = Vec::new();
    for (table, _) in PERSON_TABLES {
        let mut family = Vec::new();
        for node in &levels.nodes {
            let path = format!("{base}/{table}?year={year}&format=json{}{query}", node.query());
            let (status, _, body) =
                parts(app.request(Method::GET, &path, token.as_deref()).send().await.unwrap()).await;
            assert_eq!(status, 200, "{path}: {body}");
            family.push(Plain::parse(&body, &path));
        }
        all.push(family);
    }
    all
}

/// Everything an attacker holding some releases of a year knows: every person count of every
/// release a cell (`release[cell]` says whose), each release's sums, optionally the bound exits
/// ≤ participants, and an equation `a = b` for a cell whose true value is the same in two releases.
pub(super) struct Model {
    pub(super) cells: Vec<Cell>,
    pub(super) release: Vec<usize>,
    pub(super) relations: Vec<Relation>,
    pub(super) bounds: Vec<Bound>,
}

impl Model {
    /// `unchanged(a, b, table, node, index)`: whether the attacker knows that cell to be the same
    /// in releases `a` and `b`.
    pub(super) fn of(
        levels: &Levels,
        releases: &[&Vec<Vec<Plain>>],
        unchanged: impl Fn(usize, usize, usize, usize, usize) -> bool,
    ) -> Model {
        let mut model = Model { cells: Vec::new(), release: Vec::new(), relations: Vec::new(), bounds: Vec::new() };
        let mut at: Vec<HashMap<(usize, usize, usize), usize>> = Vec::new();
        for (r, tables) in releases.iter().enumerate() {
            let mut cell_at = HashMap::new();
            for (t, (_, measure)) in PERSON_TABLES.iter().enumerate() {
                for (n, plain) in tables[t].iter().enumerate() {
                    for index in plain.cells_of(measure) {
                        cell_at.insert((t, n, index), model.cells.len());
                        model.cells.push(Cell { table: t, node: n, index, published: plain.values[index] });
                        model.release.push(r);
                    }
                }
            }
            model.add_sums(levels, tables, &cell_at);
            model.add_bounds(tables, &cell_at);
            at.push(cell_at);
        }
        for b in 0..releases.len() {
            for a in 0..b {
                for (&(t, n, i), &cell_b) in &at[b] {
                    if let Some(&cell_a) = at[a].get(&(t, n, i))
                        && unchanged(a, b, t, n, i)
                    {
                        model.relations.push(Relation { total: cell_a, parts: vec![cell_b] });
                    }
                }
            }
        }
        model
    }

    /// Within each table, a `total` category is the sum of the others in its dimension; the nation
    /// is all förbund, a county the förbund that count in it.
    fn add_sums(&mut self, levels: &Levels, tables: &[Vec<Plain>], cell_at: &HashMap<(usize, usize, usize), usize>) {
        let counties = &levels.counties;
        for (t, (_, measure)) in PERSON_TABLES.iter().enumerate() {
            for (n, plain) in tables[t].iter().enumerate() {
                for i in plain.cells_of(measure) {
                    let coords = plain.coords(i);
                    for d in 0..plain.dims.len() {
                        let Some(total_at) = plain.pos(d, "total") else { continue };
                        if coords[d] != total_at {
                            continue;
                        }
                        let parts = (0..plain.size[d])
                            .filter(|&k| k != total_at)
                            .map(|k| {
                                let mut at = coords.clone();
                                at[d] = k;
                                cell_at[&(t, n, plain.index(&at))]
                            })
                            .collect();
                        self.relations.push(Relation { total: cell_at[&(t, n, i)], parts });
                    }
                }
            }
            let forbund_nodes = 1 + counties.len()..levels.nodes.len();
            for i in tables[t][0].cells_of(measure) {
                let parts = forbund_nodes.clone().map(|n| cell_at[&(t, n, i)]).collect();
                self.relations.push(Relation { total: cell_at[&(t, 0, i)], parts });
                for (c, county) in counties.iter().enumerate() {
                    let parts = forbund_nodes
                        .clone()
                        .filter(|&n| levels.attribution[n - 1 - counties.len()].as_ref() == Some(county))
                        .map(|n| cell_at[&(t, n, i)])
                        .collect();
                    self.relations.push(Relation { total: cell_at[&(t, 1 + c, i)], parts });
                }
            }
        }
    }

    /// Every insats-year's exits are at most its participants, per gender; exits count all
    /// insatser, and structural participants are published without gender, so at every node and
    /// for women, men and total: exits ≤ individual participants of the gender + structural ones.
    fn add_bounds(&mut self, tables: &[Vec<Plain>], cell_at: &HashMap<(usize, usize, usize), usize>) {
        let find = |t: usize, n: usize, codes: &[(&str, &str)]| {
            let plain = &tables[t][n];
            let mut coords = vec![0; plain.dims.len()];
            for &(dim, code) in codes {
                let d = plain.dim(dim).unwrap_or_else(|| panic!("{} has no {dim}", PERSON_TABLES[t].0));
                coords[d] = plain.pos(d, code).unwrap_or_else(|| panic!("{dim} has no {code}"));
            }
            cell_at[&(t, n, plain.index(&coords))]
        };
        for n in 0..tables[0].len() {
            let structural = find(2, n, &[("orientation", "total"), ("measure", "participants")]);
            for gender in ["women", "men", "total"] {
                let exits = find(1, n, &[("reason", "total"), ("gender", gender), ("measure", "exits")]);
                let individual =
                    find(0, n, &[("orientation", "total"), ("gender", gender), ("measure", "participants")]);
                self.bounds.push(Bound { parts: vec![exits], limit: vec![individual, structural] });
            }
        }
    }

    /// The attacker's audit, knowing the bounds or not.
    pub(super) fn audit(&self, bounds: bool) -> Audit {
        audit(&self.cells, &self.relations, if bounds { &self.bounds } else { &[] })
    }

    pub(super) fn describe(&self, levels: &Levels, c: usize) -> String {
        let cell = &self.cells[c];
        format!(
            "release {} {} {:?} cell {}",
            self.release[c] + 1,
            PERSON_TABLES[cell.table].0,
            levels.nodes[cell.node],
            cell.index
        )
    }
}

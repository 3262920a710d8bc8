//! Bounds and several releases, checked against an independent LP: one variable per cell of every
//! release (not merged), published cells pinned, unchanged counterparts tied by an equation.

use good_lp::{Expression, ProblemVariables, ResolutionError, Solution, SolverModel, microlp, variable};
use proptest::prelude::*;

use super::Status::{Primary, Published, Secondary};
use super::{
    Bound, CellRef, Cells, Counterpart, EPS, Relation, Release, Status, System, combined_intervals, protect,
    protect_after, protect_system,
};

const THRESHOLD: i64 = 4;

/// One release for the independent check.
struct Seen<'a> {
    cells: &'a Cells,
    relations: &'a [Relation],
    bounds: &'a [Bound],
    status: &'a [Status],
}

/// The interval of cell `of` given every release, by one LP over all cells of all releases.
fn independent_interval(releases: &[Seen], counterparts: &[Counterpart], of: CellRef) -> (f64, f64) {
    let extreme = |maximise: bool| {
        let mut vars = ProblemVariables::new();
        let x: Vec<Vec<_>> = releases
            .iter()
            .map(|r| {
                (0..r.status.len())
                    .map(|i| {
                        let v = r.cells.values[i] as f64;
                        vars.add(if r.status[i] == Published { variable().min(v).max(v) } else { variable().min(0) })
                    })
                    .collect()
            })
            .collect();
        let target = x[of.release][of.cell];
        let mut model = if maximise { vars.maximise(target) } else { vars.minimise(target) }.using(microlp);
        for (r, release) in releases.iter().enumerate() {
            let sum = |cells: &[usize]| cells.iter().map(|&c| x[r][c]).sum::<Expression>();
            for relation in release.relations {
                model = model.with(Expression::from(x[r][relation.total]).eq(sum(&relation.parts)));
            }
            for bound in release.bounds {
                model = model.with(sum(&bound.parts).leq(sum(&bound.limit)));
            }
        }
        for &Counterpart(a, b) in counterparts {
            if releases[a.release].cells.values[a.cell] == releases[b.release].cells.values[b.cell] {
                model = model.with(Expression::from(x[a.release][a.cell]).eq(x[b.release][b.cell]));
            }
        }
        match model.solve() {
            Ok(solution) => solution.value(target),
            Err(ResolutionError::Unbounded) => f64::INFINITY,
            Err(e) => panic!("the true values are always feasible, got {e}"),
        }
    };
    (extreme(false), extreme(true))
}

/// The suppressed cells of any release whose interval is not wider than `threshold`.
fn exposed(releases: &[Seen], counterparts: &[Counterpart], threshold: i64) -> Vec<(CellRef, (f64, f64))> {
    let mut found = Vec::new();
    for (release, r) in releases.iter().enumerate() {
        for cell in (0..r.status.len()).filter(|&i| r.status[i].is_suppressed()) {
            let of = CellRef { release, cell };
            let (lo, hi) = independent_interval(releases, counterparts, of);
            if hi - lo <= threshold as f64 + EPS {
                found.push((of, (lo, hi)));
            }
        }
    }
    found
}

fn persons(values: Vec<i64>) -> Cells {
    let person_count = vec![true; values.len()];
    Cells { values, person_count }
}

/// Every cell of two releases of the same shape at the same place.
fn same_places(n: usize) -> Vec<Counterpart> {
    (0..n).map(|cell| Counterpart(CellRef { release: 0, cell }, CellRef { release: 1, cell })).collect()
}

/// Exits of women and men and their total (0–2), participants of women and men (3–4):
/// `exits(0) + exits(1) = exits(2)`, `exits(g) ≤ participants(g)`.
fn exits_and_participants(exits: [i64; 2], participants: [i64; 2]) -> (Cells, Vec<Relation>, Vec<Bound>) {
    let cells = persons(vec![exits[0], exits[1], exits[0] + exits[1], participants[0], participants[1]]);
    let relations = vec![Relation { total: 2, parts: vec![0, 1] }];
    let bounds = vec![Bound { parts: vec![0], limit: vec![3] }, Bound { parts: vec![1], limit: vec![4] }];
    (cells, relations, bounds)
}

#[test]
fn a_bound_pins_down_a_cell_the_equalities_leave_open_and_protection_sees_it() {
    // 3 women and 6 men left of 7 and 6: with the total 9 published, women ≥ 9 − 6 and ≤ 7.
    let (cells, relations, bounds) = exits_and_participants([3, 6], [7, 6]);
    let equal_only = protect(&cells, &relations, THRESHOLD);
    assert_eq!(equal_only, [Primary, Secondary, Published, Published, Published]);
    let without = Seen { cells: &cells, relations: &relations, bounds: &[], status: &equal_only };
    assert!(exposed(&[without], &[], THRESHOLD).is_empty(), "without the bound, women are in [0, 9]");
    let with = Seen { cells: &cells, relations: &relations, bounds: &bounds, status: &equal_only };
    let found = exposed(&[with], &[], THRESHOLD);
    assert!(
        found.iter().any(|&(c, (lo, hi))| c.cell == 0 && (lo - 3.0).abs() < EPS && (hi - 7.0).abs() < EPS),
        "{found:?}"
    );

    let status = protect_system(System { cells: &cells, relations: &relations, bounds: &bounds }, THRESHOLD);
    let protected = Seen { cells: &cells, relations: &relations, bounds: &bounds, status: &status };
    assert!(exposed(&[protected], &[], THRESHOLD).is_empty(), "{status:?}");
    assert!(status.iter().filter(|s| s.is_suppressed()).count() > 2, "the bound costs a suppression: {status:?}");
}

/// A row of three parts and its total.
fn row(parts: [i64; 3]) -> (Cells, Vec<Relation>) {
    let total = parts.iter().sum();
    (persons(vec![parts[0], parts[1], parts[2], total]), vec![Relation { total: 3, parts: vec![0, 1, 2] }])
}

#[test]
fn a_second_release_protected_alone_gives_the_first_away_and_protected_after_it_does_not() {
    let (first, relations) = row([2, 10, 20]);
    let status_1 = protect(&first, &relations, THRESHOLD);
    assert_eq!(status_1, [Primary, Secondary, Published, Published]);
    // The 10 is corrected to 30: the 2 and the 20 are unchanged.
    let (second, _) = row([2, 30, 20]);
    let same = same_places(4);
    let alone = protect(&second, &relations, THRESHOLD);
    assert_eq!(alone, [Primary, Published, Secondary, Published], "the 20 is now the cheapest partner");
    let seen = |cells, status| Seen { cells, relations: &relations, bounds: &[], status };
    let found = exposed(&[seen(&first, &status_1), seen(&second, &alone)], &same, THRESHOLD);
    // The 20 is published in release 1, so release 2 gives its 2 away: 52 − 30 − 20.
    assert!(found.iter().any(|&(c, (lo, hi))| c.cell == 0 && (hi - lo).abs() < EPS), "{found:?}");

    let earlier = [Release { system: System { cells: &first, relations: &relations, bounds: &[] }, status: &status_1 }];
    let after =
        protect_after(System { cells: &second, relations: &relations, bounds: &[] }, &earlier, &same, THRESHOLD);
    assert_eq!(after, status_1, "the cell suppressed before is the cheapest partner");
    assert!(exposed(&[seen(&first, &status_1), seen(&second, &after)], &same, THRESHOLD).is_empty());
    let intervals = combined_intervals(&[earlier[0], Release { status: &after, ..earlier[0] }], &same);
    assert_eq!(intervals[0][0], Some((0.0, 12.0)), "the service's combined audit agrees");
}

#[test]
fn a_cell_suppressed_before_and_unchanged_stays_suppressed() {
    // Release 1 hides the 2 and the 5; release 2 changes the 2 to a 7, so nothing is primary.
    let (first, relations) = row([2, 5, 20]);
    let status_1 = protect(&first, &relations, THRESHOLD);
    assert_eq!(status_1, [Primary, Secondary, Published, Published]);
    let (second, _) = row([7, 5, 20]);
    let earlier = [Release { system: System { cells: &first, relations: &relations, bounds: &[] }, status: &status_1 }];
    let same = same_places(4);
    let after =
        protect_after(System { cells: &second, relations: &relations, bounds: &[] }, &earlier, &same, THRESHOLD);
    // Publishing the unchanged 5 would give the 2 of release 1 away (27 − 5 − 20 in release 1).
    assert!(after[1].is_suppressed(), "{after:?}");
    let seen = |cells, status| Seen { cells, relations: &relations, bounds: &[], status };
    assert!(exposed(&[seen(&first, &status_1), seen(&second, &after)], &same, THRESHOLD).is_empty(), "{after:?}");
}

/// An r×c table with margins (see the other tests' `grid`), every cell a person count.
fn grid(table: &[Vec<i64>]) -> (Cells, Vec<Relation>) {
    let (values, relations) = super::tests::grid(table);
    (persons(values), relations)
}

#[test]
fn unchanged_data_gets_the_same_pattern_again() {
    let (cells, relations) = grid(&[vec![3, 10, 7], vec![12, 20, 1], vec![0, 6, 9]]);
    let system = System { cells: &cells, relations: &relations, bounds: &[] };
    let first = protect_system(system, THRESHOLD);
    assert!(first.iter().filter(|s| s.is_suppressed()).count() >= 4);
    let same = same_places(cells.values.len());
    let second = protect_after(system, &[Release { system, status: &first }], &same, THRESHOLD);
    assert_eq!(second, first);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, failure_persistence: None, ..ProptestConfig::default() })]

    /// Exits by reason and gender with their margins, each gender's exits at most its
    /// participants (who left, plus a few who stayed): protected with the bounds known.
    #[test]
    fn exits_within_participants_are_protected(
        exits in prop::collection::vec(prop::collection::vec(prop_oneof![0i64..=4, 0i64..=12], 2), 4),
        stayed in prop::collection::vec(0i64..=6, 2),
        t in 2i64..=4,
    ) {
        let (mut cells, relations) = grid(&exits);
        // Column totals (one per gender) are at 4 + 4 + g; participants follow the grand total.
        let participants: Vec<usize> = (0..2).map(|g| {
            cells.values.push(cells.values[12 + g] + stayed[g]);
            cells.person_count.push(true);
            cells.values.len() - 1
        }).collect();
        let bounds: Vec<Bound> = (0..2).map(|g| Bound { parts: vec![12 + g], limit: vec![participants[g]] }).collect();
        let status = protect_system(System { cells: &cells, relations: &relations, bounds: &bounds }, t);
        prop_assume!(status.iter().any(|s| !s.is_suppressed()));
        let seen = Seen { cells: &cells, relations: &relations, bounds: &bounds, status: &status };
        let found = exposed(&[seen], &[], t);
        prop_assert!(found.is_empty(), "{:?} with {:?}", found, status);
    }

    /// A table, then the same table with some interior cells corrected: each release's
    /// suppressed cells stay wider than the threshold, with both releases and their unchanged
    /// cells known.
    #[test]
    fn corrected_tables_keep_both_releases_protected(
        table in (2usize..=4, 2usize..=4).prop_flat_map(|(r, c)| prop::collection::vec(prop::collection::vec(
            prop_oneof![0i64..=6, 0i64..=40], c), r)),
        changes in prop::collection::vec((0usize..16, 0i64..=12), 1..=3),
        t in 2i64..=4,
    ) {
        let (first, relations) = grid(&table);
        let mut corrected = table.clone();
        let columns = table[0].len();
        for (at, value) in changes {
            let at = at % (table.len() * columns);
            corrected[at / columns][at % columns] = value;
        }
        let (second, _) = grid(&corrected);
        let one = System { cells: &first, relations: &relations, bounds: &[] };
        let status_1 = protect_system(one, t);
        prop_assume!(status_1.iter().any(|s| !s.is_suppressed()));
        let same = same_places(first.values.len());
        let two = System { cells: &second, relations: &relations, bounds: &[] };
        let status_2 = protect_after(two, &[Release { system: one, status: &status_1 }], &same, t);
        prop_assume!(status_2.iter().any(|s| !s.is_suppressed()));
        for (i, s) in status_2.iter().enumerate() {
            prop_assert!(!super::is_primary(&second, i, t) || s.is_suppressed(), "small cell {i} published");
        }
        let seen = |cells, status| Seen { cells, relations: &relations, bounds: &[], status };
        let found = exposed(&[seen(&first, &status_1), seen(&second, &status_2)], &same, t);
        prop_assert!(found.is_empty(), "{:?} with {:?} then {:?}", found, status_1, status_2);
    }
}

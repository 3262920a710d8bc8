use good_lp::{Expression, ProblemVariables, ResolutionError, Solution, SolverModel, microlp, variable};
use proptest::prelude::*;

use super::Status::{Primary, Published, Secondary};
use super::{Cells, Relation, Status, feasible_intervals, protect};

const THRESHOLD: i64 = 4;

fn all_persons(values: Vec<i64>) -> Cells {
    let person_count = vec![true; values.len()];
    Cells { values, person_count }
}

/// One row: parts at `0..n`, their total at `n`.
fn row(parts: &[i64]) -> (Vec<i64>, Vec<Relation>) {
    let mut values = parts.to_vec();
    values.push(parts.iter().sum());
    (values, vec![Relation { total: parts.len(), parts: (0..parts.len()).collect() }])
}

/// An r×c table with margins: interior row-major, then row totals, column totals, grand total.
pub(super) fn grid(table: &[Vec<i64>]) -> (Vec<i64>, Vec<Relation>) {
    let (r, c) = (table.len(), table[0].len());
    let mut values: Vec<i64> = table.iter().flatten().copied().collect();
    values.extend(table.iter().map(|row| row.iter().sum::<i64>()));
    values.extend((0..c).map(|j| table.iter().map(|row| row[j]).sum::<i64>()));
    values.push(table.iter().flatten().sum());
    let (row_total, col_total, grand) = (r * c, r * c + r, r * c + r + c);
    let mut relations: Vec<Relation> =
        (0..r).map(|i| Relation { total: row_total + i, parts: (0..c).map(|j| i * c + j).collect() }).collect();
    relations.extend((0..c).map(|j| Relation { total: col_total + j, parts: (0..r).map(|i| i * c + j).collect() }));
    relations.push(Relation { total: grand, parts: (row_total..row_total + r).collect() });
    relations.push(Relation { total: grand, parts: (col_total..col_total + c).collect() });
    (values, relations)
}

/// Sub-tables (each a row of parts and its total) whose totals sum to a parent total, last.
fn hierarchy(subs: &[Vec<i64>]) -> (Vec<i64>, Vec<Relation>) {
    let (mut values, mut relations, mut sub_totals) = (Vec::new(), Vec::new(), Vec::new());
    for parts in subs {
        let start = values.len();
        values.extend(parts);
        values.push(parts.iter().sum());
        sub_totals.push(values.len() - 1);
        relations.push(Relation { total: values.len() - 1, parts: (start..start + parts.len()).collect() });
    }
    values.push(sub_totals.iter().map(|&t| values[t]).sum());
    relations.push(Relation { total: values.len() - 1, parts: sub_totals });
    (values, relations)
}

/// The independent audit: unlike `feasible_intervals` (one unknown per suppressed cell, published
/// cells substituted as constants, grouped by connection), this has one variable for *every*
/// cell, published ones pinned by their bounds, and every relation as a constraint.
fn independent_interval(cells: &Cells, relations: &[Relation], status: &[Status], cell: usize) -> (f64, f64) {
    let extreme = |maximise: bool| {
        let mut vars = ProblemVariables::new();
        let x: Vec<_> = (0..status.len())
            .map(|i| {
                let v = cells.values[i] as f64;
                vars.add(if status[i] == Published { variable().min(v).max(v) } else { variable().min(0) })
            })
            .collect();
        let problem = if maximise { vars.maximise(x[cell]) } else { vars.minimise(x[cell]) };
        let constraints = relations
            .iter()
            .map(|r| Expression::from(x[r.total]).eq(r.parts.iter().map(|&p| x[p]).sum::<Expression>()));
        match problem.using(microlp).with_all(constraints).solve() {
            Ok(solution) => solution.value(x[cell]),
            Err(ResolutionError::Unbounded) => f64::INFINITY,
            Err(e) => panic!("the true values are always feasible, got {e}"),
        }
    };
    (extreme(false), extreme(true))
}

/// The two acceptance properties for one instance.
fn check(cells: &Cells, relations: &[Relation], threshold: i64) -> Result<(), TestCaseError> {
    let status = protect(cells, relations, threshold);
    for (i, &s) in status.iter().enumerate() {
        let small = cells.person_count[i] && (1..=threshold).contains(&cells.values[i]);
        prop_assert!(!(small && s == Published), "small person count {} published at {i}", cells.values[i]);
        prop_assert!(s != Primary || small, "cell {i} primary without being a small person count");
    }
    if status.iter().all(|s| s.is_suppressed()) {
        return Ok(());
    }
    for i in (0..status.len()).filter(|&i| status[i].is_suppressed()) {
        let (lo, hi) = independent_interval(cells, relations, &status, i);
        prop_assert!(hi - lo > threshold as f64 + super::EPS, "cell {i} = {} only in [{lo}, {hi}]", cells.values[i]);
    }
    Ok(())
}

#[test]
fn one_small_cell_in_a_row_needs_one_secondary() {
    let (values, relations) = row(&[2, 10, 20]);
    let status = protect(&all_persons(values), &relations, THRESHOLD);
    assert_eq!(status, [Primary, Secondary, Published, Published]);
}

#[test]
fn the_partner_is_the_smallest_cell_above_the_threshold_not_a_zero() {
    let (values, relations) = row(&[2, 0, 1, 7, 6, 30]);
    let status = protect(&all_persons(values), &relations, THRESHOLD);
    // The 1 is primary too; the 6 gives both room, the 0 would give none.
    assert_eq!(status, [Primary, Published, Primary, Published, Secondary, Published, Published]);
}

#[test]
fn two_by_two_with_margins_gives_the_classic_four_cell_pattern() {
    let (values, relations) = grid(&[vec![3, 10], vec![12, 20]]);
    let cells = all_persons(values);
    let status = protect(&cells, &relations, THRESHOLD);
    assert_eq!(status[..4], [Primary, Secondary, Secondary, Secondary]);
    assert!(status[4..].iter().all(|&s| s == Published), "margins stay published: {status:?}");
    // Worked by hand: x00 + x01 = 13, x00 + x10 = 15, x01 + x11 = 30; x00 ranges over [0, 13].
    let intervals = feasible_intervals(&cells, &relations, &status);
    let expected = [(0.0, 13.0), (0.0, 13.0), (2.0, 15.0), (17.0, 30.0)];
    for (got, want) in intervals[..4].iter().zip(expected) {
        let (lo, hi) = got.expect("suppressed cells have an interval");
        assert!((lo - want.0).abs() < 1e-6 && (hi - want.1).abs() < 1e-6, "{got:?} != {want:?}");
    }
    assert!(intervals[4..].iter().all(Option::is_none));
}

#[test]
fn zero_is_not_suppressed() {
    let (values, relations) = row(&[0, 10, 20]);
    assert!(protect(&all_persons(values), &relations, THRESHOLD).iter().all(|&s| s == Published));
}

#[test]
fn non_person_cells_are_never_primary_but_may_be_secondary() {
    let (values, relations) = row(&[3, 6, 20]);
    let cells = Cells { values, person_count: vec![true, false, true, true] };
    assert_eq!(protect(&cells, &relations, THRESHOLD), [Primary, Secondary, Published, Published]);

    let (values, relations) = row(&[2, 1, 20]);
    let cells = Cells { person_count: vec![false; values.len()], values };
    assert!(protect(&cells, &relations, THRESHOLD).iter().all(|&s| s == Published));
}

#[test]
fn audit_adds_cells_when_the_first_pass_is_too_narrow() {
    // Every relation has two suppressed members after the first pass (the 1s and their column
    // totals), yet with the zeros published each 1 equals its column total and the two sum to
    // 7 − 5 = 2: both pinned to [0, 2]. The audit must hide the 5 and its column total too.
    let (values, relations) = grid(&[vec![5, 1, 1], vec![0, 0, 0]]);
    let cells = all_persons(values);
    let status = protect(&cells, &relations, THRESHOLD);
    let interior = [Secondary, Primary, Primary, Published, Published, Published];
    assert_eq!(status[..6], interior);
    assert_eq!(status[6..], [Published, Published, Secondary, Primary, Primary, Published]);
    assert_eq!(feasible_intervals(&cells, &relations, &status)[1], Some((0.0, 7.0)));
}

#[test]
fn suppressed_total_without_a_parent_is_unbounded() {
    let (values, relations) = row(&[3, 1]);
    let cells = all_persons(values);
    let status = protect(&cells, &relations, THRESHOLD);
    assert!(status.iter().all(|s| s.is_suppressed()));
    assert_eq!(feasible_intervals(&cells, &relations, &status)[2], Some((0.0, f64::INFINITY)));
}

#[test]
fn independent_check_agrees_on_the_worked_example() {
    let (values, relations) = grid(&[vec![3, 10], vec![12, 20]]);
    let cells = all_persons(values);
    let status = protect(&cells, &relations, THRESHOLD);
    let (lo, hi) = independent_interval(&cells, &relations, &status, 2);
    assert!((lo - 2.0).abs() < 1e-6 && (hi - 15.0).abs() < 1e-6);
}

/// Values 0–50, skewed so that small counts (and so suppression) are common.
fn value() -> impl Strategy<Value = i64> {
    prop_oneof![0i64..=6, 0i64..=50]
}

/// Whether each cell counts persons; mostly yes, as in the open tables.
fn persons() -> impl Strategy<Value = Vec<bool>> {
    prop::collection::vec(prop::bool::weighted(0.8), 64)
}

fn cells_of(values: Vec<i64>, flags: &[bool]) -> Cells {
    Cells { person_count: flags[..values.len()].to_vec(), values }
}

proptest! {
    // No regression files: they would be written outside this module's folder; a failure prints
    // its minimal input instead.
    #![proptest_config(ProptestConfig { cases: 64, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn random_rows_are_protected(parts in prop::collection::vec(value(), 2..=6), flags in persons(), t in 1i64..=5) {
        let (values, relations) = row(&parts);
        check(&cells_of(values, &flags), &relations, t)?;
    }

    #[test]
    fn random_tables_with_margins_are_protected(
        table in (2usize..=6, 2usize..=5).prop_flat_map(|(r, c)| prop::collection::vec(prop::collection::vec(value(), c), r)),
        flags in persons(),
        t in 1i64..=5,
    ) {
        let (values, relations) = grid(&table);
        check(&cells_of(values, &flags), &relations, t)?;
    }

    #[test]
    fn random_hierarchies_are_protected(
        subs in prop::collection::vec(prop::collection::vec(value(), 2..=5), 2..=4),
        flags in persons(),
        t in 1i64..=5,
    ) {
        let (values, relations) = hierarchy(&subs);
        check(&cells_of(values, &flags), &relations, t)?;
    }

    #[test]
    fn the_fast_audit_finds_exactly_the_cells_the_full_intervals_fail(
        table in (2usize..=5, 2usize..=4).prop_flat_map(|(r, c)| prop::collection::vec(prop::collection::vec(value(), c), r)),
        hidden in prop::collection::vec(prop::bool::weighted(0.4), 64),
        t in 1i64..=5,
    ) {
        let (values, relations) = grid(&table);
        let cells = all_persons(values);
        let status: Vec<Status> =
            (0..cells.values.len()).map(|i| if hidden[i] { Secondary } else { Published }).collect();
        let intervals = feasible_intervals(&cells, &relations, &status);
        let slow: Vec<usize> =
            (0..status.len()).filter(|&i| status[i].is_suppressed() && !super::wide_enough(intervals[i], t)).collect();
        let constraints = super::System { cells: &cells, relations: &relations, bounds: &[] }.constraints();
        prop_assert_eq!(super::audit::unprotected(&cells, &constraints, &status, t), slow);
    }
}

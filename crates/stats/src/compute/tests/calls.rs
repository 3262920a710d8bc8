//! The calls themselves: the shape of every table, an empty year, reusing frames, refusing
//! what cannot be computed.

use super::{small, table};
use crate::catalog::TableId;
use crate::compute::{Frames, StatsError, compute, compute_all};
use crate::inputs::Inputs;
use crate::table::Selection;
use crate::test_support::{d, insats};

const NATIONAL: Selection = Selection::National;

#[test]
fn a_year_without_data_gives_zeros_and_no_shares() {
    // 2019 precedes every membership too, so completeness is all zeros as well.
    // The money tables that come from decisions say in a note what is not decided or set (their
    // own tests show it); here are the tables of what is registered.
    for t in compute_all(&small(), &[2019], &NATIONAL).unwrap().into_iter().filter(|t| t.notes.is_empty()) {
        let measures = &t.dimensions.last().unwrap().categories;
        for (i, value) in t.values.iter().enumerate() {
            let measure = &measures[i % measures.len()];
            let unit = measure.unit.as_ref().unwrap();
            match (unit.label.as_str(), measure.code.as_str()) {
                ("percent", _) => assert_eq!(*value, None, "{} {}", t.id.code(), measure.code),
                (_, code) if code.ends_with("outcome") => assert_eq!(*value, None, "{} {}", t.id.code(), measure.code),
                ("count", _) | ("SEK", _) => {
                    assert_eq!(*value, d("0"), "{} {}", t.id.code(), measure.code)
                }
                (other, _) => panic!("unexpected unit {other}"),
            }
        }
    }
    // Nor does a series break on the empty year: 2022 holds insats 1 only.
    let t = table(&small(), TableId::InsatserByKind, &[2022, 2030], &NATIONAL);
    assert_eq!(
        t.values,
        vec![d("1"), d("100.0"), d("0"), d("0.0"), d("1"), d("100.0"), d("0"), None, d("0"), None, d("0"), None]
    );
}

#[test]
fn every_table_has_the_catalog_shape_and_compute_matches_compute_all() {
    let inputs = small();
    let years = [2022, 2023];
    let all = compute_all(&inputs, &years, &NATIONAL).unwrap();
    assert_eq!(all.iter().map(|t| t.id).collect::<Vec<_>>(), TableId::ALL.to_vec());
    for t in &all {
        let info = t.id.info();
        assert_eq!(t.dimensions[0].id, "year");
        if t.id.by_forbund() {
            // The catalog lists the förbund dimension with `total` only; the table puts the
            // förbund with rows before it.
            assert_eq!(t.dimensions[1].id, info.dimensions[0].id);
            assert_eq!(t.dimensions[1].categories.last(), info.dimensions[0].categories.last());
            assert_eq!(t.dimensions[2..], info.dimensions[1..]);
        } else {
            assert_eq!(t.dimensions[1..], info.dimensions[..]);
        }
        assert_eq!(t.values.len(), t.size().iter().product::<usize>());
        assert_eq!(*t, table(&inputs, t.id, &years, &NATIONAL));
    }
}

#[test]
fn frames_are_reusable_across_calls() {
    let frames = Frames::new(&small()).unwrap();
    let first = frames.compute(TableId::Costs, &[2023], &NATIONAL).unwrap();
    frames.compute(TableId::Costs, &[2022], &Selection::County("01".into())).unwrap();
    assert_eq!(frames.compute(TableId::Costs, &[2023], &NATIONAL).unwrap(), first);
}

#[test]
fn frames_can_be_shared_between_threads() {
    // The API keeps one `Arc<Frames>` for all its workers.
    fn shared<T: Send + Sync>() {}
    shared::<Frames>();
}

#[test]
fn years_must_be_given_sorted_and_nonempty() {
    let inputs = small();
    assert!(matches!(compute(&inputs, TableId::Equity, &[], &NATIONAL), Err(StatsError::NoYears)));
    for years in [[2023, 2022], [2023, 2023]] {
        let error = compute_all(&inputs, &years, &NATIONAL).unwrap_err();
        assert!(matches!(error, StatsError::UnsortedYears(_)), "{years:?}");
        assert_eq!(error.to_string(), format!("years must be in increasing order without repeats, got {years:?}"));
    }
}

#[test]
fn inconsistent_insatser_are_refused() {
    let with = |row| Inputs { forbund: vec!["alfa".into(), "beta".into()], insatser: vec![row], ..Inputs::default() };
    let mut wrong_kind = insats(1, "alfa", "work_oriented", &[]);
    wrong_kind.kind = "structural".into();
    assert!(matches!(Frames::new(&with(wrong_kind)), Err(StatsError::OrientationOfOtherKind { insats_id: 1, .. })));
    let mut unknown_kind = insats(5, "alfa", "work_oriented", &[]);
    unknown_kind.kind = "mixed".into();
    assert_eq!(Frames::new(&with(unknown_kind)).err().unwrap().to_string(), "insats 5: unknown kind `mixed`");
    let mut unknown_orientation = insats(6, "alfa", "work_oriented", &[]);
    unknown_orientation.orientation = "leisure".into();
    let error = Frames::new(&with(unknown_orientation)).err().unwrap();
    assert_eq!(error.to_string(), "insats 6: unknown orientation `leisure`");
    let unknown_group = insats(2, "alfa", "work_oriented", &["elderly"]);
    let error = Frames::new(&with(unknown_group)).err().unwrap();
    assert_eq!(error.to_string(), "insats 2: unknown target group `elderly`");
    let elsewhere = Inputs { forbund: vec!["alfa".into()], ..with(insats(4, "beta", "preventive", &[])) };
    let error = Frames::new(&elsewhere).err().unwrap();
    assert_eq!(error.to_string(), "insats 4: förbund `beta` is not listed");
    let twice = Inputs {
        insatser: vec![insats(3, "alfa", "preventive", &[]), insats(3, "beta", "preventive", &[])],
        ..with(insats(0, "alfa", "preventive", &[]))
    };
    assert!(matches!(Frames::new(&twice), Err(StatsError::DuplicateInsats(3))));
}

#[test]
fn figures_of_an_absent_insats_are_ignored() {
    // small() holds 2023 figures of insats 99, which is not among the insatser (deleted): the
    // tables are the same without them.
    let mut without = small();
    without.insats_years.retain(|row| row.insats_id != 99);
    assert_eq!(compute_all(&small(), &[2023], &NATIONAL).unwrap(), compute_all(&without, &[2023], &NATIONAL).unwrap());
}

//! Shares are rounded once, half away from zero, to one decimal, from exact integers.

use rust_decimal::Decimal;

use super::table;
use crate::catalog::TableId;
use crate::compute::values::share;
use crate::inputs::Inputs;
use crate::table::Selection;
use crate::test_support::{d, figures, insats};

#[test]
fn shares_round_half_away_from_zero_once() {
    assert_eq!(share(2, 3), d("66.7")); // 66.666…
    assert_eq!(share(1, 3), d("33.3")); // 33.333…
    assert_eq!(share(1, 8), d("12.5")); // exact
    assert_eq!(share(1, 16), d("6.3")); // 6.25: the half goes up
    assert_eq!(share(1, 80), d("1.3")); // 1.25
    assert_eq!(share(-1, 16), d("-6.3")); // and away from zero below it
    assert_eq!(share(1, -16), d("-6.3"));
    assert_eq!(share(0, 7), d("0.0"));
    assert_eq!(share(7, 7), d("100.0"));
    assert_eq!(share(3, 0), None);
    // Large amounts stay exact: 5 · 10^14 of 10^18 is exactly 0.05 % (a half: up), one less
    // is just below the half.
    assert_eq!(share(500_000_000_000_000, 1_000_000_000_000_000_000), d("0.1"));
    assert_eq!(share(499_999_999_999_999, 1_000_000_000_000_000_000), d("0.0"));
    assert_eq!(share(i64::MAX, i64::MAX), d("100.0"));
    assert_eq!(share(2, 3).map(|s| s.scale()), Some(1));
}

/// `n` individual insatser of which `work_oriented` are work-oriented, the rest preparatory.
fn individual(work_oriented: i64, n: i64) -> Inputs {
    let mut inputs = Inputs { forbund: vec!["alfa".into()], ..Inputs::default() };
    for id in 0..n {
        let orientation = if id < work_oriented { "work_oriented" } else { "preparatory" };
        inputs.insatser.push(insats(id, "alfa", orientation, &[]));
        inputs.insats_years.push(figures(id, 2023, Some((1, 0)), 0, None));
    }
    inputs
}

#[test]
fn table_shares_use_the_rounding_rule() {
    let share_of = |work_oriented, n| -> Option<Decimal> {
        let t = table(&individual(work_oriented, n), TableId::IndividualInsatser, &[2023], &Selection::National);
        t.get(&["2023", "work_oriented", "share"])
    };
    assert_eq!(share_of(2, 3), d("66.7"));
    assert_eq!(share_of(1, 8), d("12.5"));
    assert_eq!(share_of(1, 16), d("6.3"));
    assert_eq!(share_of(15, 16), d("93.8")); // 93.75
}

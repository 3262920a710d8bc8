//! Tables computed from small hand-written inputs; every expected value is worked out by hand
//! in the comments next to it.

mod calls;
mod codes;
mod money;
mod report_2023;
mod selection;
mod shares;
mod tables;

use crate::catalog::TableId;
use crate::inputs::{Inputs, InsatsYearRow};
use crate::table::{Selection, Table};
use crate::test_support::{figures, finances, insats, member, submitted};

fn table(inputs: &Inputs, id: TableId, years: &[i32], selection: &Selection) -> Table {
    super::compute(inputs, id, years, selection).expect("the table computes")
}

/// With exits (women, men) for work, studies, job seeking and other.
fn with_exits(row: InsatsYearRow, exits: [(i64, i64); 4]) -> InsatsYearRow {
    InsatsYearRow { exits: Some(exits), ..row }
}

/// Two registering förbund in two counties, one silent förbund with members, one without.
///
/// - alfa: 0114, 0115 (county 01) and 0305 (county 03) → county 01 (2 of 3).
/// - beta: 0360 (county 03) → county 03. delta: 0380 (county 03), registers nothing.
/// - gamma: listed, no members, no data.
///
/// Insatser with figures for 2023 (öre):
/// | id | förbund | orientation | groups | women, men | budget | outcome | exits |
/// |---|---|---|---|---|---|---|---|
/// | 1 | alfa | work_oriented | young, long_term_sick_listed | 6, 4 | 10 000 000 | 9 500 050 | work 1/2, studies 0/1, other 1/0 |
/// | 2 | alfa | preparatory | – | 3, 0 | 5 000 000 | – | – |
/// | 3 | beta | work_oriented | women_only | 2, 5 | 3 000 000 | 3 100 000 | other 0/1 |
/// | 4 | alfa | develop_cooperation | – | 10, 20 | 4 000 000 | 3 900 000 | – |
/// | 5 | beta | competence_raising | – | not tracked | 2 000 000 | – | – |
///
/// Insats 1 also has 2022 figures, and insats 99 (deleted, absent from `insatser`) has 2023
/// figures that must be ignored.
fn small() -> Inputs {
    Inputs {
        forbund: ["alfa", "beta", "gamma", "delta"].map(String::from).to_vec(),
        memberships: vec![
            member("alfa", "0114", "01", 2020, None),
            member("alfa", "0115", "01", 2020, None),
            member("alfa", "0305", "03", 2020, None),
            member("beta", "0360", "03", 2020, None),
            member("delta", "0380", "03", 2020, None),
        ],
        insatser: vec![
            insats(1, "alfa", "work_oriented", &["young", "long_term_sick_listed"]),
            insats(2, "alfa", "preparatory", &[]),
            insats(3, "beta", "work_oriented", &["women_only"]),
            insats(4, "alfa", "develop_cooperation", &[]),
            insats(5, "beta", "competence_raising", &[]),
        ],
        insats_years: vec![
            with_exits(figures(1, 2023, Some((6, 4)), 10_000_000, Some(9_500_050)), [(1, 2), (0, 1), (0, 0), (1, 0)]),
            figures(1, 2022, Some((1, 1)), 1_000_000, Some(1_000_000)),
            figures(2, 2023, Some((3, 0)), 5_000_000, None),
            with_exits(figures(3, 2023, Some((2, 5)), 3_000_000, Some(3_100_000)), [(0, 0), (0, 0), (0, 0), (0, 1)]),
            figures(4, 2023, Some((10, 20)), 4_000_000, Some(3_900_000)),
            figures(5, 2023, None, 2_000_000, None),
            figures(99, 2023, Some((50, 50)), 99_000_000, Some(99_000_000)),
        ],
        finances: vec![
            // alfa: 200 000 / 100 000 / 100 000 SEK; administration 60 000, spent 58 000;
            // equity 120 000 → 110 000.
            finances(
                "alfa",
                2023,
                (20_000_000, 10_000_000, 10_000_000),
                (6_000_000, Some(5_800_000)),
                (12_000_000, 11_000_000),
            ),
            // beta: 100 000 / 50 000 / 50 000; administration 20 000, outcome unknown;
            // equity 30 000 → 45 000.
            finances("beta", 2023, (10_000_000, 5_000_000, 5_000_000), (2_000_000, None), (3_000_000, 4_500_000)),
        ],
        forbund_years: vec![
            submitted("alfa", 2023),
            crate::inputs::ForbundYearRow { forbund_key: "beta".into(), year: 2023, submitted: false },
        ],
        ..Inputs::default()
    }
}

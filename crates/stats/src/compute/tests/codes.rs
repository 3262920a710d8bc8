//! Every code of every domain list has its own cell: one registration carrying that code alone
//! counts there and nowhere else. A code added to the domain is then covered by the tables
//! (it used to be refused by the tables' own lists, failing every table request).

use finsam_domain::codes::Code;
use finsam_domain::{ExitReason, Gender, Kind, Orientation, Party, TargetGroup};

use super::table;
use crate::catalog::TableId;
use crate::inputs::{Inputs, InsatsRow, InsatsYearRow};
use crate::table::{Selection, Table};
use crate::test_support::{d, figures, finances, insats, member};

const YEAR: i32 = 2023;

fn one_insats(row: InsatsRow, year: InsatsYearRow) -> Inputs {
    Inputs {
        forbund: vec!["alfa".into()],
        memberships: vec![member("alfa", "0114", "01", 2020, None)],
        insatser: vec![row],
        insats_years: vec![year],
        ..Inputs::default()
    }
}

fn cell(table: &Table, codes: &[&str]) -> Option<rust_decimal::Decimal> {
    let mut full = vec!["2023"];
    full.extend_from_slice(codes);
    table.get(&full)
}

#[test]
fn every_orientation_counts_under_its_own_code_and_kind() {
    for &orientation in Orientation::ALL {
        let inputs = one_insats(insats(1, "alfa", orientation.code(), &[]), figures(1, YEAR, Some((1, 1)), 100, None));
        let by_kind = table(&inputs, TableId::InsatserByKind, &[YEAR], &Selection::National);
        for &kind in Kind::ALL {
            let expected = if kind == orientation.kind() { d("1") } else { d("0") };
            assert_eq!(cell(&by_kind, &[kind.code(), "insatser"]), expected, "{orientation} in {kind}");
        }
        let id = match orientation.kind() {
            Kind::Individual => TableId::IndividualInsatser,
            Kind::Structural => TableId::StructuralInsatser,
        };
        let of_kind = table(&inputs, id, &[YEAR], &Selection::National);
        for other in Orientation::of_kind(orientation.kind()) {
            let expected = if other == orientation { d("1") } else { d("0") };
            assert_eq!(cell(&of_kind, &[other.code(), "insatser"]), expected, "{orientation} as {other}");
        }
        assert_eq!(cell(&of_kind, &["total", "insatser"]), d("1"));
    }
}

#[test]
fn every_target_group_counts_under_its_own_code() {
    for &group in TargetGroup::ALL {
        let row = insats(1, "alfa", Orientation::WorkOriented.code(), &[group.code()]);
        let t = table(
            &one_insats(row, figures(1, YEAR, Some((1, 1)), 100, None)),
            TableId::TargetGroups,
            &[YEAR],
            &Selection::National,
        );
        for &other in TargetGroup::ALL {
            let expected = if other == group { d("1") } else { d("0") };
            assert_eq!(cell(&t, &[other.code(), "insatser"]), expected, "{group} as {other}");
        }
        assert_eq!(cell(&t, &["none", "insatser"]), d("0"));
    }
}

#[test]
fn every_exit_reason_and_gender_counts_in_its_own_cell() {
    for &reason in ExitReason::ALL {
        for &gender in Gender::ALL {
            let mut exits = [(0, 0); crate::inputs::EXIT_REASONS];
            let pair = &mut exits[reason.index()];
            *(if gender == Gender::Women { &mut pair.0 } else { &mut pair.1 }) = 1;
            let year = InsatsYearRow { exits: Some(exits), ..figures(1, YEAR, Some((1, 1)), 100, None) };
            let inputs = one_insats(insats(1, "alfa", Orientation::WorkOriented.code(), &[]), year);
            let t = table(&inputs, TableId::Exits, &[YEAR], &Selection::National);
            for &r in ExitReason::ALL {
                for &g in Gender::ALL {
                    let expected = if (r, g) == (reason, gender) { d("1") } else { d("0") };
                    assert_eq!(cell(&t, &[r.code(), g.code(), "exits"]), expected, "{reason} {gender} as {r} {g}");
                }
            }
            assert_eq!(cell(&t, &["total", "total", "exits"]), d("1"));
        }
    }
}

#[test]
fn every_party_has_its_own_contribution() {
    for &party in Party::ALL {
        let mut amounts = [0; 3];
        amounts[party.index()] = 12_345;
        let inputs = Inputs {
            forbund: vec!["alfa".into()],
            finances: vec![finances("alfa", YEAR, amounts.into(), (0, None), (0, 0))],
            ..Inputs::default()
        };
        let t = table(&inputs, TableId::Contributions, &[YEAR], &Selection::National);
        for &other in Party::ALL {
            let expected = if other == party { d("123.45") } else { d("0.00") };
            assert_eq!(cell(&t, &[other.code(), "amount"]), expected, "{party} as {other}");
        }
    }
}

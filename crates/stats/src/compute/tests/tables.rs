//! Every table once on `small()` (national, 2023), values worked out by hand.

use super::{small, table};
use crate::catalog::TableId;
use crate::table::{Selection, Table};
use crate::test_support::{d, insats};

const NATIONAL: Selection = Selection::National;

/// Asserts cells given as (codes after the year, expected value).
fn assert_cells(table: &Table, year: &str, cells: &[(&[&str], Option<&str>)]) {
    for (codes, expected) in cells {
        let mut full = vec![year];
        full.extend_from_slice(codes);
        assert_eq!(table.get(&full), expected.and_then(d), "{} {full:?}", table.id.code());
    }
}

#[test]
fn insatser_by_kind() {
    // 3 individual (1, 2, 3) and 2 structural (4, 5) of 5; insats 99 is deleted and 1's 2022
    // figures are another year.
    let t = table(&small(), TableId::InsatserByKind, &[2023], &NATIONAL);
    assert_eq!(t.size(), vec![1, 3, 2]);
    assert_cells(
        &t,
        "2023",
        &[
            (&["individual", "insatser"], Some("3")),
            (&["individual", "share"], Some("60.0")),
            (&["structural", "insatser"], Some("2")),
            (&["structural", "share"], Some("40.0")),
            (&["total", "insatser"], Some("5")),
            (&["total", "share"], Some("100.0")),
        ],
    );
}

#[test]
fn individual_insatser() {
    // work_oriented 1 and 3: 2 of 3 = 66.67 → 66.7; preparatory 1 of 3 = 33.3.
    let t = table(&small(), TableId::IndividualInsatser, &[2023], &NATIONAL);
    assert_cells(
        &t,
        "2023",
        &[
            (&["work_oriented", "insatser"], Some("2")),
            (&["work_oriented", "share"], Some("66.7")),
            (&["preparatory", "insatser"], Some("1")),
            (&["preparatory", "share"], Some("33.3")),
            (&["identify_needs", "insatser"], Some("0")),
            (&["identify_needs", "share"], Some("0.0")),
            (&["preventive", "share"], Some("0.0")),
            (&["total", "insatser"], Some("3")),
            (&["total", "share"], Some("100.0")),
        ],
    );
}

#[test]
fn individual_participants() {
    // work_oriented: women 6 + 2 = 8, men 4 + 5 = 9, total 17; preparatory: 3, 0, 3;
    // all individual: women 11, men 9, total 20.
    let t = table(&small(), TableId::IndividualParticipants, &[2023], &NATIONAL);
    assert_eq!(t.size(), vec![1, 5, 3, 3]);
    assert_cells(
        &t,
        "2023",
        &[
            (&["work_oriented", "women", "participants"], Some("8")),
            (&["work_oriented", "women", "share_of_orientation"], Some("47.1")), // 8/17 = 47.06
            (&["work_oriented", "women", "share_of_gender"], Some("72.7")),      // 8/11 = 72.73
            (&["work_oriented", "men", "participants"], Some("9")),
            (&["work_oriented", "men", "share_of_orientation"], Some("52.9")), // 9/17 = 52.94
            (&["work_oriented", "men", "share_of_gender"], Some("100.0")),     // 9/9
            (&["work_oriented", "total", "participants"], Some("17")),
            (&["work_oriented", "total", "share_of_orientation"], Some("100.0")),
            (&["work_oriented", "total", "share_of_gender"], Some("85.0")), // 17/20
            (&["preparatory", "women", "share_of_gender"], Some("27.3")),   // 3/11 = 27.27
            (&["preparatory", "men", "share_of_orientation"], Some("0.0")), // 0/3
            (&["preparatory", "total", "share_of_gender"], Some("15.0")),   // 3/20
            // identify_needs has nobody: a share of its own 0 participants does not exist.
            (&["identify_needs", "women", "participants"], Some("0")),
            (&["identify_needs", "women", "share_of_orientation"], None),
            (&["identify_needs", "women", "share_of_gender"], Some("0.0")),
            (&["total", "women", "participants"], Some("11")),
            (&["total", "women", "share_of_orientation"], Some("55.0")), // 11/20
            (&["total", "women", "share_of_gender"], Some("100.0")),
            (&["total", "men", "share_of_orientation"], Some("45.0")),
            (&["total", "total", "participants"], Some("20")),
            (&["total", "total", "share_of_gender"], Some("100.0")),
        ],
    );
}

#[test]
fn structural_insatser_with_untracked_participants() {
    // 4 tracks 30 participants; 5 is not tracked: it counts as an insats, not in participants.
    let t = table(&small(), TableId::StructuralInsatser, &[2023], &NATIONAL);
    assert_cells(
        &t,
        "2023",
        &[
            (&["develop_cooperation", "insatser"], Some("1")),
            (&["develop_cooperation", "share"], Some("50.0")),
            (&["develop_cooperation", "tracking_participants"], Some("1")),
            (&["develop_cooperation", "participants"], Some("30")),
            (&["develop_cooperation", "share_of_participants"], Some("100.0")),
            (&["competence_raising", "insatser"], Some("1")),
            (&["competence_raising", "share"], Some("50.0")),
            (&["competence_raising", "tracking_participants"], Some("0")),
            (&["competence_raising", "participants"], Some("0")),
            (&["competence_raising", "share_of_participants"], Some("0.0")),
            (&["needs_analysis", "insatser"], Some("0")),
            (&["total", "insatser"], Some("2")),
            (&["total", "tracking_participants"], Some("1")),
            (&["total", "participants"], Some("30")),
            (&["total", "share_of_participants"], Some("100.0")),
        ],
    );
}

#[test]
fn target_groups() {
    // 1: young + long_term_sick_listed, 2: none, 3: women_only; structural 4 and 5 do not count.
    let t = table(&small(), TableId::TargetGroups, &[2023], &NATIONAL);
    assert_cells(
        &t,
        "2023",
        &[
            (&["women_only", "insatser"], Some("1")),
            (&["men_only", "insatser"], Some("0")),
            (&["young", "insatser"], Some("1")),
            (&["young_with_disability", "insatser"], Some("0")),
            (&["young_with_activity_compensation", "insatser"], Some("0")),
            (&["long_term_sick_listed", "insatser"], Some("1")),
            (&["none", "insatser"], Some("1")),
        ],
    );
}

#[test]
fn an_insats_with_all_target_groups_counts_once_in_each() {
    let all = [
        "women_only",
        "men_only",
        "young",
        "young_with_disability",
        "young_with_activity_compensation",
        "long_term_sick_listed",
        "young", // listed twice, still once
    ];
    let mut inputs = small();
    inputs.insatser[1] = insats(2, "alfa", "preparatory", &all);
    let t = table(&inputs, TableId::TargetGroups, &[2023], &NATIONAL);
    // Insats 2 adds one to every group; "none" loses it.
    assert_cells(
        &t,
        "2023",
        &[
            (&["women_only", "insatser"], Some("2")),
            (&["men_only", "insatser"], Some("1")),
            (&["young", "insatser"], Some("2")),
            (&["young_with_disability", "insatser"], Some("1")),
            (&["young_with_activity_compensation", "insatser"], Some("1")),
            (&["long_term_sick_listed", "insatser"], Some("2")),
            (&["none", "insatser"], Some("0")),
        ],
    );
}

#[test]
fn costs() {
    // individual budget 10 000 000 + 5 000 000 + 3 000 000 = 18 000 000 öre; outcome known for
    // 1 and 3: 9 500 050 + 3 100 000 = 12 600 050. structural 4 000 000 + 2 000 000; outcome
    // 3 900 000 (only 4). administration 6 000 000 + 2 000 000; outcome 5 800 000 (alfa).
    // Insats budget 24 000 000: individual 75 %, structural 25 %.
    let t = table(&small(), TableId::Costs, &[2023], &NATIONAL);
    assert_cells(
        &t,
        "2023",
        &[
            (&["individual", "budget"], Some("180000.00")),
            (&["individual", "outcome"], Some("126000.50")),
            (&["individual", "share_of_insats_budget"], Some("75.0")),
            (&["structural", "budget"], Some("60000.00")),
            (&["structural", "outcome"], Some("39000.00")),
            (&["structural", "share_of_insats_budget"], Some("25.0")),
            (&["administration", "budget"], Some("80000.00")),
            (&["administration", "outcome"], Some("58000.00")),
            (&["administration", "share_of_insats_budget"], None),
            (&["total", "budget"], Some("320000.00")),
            (&["total", "outcome"], Some("223000.50")),
            (&["total", "share_of_insats_budget"], None),
        ],
    );
}

#[test]
fn costs_without_any_known_outcome() {
    let mut inputs = small();
    inputs.insats_years.iter_mut().for_each(|row| row.outcome_ore = None);
    let t = table(&inputs, TableId::Costs, &[2023], &NATIONAL);
    assert_eq!(t.get(&["2023", "individual", "outcome"]), None);
    assert_eq!(t.get(&["2023", "structural", "outcome"]), None);
    // The total sums what is known: administration's 58 000.00 only.
    assert_eq!(t.get(&["2023", "total", "outcome"]), d("58000.00"));
}

#[test]
fn contributions_and_equity() {
    // state 20 000 000 + 10 000 000, regions and municipalities 10 000 000 + 5 000 000 each.
    let t = table(&small(), TableId::Contributions, &[2023], &NATIONAL);
    assert_cells(
        &t,
        "2023",
        &[
            (&["state", "amount"], Some("300000.00")),
            (&["state", "share"], Some("50.0")),
            (&["regions", "amount"], Some("150000.00")),
            (&["regions", "share"], Some("25.0")),
            (&["municipalities", "amount"], Some("150000.00")),
            (&["municipalities", "share"], Some("25.0")),
            (&["total", "amount"], Some("600000.00")),
            (&["total", "share"], Some("100.0")),
        ],
    );
    // opening 12 000 000 + 3 000 000, closing 11 000 000 + 4 500 000: result +500 000 öre.
    let t = table(&small(), TableId::Equity, &[2023], &NATIONAL);
    assert_eq!(t.size(), vec![1, 3]);
    assert_cells(
        &t,
        "2023",
        &[(&["opening"], Some("150000.00")), (&["result"], Some("5000.00")), (&["closing"], Some("155000.00"))],
    );
}

#[test]
fn completeness() {
    // Members in 2023: alfa, beta, delta (gamma has none). Registered: alfa, beta. Submitted:
    // alfa. Municipalities 0114, 0115, 0305, 0360, 0380.
    let t = table(&small(), TableId::Completeness, &[2023], &NATIONAL);
    assert_cells(
        &t,
        "2023",
        &[
            (&["forbund"], Some("3")),
            (&["forbund_registered"], Some("2")),
            (&["forbund_submitted"], Some("1")),
            (&["municipalities_covered"], Some("5")),
        ],
    );
    let one = |key: &str| table(&small(), TableId::Completeness, &[2023], &Selection::Forbund(key.into())).values;
    assert_eq!(one("alfa"), vec![d("1"), d("1"), d("1"), d("3")]);
    assert_eq!(one("delta"), vec![d("1"), d("0"), d("0"), d("1")]);
    assert_eq!(one("gamma"), vec![d("0"), d("0"), d("0"), d("0")]);
}

#[test]
fn exits() {
    // Insats 1: work 1/2, studies 0/1, other 1/0; insats 3: other 0/1; the rest report none.
    let t = table(&small(), TableId::Exits, &[2023], &NATIONAL);
    assert_eq!(t.size(), vec![1, 5, 3, 1]);
    assert_cells(
        &t,
        "2023",
        &[
            (&["work", "women", "exits"], Some("1")),
            (&["work", "men", "exits"], Some("2")),
            (&["work", "total", "exits"], Some("3")),
            (&["studies", "total", "exits"], Some("1")),
            (&["job_seeking", "total", "exits"], Some("0")),
            (&["other", "women", "exits"], Some("1")),
            (&["other", "men", "exits"], Some("1")),
            (&["total", "women", "exits"], Some("2")),
            (&["total", "men", "exits"], Some("4")),
            (&["total", "total", "exits"], Some("6")),
        ],
    );
}

#[test]
fn values_carry_the_decimals_of_their_unit() {
    let t = table(&small(), TableId::Costs, &[2023], &NATIONAL);
    assert_eq!(t.get(&["2023", "individual", "budget"]).map(|v| v.scale()), Some(2));
    assert_eq!(t.get(&["2023", "individual", "share_of_insats_budget"]).map(|v| v.scale()), Some(1));
    let t = table(&small(), TableId::InsatserByKind, &[2023], &NATIONAL);
    assert_eq!(t.get(&["2023", "total", "insatser"]).map(|v| v.scale()), Some(0));
    assert_eq!(t.get(&["2023", "total", "share"]).map(|v| v.scale()), Some(1));
}

#[test]
fn equity_leaves_pending_closing_equity_out_and_says_how_many() {
    // small()'s alfa (opening 12 000 000, closing 11 000 000) and beta (3 000 000 → 4 500 000),
    // then beta's closing pending: opening still sums both, closing and result alfa's alone.
    let mut inputs = small();
    let beta = inputs.finances.iter_mut().find(|f| f.forbund_key == "beta" && f.year == 2023).unwrap();
    beta.equity_closing_ore = None;
    let t = table(&inputs, TableId::Equity, &[2023], &NATIONAL);
    assert_cells(
        &t,
        "2023",
        &[(&["opening"], Some("150000.00")), (&["result"], Some("-10000.00")), (&["closing"], Some("110000.00"))],
    );
    assert_eq!(t.notes.len(), 1);
    let note = &t.notes[0];
    assert_eq!((note.code.as_str(), note.year, note.count), ("closing_equity_pending", 2023, 1));
    assert!(note.text_en.contains("pending (annual report not yet adopted) for 1 förbund"), "{}", note.text_en);
    assert!(note.text_en.contains("cover the 1 förbund that gave it, opening equity all 2"), "{}", note.text_en);

    // Both pending: no closing and no result at all, rather than a zero.
    for f in inputs.finances.iter_mut() {
        f.equity_closing_ore = None;
    }
    let t = table(&inputs, TableId::Equity, &[2023], &NATIONAL);
    assert_cells(&t, "2023", &[(&["opening"], Some("150000.00")), (&["result"], None), (&["closing"], None)]);
    assert_eq!(t.notes[0].count, 2);
    // With every closing equity given there is no note.
    assert!(table(&small(), TableId::Equity, &[2023], &NATIONAL).notes.is_empty());
}

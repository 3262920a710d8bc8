use finsam_stats::{Frames, Inputs, InsatsRow, InsatsYearRow, MembershipRow, Selection, TableId};
use rust_decimal::Decimal;

use super::{OpenYear, SUPPRESSED, series, stack};

const YEAR: i32 = 2023;

fn membership(forbund: &str, municipality: &str, county: &str) -> MembershipRow {
    MembershipRow {
        forbund_key: forbund.into(),
        municipality_code: municipality.into(),
        county_code: county.into(),
        valid_from_year: 2020,
        valid_to_year: None,
    }
}

/// Three förbund in two counties: "a" and "b" in county 01, "c" in 02. Förbund "a" has small
/// groups; the rest are large.
fn inputs() -> Inputs {
    let orientations = ["work_oriented", "preparatory", "identify_needs", "preventive"];
    let mut inputs = Inputs {
        forbund: vec!["a".into(), "b".into(), "c".into()],
        memberships: vec![membership("a", "0101", "01"), membership("b", "0102", "01"), membership("c", "0201", "02")],
        ..Inputs::default()
    };
    let figures: [(&str, [(i64, i64); 4]); 3] = [
        ("a", [(2, 30), (25, 1), (40, 44), (0, 0)]),
        ("b", [(60, 50), (33, 41), (12, 17), (9, 8)]),
        ("c", [(70, 65), (21, 28), (15, 11), (7, 3)]),
    ];
    let mut id = 0;
    for (forbund, per_orientation) in figures {
        for (orientation, participants) in orientations.iter().zip(per_orientation) {
            id += 1;
            inputs.insatser.push(InsatsRow {
                id,
                forbund_key: forbund.into(),
                kind: "individual".into(),
                orientation: (*orientation).into(),
                target_groups: vec![],
            });
            inputs.insats_years.push(InsatsYearRow {
                insats_id: id,
                year: YEAR,
                participants: Some(participants),
                budget_ore: 100_000,
                outcome_ore: None,
                exits: Some([(participants.0 / 2, participants.1 / 2), (1, 0), (0, 0), (0, 0)]),
            });
        }
    }
    inputs
}

fn open(threshold: i64) -> OpenYear {
    let frames = Frames::new(&inputs()).expect("frames");
    OpenYear::build(&frames, &["01".into(), "02".into(), "03".into()], YEAR, threshold).expect("builds")
}

fn forbund(key: &str) -> Selection {
    Selection::Forbund(key.into())
}

/// Codes of the cell at `i`, e.g. ["2023", "work_oriented", "women", "participants"].
fn codes(table: &finsam_stats::Table, i: usize) -> Vec<String> {
    let layout = super::Layout::of(table);
    layout.coords(i).iter().zip(&table.dimensions).map(|(&c, d)| d.categories[c].code.clone()).collect()
}

#[test]
fn small_person_counts_are_hidden_everywhere_and_marked() {
    let open = open(4);
    for id in TableId::OPEN {
        for (selection, table) in open.selections.iter().zip(open.family(id)) {
            for (i, value) in table.table.values.iter().enumerate() {
                let measure = codes(&table.table, i).pop().expect("a measure");
                let person = matches!(measure.as_str(), "participants" | "exits");
                if person && let Some(v) = value {
                    assert!(*v == Decimal::ZERO || *v > Decimal::from(4), "{id:?} {selection:?} cell {i} = {v}");
                }
                assert_eq!(value.is_none() && table.status[i].is_some(), table.status[i].is_some());
                if let Some(status) = &table.status[i] {
                    assert_eq!(status, SUPPRESSED);
                }
            }
        }
    }
    let a = open.table(TableId::IndividualParticipants, &forbund("a")).expect("a's table");
    assert!(a.suppressed() > 0);
    let at = |o: &str, g: &str, m: &str| {
        let i = (0..a.table.values.len()).find(|&i| codes(&a.table, i) == ["2023", o, g, m]).expect("cell");
        a.status[i].is_some()
    };
    assert!(at("work_oriented", "women", "participants"), "2 women is primary");
    assert!(at("work_oriented", "women", "share_of_orientation"), "its share is derived from it");
    assert!(at("work_oriented", "women", "share_of_gender"));
    assert!(!at("identify_needs", "women", "participants"), "40 is far from anything small");
}

#[test]
fn counts_of_insatser_and_money_are_never_suppressed() {
    let open = open(4);
    for id in [TableId::InsatserByKind, TableId::IndividualInsatser, TableId::TargetGroups, TableId::Costs] {
        assert!(open.family(id).iter().all(|t| t.suppressed() == 0), "{id:?}");
    }
}

#[test]
fn a_larger_threshold_hides_more() {
    let (four, ten) = (open(4), open(10));
    let hidden = |o: &OpenYear| o.family(TableId::IndividualParticipants).iter().map(|t| t.suppressed()).sum::<usize>();
    assert!(hidden(&ten) > hidden(&four), "{} vs {}", hidden(&ten), hidden(&four));
}

#[test]
fn a_county_without_forbund_is_published_as_zeros() {
    let open = open(4);
    let empty = open.table(TableId::Exits, &Selection::County("03".into())).expect("listed county");
    assert_eq!(empty.suppressed(), 0);
    assert!(empty.table.values.iter().all(|v| *v == Some(Decimal::ZERO)));
    assert!(open.table(TableId::Exits, &Selection::County("99".into())).is_none());
}

#[test]
fn a_series_is_its_years_side_by_side() {
    let open = open(4);
    let block = open.table(TableId::Exits, &forbund("a")).expect("a");
    let joined = series(&[block, block]).expect("two blocks");
    assert_eq!(joined.table.values.len(), 2 * block.table.values.len());
    assert_eq!(joined.status[block.status.len()..], block.status[..]);
    assert!(series(&[]).is_none());
}

#[test]
fn stacking_adds_a_dimension_after_year() {
    let open = open(4);
    let entries: Vec<(String, String, &super::OpenTable)> = ["a", "b", "c"]
        .iter()
        .map(|k| (k.to_string(), format!("Förbund {k}"), open.table(TableId::Exits, &forbund(k)).expect("listed")))
        .collect();
    let stacked = stack("forbund", "Samordningsförbund", "Förbund", &entries);
    let ids: Vec<&str> = stacked.table.dimensions.iter().map(|d| d.id.as_str()).collect();
    assert_eq!(ids, ["year", "forbund", "reason", "gender", "measure"]);
    let block = entries[0].2.table.values.len();
    assert_eq!(stacked.table.values[block..2 * block], entries[1].2.table.values[..]);
    assert_eq!(stacked.status[2 * block..], entries[2].2.status[..]);
}

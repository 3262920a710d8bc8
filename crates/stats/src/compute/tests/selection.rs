//! Selections: a förbund counts in the county holding most of its member municipalities during
//! each year (ties: the lowest code); counties add up to the nation.

use rust_decimal::Decimal;

use super::table;
use crate::catalog::TableId;
use crate::compute::compute_all;
use crate::inputs::Inputs;
use crate::table::{Selection, Table};
use crate::test_support::{d, figures, finances, insats, member};

const COUNTIES: [&str; 5] = ["01", "03", "04", "05", "19"];

/// 2022 and 2023, one insats and one finance row per förbund and year:
/// - north (insats 1): 0114, 0115 (01) and 0305 (03) → 01 both years.
/// - tie (insats 2): 0401 (04) and 0501 (05) → a tie, 04.
/// - mover (insats 3): 0360 (03) throughout; 0380 (03) until 2022; 0120, 0125 (01) from 2023;
///   1917 in county 19 until 2022 and in county 03 from 2023 (the municipality changed county).
///   2022: 03 {0360, 0380} against 19 {1917} → 03. 2023: 01 {0120, 0125} against
///   03 {0360, 1917} → a tie, 01.
/// - orphan (insats 4): no members at all.
fn counties() -> Inputs {
    let forbund = ["north", "tie", "mover", "orphan"];
    let mut inputs = Inputs {
        forbund: forbund.map(String::from).to_vec(),
        memberships: vec![
            member("north", "0114", "01", 2020, None),
            member("north", "0115", "01", 2020, None),
            member("north", "0305", "03", 2020, None),
            member("tie", "0401", "04", 2020, None),
            member("tie", "0501", "05", 2020, None),
            member("mover", "0360", "03", 2020, None),
            member("mover", "0380", "03", 2020, Some(2022)),
            member("mover", "0120", "01", 2023, None),
            member("mover", "0125", "01", 2023, None),
            member("mover", "1917", "19", 2020, Some(2022)),
            member("mover", "1917", "03", 2023, None),
        ],
        ..Inputs::default()
    };
    for (i, key) in forbund.into_iter().enumerate() {
        let id = i as i64 + 1;
        inputs.insatser.push(insats(id, key, "work_oriented", &["young"]));
        for year in [2022, 2023] {
            // Different figures per förbund and year, so that a misplaced one shows.
            let n = id * 10 + i64::from(year - 2022);
            inputs.insats_years.push(figures(id, year, Some((n, n + 1)), n * 100, Some(n * 90)));
            inputs.finances.push(finances(key, year, (n * 200, n * 100, n * 100), (n * 50, Some(n * 40)), (n, n * 3)));
        }
    }
    inputs
}

fn total_insatser(inputs: &Inputs, years: &[i32], selection: Selection) -> Vec<Option<Decimal>> {
    let t = table(inputs, TableId::InsatserByKind, years, &selection);
    years.iter().map(|y| t.get(&[&y.to_string(), "total", "insatser"])).collect()
}

#[test]
fn a_tie_goes_to_the_lowest_county_code() {
    let inputs = counties();
    assert_eq!(total_insatser(&inputs, &[2023], Selection::County("04".into())), vec![d("1")]);
    assert_eq!(total_insatser(&inputs, &[2023], Selection::County("05".into())), vec![d("0")]);
}

#[test]
fn a_membership_change_moves_a_forbund_between_counties_per_year() {
    let inputs = counties();
    // 01: north both years, mover from 2023. 03: mover in 2022 only. 19: never the majority.
    assert_eq!(total_insatser(&inputs, &[2022, 2023], Selection::County("01".into())), vec![d("1"), d("2")]);
    assert_eq!(total_insatser(&inputs, &[2022, 2023], Selection::County("03".into())), vec![d("1"), d("0")]);
    assert_eq!(total_insatser(&inputs, &[2022, 2023], Selection::County("19".into())), vec![d("0"), d("0")]);
    // 2023, county 01: north and mover, with all their municipalities wherever they lie:
    // 0114, 0115, 0305 and 0360, 0120, 0125, 1917.
    let t = table(&inputs, TableId::Completeness, &[2023], &Selection::County("01".into()));
    assert_eq!(t.values, vec![d("2"), d("2"), d("0"), d("7")]);
    // The money moves with the förbund (mover: n = 30 in 2022, 31 in 2023; north: 10, 11).
    let t = table(&inputs, TableId::Contributions, &[2022, 2023], &Selection::County("03".into()));
    assert_eq!(t.get(&["2022", "state", "amount"]), d("60.00")); // 30 · 200 öre
    assert_eq!(t.get(&["2023", "state", "amount"]), d("0.00"));
    let t = table(&inputs, TableId::Contributions, &[2022, 2023], &Selection::County("01".into()));
    assert_eq!(t.get(&["2022", "state", "amount"]), d("20.00")); // 10 · 200 öre
    assert_eq!(t.get(&["2023", "state", "amount"]), d("84.00")); // (11 + 31) · 200 öre
}

#[test]
fn counties_add_up_to_the_nation_for_forbund_with_members() {
    let mut inputs = counties();
    let orphan = inputs.forbund.iter().position(|k| k == "orphan").unwrap();
    let without_orphan = |inputs: &mut Inputs| {
        inputs.forbund.remove(orphan);
        inputs.insatser.retain(|i| i.forbund_key != "orphan");
        inputs.finances.retain(|f| f.forbund_key != "orphan");
    };
    without_orphan(&mut inputs);
    let years = [2022, 2023];
    let nation = compute_all(&inputs, &years, &Selection::National).unwrap();
    let per_county: Vec<Vec<Table>> =
        COUNTIES.iter().map(|c| compute_all(&inputs, &years, &Selection::County((*c).into())).unwrap()).collect();
    for (i, national) in nation.iter().enumerate() {
        if national.id.by_forbund() {
            // Each county has its own förbund; their totals add up to the nation's.
            for year in ["2022", "2023"] {
                for measure in &national.dimensions[2].categories {
                    if measure.unit.as_ref().unwrap().label == "percent" || measure.code == "recommended_max_share" {
                        continue;
                    }
                    let cell = [year, "total", measure.code.as_str()];
                    let counties: Option<Decimal> =
                        per_county.iter().filter_map(|tables| tables[i].get(&cell)).reduce(|a, b| a + b);
                    assert_eq!(counties, national.get(&cell), "{} {cell:?}", national.id.code());
                }
            }
            continue;
        }
        let measures = &national.dimensions.last().unwrap().categories;
        for (cell, value) in national.values.iter().enumerate() {
            let measure = &measures[cell % measures.len()];
            if measure.unit.as_ref().unwrap().label == "percent" {
                continue; // shares do not add up
            }
            let counties: Option<Decimal> =
                per_county.iter().filter_map(|tables| tables[i].values[cell]).reduce(|a, b| a + b);
            assert_eq!(counties, *value, "{} cell {cell} ({})", national.id.code(), measure.code);
        }
    }
}

#[test]
fn a_forbund_without_members_counts_in_the_nation_only() {
    let inputs = counties();
    let in_counties: Decimal =
        COUNTIES.iter().map(|c| total_insatser(&inputs, &[2023], Selection::County((*c).into()))[0].unwrap()).sum();
    assert_eq!(in_counties, Decimal::from(3));
    assert_eq!(total_insatser(&inputs, &[2023], Selection::National), vec![d("4")]);
    // Nor is it expected to register: completeness counts north, tie and mover only.
    let t = table(&inputs, TableId::Completeness, &[2023], &Selection::National);
    assert_eq!(t.get(&["2023", "forbund"]), d("3"));
    assert_eq!(t.get(&["2023", "forbund_registered"]), d("3"));
}

#[test]
fn a_forbund_selection_holds_that_forbund_only() {
    let inputs = counties();
    let north = Selection::Forbund("north".into());
    assert_eq!(total_insatser(&inputs, &[2022, 2023], north.clone()), vec![d("1"), d("1")]);
    // north is förbund 1: n = 10 in 2022, 11 in 2023; women n, men n + 1.
    let t = table(&inputs, TableId::IndividualParticipants, &[2022, 2023], &north);
    assert_eq!(t.get(&["2022", "total", "total", "participants"]), d("21"));
    assert_eq!(t.get(&["2023", "work_oriented", "women", "participants"]), d("11"));
    let t = table(&inputs, TableId::Costs, &[2023], &north);
    assert_eq!(t.get(&["2023", "individual", "budget"]), d("11.00"));
    assert_eq!(t.get(&["2023", "administration", "outcome"]), d("4.40"));
    // The orphan has no members, but its own figures are its own.
    let orphan = Selection::Forbund("orphan".into());
    assert_eq!(total_insatser(&inputs, &[2023], orphan), vec![d("1")]);
    // An unknown förbund selects nothing.
    assert_eq!(total_insatser(&inputs, &[2023], Selection::Forbund("nowhere".into())), vec![d("0")]);
}

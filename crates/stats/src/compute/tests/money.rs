//! The money tables over `small()`: alfa (county 01) and beta (03) have finances for 2023; an
//! allocation is decided for 2023 (frame 1 000 000, national support 100 000: 900 000 shared),
//! alfa 600 000 (base 100 000, 350 000 by försörjningsmått, 150 000 by population, no damping;
//! 500 000 the year before) and beta 300 000 (100 000 / 150 000 / 80 000 / −30 000; none the
//! year before).

use finsam_domain::money_settings::{EquityStep, MoneySettings};
use rust_decimal::Decimal;

use super::{small, table};
use crate::inputs::{AllocationRow, AllocationYearRow, Inputs};
use crate::table::Selection;
use crate::{Table, TableId};

fn kr(n: i64) -> i64 {
    n * 100
}

fn decided() -> Inputs {
    let row = |key: &str, parts: [i64; 4], previous: Option<i64>| AllocationRow {
        forbund_key: key.into(),
        year: 2023,
        parts: Some(parts.map(kr)),
        total_ore: kr(parts.iter().sum()),
        previous_ore: previous.map(kr),
    };
    Inputs {
        forbund_names: [("alfa", "Alfa samordningsförbund"), ("beta", "Beta")]
            .map(|(k, n)| (k.to_owned(), n.to_owned()))
            .into(),
        allocations: vec![
            row("alfa", [100_000, 350_000, 150_000, 0], Some(500_000)),
            row("beta", [100_000, 150_000, 80_000, -30_000], None),
        ],
        allocation_years: vec![AllocationYearRow {
            year: 2023,
            frame_ore: kr(1_000_000),
            national_support_ore: kr(100_000),
        }],
        ..small()
    }
}

fn d(text: &str) -> Option<Decimal> {
    Some(text.parse().unwrap())
}

fn codes(table: &Table, dimension: usize) -> Vec<&str> {
    table.dimensions[dimension].categories.iter().map(|c| c.code.as_str()).collect()
}

#[test]
fn the_allocation_has_a_row_per_forbund_with_its_parts_and_a_total() {
    let t = table(&decided(), TableId::Allocation, &[2023], &Selection::National);
    assert_eq!(codes(&t, 1), ["alfa", "beta", "total"]);
    assert_eq!(t.dimensions[1].categories[0].label_sv, "Alfa samordningsförbund");
    let at = |forbund: &str, measure: &str| t.get(&["2023", forbund, measure]);
    assert_eq!(at("alfa", "total"), d("600000"));
    assert_eq!(at("alfa", "by_forsorjningsmatt"), d("350000"));
    assert_eq!(at("alfa", "change"), d("100000"));
    assert_eq!(at("alfa", "change_percent"), d("20.0"));
    assert_eq!(at("alfa", "share"), d("66.7"));
    assert_eq!(at("beta", "damping_adjustment"), d("-30000"));
    assert_eq!((at("beta", "previous"), at("beta", "change")), (None, None), "no previous allocation");
    assert_eq!(at("total", "total"), d("900000"), "the parts sum to what is distributed");
    assert_eq!(at("total", "base"), d("200000"));
    assert_eq!(at("total", "share"), d("100.0"));
    assert_eq!(at("total", "change"), None, "beta had none the year before");
    assert!(t.notes.is_empty());
}

#[test]
fn the_allocation_follows_the_selection_and_says_when_a_year_is_not_decided() {
    let county = table(&decided(), TableId::Allocation, &[2023], &Selection::County("03".into()));
    assert_eq!(codes(&county, 1), ["beta", "total"]);
    assert_eq!(county.get(&["2023", "total", "total"]), d("300000"));
    assert_eq!(county.get(&["2023", "total", "share"]), d("33.3"));
    let series = table(&decided(), TableId::Allocation, &[2022, 2023], &Selection::National);
    assert_eq!(series.get(&["2022", "alfa", "total"]), None);
    assert_eq!(series.get(&["2022", "total", "total"]), None, "not decided is not 0");
    assert_eq!(
        series.notes.iter().map(|n| (n.code.as_str(), n.year)).collect::<Vec<_>>(),
        [("allocation_not_decided", 2022)]
    );
}

#[test]
fn equity_is_assessed_per_forbund_only_once_the_steps_are_set() {
    // alfa: closing 110 000 of contributions 400 000 = 27.5 %; beta 45 000 of 200 000 = 22.5 %.
    let unset = table(&decided(), TableId::EquityByForbund, &[2023], &Selection::National);
    assert_eq!(codes(&unset, 1), ["alfa", "beta", "total"]);
    let at = |t: &Table, forbund: &str, measure: &str| t.get(&["2023", forbund, measure]);
    assert_eq!(at(&unset, "alfa", "share_of_contributions"), d("27.5"));
    assert_eq!(at(&unset, "alfa", "share_of_allocation"), d("18.3"));
    assert_eq!(at(&unset, "alfa", "allocation"), d("600000"));
    assert_eq!(at(&unset, "alfa", "above_recommendation"), None);
    assert_eq!(at(&unset, "total", "closing"), d("155000.00"));
    assert_eq!(at(&unset, "total", "share_of_contributions"), d("25.8"));
    assert_eq!(unset.notes.iter().map(|n| n.code.as_str()).collect::<Vec<_>>(), ["equity_recommendation_not_set"]);

    // Up to 300 000 SEK of contributions 25 %, above that 20 %: alfa (400 000) may hold 20 % and
    // holds 27.5 %; beta (200 000) may hold 25 % and holds 22.5 %.
    let steps = vec![
        EquityStep { contributions_up_to: Some(Decimal::new(300_000, 0)), max_percent: Decimal::new(25, 0) },
        EquityStep { contributions_up_to: None, max_percent: Decimal::new(20, 0) },
    ];
    let set = Inputs {
        money_settings: vec![MoneySettings { equity_recommendation: Some(steps), ..MoneySettings::unset(2023) }],
        ..decided()
    };
    let t = table(&set, TableId::EquityByForbund, &[2023], &Selection::National);
    assert_eq!(at(&t, "alfa", "recommended_max_share"), d("20"));
    assert_eq!(at(&t, "alfa", "above_recommendation"), d("1"));
    assert_eq!(at(&t, "beta", "recommended_max_share"), d("25"));
    assert_eq!(at(&t, "beta", "above_recommendation"), d("0"));
    assert_eq!(at(&t, "total", "above_recommendation"), d("1"), "one förbund above");
    assert!(t.notes.is_empty());
}

#[test]
fn the_administration_share_is_of_budget_and_of_what_outcome_is_known() {
    // Nationally: administration 80 000 of 80 000 + 240 000 insats budget (25 %); outcome: alfa's
    // 58 000 against the known insats outcomes 95 000.50 + 31 000 + 39 000.
    let t = table(&small(), TableId::AdministrationShare, &[2023], &Selection::National);
    let at = |measure: &str| t.get(&["2023", measure]);
    assert_eq!(at("administration_budget"), d("80000.00"));
    assert_eq!(at("insats_budget"), d("240000.00"));
    assert_eq!(at("share_of_budget"), d("25.0"));
    assert_eq!(at("administration_outcome"), d("58000.00"));
    assert_eq!(at("insats_outcome"), d("165000.50"));
    assert_eq!(at("share_of_outcome"), d("26.0"));
    let beta = table(&small(), TableId::AdministrationShare, &[2023], &Selection::Forbund("beta".into()));
    assert_eq!(beta.get(&["2023", "share_of_budget"]), d("28.6"), "20 000 of 20 000 + 50 000");
    assert_eq!(beta.get(&["2023", "administration_outcome"]), None);
}

#[test]
fn the_state_ledger_adds_up_as_the_report_does() {
    let t = table(&decided(), TableId::StateFunds, &[2023], &Selection::National);
    let at = |measure: &str| t.get(&["2023", measure]);
    assert_eq!(at("frame"), d("1000000.00"));
    assert_eq!(at("paid_to_forbund"), d("900000.00"));
    assert_eq!((at("spent"), at("unspent")), (None, None), "national support spent not set");
    assert_eq!(t.notes.iter().map(|n| n.code.as_str()).collect::<Vec<_>>(), ["national_support_spent_not_set"]);
    let spent = Inputs {
        money_settings: vec![MoneySettings {
            national_support_spent: Some(Decimal::new(6_430_000, 2)),
            ..MoneySettings::unset(2023)
        }],
        ..decided()
    };
    let t = table(&spent, TableId::StateFunds, &[2023], &Selection::National);
    assert_eq!(t.get(&["2023", "spent"]), d("964300.00"));
    assert_eq!(t.get(&["2023", "unspent"]), d("35700.00"));
    assert!(t.notes.is_empty());
    let county = table(&spent, TableId::StateFunds, &[2023], &Selection::County("01".into()));
    assert_eq!(county.get(&["2023", "paid_to_forbund"]), d("600000.00"));
    assert_eq!(county.get(&["2023", "frame"]), None, "the frame is national");
}

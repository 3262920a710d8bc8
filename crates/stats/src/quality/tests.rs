use finsam_domain::money_settings::{EquityStep, MoneySettings};
use rust_decimal::Decimal;

use super::{QualityFlag, quality};
use crate::inputs::Inputs;
use crate::table::Selection;
use crate::test_support::{figures, finances, insats, member};

/// Looking at 2023:
/// - alfa (county 01): insats 1 has 0 + 0 participants and 7 none registered (individual);
///   2 has figures for 2022 and 2024 only (a gap); 3 for 2022 only while alfa registers 2023;
///   6 is structural and untracked (fine). Contributions 200.00 / 100.50 / 99.50 SEK are within
///   1 SEK of 2:1:1; the closing equity 400.01 is 100.0025 % of 2023's contributions of 400.00,
///   above a recommendation of 100 % when one is set (`with_settings`).
/// - beta (county 03): insats 4 has figures for 2022 only and beta registered finances for
///   2023; 5 only for 2021 (ended long ago). Regions 100.00 against municipalities 98.99 is
///   off by more than 1 SEK; its equity, 1 000 % of its contributions, is never compared here.
/// - nil (county 09): all contributions zero: no 2:1:1 flag.
/// - silent (county 03): members, nothing registered. gone: no members, nothing expected.
/// - insats 99 is deleted: its figures count for no one.
fn inputs() -> Inputs {
    Inputs {
        forbund: ["alfa", "beta", "nil", "silent", "gone"].map(String::from).to_vec(),
        memberships: vec![
            member("alfa", "0114", "01", 2020, None),
            member("beta", "0360", "03", 2020, None),
            member("nil", "0999", "09", 2020, None),
            member("silent", "0380", "03", 2020, None),
        ],
        insatser: vec![
            insats(1, "alfa", "work_oriented", &[]),
            insats(2, "alfa", "preparatory", &[]),
            insats(3, "alfa", "develop_cooperation", &[]),
            insats(4, "beta", "preventive", &[]),
            insats(5, "beta", "preventive", &[]),
            insats(6, "alfa", "needs_analysis", &[]),
            insats(7, "alfa", "identify_needs", &[]),
        ],
        insats_years: vec![
            figures(1, 2022, Some((3, 2)), 100, None),
            figures(1, 2023, Some((0, 0)), 100, None),
            figures(2, 2022, Some((1, 1)), 100, None),
            figures(2, 2024, Some((1, 1)), 100, None),
            figures(3, 2022, None, 100, None),
            figures(4, 2022, Some((1, 1)), 100, None),
            figures(5, 2021, Some((1, 1)), 100, None),
            figures(6, 2023, None, 100, None),
            figures(7, 2023, None, 100, None),
            figures(99, 2022, Some((0, 0)), 100, None),
            figures(99, 2023, Some((0, 0)), 100, None),
        ],
        finances: vec![
            finances("alfa", 2022, (20_000, 10_000, 10_000), (0, None), (0, 0)),
            finances("alfa", 2023, (20_000, 10_050, 9_950), (0, None), (0, 40_001)),
            finances("beta", 2023, (20_000, 10_000, 9_899), (0, None), (0, 1_000_000)),
            finances("nil", 2023, (0, 0, 0), (0, None), (0, 0)),
        ],
        forbund_years: vec![],
        ..Inputs::default()
    }
}

/// The inputs with 2023's recommendation (one step: 100 % of the contributions, or, for beta's
/// 1 000 %, more) and an administration limit of 40 %.
fn with_settings(inputs: Inputs) -> Inputs {
    let step = |up_to: Option<i64>, percent: i64| EquityStep {
        contributions_up_to: up_to.map(|n| Decimal::new(n, 0)),
        max_percent: Decimal::new(percent, 0),
    };
    let settings = MoneySettings {
        equity_recommendation: Some(vec![step(Some(300), 100), step(None, 100)]),
        administration_share_limit_percent: Some(Decimal::new(40, 0)),
        ..MoneySettings::unset(2023)
    };
    Inputs { money_settings: vec![settings], ..inputs }
}

fn codes(flags: &[QualityFlag]) -> Vec<(&str, Option<i64>, &str)> {
    flags.iter().map(|f| (f.forbund_key.as_str(), f.insats_id, f.code)).collect()
}

#[test]
fn every_flag_once_nationally() {
    let flags = quality(&inputs(), 2023, &Selection::National);
    assert_eq!(
        codes(&flags),
        vec![
            ("alfa", Some(1), "individual_zero_participants"),
            ("alfa", Some(2), "missing_year_figures"),
            ("alfa", Some(3), "missing_year_figures"),
            ("alfa", Some(7), "individual_zero_participants"),
            ("beta", None, "contributions_off_2_1_1"),
            ("beta", Some(4), "missing_year_figures"),
            ("silent", None, "no_registration"),
        ]
    );
    assert_eq!(flags[1].detail, "no figures for 2023, but for years before and after it");
    assert_eq!(flags[2].detail, "no figures for 2023, but for 2022 and the förbund has registered 2023");
    assert_eq!(
        flags[4].detail,
        "contributions 2023: state 200.00 SEK, regions 100.00 SEK, municipalities 98.99 SEK; expected 2:1:1"
    );
}

#[test]
fn flags_follow_the_selection() {
    let county = quality(&inputs(), 2023, &Selection::County("03".into()));
    assert_eq!(
        codes(&county),
        vec![
            ("beta", None, "contributions_off_2_1_1"),
            ("beta", Some(4), "missing_year_figures"),
            ("silent", None, "no_registration"),
        ]
    );
    let alfa = quality(&inputs(), 2023, &Selection::Forbund("alfa".into()));
    assert!(alfa.iter().all(|f| f.forbund_key == "alfa") && alfa.len() == 4);
}

#[test]
fn a_year_before_anything_was_registered() {
    // 2019: nobody has members yet and nothing is registered: nothing to flag.
    assert_eq!(quality(&inputs(), 2019, &Selection::National), vec![]);
    // 2020: everyone with members is silent; alfa's insatser start later, so none is missing.
    let flags = quality(&inputs(), 2020, &Selection::National);
    assert_eq!(codes(&flags).iter().map(|c| c.0).collect::<Vec<_>>(), vec!["alfa", "beta", "nil", "silent"]);
    assert!(flags.iter().all(|f| f.code == "no_registration"));
}

#[test]
fn pending_closing_equity_is_flagged_and_not_compared() {
    let mut inputs = inputs();
    let alfa = inputs.finances.iter_mut().find(|f| f.forbund_key == "alfa" && f.year == 2023).unwrap();
    alfa.equity_closing_ore = None;
    let flags = quality(&inputs, 2023, &Selection::National);
    let alfa: Vec<&str> =
        flags.iter().filter(|f| f.forbund_key == "alfa" && f.insats_id.is_none()).map(|f| f.code).collect();
    assert_eq!(alfa, ["closing_equity_pending"], "no equity comparison while pending");
}

#[test]
fn equity_is_flagged_against_the_recommendation_only_when_its_steps_are_set() {
    let unset = quality(&inputs(), 2023, &Selection::National);
    assert!(unset.iter().all(|f| f.code != "equity_above_recommendation"), "no steps, no assessment");
    let flags = quality(&with_settings(inputs()), 2023, &Selection::National);
    let equity: Vec<&QualityFlag> = flags.iter().filter(|f| f.code == "equity_above_recommendation").collect();
    assert_eq!(equity.iter().map(|f| f.forbund_key.as_str()).collect::<Vec<_>>(), ["alfa", "beta"]);
    assert_eq!(
        equity[0].detail,
        "closing equity 2023 400.01 SEK is 100.0 % of the year's contributions (400.00 SEK); the recommendation allows 100 %"
    );
    // Exactly at the step is within it.
    let mut at = with_settings(inputs());
    at.finances.iter_mut().find(|f| f.forbund_key == "alfa" && f.year == 2023).unwrap().equity_closing_ore =
        Some(40_000);
    let flags = quality(&at, 2023, &Selection::National);
    assert!(!flags.iter().any(|f| f.code == "equity_above_recommendation" && f.forbund_key == "alfa"));
}

#[test]
fn the_administration_share_is_flagged_only_above_a_limit_that_is_set() {
    // alfa 2023: insatser 1, 6 and 7 budget 3 × 1.00 SEK; administration 2.00 SEK is 40 %, at the
    // limit; 2.01 SEK is above it.
    let mut inputs = with_settings(inputs());
    let alfa = inputs.finances.iter_mut().find(|f| f.forbund_key == "alfa" && f.year == 2023).unwrap();
    alfa.administration_budget_ore = 200;
    let at_limit = quality(&inputs, 2023, &Selection::National);
    assert!(!at_limit.iter().any(|f| f.code == "administration_share_above_limit"));
    let alfa = inputs.finances.iter_mut().find(|f| f.forbund_key == "alfa" && f.year == 2023).unwrap();
    alfa.administration_budget_ore = 201;
    let above = quality(&inputs, 2023, &Selection::National);
    let flagged: Vec<&QualityFlag> = above.iter().filter(|f| f.code == "administration_share_above_limit").collect();
    assert_eq!(flagged.len(), 1);
    assert_eq!(flagged[0].detail, "administration is 40.1 % of the budget 2023; the limit set is 40 %");
    inputs.money_settings[0].administration_share_limit_percent = None;
    assert!(!quality(&inputs, 2023, &Selection::National).iter().any(|f| f.code == "administration_share_above_limit"));
}

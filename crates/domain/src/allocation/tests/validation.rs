//! Inputs the model refuses, each with the field and the rule named.

use super::*;
use crate::ErrorCode;

/// Two förbund, one municipality each, every parameter set.
fn valid() -> AllocationInput {
    AllocationInput {
        parameters: parameters("2000000", "0"),
        statistics: ReferenceStatistics {
            year: 2023,
            municipalities: vec![statistic("0101", 1000, "100"), statistic("0102", 3000, "300")],
        },
        forbund: vec![forbund("alfa", Some("900000"), Some(false)), forbund("beta", None, Some(false))],
        memberships: vec![member("alfa", "0101", "1"), member("beta", "0102", "1")],
    }
}

/// (path, code) of every error, and the messages.
fn refused(input: &AllocationInput) -> (Vec<(String, ErrorCode)>, Vec<String>) {
    let errors = allocate(input).unwrap_err();
    let found = errors.iter().map(|e| (e.path(), e.code())).collect();
    (found, errors.iter().map(|e| e.to_string()).collect())
}

fn at(path: &str, code: ErrorCode) -> (String, ErrorCode) {
    (path.to_owned(), code)
}

#[test]
fn the_valid_input_is_valid() {
    let allocation = allocate(&valid()).unwrap();
    assert_eq!(allocation.forbund.iter().map(|f| f.total).sum::<Decimal>(), d("2000000"));
}

#[test]
fn every_missing_parameter_is_named() {
    let mut input = valid();
    input.parameters = AllocationParameters::unset(2025);
    let (found, messages) = refused(&input);
    let expected: Vec<_> = [
        "frame",
        "national_support",
        "base_amount",
        "forsorjningsmatt_weight",
        "population_weight",
        "damping",
        "equity_rule",
        "statistics_year",
    ]
    .iter()
    .map(|name| at(&format!("/parameters/{name}"), ErrorCode::Required))
    .collect();
    assert_eq!(found, expected);
    assert!(messages[2].contains("base_amount is not set"), "{}", messages[2]);
    assert_eq!(input.parameters.missing().len(), 8);
}

#[test]
fn the_equity_rule_is_needed_only_with_damping() {
    let mut input = valid();
    input.parameters.equity_rule = None;
    assert_eq!(refused(&input).0, [at("/parameters/equity_rule", ErrorCode::Required)]);
    input.parameters.damping = Some(Damping::None);
    assert!(input.parameters.missing().is_empty());
    assert!(allocate(&input).is_ok());
}

#[test]
fn parameters_out_of_their_range_are_refused() {
    let mut input = valid();
    input.parameters.frame = Some(d("2000000.50"));
    input.parameters.base_amount = Some(d("-1"));
    input.parameters.forsorjningsmatt_weight = Some(d("0.8"));
    input.parameters.damping = Some(Damping::MaxFall(d("1.5")));
    assert_eq!(
        refused(&input).0,
        [
            at("/parameters/frame", ErrorCode::NotWholeKronor),
            at("/parameters/base_amount", ErrorCode::NegativeAmount),
            at("/parameters/population_weight", ErrorCode::WeightsNotOne),
            at("/parameters/damping", ErrorCode::OutOfRange),
        ]
    );
    let mut input = valid();
    input.parameters.national_support = Some(d("2000000"));
    input.parameters.population_weight = Some(d("1.25"));
    assert_eq!(
        refused(&input).0,
        [
            at("/parameters/national_support", ErrorCode::NationalSupportTooLarge),
            at("/parameters/population_weight", ErrorCode::OutOfRange),
        ]
    );
}

#[test]
fn base_amounts_beyond_the_money_are_refused() {
    let mut input = valid();
    input.parameters.base_amount = Some(d("1000001"));
    let (found, messages) = refused(&input);
    assert_eq!(found, [at("/parameters/base_amount", ErrorCode::BaseAmountsTooLarge)]);
    assert!(messages[0].contains("2000002 kr, more than the 2000000 kr"), "{}", messages[0]);
}

#[test]
fn shares_of_a_municipality_over_one_are_refused() {
    let mut input = valid();
    input.memberships.push(member("beta", "0101", "0.25"));
    input.memberships.push(member("alfa", "0102", "1.5"));
    let (found, messages) = refused(&input);
    assert_eq!(
        found,
        [at("/memberships/2/share", ErrorCode::SharesExceedOne), at("/memberships/3/share", ErrorCode::OutOfRange)]
    );
    assert!(messages[0].contains("municipality 0101: its shares in the förbund sum to 1.25"), "{}", messages[0]);
}

#[test]
fn negative_statistics_are_refused() {
    let mut input = valid();
    input.statistics.municipalities[0].inhabitants_16_64 = -1;
    input.statistics.municipalities[1].forsorjningsmatt = d("-0.5");
    let (found, messages) = refused(&input);
    assert_eq!(
        found,
        [
            at("/statistics/municipalities/0/inhabitants_16_64", ErrorCode::NegativeCount),
            at("/statistics/municipalities/1/forsorjningsmatt", ErrorCode::NegativeAmount),
        ]
    );
    assert!(messages[0].contains("municipality 0101: inhabitants_16_64 must not be negative"), "{}", messages[0]);
}

#[test]
fn a_member_without_statistics_is_refused() {
    let mut input = valid();
    input.memberships.push(member("beta", "0180", "1"));
    let (found, messages) = refused(&input);
    assert_eq!(found, [at("/memberships/2/municipality_code", ErrorCode::StatisticsMissing)]);
    assert!(messages[0].contains("municipality 0180 is a member but has no statistics"), "{}", messages[0]);
}

#[test]
fn statistics_of_another_year_are_refused() {
    let mut input = valid();
    input.statistics.year = 2022;
    assert_eq!(refused(&input).0, [at("/statistics/year", ErrorCode::StatisticsYearMismatch)]);
}

#[test]
fn duplicates_and_unknown_or_memberless_forbund_are_refused() {
    let mut input = valid();
    input.statistics.municipalities.push(statistic("0101", 1, "1"));
    input.forbund.push(forbund("alfa", None, Some(false)));
    input.forbund.push(forbund("gamma", None, Some(false)));
    input.memberships.push(member("alfa", "0101", "1"));
    input.memberships.push(member("delta", "0102", "1"));
    assert_eq!(
        refused(&input).0,
        [
            at("/statistics/municipalities/2/municipality_code", ErrorCode::DuplicateMunicipality),
            at("/forbund/2/forbund_key", ErrorCode::DuplicateForbund),
            at("/memberships/2/municipality_code", ErrorCode::DuplicateMembership),
            at("/memberships/3/forbund_key", ErrorCode::UnknownForbund),
            at("/forbund/3/forbund_key", ErrorCode::NoMemberMunicipalities),
        ]
    );
    input.forbund.clear();
    assert!(refused(&input).0.contains(&at("/forbund", ErrorCode::Required)));
}

#[test]
fn the_equity_rule_needs_every_forbunds_standing_and_a_previous_allocation_is_not_negative() {
    let mut input = valid();
    input.forbund[0].equity_above_recommendation = None;
    input.forbund[1].previous_allocation = Some(d("-100"));
    let (found, messages) = refused(&input);
    assert_eq!(
        found,
        [
            at("/forbund/0/equity_above_recommendation", ErrorCode::EquityAssessmentMissing),
            at("/forbund/1/previous_allocation", ErrorCode::NegativeAmount),
        ]
    );
    assert!(messages[0].contains("förbund alfa: equity_above_recommendation is not known"), "{}", messages[0]);
    // Under the rule that equity has no effect the standing is not needed.
    input.forbund[1].previous_allocation = None;
    input.parameters.equity_rule = Some(EquityRule::NoEffect);
    assert!(allocate(&input).is_ok());
}

#[test]
fn a_key_with_nothing_to_go_by_is_refused_and_floors_beyond_the_money_too() {
    let mut input = valid();
    for row in &mut input.statistics.municipalities {
        row.forsorjningsmatt = Decimal::ZERO;
    }
    assert_eq!(refused(&input).0, [at("/statistics/municipalities", ErrorCode::KeyTotalZero)]);
    // With a weight of 0 the key distributes nothing and needs nothing.
    input.parameters.forsorjningsmatt_weight = Some(Decimal::ZERO);
    input.parameters.population_weight = Some(Decimal::ONE);
    assert!(allocate(&input).is_ok());

    let mut input = valid();
    // Floors 0.9 × 1 500 000 + 0.9 × 1 000 000 = 2 250 000 of 2 000 000.
    input.forbund[0].previous_allocation = Some(d("1500000"));
    input.forbund[1].previous_allocation = Some(d("1000000"));
    input.statistics.municipalities[1].forsorjningsmatt = d("100");
    input.statistics.municipalities[1].inhabitants_16_64 = 1000;
    let (found, _) = refused(&input);
    assert_eq!(found, [at("/parameters/damping", ErrorCode::DampingInfeasible)]);
}

#[test]
fn errors_become_field_errors_with_path_code_and_message() {
    let error = AllocationError::MissingParameter { parameter: "frame" };
    let field = error.field_error();
    assert_eq!((field.path.as_str(), field.code), ("/parameters/frame", ErrorCode::Required));
    assert_eq!(
        error.to_string(),
        "/parameters/frame: frame is not set for the allocation year: no source gives a value, so an admin must set it"
    );
}

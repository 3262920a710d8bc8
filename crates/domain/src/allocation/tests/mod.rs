//! The allocation's tests: a case computed by hand, properties over random inputs, and the
//! rules the inputs must follow.

use rust_decimal::Decimal;

use super::*;

mod hand_computed;
mod properties;
mod validation;

pub(super) fn d(text: &str) -> Decimal {
    text.parse().unwrap()
}

/// Every parameter set: the numbers of the 2016 memo with a frame and support of the test's.
pub(super) fn parameters(frame: &str, national_support: &str) -> AllocationParameters {
    AllocationParameters {
        year: 2025,
        frame: Some(d(frame)),
        national_support: Some(d(national_support)),
        base_amount: Some(d("400000")),
        forsorjningsmatt_weight: Some(d("0.75")),
        population_weight: Some(d("0.25")),
        damping: Some(Damping::MaxFall(d("0.10"))),
        equity_rule: Some(EquityRule::ExcludedFromProtection),
        statistics_year: Some(2023),
    }
}

pub(super) fn statistic(code: &str, inhabitants_16_64: i64, forsorjningsmatt: &str) -> MunicipalityStatistics {
    MunicipalityStatistics {
        municipality_code: code.to_owned(),
        inhabitants_16_64,
        forsorjningsmatt: d(forsorjningsmatt),
    }
}

pub(super) fn forbund(key: &str, previous: Option<&str>, above_recommendation: Option<bool>) -> ForbundInput {
    ForbundInput {
        forbund_key: key.to_owned(),
        previous_allocation: previous.map(d),
        equity_above_recommendation: above_recommendation,
    }
}

pub(super) fn member(forbund: &str, municipality: &str, share: &str) -> Membership {
    Membership { forbund_key: forbund.to_owned(), municipality_code: municipality.to_owned(), share: d(share) }
}

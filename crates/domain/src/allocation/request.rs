//! The parameters as a client sends them (`PUT /api/v1/allocations/{year}` and `POST
//! …/calculate`): every field optional in the body, read with every problem at once. An absent
//! or `null` field is "not set": a what-if then takes the year's decided value, if any
//! ([`AllocationParameters::or`]).
//!
//! ```json
//! { "frame": "339000000", "national_support": "3000000", "base_amount": "400000",
//!   "forsorjningsmatt_weight": "0.75", "population_weight": "0.25",
//!   "damping": {"max_fall": "0.10"}, "equity_rule": "no_effect", "statistics_year": 2023 }
//! ```
//! `damping` is `"none"` or `{"max_fall": <fraction>}`; `equity_rule` is `no_effect` or
//! `excluded_from_protection` (the latter reads each förbund's equity assessment against the
//! recommendation, and names every förbund whose standing is unknown).

use std::str::FromStr;

use rust_decimal::Decimal;
use serde_json::Value;

use super::parameters::{AllocationParameters, Damping, EquityRule};
use crate::reader::{Presence, Reader};
use crate::{ErrorCode, FieldError};

pub const FIELDS: &[&str] = &[
    "frame",
    "national_support",
    "base_amount",
    "forsorjningsmatt_weight",
    "population_weight",
    "damping",
    "equity_rule",
    "statistics_year",
];

/// A decimal given as a string or a number: kronor or a fraction (its range is the model's rule).
fn decimal(r: &mut Reader, value: Option<&Value>, path: &str) -> Option<Decimal> {
    let parsed = match value? {
        Value::String(text) => Decimal::from_str(text.trim()).ok(),
        Value::Number(number) => {
            let text = number.to_string();
            Decimal::from_str(&text).or_else(|_| Decimal::from_scientific(&text)).ok()
        }
        _ => None,
    };
    if parsed.is_none() {
        r.error(path, ErrorCode::NotAnAmount, "must be a decimal number, e.g. \"400000\" or \"0.75\"");
    }
    parsed
}

/// The body's parameters for allocation year `year`.
pub fn parse_parameters(year: i32, value: &Value) -> Result<AllocationParameters, Vec<FieldError>> {
    let mut r = Reader::new();
    let Some(obj) = r.root(value, FIELDS) else { return Err(r.errors) };
    let field = |r: &mut Reader, key: &str| r.present(&obj, key, Presence::Optional);
    let frame = field(&mut r, "frame");
    let frame = decimal(&mut r, frame, "/frame");
    let support = field(&mut r, "national_support");
    let national_support = decimal(&mut r, support, "/national_support");
    let base = field(&mut r, "base_amount");
    let base_amount = decimal(&mut r, base, "/base_amount");
    let fw = field(&mut r, "forsorjningsmatt_weight");
    let forsorjningsmatt_weight = decimal(&mut r, fw, "/forsorjningsmatt_weight");
    let pw = field(&mut r, "population_weight");
    let population_weight = decimal(&mut r, pw, "/population_weight");
    let damping = match field(&mut r, "damping") {
        None => None,
        Some(Value::String(text)) if text == "none" => Some(Damping::None),
        Some(Value::Object(map)) if map.len() == 1 && map.contains_key("max_fall") => {
            decimal(&mut r, map.get("max_fall"), "/damping/max_fall").map(Damping::MaxFall)
        }
        Some(_) => {
            r.error("/damping", ErrorCode::UnknownCode, "must be \"none\" or {\"max_fall\": <a fraction from 0 to 1>}");
            None
        }
    };
    let equity_rule = match field(&mut r, "equity_rule") {
        None => None,
        Some(Value::String(text)) if text == "no_effect" => Some(EquityRule::NoEffect),
        Some(Value::String(text)) if text == "excluded_from_protection" => Some(EquityRule::ExcludedFromProtection),
        Some(_) => {
            r.error("/equity_rule", ErrorCode::UnknownCode, "must be no_effect or excluded_from_protection");
            None
        }
    };
    let statistics_year = match field(&mut r, "statistics_year") {
        None => None,
        Some(value) => match value.as_i64().and_then(|y| i32::try_from(y).ok()).filter(|y| (2004..=2100).contains(y)) {
            Some(year) => Some(year),
            None => {
                r.error("/statistics_year", ErrorCode::NotAYear, "must be a year from 2004 to 2100");
                None
            }
        },
    };
    if !r.errors.is_empty() {
        return Err(r.errors);
    }
    Ok(AllocationParameters {
        year,
        frame,
        national_support,
        base_amount,
        forsorjningsmatt_weight,
        population_weight,
        damping,
        equity_rule,
        statistics_year,
    })
}

impl AllocationParameters {
    /// These parameters, each one not set taken from `fallback` (the year's decided ones).
    pub fn or(self, fallback: Option<&AllocationParameters>) -> AllocationParameters {
        let Some(f) = fallback else { return self };
        AllocationParameters {
            year: self.year,
            frame: self.frame.or(f.frame),
            national_support: self.national_support.or(f.national_support),
            base_amount: self.base_amount.or(f.base_amount),
            forsorjningsmatt_weight: self.forsorjningsmatt_weight.or(f.forsorjningsmatt_weight),
            population_weight: self.population_weight.or(f.population_weight),
            damping: self.damping.or(f.damping),
            equity_rule: self.equity_rule.or(f.equity_rule),
            statistics_year: self.statistics_year.or(f.statistics_year),
        }
    }
}

/// The model's problems as field errors of the body: a parameter's path loses the model's
/// `/parameters` prefix, as the body is the parameters.
pub fn body_errors(errors: &[super::AllocationError]) -> Vec<FieldError> {
    errors
        .iter()
        .map(|e| {
            let mut error = e.field_error();
            if let Some(rest) = error.path.strip_prefix("/parameters") {
                error.path = rest.to_owned();
            }
            error
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn every_field_is_read_and_absent_ones_are_not_set() {
        let body = json!({"frame": "339000000", "national_support": 3000000, "damping": {"max_fall": "0.10"},
                          "equity_rule": "no_effect", "statistics_year": 2023});
        let p = parse_parameters(2024, &body).unwrap();
        assert_eq!(p.frame, Some(Decimal::new(339_000_000, 0)));
        assert_eq!(p.national_support, Some(Decimal::new(3_000_000, 0)));
        assert_eq!(p.damping, Some(Damping::MaxFall(Decimal::new(10, 2))));
        assert_eq!(p.base_amount, None);
        assert_eq!(p.missing(), ["base_amount", "forsorjningsmatt_weight", "population_weight"]);
        let decided =
            AllocationParameters { base_amount: Some(Decimal::new(400_000, 0)), ..AllocationParameters::unset(2024) };
        assert_eq!(p.or(Some(&decided)).base_amount, Some(Decimal::new(400_000, 0)));
    }

    #[test]
    fn every_problem_is_reported() {
        let body = json!({"frame": "lots", "damping": "some", "equity_rule": 1, "statistics_year": 1900, "x": 1});
        let mut found: Vec<(String, String)> =
            parse_parameters(2024, &body).unwrap_err().into_iter().map(|e| (e.path, e.code.to_string())).collect();
        found.sort();
        assert_eq!(
            found,
            [
                ("/damping", "unknown_code"),
                ("/equity_rule", "unknown_code"),
                ("/frame", "not_an_amount"),
                ("/statistics_year", "not_a_year"),
                ("/x", "unknown_field"),
            ]
            .map(|(p, c)| (p.to_owned(), c.to_owned()))
        );
    }

    #[test]
    fn missing_parameters_are_named_in_the_body() {
        let errors = AllocationParameters::unset(2024).complete().unwrap_err();
        let paths: Vec<String> = body_errors(&errors).into_iter().map(|e| e.path).collect();
        assert_eq!(
            paths,
            [
                "/frame",
                "/national_support",
                "/base_amount",
                "/forsorjningsmatt_weight",
                "/population_weight",
                "/damping",
                "/equity_rule",
                "/statistics_year"
            ]
        );
    }
}

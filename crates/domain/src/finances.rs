//! A förbund's finances for one year: contributions per party kind, administration, equity.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::reader::{Presence, Reader};
use crate::{FieldError, Warning};

pub const FIELDS: &[&str] = &["contributions", "administration", "equity", "version"];
const PARTIES: &[&str] = &["state", "regions", "municipalities"];
const ADMINISTRATION: &[&str] = &["budget", "outcome"];
const EQUITY: &[&str] = &["opening", "closing"];

/// Within this much of 2:1:1 counts as 2:1:1: a krona of rounding between parties is normal.
fn tolerance() -> Decimal {
    Decimal::ONE
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Contributions {
    #[serde(with = "rust_decimal::serde::str")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "2000000.00", pattern = "^[0-9]{1,14}(\\.[0-9]{1,2})?$"))]
    pub state: Decimal,
    #[serde(with = "rust_decimal::serde::str")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "1000000.00", pattern = "^[0-9]{1,14}(\\.[0-9]{1,2})?$"))]
    pub regions: Decimal,
    #[serde(with = "rust_decimal::serde::str")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "1000000.00", pattern = "^[0-9]{1,14}(\\.[0-9]{1,2})?$"))]
    pub municipalities: Decimal,
}

impl Contributions {
    pub fn total(&self) -> Decimal {
        self.state + self.regions + self.municipalities
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Administration {
    #[serde(with = "rust_decimal::serde::str")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "600000.00", pattern = "^[0-9]{1,14}(\\.[0-9]{1,2})?$"))]
    pub budget: Decimal,
    /// `null` while the annual report is pending.
    #[serde(with = "rust_decimal::serde::str_option", default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, example = "580000.00", pattern = "^[0-9]{1,14}(\\.[0-9]{1,2})?$"))]
    pub outcome: Option<Decimal>,
}

/// Eget kapital; may be negative. Closing equity is known only from the förbund's annual report
/// (drawn up within three months of the year's end), so it may be left pending (`null`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Equity {
    #[serde(with = "rust_decimal::serde::str")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "1200000.00", pattern = "^-?[0-9]{1,14}(\\.[0-9]{1,2})?$"))]
    pub opening: Decimal,
    /// `null` while the annual report is pending.
    #[serde(with = "rust_decimal::serde::str_option", default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, example = "1100000.00", pattern = "^-?[0-9]{1,14}(\\.[0-9]{1,2})?$"))]
    pub closing: Option<Decimal>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Finances {
    pub contributions: Contributions,
    pub administration: Administration,
    pub equity: Equity,
}

/// The request body: the year's finances and, optionally, the version the client last saw.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FinancesInput {
    #[serde(flatten)]
    pub finances: Finances,
    /// The version last read (1 or more).
    #[cfg_attr(feature = "openapi", schema(minimum = 1))]
    pub version: Option<i32>,
}

impl Finances {
    /// The result of the year: closing minus opening equity; none while closing equity is pending.
    pub fn result(&self) -> Option<Decimal> {
        self.equity.closing.map(|closing| closing - self.equity.opening)
    }

    /// Stored as sent, but flagged: the state pays half, regions and municipalities a quarter each.
    pub fn warnings(&self) -> Vec<Warning> {
        let c = &self.contributions;
        let total = c.total();
        let off = (c.state - (c.regions + c.municipalities)).abs() > tolerance()
            || (c.regions - c.municipalities).abs() > tolerance();
        if total.is_zero() || !off {
            return Vec::new();
        }
        let share = |part: Decimal| (part * Decimal::ONE_HUNDRED / total).round_dp(1);
        vec![Warning {
            code: "contributions_off_2_1_1".to_owned(),
            message: format!(
                "contributions are {} % state, {} % regions, {} % municipalities; Finsam expects 50/25/25",
                share(c.state),
                share(c.regions),
                share(c.municipalities)
            ),
        }]
    }
}

pub fn parse(value: &Value) -> Result<(Finances, Option<i32>), Vec<FieldError>> {
    let mut r = Reader::new();
    let Some(obj) = r.root(value, FIELDS) else { return Err(r.errors) };
    let contributions = r.object(&obj, "contributions", Presence::Required, PARTIES).map(|c| {
        (
            r.money(&c, "state", Presence::Required, false),
            r.money(&c, "regions", Presence::Required, false),
            r.money(&c, "municipalities", Presence::Required, false),
        )
    });
    let administration = r
        .object(&obj, "administration", Presence::Required, ADMINISTRATION)
        .map(|a| (r.money(&a, "budget", Presence::Required, false), r.money(&a, "outcome", Presence::Optional, false)));
    let equity = r
        .object(&obj, "equity", Presence::Required, EQUITY)
        .map(|e| (r.money(&e, "opening", Presence::Required, true), r.money(&e, "closing", Presence::Optional, true)));
    let version = r.version(&obj);
    match (contributions, administration, equity) {
        (
            Some((Some(state), Some(regions), Some(municipalities))),
            Some((Some(budget), outcome)),
            Some((Some(opening), closing)),
        ) if r.errors.is_empty() => Ok((
            Finances {
                contributions: Contributions { state, regions, municipalities },
                administration: Administration { budget, outcome },
                equity: Equity { opening, closing },
            },
            version,
        )),
        _ => Err(r.errors),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn valid() -> Value {
        json!({
            "contributions": {"state": "2000000.00", "regions": "1000000.00", "municipalities": "1000000.00"},
            "administration": {"budget": "600000.00", "outcome": "580000.00"},
            "equity": {"opening": "1200000.00", "closing": "1100000.00"}
        })
    }

    #[test]
    fn the_contract_example_is_valid_and_balanced() {
        let (finances, _) = parse(&valid()).unwrap();
        assert_eq!(finances.result(), Some(Decimal::new(-100_000, 0)));
        assert!(finances.warnings().is_empty());
        let typed: FinancesInput = serde_json::from_value(valid()).unwrap();
        assert_eq!(typed.finances, finances);
    }

    #[test]
    fn contributions_off_2_1_1_are_accepted_with_a_warning() {
        let mut value = valid();
        value["contributions"]["municipalities"] = json!("500000.00");
        let (finances, _) = parse(&value).unwrap();
        let warnings = finances.warnings();
        assert_eq!(warnings.len(), 1);
        assert_eq!(warnings[0].code, "contributions_off_2_1_1");
        assert!(warnings[0].message.contains("57.1 % state"), "{}", warnings[0].message);
        value["contributions"]["municipalities"] = json!("1000000.50");
        assert!(parse(&value).unwrap().0.warnings().is_empty(), "within a krona");
    }

    #[test]
    fn closing_equity_and_outcome_may_be_pending() {
        for pending in [json!(null), json!("absent")] {
            let mut value = valid();
            for (object, key) in [("equity", "closing"), ("administration", "outcome")] {
                match &pending {
                    Value::Null => value[object][key] = Value::Null,
                    _ => {
                        value[object].as_object_mut().unwrap().remove(key);
                    }
                }
            }
            let (finances, _) = parse(&value).unwrap();
            assert_eq!(finances.equity.closing, None);
            assert_eq!(finances.administration.outcome, None);
            assert_eq!(finances.result(), None);
            if !pending.is_null() {
                let typed: FinancesInput = serde_json::from_value(value).unwrap();
                assert_eq!(typed.finances, finances, "the schema's type reads an absent value as pending");
            }
        }
    }

    #[test]
    fn every_problem_is_reported() {
        let value = json!({
            "contributions": {"state": "-1", "regions": "x"},
            "administration": {"budget": "1.234"},
            "equity": {"opening": "-500.00", "closing": "x"},
            "result": "0"
        });
        let mut found: Vec<(String, String)> =
            parse(&value).unwrap_err().into_iter().map(|e| (e.path, e.code.to_string())).collect();
        found.sort();
        assert_eq!(
            found,
            [
                ("/administration/budget", "too_many_decimals"),
                ("/contributions/municipalities", "required"),
                ("/contributions/regions", "not_an_amount"),
                ("/contributions/state", "negative_amount"),
                ("/equity/closing", "not_an_amount"),
                ("/result", "unknown_field"),
            ]
            .map(|(p, c)| (p.to_owned(), c.to_owned()))
        );
    }
}

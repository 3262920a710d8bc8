//! What an admin sets for a year's money follow-up. No source gives these numbers
//! (`reference/money-and-follow-up.md`), so none has a default and every output that needs one
//! says when it is not set:
//! - the national council's equity recommendation, a "trappa": the acceptable closing equity, as
//!   a percentage of the förbund's total member contributions of the year, falls as those
//!   contributions grow;
//! - a limit on the administration share, above which a förbund is flagged;
//! - the national support actually spent, for the state's ledger.
//!
//! ```json
//! { "equity_recommendation": [ {"contributions_up_to": "15000000", "max_percent": "20"},
//!                              {"contributions_up_to": null, "max_percent": "10"} ],
//!   "administration_share_limit_percent": "30",
//!   "national_support_spent": "1930000.00" }
//! ```
//! Each field may be `null` (not set). A step covers contributions up to and including its
//! limit; the last step has none.

use std::str::FromStr;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::reader::{Obj, Presence, Reader, pointer};
use crate::{ErrorCode, FieldError};

pub const FIELDS: &[&str] = &["equity_recommendation", "administration_share_limit_percent", "national_support_spent"];
const STEP_FIELDS: &[&str] = &["contributions_up_to", "max_percent"];
/// A trappa of more steps than this is a mistake, not a recommendation.
const MAX_STEPS: usize = 20;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EquityStep {
    /// SEK, inclusive; `None` on the last step only.
    #[serde(with = "rust_decimal::serde::str_option")]
    pub contributions_up_to: Option<Decimal>,
    #[serde(with = "rust_decimal::serde::str")]
    pub max_percent: Decimal,
}

/// The year's settings; each `None` is not set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MoneySettings {
    pub year: i32,
    pub equity_recommendation: Option<Vec<EquityStep>>,
    #[serde(with = "rust_decimal::serde::str_option")]
    pub administration_share_limit_percent: Option<Decimal>,
    #[serde(with = "rust_decimal::serde::str_option")]
    pub national_support_spent: Option<Decimal>,
}

impl MoneySettings {
    pub fn unset(year: i32) -> MoneySettings {
        MoneySettings {
            year,
            equity_recommendation: None,
            administration_share_limit_percent: None,
            national_support_spent: None,
        }
    }
}

/// A förbund's equity against the recommendation of its year.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EquityAssessment {
    /// Closing equity as a percentage of the year's contributions, unrounded; `None` when the
    /// closing equity is pending or there are no contributions.
    pub share_percent: Option<Decimal>,
    /// The step's percentage; `None` when no recommendation is set.
    pub max_percent: Option<Decimal>,
    /// `None` when either is unknown.
    pub above: Option<bool>,
}

/// The percentage a förbund with `contributions` (SEK) may hold: the first step whose limit it
/// does not exceed.
pub fn max_percent(steps: &[EquityStep], contributions: Decimal) -> Option<Decimal> {
    steps.iter().find(|s| s.contributions_up_to.is_none_or(|limit| contributions <= limit)).map(|s| s.max_percent)
}

/// Closing equity (SEK, `None` while pending) against the contributions of the same year.
pub fn assess(closing: Option<Decimal>, contributions: Decimal, steps: Option<&[EquityStep]>) -> EquityAssessment {
    let share_percent =
        closing.filter(|_| contributions > Decimal::ZERO).map(|c| c * Decimal::ONE_HUNDRED / contributions);
    let max_percent = steps.and_then(|s| max_percent(s, contributions));
    let above = share_percent.zip(max_percent).map(|(share, max)| share > max);
    EquityAssessment { share_percent, max_percent, above }
}

/// A percentage from 0 to 100, as a string or a number.
fn percent(r: &mut Reader, value: Option<&Value>, path: &str) -> Option<Decimal> {
    let parsed = match value? {
        Value::String(text) => Decimal::from_str(text.trim()).ok(),
        Value::Number(number) => Decimal::from_str(&number.to_string()).ok(),
        _ => None,
    };
    match parsed {
        Some(p) if p >= Decimal::ZERO && p <= Decimal::ONE_HUNDRED && p.normalize().scale() <= 2 => Some(p),
        Some(_) => {
            r.error(path, ErrorCode::OutOfRange, "must be a percentage from 0 to 100 with at most two decimals");
            None
        }
        None => {
            r.error(path, ErrorCode::NotAnAmount, "must be a percentage, e.g. \"20\" or \"12.5\"");
            None
        }
    }
}

/// The body of `PUT /api/v1/money-settings/{year}`, with every problem at once.
pub fn parse(year: i32, value: &Value) -> Result<MoneySettings, Vec<FieldError>> {
    let mut r = Reader::new();
    let Some(obj) = r.root(value, FIELDS) else { return Err(r.errors) };
    let equity_recommendation = steps(&mut r, &obj);
    let limit = r.present(&obj, "administration_share_limit_percent", Presence::Optional);
    let administration_share_limit_percent = percent(&mut r, limit, "/administration_share_limit_percent");
    let national_support_spent = r.money(&obj, "national_support_spent", Presence::Optional, false);
    if !r.errors.is_empty() {
        return Err(r.errors);
    }
    Ok(MoneySettings { year, equity_recommendation, administration_share_limit_percent, national_support_spent })
}

fn steps(r: &mut Reader, obj: &Obj<'_>) -> Option<Vec<EquityStep>> {
    let value = r.present(obj, "equity_recommendation", Presence::Optional)?;
    let Value::Array(items) = value else {
        r.error("/equity_recommendation", ErrorCode::NotAnArray, "must be a list of steps, or null");
        return None;
    };
    if items.is_empty() || items.len() > MAX_STEPS {
        r.error("/equity_recommendation", ErrorCode::OutOfRange, format!("must have 1 to {MAX_STEPS} steps"));
        return None;
    }
    let before = r.errors.len();
    let mut steps = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let path = format!("/equity_recommendation/{i}");
        let Some(step) = r.object_at(item, path.clone(), STEP_FIELDS) else { continue };
        let contributions_up_to = r.money(&step, "contributions_up_to", Presence::Optional, false);
        let max = r.present(&step, "max_percent", Presence::Required);
        let max_percent = percent(r, max, &pointer(&path, "max_percent"));
        if let Some(max_percent) = max_percent {
            steps.push(EquityStep { contributions_up_to, max_percent });
        }
    }
    if r.errors.len() > before {
        return None;
    }
    let last = steps.len() - 1;
    for (i, step) in steps.iter().enumerate() {
        let path = format!("/equity_recommendation/{i}");
        let open_ok = (i == last) == step.contributions_up_to.is_none();
        let rises = i == 0
            || matches!((steps[i - 1].contributions_up_to, step.contributions_up_to), (Some(a), Some(b)) if b > a)
            || (i == last && step.contributions_up_to.is_none());
        let falls = i == 0 || step.max_percent <= steps[i - 1].max_percent;
        if !(open_ok && rises && falls) {
            r.error(
                path,
                ErrorCode::StepsOutOfOrder,
                "each step's contributions_up_to must exceed the one before, only the last step has none, and max_percent must not rise",
            );
        }
    }
    (r.errors.len() == before).then_some(steps)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn d(n: i64) -> Decimal {
        Decimal::new(n, 0)
    }

    fn trappa() -> Vec<EquityStep> {
        vec![
            EquityStep { contributions_up_to: Some(d(15_000_000)), max_percent: d(20) },
            EquityStep { contributions_up_to: Some(d(20_000_000)), max_percent: d(15) },
            EquityStep { contributions_up_to: None, max_percent: d(10) },
        ]
    }

    #[test]
    fn a_step_covers_up_to_and_including_its_limit() {
        assert_eq!(max_percent(&trappa(), d(15_000_000)), Some(d(20)));
        assert_eq!(max_percent(&trappa(), d(15_000_001)), Some(d(15)));
        assert_eq!(max_percent(&trappa(), d(90_000_000)), Some(d(10)));
    }

    #[test]
    fn equity_is_assessed_against_the_step_of_its_contributions() {
        // 3.1 M of 15 M is 20.67 %, above 20 %; 3 M is exactly 20 %, within.
        let above = assess(Some(d(3_100_000)), d(15_000_000), Some(&trappa()));
        assert_eq!(above.above, Some(true));
        assert_eq!(assess(Some(d(3_000_000)), d(15_000_000), Some(&trappa())).above, Some(false));
        let unset = assess(Some(d(3_100_000)), d(15_000_000), None);
        assert_eq!((unset.max_percent, unset.above), (None, None));
        assert!(unset.share_percent.is_some());
        assert_eq!(assess(None, d(15_000_000), Some(&trappa())).above, None);
        assert_eq!(assess(Some(d(1)), Decimal::ZERO, Some(&trappa())).share_percent, None);
    }

    #[test]
    fn a_body_is_read_with_nulls_as_not_set() {
        let body = json!({"equity_recommendation": [{"contributions_up_to": "15000000", "max_percent": "20"},
                                                    {"contributions_up_to": null, "max_percent": 10}],
                          "administration_share_limit_percent": null, "national_support_spent": "1930000.00"});
        let s = parse(2023, &body).unwrap();
        assert_eq!(s.equity_recommendation.unwrap().len(), 2);
        assert_eq!(s.administration_share_limit_percent, None);
        assert_eq!(s.national_support_spent, Some(Decimal::new(193_000_000, 2)));
        assert_eq!(parse(2023, &json!({})).unwrap(), MoneySettings::unset(2023));
    }

    #[test]
    fn every_problem_is_named() {
        let paths = |body: Value| -> Vec<(String, String)> {
            parse(2023, &body).unwrap_err().into_iter().map(|e| (e.path, e.code.to_string())).collect()
        };
        assert_eq!(
            paths(json!({"equity_recommendation": [{"contributions_up_to": "-1", "max_percent": "120", "x": 1}],
                         "administration_share_limit_percent": "abc", "national_support_spent": -5, "y": 0})),
            [
                ("/y", "unknown_field"),
                ("/equity_recommendation/0/x", "unknown_field"),
                ("/equity_recommendation/0/contributions_up_to", "negative_amount"),
                ("/equity_recommendation/0/max_percent", "out_of_range"),
                ("/administration_share_limit_percent", "not_an_amount"),
                ("/national_support_spent", "negative_amount"),
            ]
            .map(|(p, c)| (p.to_owned(), c.to_owned()))
        );
        // Limits that fall, a percentage that rises, an open step before the last, a closed last step.
        let bad = [
            json!([{"contributions_up_to": "20", "max_percent": "20"}, {"contributions_up_to": "10", "max_percent": "10"}, {"max_percent": "5"}]),
            json!([{"contributions_up_to": "10", "max_percent": "10"}, {"max_percent": "20"}]),
            json!([{"max_percent": "20"}, {"max_percent": "10"}]),
            json!([{"contributions_up_to": "10", "max_percent": "20"}]),
        ];
        for steps in bad {
            let found = paths(json!({ "equity_recommendation": steps }));
            assert!(!found.is_empty() && found.iter().all(|(_, c)| c == "steps_out_of_order"), "{found:?}");
        }
        assert_eq!(paths(json!({"equity_recommendation": []}))[0].1, "out_of_range");
        assert_eq!(paths(json!({"equity_recommendation": {"a": 1}}))[0].1, "not_an_array");
    }
}

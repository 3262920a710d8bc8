//! A municipality's membership in a förbund over a period, with its share: 1 unless the
//! municipality is split between förbund (Göteborg and Stockholm had several förbund in earlier
//! years), so that it counts once in the allocation. The rule: on no day do a municipality's
//! shares in all förbund sum to more than 1. `valid_to` is exclusive; `null` = still a member.
//!
//! ```json
//! POST /api/v1/forbund/{key}/memberships
//! { "municipality_code": "1480", "valid_from": "2025-01-01", "valid_to": null, "share": "0.5" }
//! PUT /api/v1/forbund/{key}/memberships/{municipality_code}/{valid_from}
//! { "valid_to": "2026-01-01", "share": "0.5" }
//! ```

use std::str::FromStr;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::reader::{Presence, Reader};
use crate::{ErrorCode, FieldError};

pub const NEW_FIELDS: &[&str] = &["municipality_code", "valid_from", "valid_to", "share"];
pub const CHANGE_FIELDS: &[&str] = &["valid_to", "share"];

/// A membership period as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Membership {
    pub forbund_key: String,
    pub municipality_code: String,
    pub valid_from: NaiveDate,
    pub valid_to: Option<NaiveDate>,
    #[serde(with = "rust_decimal::serde::str")]
    pub share: Decimal,
}

impl Membership {
    fn covers(&self, day: NaiveDate) -> bool {
        self.valid_from <= day && self.valid_to.is_none_or(|to| day < to)
    }
}

/// What a body gives for a new membership, or a change of one (then `municipality_code` and
/// `valid_from` come from the path).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MembershipInput {
    pub municipality_code: String,
    pub valid_from: NaiveDate,
    pub valid_to: Option<NaiveDate>,
    pub share: Decimal,
}

fn share(r: &mut Reader, value: Option<&Value>) -> Decimal {
    let Some(value) = value else { return Decimal::ONE };
    let parsed = match value {
        Value::String(text) => Decimal::from_str(text.trim()).ok(),
        Value::Number(number) => Decimal::from_str(&number.to_string()).ok(),
        _ => None,
    };
    match parsed {
        Some(s) if s > Decimal::ZERO && s <= Decimal::ONE && s.normalize().scale() <= 4 => s,
        _ => {
            r.error(
                "/share",
                ErrorCode::OutOfRange,
                "must be a fraction above 0 and at most 1, with at most 4 decimals",
            );
            Decimal::ONE
        }
    }
}

fn period(r: &mut Reader, valid_from: Option<NaiveDate>, valid_to: Option<NaiveDate>) {
    if let (Some(from), Some(to)) = (valid_from, valid_to)
        && to <= from
    {
        r.error("/valid_to", ErrorCode::EndBeforeStart, "must be after valid_from (valid_to is exclusive)");
    }
}

/// A new membership's body.
pub fn parse_new(value: &Value) -> Result<MembershipInput, Vec<FieldError>> {
    let mut r = Reader::new();
    let Some(obj) = r.root(value, NEW_FIELDS) else { return Err(r.errors) };
    let code = r.present(&obj, "municipality_code", Presence::Required);
    let municipality_code = match code {
        Some(Value::String(code)) if code.len() == 4 && code.bytes().all(|b| b.is_ascii_digit()) => Some(code.clone()),
        Some(_) => {
            r.error("/municipality_code", ErrorCode::UnknownCode, "must be SCB's four-digit municipality code");
            None
        }
        None => None,
    };
    let valid_from = r.date(&obj, "valid_from", Presence::Required);
    let valid_to = r.date(&obj, "valid_to", Presence::Optional);
    period(&mut r, valid_from, valid_to);
    let given = r.present(&obj, "share", Presence::Optional);
    let share = share(&mut r, given);
    match (municipality_code, valid_from, r.errors.is_empty()) {
        (Some(municipality_code), Some(valid_from), true) => {
            Ok(MembershipInput { municipality_code, valid_from, valid_to, share })
        }
        _ => Err(r.errors),
    }
}

/// A change of the membership of `municipality_code` from `valid_from`: its end and share.
pub fn parse_change(
    municipality_code: &str,
    valid_from: NaiveDate,
    value: &Value,
) -> Result<MembershipInput, Vec<FieldError>> {
    let mut r = Reader::new();
    let Some(obj) = r.root(value, CHANGE_FIELDS) else { return Err(r.errors) };
    let valid_to = r.date(&obj, "valid_to", Presence::Optional);
    period(&mut r, Some(valid_from), valid_to);
    let given = r.present(&obj, "share", Presence::Required);
    let share = share(&mut r, given);
    if !r.errors.is_empty() {
        return Err(r.errors);
    }
    Ok(MembershipInput { municipality_code: municipality_code.to_owned(), valid_from, valid_to, share })
}

/// Whether the municipality's memberships (all förbund, this one as it would be) keep its shares
/// within 1 on every day; the first day they do not, with the sum, when not.
pub fn shares_fit(memberships: &[Membership]) -> Result<(), (NaiveDate, Decimal)> {
    // The sum only rises where a period starts, so checking every start finds the maximum.
    let mut starts: Vec<NaiveDate> = memberships.iter().map(|m| m.valid_from).collect();
    starts.sort();
    for day in starts {
        let sum: Decimal = memberships.iter().filter(|m| m.covers(day)).map(|m| m.share).sum();
        if sum > Decimal::ONE {
            return Err((day, sum));
        }
    }
    Ok(())
}

/// Whether `new` overlaps another period of the same förbund and municipality in `others`.
pub fn overlaps_own(others: &[Membership], new: &Membership) -> bool {
    others.iter().any(|m| {
        m.forbund_key == new.forbund_key
            && m.valid_from != new.valid_from
            && m.valid_to.is_none_or(|to| new.valid_from < to)
            && new.valid_to.is_none_or(|to| m.valid_from < to)
    })
}

/// The refusal of [`shares_fit`], at the body's `share`.
pub fn shares_exceed_one(municipality: &str, (day, sum): (NaiveDate, Decimal)) -> FieldError {
    FieldError::new(
        "/share",
        ErrorCode::SharesExceedOne,
        format!("municipality {municipality}'s shares in the förbund would sum to {} on {day}", sum.normalize()),
    )
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn day(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    fn member(forbund: &str, from: &str, to: Option<&str>, share: &str) -> Membership {
        Membership {
            forbund_key: forbund.into(),
            municipality_code: "1480".into(),
            valid_from: day(from),
            valid_to: to.map(day),
            share: share.parse().unwrap(),
        }
    }

    #[test]
    fn a_split_municipality_may_share_up_to_one_on_every_day() {
        let halves = [member("a", "2020-01-01", None, "0.5"), member("b", "2021-01-01", None, "0.5")];
        assert_eq!(shares_fit(&halves), Ok(()));
        let more = [halves[0].clone(), halves[1].clone(), member("c", "2022-06-01", Some("2023-01-01"), "0.0001")];
        assert_eq!(shares_fit(&more), Err((day("2022-06-01"), "1.0001".parse().unwrap())));
        // Periods that do not overlap do not add up: a whole membership ends as two halves begin.
        let handed_over = [
            member("a", "2020-01-01", Some("2024-01-01"), "1"),
            member("a", "2024-01-01", None, "0.5"),
            member("b", "2024-01-01", None, "0.5"),
        ];
        assert_eq!(shares_fit(&handed_over), Ok(()));
        let overlapping = [member("a", "2020-01-01", Some("2024-02-01"), "1"), member("b", "2024-01-01", None, "0.5")];
        assert_eq!(shares_fit(&overlapping), Err((day("2024-01-01"), "1.5".parse().unwrap())));
        // The same förbund twice at once is refused whatever the shares.
        assert!(overlaps_own(&overlapping, &member("b", "2025-01-01", None, "0.1")));
        assert!(!overlaps_own(&overlapping, &member("b", "2024-01-01", None, "0.1")), "itself, changed");
        assert!(
            !overlaps_own(&handed_over[..1], &member("a", "2024-01-01", None, "0.5")),
            "one ends as the next begins"
        );
    }

    #[test]
    fn bodies_are_read_with_every_problem_named() {
        let new = parse_new(&json!({"municipality_code": "1480", "valid_from": "2025-01-01", "share": "0.5"})).unwrap();
        assert_eq!((new.share, new.valid_to), ("0.5".parse().unwrap(), None));
        assert_eq!(
            parse_new(&json!({"municipality_code": "1480", "valid_from": "2025-01-01"})).unwrap().share,
            Decimal::ONE
        );
        let paths = |result: Result<MembershipInput, Vec<FieldError>>| -> Vec<(String, String)> {
            result.unwrap_err().into_iter().map(|e| (e.path, e.code.to_string())).collect()
        };
        assert_eq!(
            paths(parse_new(&json!({"municipality_code": "14", "valid_from": "2025-01-01", "valid_to": "2024-01-01",
                                    "share": "1.5", "x": 1}))),
            [
                ("/x", "unknown_field"),
                ("/municipality_code", "unknown_code"),
                ("/valid_to", "end_before_start"),
                ("/share", "out_of_range"),
            ]
            .map(|(p, c)| (p.to_owned(), c.to_owned()))
        );
        assert_eq!(paths(parse_change("1480", day("2025-01-01"), &json!({"share": "0"})))[0].1, "out_of_range");
        assert_eq!(paths(parse_change("1480", day("2025-01-01"), &json!({})))[0], ("/share".into(), "required".into()));
    }
}

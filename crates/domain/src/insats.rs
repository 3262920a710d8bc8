//! An insats: one intervention a förbund finances, living over one or more years.

use crate::ErrorCode;
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::codes::{Code, Kind, Orientation, TargetGroup};
use crate::reader::{Presence, Reader, TextRule, pointer};
use crate::{FieldError, reader};

pub const FIELDS: &[&str] = &[
    "external_ref",
    "name",
    "description",
    "kind",
    "orientation",
    "target_groups",
    "start_date",
    "end_date",
    "version",
];

pub(crate) const NAME: TextRule = TextRule { max_chars: 200, multiline: false };
pub(crate) const DESCRIPTION: TextRule = TextRule { max_chars: 4000, multiline: true };
pub(crate) const EXTERNAL_REF: TextRule = TextRule { max_chars: 100, multiline: false };

/// The first and last dates the service accepts for anything (Finsam began in 2004).
pub fn first_date() -> NaiveDate {
    NaiveDate::from_ymd_opt(2004, 1, 1).expect("valid date")
}

pub fn last_date() -> NaiveDate {
    NaiveDate::from_ymd_opt(2100, 12, 31).expect("valid date")
}

/// A valid insats: the orientation belongs to the kind, target groups only on an individual
/// insats, sorted and without duplicates, the end (if any) not before the start.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Insats {
    /// The insats' id in the förbund's own case system; unique within the förbund.
    #[cfg_attr(feature = "openapi", schema(max_length = 100, example = "case-system-4711"))]
    pub external_ref: Option<String>,
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 200, example = "Arbetsträning Norr"))]
    pub name: String,
    #[cfg_attr(feature = "openapi", schema(max_length = 4000))]
    pub description: Option<String>,
    pub kind: Kind,
    /// Must belong to `kind`: individual ones for an individual insats, structural for a structural.
    pub orientation: Orientation,
    /// Only for individual insatser; `[]` means no specific target group.
    #[serde(default)]
    pub target_groups: Vec<TargetGroup>,
    pub start_date: NaiveDate,
    /// `null` while the insats goes on.
    pub end_date: Option<NaiveDate>,
}

/// The request body of create and replace: an insats and, optionally, the version the client
/// last saw (or send it as `If-Match`).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InsatsInput {
    #[serde(flatten)]
    pub insats: Insats,
    /// The version last read (1 or more).
    #[cfg_attr(feature = "openapi", schema(minimum = 1))]
    pub version: Option<i32>,
}

impl Insats {
    /// Whether the insats runs at some time during the calendar year.
    pub fn active_in(&self, year: i32) -> bool {
        self.start_date.year() <= year && self.end_date.is_none_or(|end| end.year() >= year)
    }
}

/// Reads and checks an insats payload; every problem is reported.
pub fn parse(value: &Value) -> Result<(Insats, Option<i32>), Vec<FieldError>> {
    let mut r = Reader::new();
    let Some(obj) = r.root(value, FIELDS) else { return Err(r.errors) };
    let external_ref = r.text(&obj, "external_ref", Presence::Optional, EXTERNAL_REF);
    let name = r.text(&obj, "name", Presence::Required, NAME);
    let description = r.text(&obj, "description", Presence::Optional, DESCRIPTION);
    let kind = r.code::<Kind>(&obj, "kind", Presence::Required);
    let orientation = r.code::<Orientation>(&obj, "orientation", Presence::Required);
    if let (Some(kind), Some(orientation)) = (kind, orientation)
        && orientation.kind() != kind
    {
        let allowed: Vec<&str> = Orientation::of_kind(kind).into_iter().map(Orientation::code).collect();
        r.error(
            "/orientation",
            ErrorCode::OrientationNotOfKind,
            format!("{orientation} is not an orientation of a {kind} insats; use one of: {}", allowed.join(", ")),
        );
    }
    let target_groups = target_groups(&mut r, &obj, kind);
    let start_date = date_in_range(&mut r, &obj, "start_date", Presence::Required);
    let end_date = date_in_range(&mut r, &obj, "end_date", Presence::Optional);
    if let (Some(start), Some(end)) = (start_date, end_date)
        && end < start
    {
        r.error("/end_date", ErrorCode::EndBeforeStart, format!("must not be before start_date {start}"));
    }
    let version = r.version(&obj);
    match (name, kind, orientation, start_date) {
        (Some(name), Some(kind), Some(orientation), Some(start_date)) if r.errors.is_empty() => {
            let insats =
                Insats { external_ref, name, description, kind, orientation, target_groups, start_date, end_date };
            Ok((insats, version))
        }
        _ => Err(r.errors),
    }
}

fn date_in_range(r: &mut Reader, obj: &reader::Obj<'_>, key: &str, presence: Presence) -> Option<NaiveDate> {
    let date = r.date(obj, key, presence)?;
    if date < first_date() || date > last_date() {
        r.error(
            pointer("", key),
            ErrorCode::DateOutOfRange,
            format!("must be from {} to {}", first_date(), last_date()),
        );
        return None;
    }
    Some(date)
}

fn target_groups(r: &mut Reader, obj: &reader::Obj<'_>, kind: Option<Kind>) -> Vec<TargetGroup> {
    let Some(value) = r.present(obj, "target_groups", Presence::Optional) else { return Vec::new() };
    let Value::Array(items) = value else {
        r.error("/target_groups", ErrorCode::NotAnArray, "must be an array of target group codes");
        return Vec::new();
    };
    let mut groups: Vec<TargetGroup> = Vec::new();
    for (index, item) in items.iter().enumerate() {
        let path = format!("/target_groups/{index}");
        if let Some(group) = r.code_value::<TargetGroup>(item, path.clone()) {
            if groups.contains(&group) {
                r.error(path, ErrorCode::Duplicate, format!("{group} is listed more than once"));
            } else {
                groups.push(group);
            }
        }
    }
    if kind == Some(Kind::Structural) && !groups.is_empty() {
        r.error(
            "/target_groups",
            ErrorCode::TargetGroupsIndividualOnly,
            "only an individual insats has target groups; a structural insats must send []",
        );
    }
    if groups.contains(&TargetGroup::WomenOnly) && groups.contains(&TargetGroup::MenOnly) {
        r.error("/target_groups", ErrorCode::ContradictoryTargetGroups, "women_only and men_only exclude each other");
    }
    groups.sort();
    groups
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn valid() -> Value {
        json!({
            "external_ref": "case-system-4711", "name": "Arbetsträning Norr", "description": "Stöd till arbete",
            "kind": "individual", "orientation": "work_oriented",
            "target_groups": ["young", "long_term_sick_listed"],
            "start_date": "2023-01-01", "end_date": null
        })
    }

    fn codes(value: Value) -> Vec<(String, String)> {
        parse(&value).expect_err("invalid").into_iter().map(|e| (e.path, e.code.to_string())).collect()
    }

    fn with(changes: Value) -> Value {
        let mut value = valid();
        for (key, v) in changes.as_object().unwrap() {
            value[key] = v.clone();
        }
        value
    }

    #[test]
    fn a_valid_insats_is_read_with_sorted_groups() {
        let (insats, version) =
            parse(&with(json!({"target_groups": ["long_term_sick_listed", "young"], "version": 3}))).expect("valid");
        assert_eq!(version, Some(3));
        assert_eq!(insats.target_groups, vec![TargetGroup::Young, TargetGroup::LongTermSickListed]);
        assert_eq!(insats.orientation, Orientation::WorkOriented);
        assert!(insats.active_in(2023) && insats.active_in(2030) && !insats.active_in(2022));
    }

    #[test]
    fn the_contract_example_reads_as_the_typed_input() {
        let typed: InsatsInput = serde_json::from_value(valid()).unwrap();
        assert_eq!(parse(&valid()).unwrap().0, typed.insats);
        let mut keys: Vec<String> =
            serde_json::to_value(&typed).unwrap().as_object().unwrap().keys().cloned().collect();
        keys.sort();
        let mut fields: Vec<&str> = FIELDS.to_vec();
        fields.sort();
        assert_eq!(keys, fields, "the documented shape and the reader know the same fields");
    }

    #[test]
    fn every_problem_is_reported_at_once() {
        let found = codes(json!({
            "name": "", "kind": "individual", "orientation": "develop_cooperation",
            "target_groups": ["young", "young", "elderly"], "start_date": "2023-02-30", "extra": 1
        }));
        let expected = [
            ("/extra", "unknown_field"),
            ("/name", "blank"),
            ("/orientation", "orientation_not_of_kind"),
            ("/target_groups/1", "duplicate"),
            ("/target_groups/2", "unknown_code"),
            ("/start_date", "not_a_date"),
        ];
        for (path, code) in expected {
            assert!(found.contains(&(path.to_owned(), code.to_owned())), "{path} {code} missing from {found:?}");
        }
        assert_eq!(found.len(), expected.len(), "{found:?}");
    }

    #[test]
    fn each_rule_has_its_code() {
        let cases = [
            (
                json!({"kind": "structural", "orientation": "develop_cooperation"}),
                "/target_groups",
                "target_groups_individual_only",
            ),
            (json!({"target_groups": ["women_only", "men_only"]}), "/target_groups", "contradictory_target_groups"),
            (json!({"target_groups": "young"}), "/target_groups", "not_an_array"),
            (json!({"kind": "mixed"}), "/kind", "unknown_code"),
            (json!({"orientation": null}), "/orientation", "required"),
            (json!({"name": 7}), "/name", "not_a_string"),
            (json!({"name": "x".repeat(201)}), "/name", "too_long"),
            (json!({"name": "Rad\nbrytning"}), "/name", "control_characters"),
            (json!({"description": "y".repeat(4001)}), "/description", "too_long"),
            (json!({"name": "Insats för 811218-9876"}), "/name", "personal_identity_number"),
            (json!({"description": "Kontakt: 19811218-9876"}), "/description", "personal_identity_number"),
            (json!({"external_ref": "8112189876"}), "/external_ref", "personal_identity_number"),
            (json!({"start_date": "2003-12-31"}), "/start_date", "date_out_of_range"),
            (json!({"end_date": "2022-12-31"}), "/end_date", "end_before_start"),
            (json!({"end_date": "31/12/2024"}), "/end_date", "not_a_date"),
            (json!({"version": 0}), "/version", "not_a_version"),
        ];
        for (change, path, code) in cases {
            let found = codes(with(change.clone()));
            assert_eq!(found, vec![(path.to_owned(), code.to_owned())], "{change}");
        }
        assert_eq!(codes(json!([1])), vec![("/".to_owned(), "not_an_object".to_owned())]);
    }

    #[test]
    fn a_number_with_a_bad_check_digit_is_not_a_person() {
        assert!(parse(&with(json!({"name": "Projekt 811218-9875"}))).is_ok());
        assert!(parse(&with(json!({"description": "Budget 2023: 1200000"}))).is_ok());
    }
}

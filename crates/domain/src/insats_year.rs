//! An insats' figures for one year: participants (counts, never persons), budget, outcome and
//! optionally how many left and why.

use crate::ErrorCode;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::FieldError;
use crate::codes::{Code, ExitReason, Gender, Kind};
use crate::insats::Insats;
use crate::reader::{Obj, Presence, Reader};

pub const FIELDS: &[&str] = &["participants", "budget", "outcome", "exits", "version"];
/// Far above any real insats (the largest national one counted some 29 000 web visitors).
pub const MAX_COUNT: u32 = 10_000_000;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GenderCounts {
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 10_000_000))]
    pub women: u32,
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 10_000_000))]
    pub men: u32,
}

impl GenderCounts {
    pub fn total(self) -> u64 {
        u64::from(self.women) + u64::from(self.men)
    }
}

/// Participants who left during the year, by reason. A reason left out counts zero.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Exits {
    #[serde(default)]
    pub work: GenderCounts,
    #[serde(default)]
    pub studies: GenderCounts,
    #[serde(default)]
    pub job_seeking: GenderCounts,
    #[serde(default)]
    pub other: GenderCounts,
}

impl Exits {
    pub fn get(&self, reason: ExitReason) -> GenderCounts {
        match reason {
            ExitReason::Work => self.work,
            ExitReason::Studies => self.studies,
            ExitReason::JobSeeking => self.job_seeking,
            ExitReason::Other => self.other,
        }
    }

    fn get_mut(&mut self, reason: ExitReason) -> &mut GenderCounts {
        match reason {
            ExitReason::Work => &mut self.work,
            ExitReason::Studies => &mut self.studies,
            ExitReason::JobSeeking => &mut self.job_seeking,
            ExitReason::Other => &mut self.other,
        }
    }

    pub fn sum(&self) -> GenderCounts {
        let all = ExitReason::ALL.iter().map(|&reason| self.get(reason));
        all.fold(GenderCounts::default(), |sum, c| GenderCounts { women: sum.women + c.women, men: sum.men + c.men })
    }
}

/// A valid year: participants tracked for an individual insats, exits within participants.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InsatsYear {
    /// `null`: not tracked, allowed only for a structural insats. Required, if only as `null`.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub participants: Option<GenderCounts>,
    #[serde(with = "rust_decimal::serde::str")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "250000.00", pattern = "^[0-9]{1,14}(\\.[0-9]{1,2})?$"))]
    pub budget: Decimal,
    #[serde(with = "rust_decimal::serde::str_option")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, example = "243500.50", pattern = "^[0-9]{1,14}(\\.[0-9]{1,2})?$"))]
    pub outcome: Option<Decimal>,
    pub exits: Option<Exits>,
}

/// The request body: the year's figures and, optionally, the version the client last saw.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InsatsYearInput {
    #[serde(flatten)]
    pub figures: InsatsYear,
    /// The version last read (1 or more).
    #[cfg_attr(feature = "openapi", schema(minimum = 1))]
    pub version: Option<i32>,
}

/// Reads and checks one year's figures for `insats`; every problem is reported. `year` comes
/// from the path and is reported as `year`.
pub fn parse(value: &Value, insats: &Insats, year: i32) -> Result<(InsatsYear, Option<i32>), Vec<FieldError>> {
    let mut r = Reader::new();
    if !insats.active_in(year) {
        let end = insats.end_date.map_or("ongoing".to_owned(), |d| d.to_string());
        r.error(
            "year",
            ErrorCode::YearOutsideInsats,
            format!("{year} is outside the insats' span ({} – {end})", insats.start_date),
        );
    }
    let Some(obj) = r.root(value, FIELDS) else { return Err(r.errors) };

    if !obj.map.contains_key("participants") {
        r.error("/participants", ErrorCode::Required, "is required: counts of women and men, or null if not tracked");
    }
    let participants =
        r.object(&obj, "participants", Presence::Optional, &Gender::codes()).and_then(|p| counts(&mut r, &p));
    if obj.map.get("participants") == Some(&Value::Null) && insats.kind == Kind::Individual {
        r.error(
            "/participants",
            ErrorCode::ParticipantsRequired,
            "an individual insats must count its participants (women and men)",
        );
    }
    let budget = r.money(&obj, "budget", Presence::Required, false);
    let outcome = r.money(&obj, "outcome", Presence::Optional, false);
    let exits = exits(&mut r, &obj);
    if let Some(exits) = exits {
        check_exits(&mut r, participants, exits, obj.map.get("participants") == Some(&Value::Null));
    }
    let version = r.version(&obj);
    match budget {
        Some(budget) if r.errors.is_empty() => Ok((InsatsYear { participants, budget, outcome, exits }, version)),
        _ => Err(r.errors),
    }
}

fn counts(r: &mut Reader, obj: &Obj<'_>) -> Option<GenderCounts> {
    let women = r.count(obj, "women", Presence::Required, MAX_COUNT);
    let men = r.count(obj, "men", Presence::Required, MAX_COUNT);
    Some(GenderCounts { women: women?, men: men? })
}

fn exits(r: &mut Reader, obj: &Obj<'_>) -> Option<Exits> {
    let exits_obj = r.object(obj, "exits", Presence::Optional, &ExitReason::codes())?;
    let mut exits = Exits::default();
    let mut complete = true;
    for &reason in ExitReason::ALL {
        if let Some(counted) = r.object(&exits_obj, reason.code(), Presence::Optional, &Gender::codes()) {
            match counts(r, &counted) {
                Some(found) => *exits.get_mut(reason) = found,
                None => complete = false,
            }
        }
    }
    complete.then_some(exits)
}

fn check_exits(r: &mut Reader, participants: Option<GenderCounts>, exits: Exits, not_tracked: bool) {
    if not_tracked {
        r.error("/exits", ErrorCode::ExitsWithoutParticipants, "exits need participants to be counted");
        return;
    }
    let Some(participants) = participants else { return };
    let left = exits.sum();
    for (gender, left, took_part) in [("women", left.women, participants.women), ("men", left.men, participants.men)] {
        if left > took_part {
            r.error(
                "/exits",
                ErrorCode::ExitsExceedParticipants,
                format!("{left} {gender} left, but only {took_part} {gender} took part"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;
    use serde_json::json;

    use super::*;
    use crate::codes::Orientation;

    fn insats(kind: Kind) -> Insats {
        Insats {
            external_ref: None,
            name: "Test".into(),
            description: None,
            kind,
            orientation: if kind == Kind::Individual { Orientation::Preparatory } else { Orientation::NeedsAnalysis },
            target_groups: vec![],
            start_date: NaiveDate::from_ymd_opt(2022, 6, 1).unwrap(),
            end_date: NaiveDate::from_ymd_opt(2024, 5, 31),
        }
    }

    fn valid() -> Value {
        json!({
            "participants": {"women": 12, "men": 8}, "budget": "250000.00", "outcome": "243500.50",
            "exits": {"work": {"women": 2, "men": 1}, "studies": {"women": 0, "men": 1},
                      "job_seeking": {"women": 1, "men": 0}, "other": {"women": 0, "men": 0}}
        })
    }

    fn problems(value: Value, kind: Kind, year: i32) -> Vec<(String, String)> {
        parse(&value, &insats(kind), year)
            .expect_err("invalid")
            .into_iter()
            .map(|e| (e.path, e.code.to_string()))
            .collect()
    }

    fn with(changes: Value) -> Value {
        let mut value = valid();
        for (key, v) in changes.as_object().unwrap() {
            value[key] = v.clone();
        }
        value
    }

    #[test]
    fn the_contract_example_is_valid() {
        let (year, version) = parse(&valid(), &insats(Kind::Individual), 2023).unwrap();
        assert_eq!(version, None);
        assert_eq!(year.participants, Some(GenderCounts { women: 12, men: 8 }));
        assert_eq!(year.exits.unwrap().sum(), GenderCounts { women: 3, men: 2 });
        let typed: InsatsYearInput = serde_json::from_value(valid()).unwrap();
        assert_eq!(typed.figures, year);
    }

    #[test]
    fn structural_may_leave_participants_untracked() {
        let untracked = json!({"participants": null, "budget": 1000});
        assert_eq!(parse(&untracked, &insats(Kind::Structural), 2023).unwrap().0.participants, None);
        assert_eq!(
            problems(untracked, Kind::Individual, 2023),
            vec![("/participants".to_owned(), "participants_required".to_owned())]
        );
    }

    #[test]
    fn each_rule_has_its_code() {
        let cases = [
            (json!({"participants": {"women": -1, "men": 2}}), 2023, "/participants/women", "negative_count"),
            (json!({"participants": {"women": 1.5, "men": 2}}), 2023, "/participants/women", "not_a_count"),
            (json!({"participants": {"women": 1}}), 2023, "/participants/men", "required"),
            (
                json!({"participants": {"women": 12, "men": 8, "other": 1}}),
                2023,
                "/participants/other",
                "unknown_field",
            ),
            (json!({"participants": {"women": 20_000_000, "men": 1}}), 2023, "/participants/women", "count_too_large"),
            (json!({"budget": "-5.00"}), 2023, "/budget", "negative_amount"),
            (json!({"budget": "5.001"}), 2023, "/budget", "too_many_decimals"),
            (json!({"budget": null}), 2023, "/budget", "required"),
            (json!({"outcome": "lots"}), 2023, "/outcome", "not_an_amount"),
            (json!({"exits": {"work": {"women": 13, "men": 0}}}), 2023, "/exits", "exits_exceed_participants"),
            (json!({"exits": {"holiday": {"women": 1, "men": 0}}}), 2023, "/exits/holiday", "unknown_field"),
            (json!({}), 2021, "year", "year_outside_insats"),
            (json!({}), 2025, "year", "year_outside_insats"),
            (json!({"colour": "blue"}), 2023, "/colour", "unknown_field"),
        ];
        for (change, year, path, code) in cases {
            assert_eq!(
                problems(with(change.clone()), Kind::Individual, year),
                vec![(path.to_owned(), code.to_owned())],
                "{change} in {year}"
            );
        }
        let mut missing = valid();
        missing.as_object_mut().unwrap().remove("participants");
        assert_eq!(problems(missing, Kind::Structural, 2023), vec![("/participants".into(), "required".into())]);
        let untracked_with_exits =
            json!({"participants": null, "budget": 1, "exits": {"work": {"women": 1, "men": 0}}});
        assert_eq!(
            problems(untracked_with_exits, Kind::Structural, 2023),
            vec![("/exits".into(), "exits_without_participants".into())]
        );
    }

    #[test]
    fn exits_are_checked_per_gender_and_missing_reasons_count_zero() {
        let (year, _) =
            parse(&with(json!({"exits": {"work": {"women": 12, "men": 0}}})), &insats(Kind::Individual), 2023).unwrap();
        assert_eq!(year.exits.unwrap().get(ExitReason::Work), GenderCounts { women: 12, men: 0 });
        assert_eq!(year.exits.unwrap().get(ExitReason::Other), GenderCounts::default());
        let both = problems(
            with(json!({"exits": {"work": {"women": 10, "men": 5}, "other": {"women": 3, "men": 4}}})),
            Kind::Individual,
            2023,
        );
        assert_eq!(both.len(), 2, "women and men both over: {both:?}");
    }
}

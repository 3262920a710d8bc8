//! The national reporting year: open until an admin closes it (then only admins, correcting it
//! on the record, change its data), with a deadline after which only admins may change its data. Pure rules; the store supplies the stored year and today's date.

use crate::ErrorCode;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::reader::{Presence, Reader, TextRule};
use crate::{FieldError, Role};

/// Room enough for a sentence or two on why; the audit log keeps it.
pub(crate) const REASON: TextRule = TextRule { max_chars: 1000, multiline: true };

/// A deadline set this many years after its year is taken for a typo.
pub const LATEST_DEADLINE_YEARS_AFTER: i32 = 10;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum YearState {
    Open,
    Closed,
}

/// A reporting year as clients read it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReportingYear {
    pub year: i32,
    /// `closed`: only admins write the year's data, until an admin reopens it.
    pub state: YearState,
    /// The last day (Europe/Stockholm) registrars and integrations may write the year's data;
    /// 31 March of the following year unless an admin set another.
    #[cfg_attr(feature = "openapi", schema(example = "2024-03-31"))]
    pub deadline: NaiveDate,
    /// Whether the deadline is behind us (today in Europe/Stockholm is after it).
    pub deadline_passed: bool,
    pub closed_at: Option<DateTime<Utc>>,
    /// Who closed it (the token's subject).
    pub closed_by: Option<String>,
}

/// The deadline of a year no admin has set one for: 31 March of the following year.
pub fn default_deadline(year: i32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year + 1, 3, 31).expect("31 March exists every year")
}

/// Why the data of a year cannot change for a caller.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum YearBlock {
    Closed { year: i32 },
    DeadlinePassed { year: i32, deadline: NaiveDate },
}

impl YearBlock {
    /// The problem code clients act on.
    pub fn code(self) -> ErrorCode {
        match self {
            YearBlock::Closed { .. } => ErrorCode::YearClosed,
            YearBlock::DeadlinePassed { .. } => ErrorCode::DeadlinePassed,
        }
    }

    pub fn year(self) -> i32 {
        match self {
            YearBlock::Closed { year } | YearBlock::DeadlinePassed { year, .. } => year,
        }
    }

    /// What is refused and what would allow it.
    pub fn message(self) -> String {
        match self {
            YearBlock::Closed { year } => {
                format!("reporting year {year} is closed: only an admin can change its data until it is reopened")
            }
            YearBlock::DeadlinePassed { year, deadline } => format!(
                "the deadline of reporting year {year} was {deadline} (Europe/Stockholm): only an admin can change its data now"
            ),
        }
    }
}

/// Whether `role` may change the data of `year` today. A closed year refuses every role but
/// admin (a national correction to a final year is an admin's, each change audited); after the
/// deadline only admins and the service itself (`system`: the demo load) write.
pub fn write_block(year: &ReportingYear, role: Role) -> Option<YearBlock> {
    if year.state == YearState::Closed {
        return (role != Role::Admin).then_some(YearBlock::Closed { year: year.year });
    }
    let exempt = matches!(role, Role::Admin | Role::System);
    (year.deadline_passed && !exempt).then_some(YearBlock::DeadlinePassed { year: year.year, deadline: year.deadline })
}

/// The body of a reopen: `{"reason": "..."}`, required.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReopenInput {
    /// Why the year is reopened; kept in the audit log.
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 1000))]
    pub reason: String,
}

/// The reason of a reopen, trimmed.
pub fn parse_reopen(value: &Value) -> Result<String, Vec<FieldError>> {
    let mut r = Reader::new();
    let Some(obj) = r.root(value, &["reason"]) else { return Err(r.errors) };
    let reason = r.text(&obj, "reason", Presence::Required, REASON);
    match reason {
        Some(reason) if r.errors.is_empty() => Ok(reason),
        _ => Err(r.errors),
    }
}

/// The body of a deadline change: `{"deadline": "2024-03-31"}`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DeadlineInput {
    /// The last day registrars and integrations may write the year's data: from 1 January of
    /// the year to 31 December ten years later.
    #[cfg_attr(feature = "openapi", schema(example = "2024-03-31"))]
    pub deadline: NaiveDate,
}

/// A deadline for `year`: on or after the year's first day (a deadline before the year begins
/// would lock it before anything could be registered) and at most ten years later.
pub fn parse_deadline(value: &Value, year: i32) -> Result<NaiveDate, Vec<FieldError>> {
    let mut r = Reader::new();
    let Some(obj) = r.root(value, &["deadline"]) else { return Err(r.errors) };
    let deadline = r.date(&obj, "deadline", Presence::Required);
    let first = NaiveDate::from_ymd_opt(year, 1, 1).expect("a valid year");
    let last = NaiveDate::from_ymd_opt(year + LATEST_DEADLINE_YEARS_AFTER, 12, 31).expect("a valid year");
    match deadline {
        Some(deadline) if deadline < first => {
            r.error(
                "/deadline",
                ErrorCode::DeadlineBeforeYear,
                format!("must not be before {first}, when {year} begins"),
            );
        }
        Some(deadline) if deadline > last => {
            r.error("/deadline", ErrorCode::DeadlineTooLate, format!("must not be after {last}"));
        }
        _ => {}
    }
    match deadline {
        Some(deadline) if r.errors.is_empty() => Ok(deadline),
        _ => Err(r.errors),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::codes::Code;

    fn year(state: YearState, deadline_passed: bool) -> ReportingYear {
        ReportingYear {
            year: 2023,
            state,
            deadline: default_deadline(2023),
            deadline_passed,
            closed_at: None,
            closed_by: None,
        }
    }

    #[test]
    fn the_default_deadline_is_31_march_of_the_next_year() {
        assert_eq!(default_deadline(2023), NaiveDate::from_ymd_opt(2024, 3, 31).unwrap());
    }

    #[test]
    fn a_closed_year_and_a_passed_deadline_refuse_all_but_admins() {
        for role in [Role::Registrar, Role::Integration, Role::System] {
            assert_eq!(write_block(&year(YearState::Closed, false), role), Some(YearBlock::Closed { year: 2023 }));
        }
        assert_eq!(write_block(&year(YearState::Closed, true), Role::Admin), None);
        for role in Role::ALL.iter().copied() {
            assert_eq!(write_block(&year(YearState::Open, false), role), None, "{role}");
        }
        let passed = year(YearState::Open, true);
        for role in [Role::Registrar, Role::Integration, Role::Analyst] {
            assert_eq!(write_block(&passed, role).map(YearBlock::code), Some(ErrorCode::DeadlinePassed), "{role}");
        }
        for role in [Role::Admin, Role::System] {
            assert_eq!(write_block(&passed, role), None, "{role}");
        }
    }

    #[test]
    fn a_reopen_needs_a_real_reason() {
        assert_eq!(parse_reopen(&json!({"reason": "  Rättelse av 2023  "})).unwrap(), "Rättelse av 2023");
        let code = |value: Value| {
            parse_reopen(&value).unwrap_err().into_iter().map(|e| (e.path, e.code.to_string())).collect()
        };
        let at = |code: &str| vec![("/reason".to_owned(), code.to_owned())];
        assert_eq!(code(json!({})), at("required"));
        assert_eq!(code(json!({"reason": null})), at("required"));
        assert_eq!(code(json!({"reason": "   "})), at("blank"));
        assert_eq!(code(json!({"reason": 7})), at("not_a_string"));
        assert_eq!(code(json!({"reason": "x".repeat(1001)})), at("too_long"));
        assert!(parse_reopen(&json!({"reason": "x".repeat(1000)})).is_ok());
        assert_eq!(code(json!({"reason": "Rättelse för 19811218-9876"})), at("personal_identity_number"));
        let unknown: Vec<(String, String)> = code(json!({"reason": "ok", "why": "x"}));
        assert_eq!(unknown, vec![("/why".to_owned(), "unknown_field".to_owned())]);
        let named: Vec<(String, String)> = code(json!({"reason": "ok", "19811218-9876": "x"}));
        assert_eq!(named, vec![("/[personnummer]".to_owned(), "personal_identity_number".to_owned())]);
    }

    #[test]
    fn a_deadline_lies_from_the_year_to_ten_years_after() {
        let date = |text: &str| NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap();
        assert_eq!(parse_deadline(&json!({"deadline": "2024-03-31"}), 2023).unwrap(), date("2024-03-31"));
        assert_eq!(parse_deadline(&json!({"deadline": "2023-01-01"}), 2023).unwrap(), date("2023-01-01"));
        let code = |value: Value| parse_deadline(&value, 2023).unwrap_err()[0].code;
        assert_eq!(code(json!({"deadline": "2022-12-31"})), "deadline_before_year");
        assert_eq!(code(json!({"deadline": "2034-01-01"})), "deadline_too_late");
        assert_eq!(code(json!({"deadline": "31/3/2024"})), "not_a_date");
        assert_eq!(code(json!({})), "required");
        assert_eq!(code(json!([])), "not_an_object");
    }
}

//! Reading and checking an annual report payload: every problem at once, each at its JSON
//! pointer. Free text (remarks, diary numbers) goes through the reader's text rule, which
//! refuses a personal identity number as every field of every payload does.

use chrono::NaiveDate;
use serde_json::Value;

use super::{AnnualReport, Discharge, MEMBER_PATTERN, Member, MemberFollowUp, Remark};
use crate::codes::{DischargeStatus, RemarkCategory};
use crate::reader::{Obj, Presence, Reader, TextRule, pointer};
use crate::{ErrorCode, FieldError, identity};

pub const FIELDS: &[&str] = &["adopted_on", "received_on", "members", "remarks", "version"];
const MEMBER_FIELDS: &[&str] = &["member", "auditors_report_received_on", "discharge"];
const DISCHARGE_FIELDS: &[&str] = &["status", "decided_on", "diary_number"];
const REMARK_FIELDS: &[&str] = &["category", "text"];

pub(crate) const REMARK_TEXT: TextRule = TextRule { max_chars: 2000, multiline: true };
pub(crate) const DIARY_NUMBER: TextRule = TextRule { max_chars: 100, multiline: false };

/// Reads the annual report of `year`: every date after the year's end, each in order.
pub fn parse(value: &Value, year: i32) -> Result<(AnnualReport, Option<i32>), Vec<FieldError>> {
    let mut r = Reader::new();
    let Some(obj) = r.root(value, FIELDS) else { return Err(r.errors) };
    let dates = Dates { year };
    let adopted_on = dates.read(&mut r, &obj, "adopted_on");
    let received_on = dates.read(&mut r, &obj, "received_on");
    if let (Some(adopted), Some(received)) = (adopted_on, received_on)
        && received < adopted
    {
        r.error("/received_on", ErrorCode::DatesOutOfOrder, format!("must not be before adopted_on {adopted}"));
    }
    let members = members(&mut r, &obj, dates);
    let remarks = remarks(&mut r, &obj);
    let version = r.version(&obj);
    match r.errors.is_empty() {
        true => Ok((AnnualReport { adopted_on, received_on, members, remarks }, version)),
        false => Err(r.errors),
    }
}

/// The dates of a year's annual report: after the year's end.
#[derive(Clone, Copy)]
struct Dates {
    year: i32,
}

impl Dates {
    fn read(self, r: &mut Reader, obj: &Obj<'_>, key: &str) -> Option<NaiveDate> {
        let date = r.date(obj, key, Presence::Optional)?;
        let path = pointer(&obj.path, key);
        let year_end = NaiveDate::from_ymd_opt(self.year, 12, 31).expect("a year the service covers");
        if date <= year_end {
            r.error(
                path,
                ErrorCode::BeforeYearEnd,
                format!("must be after the end of {} (after {year_end})", self.year),
            );
            return None;
        }
        Some(date)
    }
}

/// The objects of the array at `key` (none when absent or null), each with its pointer and
/// only `known` fields; an item that is no object is refused (for an identity number in it, as
/// every value is, else as no object).
fn objects<'v>(r: &mut Reader, obj: &Obj<'v>, key: &str, known: &[&str]) -> Vec<(usize, Obj<'v>)> {
    let items: &'v [Value] = match r.present(obj, key, Presence::Optional) {
        None => &[],
        Some(Value::Array(items)) => items,
        Some(_) => {
            r.error(pointer(&obj.path, key), ErrorCode::NotAnArray, "must be an array");
            &[]
        }
    };
    let mut out = Vec::new();
    for (index, item) in items.iter().enumerate() {
        let path = format!("{}/{index}", pointer(&obj.path, key));
        if identity::in_scalar(item) {
            r.errors.push(identity::refused(path));
        } else if let Some(entry) = r.object_at(item, path, known) {
            out.push((index, entry));
        }
    }
    out
}

fn members(r: &mut Reader, obj: &Obj<'_>, dates: Dates) -> Vec<MemberFollowUp> {
    let mut out: Vec<MemberFollowUp> = Vec::new();
    for (index, entry) in objects(r, obj, "members", MEMBER_FIELDS) {
        let member = member(r, &entry);
        if let Some(member) = &member
            && out.iter().any(|m| &m.member == member)
        {
            r.error(
                format!("/members/{index}/member"),
                ErrorCode::DuplicateMember,
                format!("{member} is listed twice"),
            );
        }
        let report = dates.read(r, &entry, "auditors_report_received_on");
        let discharge = discharge(r, &entry, dates, report);
        if let (Some(member), Some(discharge)) = (member, discharge) {
            out.push(MemberFollowUp { member, auditors_report_received_on: report, discharge });
        }
    }
    out
}

fn member(r: &mut Reader, entry: &Obj<'_>) -> Option<Member> {
    let value = r.present(entry, "member", Presence::Required)?;
    let found = value.as_str().and_then(Member::from_code);
    if found.is_none() {
        r.error(
            pointer(&entry.path, "member"),
            ErrorCode::UnknownCode,
            format!("must be state, region:<county code> or municipality:<municipality code> ({MEMBER_PATTERN})"),
        );
    }
    found
}

/// A member's discharge; pending when absent. A decision needs its date, and the member's own
/// auditors' report before it.
fn discharge(r: &mut Reader, entry: &Obj<'_>, dates: Dates, report: Option<NaiveDate>) -> Option<Discharge> {
    let given = |obj: &Obj<'_>, key: &str| obj.map.get(key).is_some_and(|v| !v.is_null());
    let report_given = given(entry, "auditors_report_received_on");
    let Some(obj) = r.object(entry, "discharge", Presence::Optional, DISCHARGE_FIELDS) else {
        // Absent or null: pending; anything else was refused by `object`.
        return (!given(entry, "discharge")).then(Discharge::pending);
    };
    let status = r.code::<DischargeStatus>(&obj, "status", Presence::Required);
    let decided_on = dates.read(r, &obj, "decided_on");
    let decided_given = given(&obj, "decided_on");
    let diary_number = r.text(&obj, "diary_number", Presence::Optional, DIARY_NUMBER);
    let at = |key: &str| pointer(&obj.path, key);
    match status {
        Some(DischargeStatus::Pending) if decided_given => {
            r.error(at("decided_on"), ErrorCode::DecidedOnWhilePending, "a pending discharge has no decision date")
        }
        Some(DischargeStatus::Granted | DischargeStatus::Refused) => {
            if !decided_given {
                r.error(at("decided_on"), ErrorCode::Required, "a decision on discharge has its date");
            }
            if !report_given {
                r.error(
                    at("status"),
                    ErrorCode::AuditorsReportMissing,
                    "discharge is decided once the member's auditors' report is in: give auditors_report_received_on",
                );
            }
            if let (Some(decided), Some(report)) = (decided_on, report)
                && decided < report
            {
                r.error(
                    at("decided_on"),
                    ErrorCode::DatesOutOfOrder,
                    format!("must not be before the auditors' report was received ({report})"),
                );
            }
        }
        _ => {}
    }
    Some(Discharge { status: status?, decided_on, diary_number })
}

fn remarks(r: &mut Reader, obj: &Obj<'_>) -> Vec<Remark> {
    let mut out = Vec::new();
    for (_, entry) in objects(r, obj, "remarks", REMARK_FIELDS) {
        let category = r.code::<RemarkCategory>(&entry, "category", Presence::Required);
        let presence = match category {
            Some(RemarkCategory::Other) => Presence::Required,
            _ => Presence::Optional,
        };
        let text = r.text(&entry, "text", presence, REMARK_TEXT);
        if let Some(category) = category {
            out.push(Remark { category, text });
        }
    }
    out
}

/// The report against the förbund's members during the year (see [`super::members_of`]): each
/// listed member must be one, and the state decides on discharge only once every member's
/// auditors' report is in.
pub fn check_members(report: &AnnualReport, year: i32, members: &[Member]) -> Vec<FieldError> {
    let mut errors = Vec::new();
    for (index, entry) in report.members.iter().enumerate() {
        if !members.contains(&entry.member) {
            let known: Vec<String> = members.iter().map(Member::code).collect();
            let message = match known.is_empty() {
                true => format!("the förbund has no members in {year}"),
                false => format!("is not a member in {year}; the members are: {}", known.join(", ")),
            };
            errors.push(FieldError::new(format!("/members/{index}/member"), ErrorCode::NotAMember, message));
        }
    }
    let decided = |d: &Discharge| d.status != DischargeStatus::Pending;
    if let Some(index) = report.members.iter().position(|m| m.member == Member::State && decided(&m.discharge)) {
        let missing: Vec<String> = members
            .iter()
            .filter(|member| {
                !report.members.iter().any(|m| &m.member == *member && m.auditors_report_received_on.is_some())
            })
            .map(Member::code)
            .collect();
        if !missing.is_empty() {
            errors.push(FieldError::new(
                format!("/members/{index}/discharge/status"),
                ErrorCode::AuditorsReportMissing,
                format!(
                    "Försäkringskassan decides for the state once every auditors' report is in; missing: {}",
                    missing.join(", ")
                ),
            ));
        }
    }
    errors
}

/// Every date of the report that lies after `today` (in Sweden, as the store's clock has it):
/// what has not happened cannot be registered.
pub fn check_dates(report: &AnnualReport, today: NaiveDate) -> Vec<FieldError> {
    let mut dated: Vec<(String, Option<NaiveDate>)> =
        vec![("/adopted_on".to_owned(), report.adopted_on), ("/received_on".to_owned(), report.received_on)];
    for (index, m) in report.members.iter().enumerate() {
        dated.push((format!("/members/{index}/auditors_report_received_on"), m.auditors_report_received_on));
        dated.push((format!("/members/{index}/discharge/decided_on"), m.discharge.decided_on));
    }
    dated
        .into_iter()
        .filter(|(_, date)| date.is_some_and(|d| d > today))
        .map(|(path, _)| FieldError::new(path, ErrorCode::DateInFuture, format!("must not be after today ({today})")))
        .collect()
}

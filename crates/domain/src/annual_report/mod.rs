//! A förbund's annual report for a year, its audit and its discharge: when the board adopted
//! the annual report and when Försäkringskassan received it; per member when its auditors'
//! report came in and its decision on discharge (ansvarsfrihet) for the board; and what the
//! auditors remarked on. The board must draw up the annual report within three months of the
//! year's end, so one received by 31 March of the next year is on time ([`deadline`]).
//!
//! Members are named `state` (Försäkringskassan decides for the state, also for
//! Arbetsförmedlingen), `region:<county code>` (the region of a county in which a member
//! municipality lies) and `municipality:<municipality code>`; [`members_of`] gives a förbund's
//! for a year from its member municipalities. [`parse`] reads and checks a payload alone;
//! [`check_members`] checks it against the year's members, which need the stored membership,
//! and [`check_dates`] against today.

mod follow_up;
mod parse;
#[cfg(test)]
mod tests;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::codes::{AnnualReportTimeliness, DischargeStatus, RemarkCategory};

pub use follow_up::{
    AnnualReportFollowUp, DischargeCounts, ForbundAnnualReport, ForbundOfYear, TimelinessCounts, follow_up,
};
pub use parse::{FIELDS, check_dates, check_members, parse};

/// A member's identifier as the wire carries it.
pub const MEMBER_PATTERN: &str = "^(state|region:[0-9]{2}|municipality:[0-9]{4})$";

/// A member (part) of a förbund.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Member {
    /// The state, for which Försäkringskassan decides.
    State,
    /// The region of a county, by county code (`10`).
    Region(String),
    /// A municipality, by its code (`1080`).
    Municipality(String),
}

impl Member {
    /// `state`, `region:10` or `municipality:1080`; anything else is no member.
    pub fn from_code(text: &str) -> Option<Member> {
        let digits = |code: &str, n: usize| code.len() == n && code.bytes().all(|b| b.is_ascii_digit());
        match text.split_once(':') {
            None if text == "state" => Some(Member::State),
            Some(("region", code)) if digits(code, 2) => Some(Member::Region(code.to_owned())),
            Some(("municipality", code)) if digits(code, 4) => Some(Member::Municipality(code.to_owned())),
            _ => None,
        }
    }

    pub fn code(&self) -> String {
        match self {
            Member::State => "state".to_owned(),
            Member::Region(county) => format!("region:{county}"),
            Member::Municipality(code) => format!("municipality:{code}"),
        }
    }
}

impl std::fmt::Display for Member {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.code())
    }
}

impl Serialize for Member {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.code())
    }
}

impl<'de> Deserialize<'de> for Member {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        Member::from_code(&text).ok_or_else(|| serde::de::Error::custom(format!("no member {text:?}")))
    }
}

/// The members of a förbund during a year: the state, the region of every county its member
/// municipalities lie in, and every member municipality; state first, then regions and
/// municipalities by code. No member municipality, no members: no förbund that year.
pub fn members_of(municipality_codes: &[String], county_codes: &[String]) -> Vec<Member> {
    if municipality_codes.is_empty() {
        return Vec::new();
    }
    let mut counties: Vec<&String> = county_codes.iter().collect();
    counties.sort();
    counties.dedup();
    let mut municipalities: Vec<&String> = municipality_codes.iter().collect();
    municipalities.sort();
    municipalities.dedup();
    std::iter::once(Member::State)
        .chain(counties.into_iter().map(|c| Member::Region(c.clone())))
        .chain(municipalities.into_iter().map(|m| Member::Municipality(m.clone())))
        .collect()
}

/// The last day an annual report of `year` is on time: three months after the year's end.
pub fn deadline(year: i32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year + 1, 3, 31).expect("a year the service covers")
}

/// Whether an annual report of `year` received on `received_on` (if at all) came in time.
pub fn timeliness(year: i32, received_on: Option<NaiveDate>) -> AnnualReportTimeliness {
    match received_on {
        None => AnnualReportTimeliness::Missing,
        Some(date) if date <= deadline(year) => AnnualReportTimeliness::OnTime,
        Some(_) => AnnualReportTimeliness::Late,
    }
}

/// A member's decision on discharge for the board.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Discharge {
    pub status: DischargeStatus,
    /// The day of the decision; required once granted or refused, none while pending.
    #[serde(default)]
    pub decided_on: Option<NaiveDate>,
    /// The decision's diary number (diarienummer), e.g. `FK 2024/012345`.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 100, example = "FK 2024/012345"))]
    pub diary_number: Option<String>,
}

impl Discharge {
    pub fn pending() -> Discharge {
        Discharge { status: DischargeStatus::Pending, decided_on: None, diary_number: None }
    }
}

/// What one member's audit and discharge stand at.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MemberFollowUp {
    /// `state`, `region:<county code>` or `municipality:<municipality code>`; a member of the
    /// förbund during the year.
    #[cfg_attr(feature = "openapi", schema(value_type = String, pattern = "^(state|region:[0-9]{2}|municipality:[0-9]{4})$", example = "municipality:1080"))]
    pub member: Member,
    /// When the member's auditors' report (revisionsberättelse) came in; `null` until it has.
    #[serde(default)]
    pub auditors_report_received_on: Option<NaiveDate>,
    /// Pending when left out (or `null`).
    #[serde(default = "Discharge::pending")]
    #[cfg_attr(feature = "openapi", schema(nullable))]
    pub discharge: Discharge,
}

/// One remark of the auditors.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Remark {
    pub category: RemarkCategory,
    /// Required for `other`; never a personal identity number.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 2000))]
    pub text: Option<String>,
}

/// A förbund's annual report, audit and discharge for one year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AnnualReport {
    /// When the board adopted (fastställde) the annual report; after the year's end.
    #[serde(default)]
    pub adopted_on: Option<NaiveDate>,
    /// When Försäkringskassan received it; not before it was adopted.
    #[serde(default)]
    pub received_on: Option<NaiveDate>,
    /// Per member: auditors' report and discharge; each member at most once (none: `[]` or `null`).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(nullable))]
    pub members: Vec<MemberFollowUp>,
    /// The auditors' remarks, by category (none: `[]` or `null`).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(nullable))]
    pub remarks: Vec<Remark>,
}

/// The request body: the annual report and, optionally, the version last read.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AnnualReportInput {
    #[serde(flatten)]
    pub report: AnnualReport,
    /// The version last read (1 or more).
    #[cfg_attr(feature = "openapi", schema(minimum = 1))]
    pub version: Option<i32>,
}

/// What the service holds for a förbund's year, as clients read it back.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AnnualReportRecord {
    pub forbund_key: String,
    pub year: i32,
    #[serde(flatten)]
    pub report: AnnualReport,
    /// 31 March of the next year: three months after the year's end.
    pub deadline: NaiveDate,
    /// Whether the annual report was received by the deadline.
    pub timeliness: AnnualReportTimeliness,
    /// Send it back as `If-Match` (or `version`) when replacing.
    pub version: i32,
    pub updated_at: DateTime<Utc>,
}

impl AnnualReportRecord {
    pub fn new(forbund_key: String, year: i32, report: AnnualReport, version: i32, updated_at: DateTime<Utc>) -> Self {
        AnnualReportRecord {
            forbund_key,
            year,
            deadline: deadline(year),
            timeliness: timeliness(year, report.received_on),
            report,
            version,
            updated_at,
        }
    }
}

//! The national follow-up of a year's annual reports: every förbund with whether its annual
//! report came in within three months of the year's end, late, or not at all, how many of its
//! members' auditors' reports are in and where discharge stands.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::{AnnualReport, Member, deadline, timeliness};
use crate::codes::{AnnualReportTimeliness, DischargeStatus, RemarkCategory};

/// A förbund of the year as the follow-up needs it: its members that year and what it entered.
pub struct ForbundOfYear {
    pub forbund_key: String,
    pub name: String,
    pub members: Vec<Member>,
    pub report: Option<AnnualReport>,
}

/// Discharge decisions among the förbund's members of the year; a member without one is pending.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DischargeCounts {
    pub granted: u32,
    pub refused: u32,
    pub pending: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ForbundAnnualReport {
    pub forbund_key: String,
    pub name: String,
    pub adopted_on: Option<NaiveDate>,
    pub received_on: Option<NaiveDate>,
    /// `on_time` by the deadline, `late` after it, `missing` while not received.
    pub timeliness: AnnualReportTimeliness,
    /// The förbund's members during the year (the state, regions, municipalities).
    pub members: u32,
    /// Members whose auditors' report has come in.
    pub auditors_reports_received: u32,
    pub discharge: DischargeCounts,
    /// The categories the auditors remarked on, each once, in the code list's order.
    pub remarks: Vec<RemarkCategory>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TimelinessCounts {
    pub forbund: u32,
    pub on_time: u32,
    pub late: u32,
    pub missing: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AnnualReportFollowUp {
    pub year: i32,
    /// The last day on time: 31 March of the next year.
    pub deadline: NaiveDate,
    pub totals: TimelinessCounts,
    /// Every förbund of the year, by key.
    pub forbund: Vec<ForbundAnnualReport>,
}

pub fn follow_up(year: i32, mut forbund: Vec<ForbundOfYear>) -> AnnualReportFollowUp {
    forbund.sort_by(|a, b| a.forbund_key.cmp(&b.forbund_key));
    let mut totals = TimelinessCounts::default();
    let rows: Vec<ForbundAnnualReport> = forbund.into_iter().map(|f| row(year, f)).collect();
    for row in &rows {
        totals.forbund += 1;
        match row.timeliness {
            AnnualReportTimeliness::OnTime => totals.on_time += 1,
            AnnualReportTimeliness::Late => totals.late += 1,
            AnnualReportTimeliness::Missing => totals.missing += 1,
        }
    }
    AnnualReportFollowUp { year, deadline: deadline(year), totals, forbund: rows }
}

fn row(year: i32, f: ForbundOfYear) -> ForbundAnnualReport {
    let report =
        f.report.unwrap_or(AnnualReport { adopted_on: None, received_on: None, members: vec![], remarks: vec![] });
    let of = |member: &Member| report.members.iter().find(|m| &m.member == member);
    let mut discharge = DischargeCounts::default();
    let mut received = 0;
    for member in &f.members {
        let entry = of(member);
        received += u32::from(entry.is_some_and(|m| m.auditors_report_received_on.is_some()));
        match entry.map(|m| m.discharge.status) {
            Some(DischargeStatus::Granted) => discharge.granted += 1,
            Some(DischargeStatus::Refused) => discharge.refused += 1,
            _ => discharge.pending += 1,
        }
    }
    let mut remarks: Vec<RemarkCategory> = report.remarks.iter().map(|r| r.category).collect();
    remarks.sort();
    remarks.dedup();
    ForbundAnnualReport {
        forbund_key: f.forbund_key,
        name: f.name,
        adopted_on: report.adopted_on,
        received_on: report.received_on,
        timeliness: timeliness(year, report.received_on),
        members: u32::try_from(f.members.len()).unwrap_or(u32::MAX),
        auditors_reports_received: received,
        discharge,
        remarks,
    }
}

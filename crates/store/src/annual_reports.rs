//! A förbund's annual report, audit and discharge per year, as SQL primitives: one row per
//! förbund and year (the dates and the version), one per member listed and one per remark, in
//! the order sent. A write replaces the year's members and remarks as a whole.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use finsam_domain::annual_report::{AnnualReport, AnnualReportRecord, Discharge, Member, MemberFollowUp, Remark};
use finsam_domain::codes::{Code, DischargeStatus, RemarkCategory};

use crate::registration::{WriteError, is_foreign_key_violation, is_unique_violation};
use crate::schema::{annual_report_members, annual_report_remarks, annual_reports};

/// The audit log's name for the entity; its id is `<forbund_key>/<year>`.
pub const ENTITY: &str = "annual_report";

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = annual_reports)]
struct Head {
    forbund_key: String,
    year: i32,
    adopted_on: Option<NaiveDate>,
    received_on: Option<NaiveDate>,
    version: i32,
    updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = annual_report_members)]
struct MemberRow {
    forbund_key: String,
    year: i32,
    position: i32,
    member: String,
    auditors_report_received_on: Option<NaiveDate>,
    discharge: String,
    discharge_decided_on: Option<NaiveDate>,
    diary_number: Option<String>,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = annual_report_remarks)]
struct RemarkRow {
    forbund_key: String,
    year: i32,
    position: i32,
    category: String,
    text: Option<String>,
}

/// A stored code the CHECK constraints hold to the domain's lists; anything else is a
/// database that does not match this build, reported as an error, not a panic.
fn stored<T>(found: Option<T>, what: &str, code: &str) -> QueryResult<T> {
    found.ok_or_else(|| diesel::result::Error::DeserializationError(format!("unknown {what} {code:?} stored").into()))
}

impl MemberRow {
    fn into_domain(self) -> QueryResult<MemberFollowUp> {
        Ok(MemberFollowUp {
            member: stored(Member::from_code(&self.member), "member", &self.member)?,
            auditors_report_received_on: self.auditors_report_received_on,
            discharge: Discharge {
                status: stored(DischargeStatus::from_code(&self.discharge), "discharge status", &self.discharge)?,
                decided_on: self.discharge_decided_on,
                diary_number: self.diary_number,
            },
        })
    }
}

impl RemarkRow {
    fn into_domain(self) -> QueryResult<Remark> {
        let category = stored(RemarkCategory::from_code(&self.category), "remark category", &self.category)?;
        Ok(Remark { category, text: self.text })
    }
}

type Parts = BTreeMap<String, (Vec<MemberFollowUp>, Vec<Remark>)>;

/// The members and remarks of `year` (of one förbund, or of all), by förbund key.
fn parts(conn: &mut PgConnection, year: i32, only: Option<&str>) -> QueryResult<Parts> {
    let mut members = annual_report_members::table
        .filter(annual_report_members::year.eq(year))
        .order((annual_report_members::forbund_key, annual_report_members::position))
        .select(MemberRow::as_select())
        .into_boxed();
    let mut remarks = annual_report_remarks::table
        .filter(annual_report_remarks::year.eq(year))
        .order((annual_report_remarks::forbund_key, annual_report_remarks::position))
        .select(RemarkRow::as_select())
        .into_boxed();
    if let Some(key) = only {
        members = members.filter(annual_report_members::forbund_key.eq(key.to_owned()));
        remarks = remarks.filter(annual_report_remarks::forbund_key.eq(key.to_owned()));
    }
    let mut out = Parts::new();
    for row in members.load(conn)? {
        out.entry(row.forbund_key.clone()).or_default().0.push(row.into_domain()?);
    }
    for row in remarks.load(conn)? {
        out.entry(row.forbund_key.clone()).or_default().1.push(row.into_domain()?);
    }
    Ok(out)
}

fn record(head: Head, parts: &mut Parts) -> AnnualReportRecord {
    let (members, remarks) = parts.remove(&head.forbund_key).unwrap_or_default();
    let report = AnnualReport { adopted_on: head.adopted_on, received_on: head.received_on, members, remarks };
    AnnualReportRecord::new(head.forbund_key, head.year, report, head.version, head.updated_at)
}

fn read(conn: &mut PgConnection, forbund: &str, year: i32, lock: bool) -> QueryResult<Option<AnnualReportRecord>> {
    let query = annual_reports::table.find((forbund, year)).select(Head::as_select());
    let head = match lock {
        true => query.for_update().first(conn).optional()?,
        false => query.first(conn).optional()?,
    };
    let Some(head) = head else { return Ok(None) };
    let mut parts = parts(conn, year, Some(forbund))?;
    Ok(Some(record(head, &mut parts)))
}

pub fn get(conn: &mut PgConnection, forbund: &str, year: i32) -> QueryResult<Option<AnnualReportRecord>> {
    read(conn, forbund, year, false)
}

/// The förbund's annual report of a year, locked until the transaction ends.
pub fn find_for_update(conn: &mut PgConnection, forbund: &str, year: i32) -> QueryResult<Option<AnnualReportRecord>> {
    read(conn, forbund, year, true)
}

/// Every förbund's annual report of `year`, by förbund key.
pub fn list(conn: &mut PgConnection, year: i32) -> QueryResult<Vec<AnnualReportRecord>> {
    let heads = annual_reports::table
        .filter(annual_reports::year.eq(year))
        .order(annual_reports::forbund_key)
        .select(Head::as_select())
        .load(conn)?;
    let mut parts = parts(conn, year, None)?;
    Ok(heads.into_iter().map(|head| record(head, &mut parts)).collect())
}

/// Writes the förbund's annual report of a year: new when `exists` is false, else a new version
/// with its members and remarks replaced. An unknown förbund is [`WriteError::NotFound`]; a
/// report created meanwhile by another writer is [`WriteError::VersionRequired`].
pub fn put(
    conn: &mut PgConnection,
    forbund: &str,
    year: i32,
    report: &AnnualReport,
    exists: bool,
) -> Result<AnnualReportRecord, WriteError> {
    let dates = (annual_reports::adopted_on.eq(report.adopted_on), annual_reports::received_on.eq(report.received_on));
    if exists {
        diesel::update(annual_reports::table.find((forbund, year)))
            .set((
                dates,
                annual_reports::version.eq(annual_reports::version + 1),
                annual_reports::updated_at.eq(diesel::dsl::now),
            ))
            .execute(conn)?;
        diesel::delete(
            annual_report_members::table
                .filter(annual_report_members::forbund_key.eq(forbund))
                .filter(annual_report_members::year.eq(year)),
        )
        .execute(conn)?;
        diesel::delete(
            annual_report_remarks::table
                .filter(annual_report_remarks::forbund_key.eq(forbund))
                .filter(annual_report_remarks::year.eq(year)),
        )
        .execute(conn)?;
    } else {
        diesel::insert_into(annual_reports::table)
            .values((annual_reports::forbund_key.eq(forbund), annual_reports::year.eq(year), dates))
            .execute(conn)
            .map_err(|e| {
                if is_foreign_key_violation(&e, "annual_reports_forbund_key_fkey") {
                    WriteError::NotFound("förbund")
                } else if is_unique_violation(&e, "annual_reports_pkey") {
                    WriteError::VersionRequired { current: 1 }
                } else {
                    e.into()
                }
            })?;
    }
    let position = |index: usize| i32::try_from(index).expect("a body's list is short");
    let members: Vec<MemberRow> = report
        .members
        .iter()
        .enumerate()
        .map(|(index, m)| MemberRow {
            forbund_key: forbund.to_owned(),
            year,
            position: position(index),
            member: m.member.code(),
            auditors_report_received_on: m.auditors_report_received_on,
            discharge: m.discharge.status.code().to_owned(),
            discharge_decided_on: m.discharge.decided_on,
            diary_number: m.discharge.diary_number.clone(),
        })
        .collect();
    if !members.is_empty() {
        diesel::insert_into(annual_report_members::table).values(&members).execute(conn)?;
    }
    let remarks: Vec<RemarkRow> = report
        .remarks
        .iter()
        .enumerate()
        .map(|(index, r)| RemarkRow {
            forbund_key: forbund.to_owned(),
            year,
            position: position(index),
            category: r.category.code().to_owned(),
            text: r.text.clone(),
        })
        .collect();
    if !remarks.is_empty() {
        diesel::insert_into(annual_report_remarks::table).values(&remarks).execute(conn)?;
    }
    Ok(read(conn, forbund, year, false)?.expect("the report just written"))
}

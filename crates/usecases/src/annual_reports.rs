//! A förbund's annual report, audit and discharge for a year: put (audited), get, and the
//! national follow-up of who sent the annual report within three months of the year's end.
//!
//! The annual report comes after the year and discharge months later, so neither the
//! registration deadline nor a closed reporting year stops these writes: they follow up the
//! year, they are not its registered figures.

use diesel::{Connection, PgConnection};
use finsam_domain::access::Action;
use finsam_domain::annual_report::{
    self as rules, AnnualReport, AnnualReportFollowUp, AnnualReportRecord, ForbundOfYear, Member,
};
use finsam_domain::version::Expected;
use finsam_store::annual_reports as store;
use finsam_store::reference;
use finsam_store::registration::{Change, WriteError, record, reporting_years};

use crate::refused::explain;
use crate::{Acting, Refused};

/// The förbund's members during `year`, or `None` when there is no such förbund.
fn members(conn: &mut PgConnection, forbund: &str, year: i32) -> Result<Option<Vec<Member>>, Refused> {
    let found = reference::get_forbund(conn, forbund, year)?;
    Ok(found.map(|f| rules::members_of(&f.municipality_codes, &f.county_codes)))
}

/// Creates or replaces the förbund's annual report of `year`; replacing needs the version last
/// read. Every member named must be a member that year and no date may lie ahead of today. The
/// bool says whether it was created.
pub fn put(
    conn: &mut PgConnection,
    who: &Acting<'_>,
    forbund: &str,
    year: i32,
    report: &AnnualReport,
    expected: Expected,
) -> Result<(AnnualReportRecord, bool), Refused> {
    who.may(Action::WriteAnnualReport, Some(forbund))?;
    let done = conn.transaction(|conn| {
        let before = store::find_for_update(conn, forbund, year)?;
        if let Some(existing) = &before {
            WriteError::check_version(expected, existing.version)?;
        }
        let Some(members) = members(conn, forbund, year)? else {
            return Err(Refused::NotFound(format!("no förbund {forbund:?}")));
        };
        let mut problems = rules::check_members(report, year, &members);
        problems.extend(rules::check_dates(report, reporting_years::today(conn)?));
        if !problems.is_empty() {
            return Err(Refused::Invalid(problems));
        }
        let after = store::put(conn, forbund, year, report, before.is_some())?;
        let change = Change {
            forbund_key: forbund,
            entity: store::ENTITY,
            entity_id: format!("{forbund}/{year}"),
            action: if before.is_some() { "replace" } else { "create" },
            before: before.as_ref(),
            after: Some(&after),
        };
        record(conn, &who.store(), change)?;
        Ok::<_, Refused>((after, before.is_none()))
    });
    done.map_err(|e| explain(conn, e, forbund, None, expected.source))
}

/// The förbund's annual report of `year`.
pub fn get(conn: &mut PgConnection, who: &Acting<'_>, forbund: &str, year: i32) -> Result<AnnualReportRecord, Refused> {
    who.may(Action::ReadAnnualReport, Some(forbund))?;
    if let Some(found) = store::get(conn, forbund, year)? {
        return Ok(found);
    }
    match reference::forbund_exists(conn, forbund)? {
        true => Err(Refused::NotFound(format!("no annual report registered for {forbund} for {year}"))),
        false => Err(Refused::NotFound(format!("no förbund {forbund:?}"))),
    }
}

/// Every förbund of `year` (those with members that year, and any with a report stored) with
/// whether its annual report came in on time, late or not at all.
pub fn follow_up(conn: &mut PgConnection, who: &Acting<'_>, year: i32) -> Result<AnnualReportFollowUp, Refused> {
    who.may(Action::FollowAnnualReports, None)?;
    conn.transaction(|conn| {
        let mut reports = store::list(conn, year)?;
        let forbund = reference::list_forbund(conn, year)?
            .into_iter()
            .filter_map(|f| {
                let members = rules::members_of(&f.municipality_codes, &f.county_codes);
                let report = reports
                    .iter()
                    .position(|r| r.forbund_key == f.forbund_key)
                    .map(|at| reports.swap_remove(at).report);
                (!members.is_empty() || report.is_some()).then_some(ForbundOfYear {
                    forbund_key: f.forbund_key,
                    name: f.name,
                    members,
                    report,
                })
            })
            .collect();
        Ok::<_, Refused>(rules::follow_up(year, forbund))
    })
}

//! Closing, reopening and setting the deadline of a reporting year. Each takes the year's lock
//! exclusively, so it waits for writes in flight and writes that start later see it. Doing
//! again what is already so changes nothing and records nothing: a retried request is
//! harmless; the bool says whether this call changed the year.

use chrono::NaiveDate;
use diesel::{Connection, PgConnection};
use finsam_domain::access::Action;
use finsam_domain::reporting_year::{ReportingYear, YearState};
use finsam_store::registration::reporting_years;

use crate::{Acting, Refused};

/// What a national change of a year does, given the year as it stands: `None` when nothing is
/// to be done, else the audit action and the write.
type Step<'s> = Box<dyn FnOnce(&mut PgConnection, &ReportingYear) -> diesel::QueryResult<()> + 's>;

fn change(
    conn: &mut PgConnection,
    who: &Acting<'_>,
    year: i32,
    reason: Option<&str>,
    plan: impl FnOnce(&ReportingYear) -> Option<(&'static str, Step<'_>)>,
) -> Result<(ReportingYear, bool), Refused> {
    who.may(Action::ManageYears, None)?;
    conn.transaction(|conn| {
        reporting_years::lock_exclusively(conn, year)?;
        let before = reporting_years::get(conn, year)?;
        let Some((action, write)) = plan(&before) else { return Ok((before, false)) };
        write(conn, &before)?;
        let after = reporting_years::get(conn, year)?;
        reporting_years::record(conn, &who.store(), action, &before, &after, reason)?;
        Ok((after, true))
    })
}

/// Locks the year: from now on only admins change its data, until an admin reopens it.
pub fn close(conn: &mut PgConnection, who: &Acting<'_>, year: i32) -> Result<(ReportingYear, bool), Refused> {
    let sub = who.actor.sub.clone();
    change(conn, who, year, None, |before| {
        (before.state != YearState::Closed).then(|| {
            let write: Step<'_> = Box::new(move |conn, before| reporting_years::mark_closed(conn, before, &sub));
            ("close", write)
        })
    })
}

/// Unlocks a closed year; `reason` goes to the audit log.
pub fn reopen(
    conn: &mut PgConnection,
    who: &Acting<'_>,
    year: i32,
    reason: &str,
) -> Result<(ReportingYear, bool), Refused> {
    change(conn, who, year, Some(reason), |before| {
        (before.state == YearState::Closed).then(|| {
            let write: Step<'_> = Box::new(move |conn, _| reporting_years::mark_open(conn, year));
            ("reopen", write)
        })
    })
}

/// Sets the year's deadline.
pub fn set_deadline(
    conn: &mut PgConnection,
    who: &Acting<'_>,
    year: i32,
    deadline: NaiveDate,
) -> Result<(ReportingYear, bool), Refused> {
    change(conn, who, year, None, |before| {
        (before.deadline != deadline).then(|| {
            let write: Step<'_> = Box::new(move |conn, _| reporting_years::write_deadline(conn, year, deadline));
            ("set_deadline", write)
        })
    })
}

//! The analysts' commentary on a year's report, section by section: written and removed by an
//! analyst or admin, each change audited in the transaction that makes it. Any year the API
//! accepts may have one, as with the money settings: the report of a year can be written about
//! before the year is closed.

use diesel::{Connection, PgConnection};
use finsam_domain::access::Action;
use finsam_domain::report_commentary::Commentary;
use finsam_domain::report_section::ReportSection;
use finsam_store::reference_statistics::record_national;
use finsam_store::report_commentary::{self as store, StoredCommentary};

use crate::{Acting, Refused};

/// Every commentary of the year, in the report's order of sections.
pub fn get(conn: &mut PgConnection, who: &Acting<'_>, year: i32) -> Result<Vec<StoredCommentary>, Refused> {
    who.may(Action::ReadReportCommentary, None)?;
    Ok(store::entries(conn, year)?)
}

/// Writes the section's commentary, replacing any before; the bool says whether it had none.
pub fn put(
    conn: &mut PgConnection,
    who: &Acting<'_>,
    commentary: &Commentary,
) -> Result<(StoredCommentary, bool), Refused> {
    who.may(Action::WriteReportCommentary, None)?;
    conn.transaction(|conn| {
        let before = store::get(conn, commentary.year, commentary.section, true)?;
        let after = store::put(conn, commentary, &who.actor.sub)?;
        let action = if before.is_some() { "replace" } else { "create" };
        let id = StoredCommentary::entity_id(commentary.year, commentary.section);
        record_national(conn, &who.store(), store::ENTITY, &id, action, before.as_ref(), Some(&after))?;
        Ok((after, before.is_none()))
    })
}

/// Removes the section's commentary; `NotFound` when it had none (and nothing is audited).
pub fn delete(conn: &mut PgConnection, who: &Acting<'_>, year: i32, section: ReportSection) -> Result<(), Refused> {
    who.may(Action::WriteReportCommentary, None)?;
    conn.transaction(|conn| {
        let Some(before) = store::delete(conn, year, section)? else {
            return Err(Refused::NotFound(format!("no commentary on section {:?} of {year}", section.code())));
        };
        let id = StoredCommentary::entity_id(year, section);
        record_national(conn, &who.store(), store::ENTITY, &id, "delete", Some(&before), None)?;
        Ok(())
    })
}

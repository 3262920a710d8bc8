//! Importing a year's reference statistics: all lines or none.

use diesel::{Connection, PgConnection};
use finsam_domain::access::Action;
use finsam_domain::reference_statistics::{self as rules, Line, MunicipalityFigures};
use finsam_store::reference_statistics as store;

use crate::{Acting, Refused};

/// Replaces the year's statistics with the file's lines, once they name every municipality of
/// the year's membership and only known ones; audited. The bool says whether the year had none.
pub fn import(
    conn: &mut PgConnection,
    who: &Acting<'_>,
    year: i32,
    lines: &[Line],
) -> Result<(Vec<MunicipalityFigures>, bool), Refused> {
    who.may(Action::ManageReferenceStatistics, None)?;
    conn.transaction(|conn| {
        store::lock(conn)?;
        let problems =
            rules::check_against(lines, &store::municipality_codes(conn)?, &store::members_during(conn, year)?);
        if !problems.is_empty() {
            return Err(Refused::Invalid(problems));
        }
        let before = store::list(conn, year)?;
        let mut figures: Vec<MunicipalityFigures> = lines.iter().map(|l| l.figures.clone()).collect();
        figures.sort_by(|a, b| a.municipality_code.cmp(&b.municipality_code));
        store::replace(conn, year, &figures)?;
        let action = if before.is_empty() { "create" } else { "replace" };
        let before = (!before.is_empty()).then_some(&before);
        store::record_national(conn, &who.store(), store::ENTITY, &year.to_string(), action, before, Some(&figures))?;
        Ok((figures, action == "create"))
    })
}

/// The year's statistics (empty when none was imported).
pub fn list(conn: &mut PgConnection, who: &Acting<'_>, year: i32) -> Result<Vec<MunicipalityFigures>, Refused> {
    who.may(Action::ReadReferenceStatistics, None)?;
    Ok(store::list(conn, year)?)
}

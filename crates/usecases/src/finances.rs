//! Putting a förbund's finances for a year.

use diesel::{Connection, PgConnection};
use finsam_domain::access::Action;
use finsam_domain::finances::Finances;
use finsam_domain::records::FinancesRecord;
use finsam_domain::version::Expected;
use finsam_store::registration::{Change, FINANCES_ENTITY, WriteError, finances, record, reporting_years};

use crate::refused::explain;
use crate::{Acting, Refused};

/// Creates or replaces the finances of `forbund` for `year`; replacing needs the version last
/// read. The bool says whether they were created.
pub fn put(
    conn: &mut PgConnection,
    who: &Acting<'_>,
    forbund: &str,
    year: i32,
    new: &Finances,
    expected: Expected,
) -> Result<(FinancesRecord, bool), Refused> {
    who.may(Action::WriteRegistration, Some(forbund))?;
    let done = conn.transaction(|conn| {
        let actor = who.store();
        reporting_years::check_writable(conn, year, actor.role)?;
        let before = finances::find_for_update(conn, forbund, year)?;
        if let Some(existing) = &before {
            WriteError::check_version(expected, existing.version)?;
        }
        let after = finances::upsert(conn, forbund, year, new, before.is_some())?;
        let change = Change {
            forbund_key: forbund,
            entity: FINANCES_ENTITY,
            entity_id: format!("{forbund}/{year}"),
            action: if before.is_some() { "replace" } else { "create" },
            before: before.as_ref(),
            after: Some(&after),
        };
        record(conn, &actor, change)?;
        Ok::<_, Refused>((after, before.is_none()))
    });
    done.map_err(|e| explain(conn, e, forbund, None, expected.source))
}

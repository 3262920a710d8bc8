//! A förbund declaring its year complete.

use diesel::{Connection, PgConnection};
use finsam_domain::access::Action;
use finsam_domain::records::{ForbundYearRecord, ForbundYearStatus};
use finsam_domain::version::VersionSource;
use finsam_store::registration::{Change, FORBUND_YEAR_ENTITY, forbund_years, record, reporting_years};

use crate::refused::explain;
use crate::{Acting, Refused};

/// Submits the förbund's `year`. Submitting again changes nothing (and records nothing), so a
/// retried request is harmless; the bool says whether this call submitted it. A closed year, or
/// one past its deadline for the actor, refuses it like any other write.
pub fn submit(
    conn: &mut PgConnection,
    who: &Acting<'_>,
    forbund: &str,
    year: i32,
) -> Result<(ForbundYearRecord, bool), Refused> {
    who.may(Action::SubmitYear, Some(forbund))?;
    let done = conn.transaction(|conn| {
        let actor = who.store();
        reporting_years::check_writable(conn, year, actor.role)?;
        let before = forbund_years::get(conn, forbund, year)?;
        if before.status == ForbundYearStatus::Submitted {
            return Ok((before, false));
        }
        let after = forbund_years::mark_submitted(conn, forbund, year, actor.sub)?;
        let change = Change {
            forbund_key: forbund,
            entity: FORBUND_YEAR_ENTITY,
            entity_id: format!("{forbund}/{year}"),
            action: "submit",
            before: Some(&before),
            after: Some(&after),
        };
        record(conn, &actor, change)?;
        Ok::<_, Refused>((after, true))
    });
    done.map_err(|e| explain(conn, e, forbund, None, VersionSource::None))
}

//! Putting an insats' figures for one year.

use diesel::{Connection, PgConnection};
use finsam_domain::access::Action;
use finsam_domain::insats_year;
use finsam_domain::records::InsatsYearRecord;
use finsam_domain::version::{Expected, VersionSource};
use finsam_store::registration::{Change, WriteError, YEAR_ENTITY, insats_years, insatser, record, reporting_years};
use serde_json::Value;

use crate::refused::explain;
use crate::{Acting, Refused};

/// Creates or replaces the figures of `year` for insats `id`: `body` is validated against the
/// insats as locked in this transaction, so that its span cannot change between the check and
/// the write. Replacing needs the version last read, as `If-Match` or `version` in the body.
/// The bool says whether the year was created.
pub fn put(
    conn: &mut PgConnection,
    who: &Acting<'_>,
    forbund: &str,
    id: i64,
    year: i32,
    body: &Value,
    if_match: Option<i32>,
) -> Result<(InsatsYearRecord, bool), Refused> {
    who.may(Action::WriteRegistration, Some(forbund))?;
    let mut source = if if_match.is_some() { VersionSource::IfMatch } else { VersionSource::None };
    let done = conn.transaction(|conn| {
        let actor = who.store();
        let insats = insatser::get_for_update(conn, forbund, id)?;
        let (figures, in_body) = insats_year::parse(body, &insats.insats, year).map_err(Refused::Invalid)?;
        let expected = Expected::reconcile(if_match, in_body).map_err(Refused::Malformed)?;
        source = expected.source;
        reporting_years::check_writable(conn, year, actor.role)?;
        let before = insats_years::find(conn, id, year)?;
        if let Some(existing) = &before {
            WriteError::check_version(expected, existing.version)?;
        }
        let after = insats_years::upsert(conn, &insats, year, &figures, before.as_ref())?;
        let change = Change {
            forbund_key: forbund,
            entity: YEAR_ENTITY,
            entity_id: format!("{id}/{year}"),
            action: if before.is_some() { "replace" } else { "create" },
            before: before.as_ref(),
            after: Some(&after),
        };
        record(conn, &actor, change)?;
        Ok::<_, Refused>((after, before.is_none()))
    });
    done.map_err(|e| explain(conn, e, forbund, Some(format!("no insats {id} in {forbund}")), source))
}

//! Registering, replacing and deleting an insats.

use diesel::{Connection, PgConnection};
use finsam_domain::access::Action;
use finsam_domain::changes;
use finsam_domain::insats::Insats;
use finsam_domain::records::InsatsRecord;
use finsam_domain::version::Expected;
use finsam_store::registration::{Change, INSATS_ENTITY, WriteError, insatser, one_statement, record};

use crate::refused::explain;
use crate::{Acting, Refused};

fn change<'a>(
    forbund: &'a str,
    id: i64,
    action: &'a str,
    before: Option<&'a InsatsRecord>,
    after: Option<&'a InsatsRecord>,
) -> Change<'a, InsatsRecord> {
    Change { forbund_key: forbund, entity: INSATS_ENTITY, entity_id: id.to_string(), action, before, after }
}

fn missing(id: i64, forbund: &str) -> Option<String> {
    Some(format!("no insats {id} in {forbund}"))
}

/// A new insats of `forbund`, with its audit event, in one statement (its own transaction: see
/// `one_statement`); an unknown förbund is found by its foreign key, not asked first.
pub fn create(
    conn: &mut PgConnection,
    who: &Acting<'_>,
    forbund: &str,
    insats: &Insats,
) -> Result<InsatsRecord, Refused> {
    who.may(Action::WriteRegistration, Some(forbund))?;
    one_statement::insert_recorded(conn, forbund, insats, &who.store())
        .map_err(|e| explain(conn, e.into(), forbund, None, Expected::NONE.source))
}

/// Replaces an insats the writer read at `expected`. Its kind, orientation and target groups
/// may change only while every year it has figures for is open to the writer, and its span
/// must keep those years.
pub fn replace(
    conn: &mut PgConnection,
    who: &Acting<'_>,
    forbund: &str,
    id: i64,
    insats: &Insats,
    expected: Expected,
) -> Result<InsatsRecord, Refused> {
    who.may(Action::WriteRegistration, Some(forbund))?;
    let done = conn.transaction(|conn| {
        let actor = who.store();
        let before = insatser::get_for_update(conn, forbund, id)?;
        WriteError::check_version(expected, before.version)?;
        insatser::check_years_allow(conn, &before, Some(insats), &actor)?;
        changes::years_still_fit(&before, insats).map_err(WriteError::from)?;
        let after = insatser::update(conn, &before, insats)?;
        record(conn, &actor, change(forbund, id, "replace", Some(&before), Some(&after)))?;
        Ok::<_, Refused>(after)
    });
    done.map_err(|e| explain(conn, e, forbund, missing(id, forbund), expected.source))
}

/// Deletes an insats the writer read at `expected`: it leaves lists and tables and stays in the
/// history. Only while every year it has figures for is open to the writer.
pub fn delete(
    conn: &mut PgConnection,
    who: &Acting<'_>,
    forbund: &str,
    id: i64,
    expected: Expected,
) -> Result<(), Refused> {
    who.may(Action::WriteRegistration, Some(forbund))?;
    let done = conn.transaction(|conn| {
        let actor = who.store();
        let before = insatser::get_for_update(conn, forbund, id)?;
        WriteError::check_version(expected, before.version)?;
        insatser::check_years_allow(conn, &before, None, &actor)?;
        insatser::mark_deleted(conn, id)?;
        record(conn, &actor, change(forbund, id, "delete", Some(&before), None))?;
        Ok::<_, Refused>(())
    });
    done.map_err(|e| explain(conn, e, forbund, missing(id, forbund), expected.source))
}

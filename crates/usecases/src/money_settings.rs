//! A year's money settings (the equity recommendation, the administration limit, the national
//! support spent): set by an admin, replacing what was set before, audited.

use diesel::{Connection, PgConnection};
use finsam_domain::access::Action;
use finsam_domain::money_settings::MoneySettings;
use finsam_store::money_settings::{self as store, StoredSettings};
use finsam_store::reference_statistics::record_national;

use crate::{Acting, Refused};

/// Replaces the settings of the year; the bool says whether the year had none.
pub fn put(
    conn: &mut PgConnection,
    who: &Acting<'_>,
    settings: &MoneySettings,
) -> Result<(StoredSettings, bool), Refused> {
    who.may(Action::SetMoneySettings, None)?;
    conn.transaction(|conn| {
        let before = store::get(conn, settings.year, true)?;
        let after = store::put(conn, settings)?;
        let action = if before.is_some() { "replace" } else { "create" };
        record_national(
            conn,
            &who.store(),
            store::ENTITY,
            &settings.year.to_string(),
            action,
            before.as_ref(),
            Some(&after),
        )?;
        Ok((after, before.is_none()))
    })
}

/// The settings of the year; a year with none set reads as every setting `null`, version 0.
pub fn get(conn: &mut PgConnection, who: &Acting<'_>, year: i32) -> Result<Option<StoredSettings>, Refused> {
    who.may(Action::ReadMoneySettings, None)?;
    Ok(store::get(conn, year, false)?)
}

//! Membership periods with their shares (`finsam_domain::membership`): SQL only; the rule that a
//! municipality's shares never exceed 1 is the domain's, checked by the use case under
//! [`lock_municipality`].

use chrono::NaiveDate;
use diesel::prelude::*;
use finsam_domain::membership::Membership;
use rust_decimal::Decimal;

use crate::schema::{memberships, municipalities};

pub const ENTITY: &str = "membership";

type Row = (String, String, NaiveDate, Option<NaiveDate>, Decimal);

fn columns() -> (
    memberships::forbund_key,
    memberships::municipality_code,
    memberships::valid_from,
    memberships::valid_to,
    memberships::share,
) {
    (
        memberships::forbund_key,
        memberships::municipality_code,
        memberships::valid_from,
        memberships::valid_to,
        memberships::share,
    )
}

fn read((forbund_key, municipality_code, valid_from, valid_to, share): Row) -> Membership {
    Membership { forbund_key, municipality_code, valid_from, valid_to, share }
}

/// Locks the municipality's row until the transaction ends, so that two writers of its
/// memberships take turns; `false` when there is no such municipality.
pub fn lock_municipality(conn: &mut PgConnection, code: &str) -> QueryResult<bool> {
    municipalities::table
        .find(code)
        .select(municipalities::code)
        .for_update()
        .first::<String>(conn)
        .optional()
        .map(|c| c.is_some())
}

/// Every membership of the municipality, in every förbund.
pub fn of_municipality(conn: &mut PgConnection, code: &str) -> QueryResult<Vec<Membership>> {
    let rows: Vec<Row> = memberships::table
        .filter(memberships::municipality_code.eq(code))
        .order((memberships::valid_from, memberships::forbund_key))
        .select(columns())
        .load(conn)?;
    Ok(rows.into_iter().map(read).collect())
}

/// Every membership of the förbund, oldest first.
pub fn of_forbund(conn: &mut PgConnection, key: &str) -> QueryResult<Vec<Membership>> {
    let rows: Vec<Row> = memberships::table
        .filter(memberships::forbund_key.eq(key))
        .order((memberships::municipality_code, memberships::valid_from))
        .select(columns())
        .load(conn)?;
    Ok(rows.into_iter().map(read).collect())
}

pub fn insert(conn: &mut PgConnection, m: &Membership) -> QueryResult<Membership> {
    diesel::insert_into(memberships::table)
        .values((
            memberships::forbund_key.eq(&m.forbund_key),
            memberships::municipality_code.eq(&m.municipality_code),
            memberships::valid_from.eq(m.valid_from),
            memberships::valid_to.eq(m.valid_to),
            memberships::share.eq(m.share),
        ))
        .returning(columns())
        .get_result(conn)
        .map(read)
}

/// Changes the end and share of the membership `m` names (by förbund, municipality and start).
pub fn update(conn: &mut PgConnection, m: &Membership) -> QueryResult<Membership> {
    diesel::update(memberships::table.find((&m.forbund_key, &m.municipality_code, m.valid_from)))
        .set((memberships::valid_to.eq(m.valid_to), memberships::share.eq(m.share)))
        .returning(columns())
        .get_result(conn)
        .map(read)
}

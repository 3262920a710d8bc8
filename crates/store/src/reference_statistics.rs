//! The reference statistics per municipality and year (the allocation model's keys), and the
//! membership they are checked against. An import replaces a year's statistics as a whole.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use finsam_domain::reference_statistics::MunicipalityFigures;
use rust_decimal::Decimal;

use finsam_domain::codes::Code;

use crate::audit::{self, NewAuditEvent};
use crate::registration::Actor;
use crate::schema::{memberships, municipalities, reference_statistics};

pub const ENTITY: &str = "reference_statistics";

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = reference_statistics)]
struct Row {
    municipality_code: String,
    inhabitants_16_64: i64,
    forsorjningsmatt_tkr: Decimal,
    source: String,
    age_band: String,
    extract_date: chrono::NaiveDate,
    #[allow(dead_code)]
    imported_at: DateTime<Utc>,
}

impl From<Row> for MunicipalityFigures {
    fn from(r: Row) -> Self {
        MunicipalityFigures {
            municipality_code: r.municipality_code,
            inhabitants_16_64: r.inhabitants_16_64,
            forsorjningsmatt_tkr: r.forsorjningsmatt_tkr,
            source: r.source,
            age_band: r.age_band,
            extract_date: r.extract_date,
        }
    }
}

/// A year's statistics, by municipality code.
pub fn list(conn: &mut PgConnection, year: i32) -> QueryResult<Vec<MunicipalityFigures>> {
    let rows = reference_statistics::table
        .filter(reference_statistics::year.eq(year))
        .order(reference_statistics::municipality_code)
        .select(Row::as_select())
        .load(conn)?;
    Ok(rows.into_iter().map(Into::into).collect())
}

/// Every municipality code there is.
pub fn municipality_codes(conn: &mut PgConnection) -> QueryResult<Vec<String>> {
    municipalities::table.select(municipalities::code).order(municipalities::code).load(conn)
}

/// The municipalities that are a member of some förbund during the calendar year.
pub fn members_during(conn: &mut PgConnection, year: i32) -> QueryResult<Vec<String>> {
    let (first, next) = bounds(year);
    memberships::table
        .filter(memberships::valid_from.lt(next))
        .filter(memberships::valid_to.is_null().or(memberships::valid_to.gt(first)))
        .select(memberships::municipality_code)
        .distinct()
        .order(memberships::municipality_code)
        .load(conn)
}

/// The memberships during the year: (förbund, municipality, share), by förbund and municipality.
/// A municipality that changed förbund within the year counts for each it belonged to.
pub fn memberships_during(conn: &mut PgConnection, year: i32) -> QueryResult<Vec<(String, String, Decimal)>> {
    let (first, next) = bounds(year);
    memberships::table
        .filter(memberships::valid_from.lt(next))
        .filter(memberships::valid_to.is_null().or(memberships::valid_to.gt(first)))
        .select((memberships::forbund_key, memberships::municipality_code, memberships::share))
        .distinct()
        .order((memberships::forbund_key, memberships::municipality_code))
        .load(conn)
}

fn bounds(year: i32) -> (chrono::NaiveDate, chrono::NaiveDate) {
    let first = chrono::NaiveDate::from_ymd_opt(year, 1, 1).expect("a checked year");
    let next = chrono::NaiveDate::from_ymd_opt(year + 1, 1, 1).expect("a checked year");
    (first, next)
}

/// Takes the statistics' lock until the transaction ends, so that two imports do not interleave.
pub fn lock(conn: &mut PgConnection) -> QueryResult<()> {
    diesel::sql_query("LOCK TABLE reference_statistics IN SHARE ROW EXCLUSIVE MODE").execute(conn).map(|_| ())
}

/// Replaces the year's statistics with `figures`; call it in a transaction after [`lock`].
pub fn replace(conn: &mut PgConnection, year: i32, figures: &[MunicipalityFigures]) -> QueryResult<()> {
    diesel::delete(reference_statistics::table.filter(reference_statistics::year.eq(year))).execute(conn)?;
    let rows: Vec<_> = figures
        .iter()
        .map(|f| {
            (
                reference_statistics::year.eq(year),
                reference_statistics::municipality_code.eq(&f.municipality_code),
                reference_statistics::inhabitants_16_64.eq(f.inhabitants_16_64),
                reference_statistics::forsorjningsmatt_tkr.eq(f.forsorjningsmatt_tkr),
                reference_statistics::source.eq(&f.source),
                reference_statistics::age_band.eq(&f.age_band),
                reference_statistics::extract_date.eq(f.extract_date),
            )
        })
        .collect();
    diesel::insert_into(reference_statistics::table).values(&rows).execute(conn)?;
    Ok(())
}

/// Records a national change (no förbund) in the audit log.
pub fn record_national<T: serde::Serialize>(
    conn: &mut PgConnection,
    actor: &Actor<'_>,
    entity: &str,
    entity_id: &str,
    action: &str,
    before: Option<&T>,
    after: Option<&T>,
) -> QueryResult<()> {
    let json = |value: Option<&T>| value.map(|v| serde_json::to_value(v).expect("records serialise"));
    audit::record(
        conn,
        &NewAuditEvent {
            actor: actor.sub,
            actor_role: actor.role.code(),
            forbund_key: None,
            entity,
            entity_id,
            action,
            before: json(before),
            after: json(after),
            reason: None,
            request_id: actor.request_id,
        },
    )
    .map(|_| ())
}

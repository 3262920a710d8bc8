//! Releases of open statistics: a year's protected tables frozen as published, numbered per
//! year. The database refuses to change or delete them (see the open_releases migration).

use chrono::{DateTime, Utc};
use diesel::dsl::max;
use diesel::prelude::*;
use serde::Serialize;

use crate::schema::{audit_events, open_release_tables, open_releases};

/// A release as listed: what it is, when it was made, and from what data.
#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[diesel(table_name = open_releases)]
pub struct Release {
    #[serde(skip)]
    pub id: i64,
    pub year: i32,
    /// 1 for the first release of the year, then 2, 3, …
    pub release: i32,
    pub published_at: DateTime<Utc>,
    /// The data it was made from: the highest audit event id it includes (each registered change is one) …
    pub data_version: i64,
    /// … and when the last change it includes was made (`null`: no change was ever registered).
    pub data_as_of: Option<DateTime<Utc>>,
    /// Person counts from 1 to this were suppressed.
    pub threshold: i64,
    /// Why the release was made (a revision note).
    pub note: String,
}

/// One table at one level of a release, as stored: JSON the caller serialised.
pub struct StoredTable {
    pub table_id: String,
    /// The selection's place in the release: the nation first, then the counties, then the förbund.
    pub position: i32,
    /// `national`, `county` or `forbund`.
    pub level: &'static str,
    pub code: Option<String>,
    pub published: serde_json::Value,
    pub exact: serde_json::Value,
}

/// What a new release is made of, apart from its tables.
pub struct NewRelease<'a> {
    pub year: i32,
    pub published_by: &'a str,
    pub data_version: i64,
    pub threshold: i64,
    pub note: &'a str,
}

/// When the last change visible to this transaction was made.
pub fn last_change(conn: &mut PgConnection) -> QueryResult<Option<DateTime<Utc>>> {
    audit_events::table.select(max(audit_events::occurred_at)).first(conn)
}

/// Stores the next release of the year, numbered after the ones before. The caller holds the
/// year's exclusive lock, so no other release of the year is being made at the same time.
pub fn insert(conn: &mut PgConnection, new: &NewRelease<'_>, tables: &[StoredTable]) -> QueryResult<Release> {
    let last: Option<i32> = open_releases::table
        .filter(open_releases::year.eq(new.year))
        .select(max(open_releases::release))
        .first(conn)?;
    let data_as_of = last_change(conn)?;
    let release: Release = diesel::insert_into(open_releases::table)
        .values((
            open_releases::year.eq(new.year),
            open_releases::release.eq(last.unwrap_or(0) + 1),
            open_releases::published_by.eq(new.published_by),
            open_releases::data_version.eq(new.data_version),
            open_releases::data_as_of.eq(data_as_of),
            open_releases::threshold.eq(new.threshold),
            open_releases::note.eq(new.note),
        ))
        .returning(Release::as_returning())
        .get_result(conn)?;
    // PostgreSQL takes at most 65 535 bind parameters per statement; seven a row.
    for chunk in tables.chunks(1000) {
        let rows: Vec<_> = chunk
            .iter()
            .map(|t| {
                (
                    open_release_tables::release_id.eq(release.id),
                    open_release_tables::table_id.eq(&t.table_id),
                    open_release_tables::position.eq(t.position),
                    open_release_tables::level.eq(t.level),
                    open_release_tables::code.eq(t.code.as_deref()),
                    open_release_tables::published.eq(&t.published),
                    open_release_tables::exact.eq(&t.exact),
                )
            })
            .collect();
        diesel::insert_into(open_release_tables::table).values(rows).execute(conn)?;
    }
    Ok(release)
}

/// Every release, by year and number.
pub fn list(conn: &mut PgConnection) -> QueryResult<Vec<Release>> {
    open_releases::table
        .order((open_releases::year.asc(), open_releases::release.asc()))
        .select(Release::as_select())
        .load(conn)
}

/// The releases of one year, oldest first.
pub fn of_year(conn: &mut PgConnection, year: i32) -> QueryResult<Vec<Release>> {
    open_releases::table
        .filter(open_releases::year.eq(year))
        .order(open_releases::release.asc())
        .select(Release::as_select())
        .load(conn)
}

/// The tables of one release, ordered by table id and position.
pub fn tables(conn: &mut PgConnection, release_id: i64) -> QueryResult<Vec<StoredTableRow>> {
    open_release_tables::table
        .filter(open_release_tables::release_id.eq(release_id))
        .order((open_release_tables::table_id.asc(), open_release_tables::position.asc()))
        .select(StoredTableRow::as_select())
        .load(conn)
}

/// A stored table as read back.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = open_release_tables)]
pub struct StoredTableRow {
    pub table_id: String,
    pub position: i32,
    pub level: String,
    pub code: Option<String>,
    pub published: serde_json::Value,
    pub exact: serde_json::Value,
}

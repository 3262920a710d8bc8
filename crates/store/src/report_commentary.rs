//! The analysts' commentary per report section and year (`finsam_domain::report_commentary`).

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use finsam_domain::report_commentary::Commentary;
use finsam_domain::report_section::ReportSection;
use serde::Serialize;

use crate::schema::report_commentary;

pub const ENTITY: &str = "report_commentary";

/// The commentary as stored and audited.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StoredCommentary {
    #[serde(flatten)]
    pub commentary: Commentary,
    pub updated_at: DateTime<Utc>,
    pub updated_by: String,
}

impl StoredCommentary {
    /// The audit log's id of the commentary: `2024/summary`.
    pub fn entity_id(year: i32, section: ReportSection) -> String {
        format!("{year}/{}", section.code())
    }
}

type Row = (i32, String, String, DateTime<Utc>, String);

fn columns() -> (
    report_commentary::year,
    report_commentary::section,
    report_commentary::text,
    report_commentary::updated_at,
    report_commentary::updated_by,
) {
    (
        report_commentary::year,
        report_commentary::section,
        report_commentary::text,
        report_commentary::updated_at,
        report_commentary::updated_by,
    )
}

/// A code the domain no longer knows is an error, not a section silently left out.
fn read((year, code, text, updated_at, updated_by): Row) -> QueryResult<StoredCommentary> {
    let section = ReportSection::from_code(&code).ok_or_else(|| {
        diesel::result::Error::DeserializationError(format!("unknown report section {code:?}").into())
    })?;
    Ok(StoredCommentary { commentary: Commentary { year, section, text }, updated_at, updated_by })
}

/// Every commentary of the year, in the report's order of sections.
pub fn entries(conn: &mut PgConnection, year: i32) -> QueryResult<Vec<StoredCommentary>> {
    let rows: Vec<Row> =
        report_commentary::table.filter(report_commentary::year.eq(year)).select(columns()).load(conn)?;
    let mut entries = rows.into_iter().map(read).collect::<QueryResult<Vec<_>>>()?;
    // The enum's order is the report's; the codes' alphabetical order is not.
    entries.sort_by_key(|e| e.commentary.section);
    Ok(entries)
}

/// The sections of the year that have a commentary, with its text, in the report's order: what
/// the report generator prints.
pub fn for_year(conn: &mut PgConnection, year: i32) -> QueryResult<Vec<(ReportSection, String)>> {
    Ok(entries(conn, year)?.into_iter().map(|e| (e.commentary.section, e.commentary.text)).collect())
}

/// One section's commentary; `for_update` locks it until the transaction ends.
pub fn get(
    conn: &mut PgConnection,
    year: i32,
    section: ReportSection,
    for_update: bool,
) -> QueryResult<Option<StoredCommentary>> {
    let query = report_commentary::table.find((year, section.code())).select(columns());
    let row: Option<Row> =
        if for_update { query.for_update().first(conn).optional()? } else { query.first(conn).optional()? };
    row.map(read).transpose()
}

/// Writes the section's commentary, replacing any before; `by` is the actor's `sub`.
pub fn put(conn: &mut PgConnection, commentary: &Commentary, by: &str) -> QueryResult<StoredCommentary> {
    let values = (report_commentary::text.eq(&commentary.text), report_commentary::updated_by.eq(by));
    let row: Row = diesel::insert_into(report_commentary::table)
        .values((
            report_commentary::year.eq(commentary.year),
            report_commentary::section.eq(commentary.section.code()),
            values,
        ))
        .on_conflict((report_commentary::year, report_commentary::section))
        .do_update()
        .set((values, report_commentary::updated_at.eq(diesel::dsl::now)))
        .returning(columns())
        .get_result(conn)?;
    read(row)
}

/// Removes the section's commentary; what was removed, if there was one.
pub fn delete(conn: &mut PgConnection, year: i32, section: ReportSection) -> QueryResult<Option<StoredCommentary>> {
    let row: Option<Row> = diesel::delete(report_commentary::table.find((year, section.code())))
        .returning(columns())
        .get_result(conn)
        .optional()?;
    row.map(read).transpose()
}

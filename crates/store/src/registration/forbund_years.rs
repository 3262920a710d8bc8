use chrono::{DateTime, Utc};
use diesel::prelude::*;
use finsam_domain::records::{ForbundYearRecord, ForbundYearStatus};

use super::{WriteError, is_foreign_key_violation};
use crate::schema::forbund_years;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = forbund_years)]
struct Row {
    forbund_key: String,
    year: i32,
    status: String,
    submitted_at: Option<DateTime<Utc>>,
    submitted_by: Option<String>,
}

impl From<Row> for ForbundYearRecord {
    fn from(r: Row) -> Self {
        ForbundYearRecord {
            forbund_key: r.forbund_key,
            year: r.year,
            status: if r.status == "submitted" { ForbundYearStatus::Submitted } else { ForbundYearStatus::Open },
            submitted_at: r.submitted_at,
            submitted_by: r.submitted_by,
        }
    }
}

pub fn get(conn: &mut PgConnection, forbund: &str, year: i32) -> QueryResult<ForbundYearRecord> {
    let found = forbund_years::table.find((forbund, year)).select(Row::as_select()).first(conn).optional()?;
    Ok(found.map(Into::into).unwrap_or(ForbundYearRecord {
        forbund_key: forbund.to_owned(),
        year,
        status: ForbundYearStatus::Open,
        submitted_at: None,
        submitted_by: None,
    }))
}

/// Marks the förbund's year submitted by `sub`. An unknown förbund is [`WriteError::NotFound`],
/// by its foreign key.
pub fn mark_submitted(
    conn: &mut PgConnection,
    forbund: &str,
    year: i32,
    sub: &str,
) -> Result<ForbundYearRecord, WriteError> {
    let values = (
        forbund_years::forbund_key.eq(forbund),
        forbund_years::year.eq(year),
        forbund_years::status.eq("submitted"),
        forbund_years::submitted_at.eq(diesel::dsl::now),
        forbund_years::submitted_by.eq(sub),
        forbund_years::updated_at.eq(diesel::dsl::now),
    );
    let row = diesel::insert_into(forbund_years::table)
        .values(values)
        .on_conflict((forbund_years::forbund_key, forbund_years::year))
        .do_update()
        .set((
            forbund_years::status.eq("submitted"),
            forbund_years::submitted_at.eq(diesel::dsl::now),
            forbund_years::submitted_by.eq(sub),
            forbund_years::updated_at.eq(diesel::dsl::now),
        ))
        .returning(Row::as_returning())
        .get_result(conn)
        .map_err(|e| match is_foreign_key_violation(&e, "forbund_years_forbund_key_fkey") {
            true => WriteError::NotFound("förbund"),
            false => e.into(),
        })?;
    Ok(row.into())
}

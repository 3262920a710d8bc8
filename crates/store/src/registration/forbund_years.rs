use chrono::{DateTime, Utc};
use diesel::prelude::*;
use finsam_domain::records::{ForbundYearRecord, ForbundYearStatus};

use super::{Actor, Change, WriteError, record, reporting_years};
use crate::schema::forbund_years;

const ENTITY: &str = "forbund_year";

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

/// The förbund declares its year complete. Submitting again changes nothing (and records
/// nothing), so a retried request is harmless; the bool says whether this call submitted it.
/// A closed year, or one past its deadline for the actor, refuses it like any other write.
pub fn submit(
    conn: &mut PgConnection,
    forbund: &str,
    year: i32,
    actor: &Actor<'_>,
) -> Result<(ForbundYearRecord, bool), WriteError> {
    conn.transaction(|conn| {
        reporting_years::check_writable(conn, year, actor.role)?;
        let before = get(conn, forbund, year)?;
        if before.status == ForbundYearStatus::Submitted {
            return Ok((before, false));
        }
        let values = (
            forbund_years::forbund_key.eq(forbund),
            forbund_years::year.eq(year),
            forbund_years::status.eq("submitted"),
            forbund_years::submitted_at.eq(diesel::dsl::now),
            forbund_years::submitted_by.eq(actor.sub),
            forbund_years::updated_at.eq(diesel::dsl::now),
        );
        diesel::insert_into(forbund_years::table)
            .values(values)
            .on_conflict((forbund_years::forbund_key, forbund_years::year))
            .do_update()
            .set((
                forbund_years::status.eq("submitted"),
                forbund_years::submitted_at.eq(diesel::dsl::now),
                forbund_years::submitted_by.eq(actor.sub),
                forbund_years::updated_at.eq(diesel::dsl::now),
            ))
            .execute(conn)?;
        let after = get(conn, forbund, year)?;
        let change = Change {
            forbund_key: forbund,
            entity: ENTITY,
            entity_id: format!("{forbund}/{year}"),
            action: "submit",
            before: Some(&before),
            after: Some(&after),
        };
        record(conn, actor, change)?;
        Ok((after, true))
    })
}

//! Reporting years: their state and deadline, and the guard every write to a year's data goes
//! through. A year without a row is open, with the default deadline.
//!
//! Races between a close and a write are settled by a transaction-level advisory lock per year
//! (a row lock is not enough: a year may have no row yet). Writers take it shared, so they never
//! wait for each other; close, reopen and deadline changes take it exclusively, so they wait
//! for writes in flight to commit, and a write that starts after them waits and then sees them.

use chrono::{DateTime, NaiveDate, Utc};
use diesel::connection::{AnsiTransactionManager, TransactionManager};
use diesel::dsl::sql;
use diesel::prelude::*;
use diesel::sql_types::{Date, Integer};
use finsam_domain::Role;
use finsam_domain::codes::Code;
use finsam_domain::reporting_year::{self, ReportingYear, YearBlock, YearState};

use super::{Actor, WriteError};
use crate::audit::{self, NewAuditEvent};
use crate::schema::reporting_years;

const ENTITY: &str = super::REPORTING_YEAR_ENTITY;

/// The first key of the advisory locks on reporting years; the second is the year. An arbitrary
/// constant ("FYRY" in ASCII). The service's other advisory locks (migrations, test templates)
/// take one bigint key, which PostgreSQL keeps apart from two-key locks.
pub const LOCK_SPACE: i32 = 0x4659_5259;

/// The time zone of deadlines: a Swedish deadline ends at midnight in Sweden.
pub const DEADLINE_TIME_ZONE: &str = "Europe/Stockholm";

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = reporting_years)]
struct Row {
    deadline: NaiveDate,
    closed_at: Option<DateTime<Utc>>,
    closed_by: Option<String>,
}

/// Today in Sweden, by the database's clock at the start of the transaction (so one
/// transaction sees one date, and every server agrees).
pub fn today(conn: &mut PgConnection) -> QueryResult<NaiveDate> {
    diesel::select(sql::<Date>(&format!("(now() AT TIME ZONE '{DEADLINE_TIME_ZONE}')::date"))).get_result(conn)
}

/// The year as it stands, the default when no row exists.
pub fn get(conn: &mut PgConnection, year: i32) -> QueryResult<ReportingYear> {
    let row = reporting_years::table.find(year).select(Row::as_select()).first(conn).optional()?;
    let today = today(conn)?;
    let (deadline, closed_at, closed_by) = match row {
        Some(row) => (row.deadline, row.closed_at, row.closed_by),
        None => (reporting_year::default_deadline(year), None, None),
    };
    Ok(ReportingYear {
        year,
        state: if closed_at.is_some() { YearState::Closed } else { YearState::Open },
        deadline,
        deadline_passed: today > deadline,
        closed_at,
        closed_by,
    })
}

fn in_transaction(conn: &mut PgConnection) -> bool {
    matches!(AnsiTransactionManager::transaction_manager_status_mut(conn).transaction_depth(), Ok(Some(_)))
}

fn lock(conn: &mut PgConnection, year: i32, function: &str) -> QueryResult<()> {
    debug_assert!(in_transaction(conn), "a reporting-year lock outside a transaction would be released at once");
    diesel::sql_query(format!("SELECT {function}($1, $2)"))
        .bind::<Integer, _>(LOCK_SPACE)
        .bind::<Integer, _>(year)
        .execute(conn)?;
    Ok(())
}

/// Runs `work` with the year's lock held exclusively for the whole session, not one transaction:
/// for work that must open its own transaction after the lock is granted (a REPEATABLE READ
/// snapshot is taken at its first statement, and must not predate writes the lock waited for).
/// The lock is released when `work` returns or panics; a lost connection releases it anyway.
pub fn exclusively<T, E: From<diesel::result::Error>>(
    conn: &mut PgConnection,
    year: i32,
    work: impl FnOnce(&mut PgConnection) -> Result<T, E>,
) -> Result<T, E> {
    let session_lock = |conn: &mut PgConnection, function: &str| {
        diesel::sql_query(format!("SELECT {function}($1, $2)"))
            .bind::<Integer, _>(LOCK_SPACE)
            .bind::<Integer, _>(year)
            .execute(conn)
    };
    session_lock(conn, "pg_advisory_lock")?;
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| work(conn)));
    let unlocked = session_lock(conn, "pg_advisory_unlock");
    match result {
        Ok(result) => {
            let value = result?;
            unlocked?;
            Ok(value)
        }
        Err(panic) => std::panic::resume_unwind(panic),
    }
}

/// Why `role` may not change the data of `year` now, or `None` when it may.
///
/// Call it inside the transaction of the write, before writing: the year's shared lock is held
/// until that transaction ends. The year is read by a statement after the lock is granted, so
/// under READ COMMITTED (diesel's default) it sees any close committed before.
pub fn write_block(conn: &mut PgConnection, year: i32, role: Role) -> QueryResult<Option<YearBlock>> {
    lock(conn, year, "pg_advisory_xact_lock_shared")?;
    Ok(reporting_year::write_block(&get(conn, year)?, role))
}

/// Refuses a write to the data of `year` by `role` when the year is closed (everyone) or past
/// its deadline (all but admins): 409 `year_closed` / `deadline_passed`, naming the year. Every
/// write to a year's data calls it inside its transaction; see [`write_block`].
pub fn check_writable(conn: &mut PgConnection, year: i32, role: Role) -> Result<(), WriteError> {
    match write_block(conn, year, role)? {
        Some(block) => Err(conflict(block, "year", block.message())),
        None => Ok(()),
    }
}

/// A refused write as the conflict clients see.
pub fn conflict(block: YearBlock, field: &'static str, detail: String) -> WriteError {
    WriteError::Conflict { code: block.code(), field, detail }
}

/// Takes the year's lock exclusively until the transaction ends: closing, reopening and
/// deadline changes wait for writes in flight, and writes that start later wait for them.
pub fn lock_exclusively(conn: &mut PgConnection, year: i32) -> QueryResult<()> {
    lock(conn, year, "pg_advisory_xact_lock")
}

/// Marks the year closed by `sub` (call it holding [`lock_exclusively`]).
pub fn mark_closed(conn: &mut PgConnection, year: &ReportingYear, sub: &str) -> QueryResult<()> {
    diesel::insert_into(reporting_years::table)
        .values((
            reporting_years::year.eq(year.year),
            reporting_years::deadline.eq(year.deadline),
            reporting_years::closed_at.eq(diesel::dsl::now),
            reporting_years::closed_by.eq(sub),
        ))
        .on_conflict(reporting_years::year)
        .do_update()
        .set((reporting_years::closed_at.eq(diesel::dsl::now), reporting_years::closed_by.eq(sub)))
        .execute(conn)?;
    Ok(())
}

/// Marks a closed year open again (call it holding [`lock_exclusively`]).
pub fn mark_open(conn: &mut PgConnection, year: i32) -> QueryResult<()> {
    diesel::update(reporting_years::table.find(year))
        .set((reporting_years::closed_at.eq(None::<DateTime<Utc>>), reporting_years::closed_by.eq(None::<String>)))
        .execute(conn)?;
    Ok(())
}

/// Sets the year's deadline (call it holding [`lock_exclusively`]).
pub fn write_deadline(conn: &mut PgConnection, year: i32, deadline: NaiveDate) -> QueryResult<()> {
    diesel::insert_into(reporting_years::table)
        .values((reporting_years::year.eq(year), reporting_years::deadline.eq(deadline)))
        .on_conflict(reporting_years::year)
        .do_update()
        .set(reporting_years::deadline.eq(deadline))
        .execute(conn)?;
    Ok(())
}

/// A national event: no förbund. A reopen's reason is in `after` as well as in `reason`, so
/// that the state and why it came about read together.
pub fn record(
    conn: &mut PgConnection,
    actor: &Actor<'_>,
    action: &str,
    before: &ReportingYear,
    after: &ReportingYear,
    reason: Option<&str>,
) -> QueryResult<()> {
    let json = |year: &ReportingYear| serde_json::to_value(year).expect("records serialise");
    let mut after_json = json(after);
    if let Some(reason) = reason {
        after_json["reason"] = reason.into();
    }
    audit::record(
        conn,
        &NewAuditEvent {
            actor: actor.sub,
            actor_role: actor.role.code(),
            forbund_key: None,
            entity: ENTITY,
            entity_id: &after.year.to_string(),
            action,
            before: Some(json(before)),
            after: Some(after_json),
            reason,
            request_id: actor.request_id,
        },
    )?;
    Ok(())
}

//! The decided allocation of a year: its parameters and each förbund's total.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use finsam_domain::allocation::{Allocation, AllocationParameters};
use rust_decimal::Decimal;
use serde::Serialize;

use crate::schema::{allocation_decisions, allocation_results};

pub const ENTITY: &str = "allocation";

/// A decision as stored and audited.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Decision {
    pub year: i32,
    pub parameters: AllocationParameters,
    /// Each förbund's total, whole kronor, by förbund key.
    pub totals: Vec<(String, Decimal)>,
    pub version: i32,
    pub decided_at: DateTime<Utc>,
}

/// The decided allocation of `year`, if any; `for_update` locks it until the transaction ends.
pub fn get(conn: &mut PgConnection, year: i32, for_update: bool) -> QueryResult<Option<Decision>> {
    let query = allocation_decisions::table.find(year).select((
        allocation_decisions::parameters,
        allocation_decisions::version,
        allocation_decisions::decided_at,
    ));
    let row: Option<(serde_json::Value, i32, DateTime<Utc>)> =
        if for_update { query.for_update().first(conn).optional()? } else { query.first(conn).optional()? };
    let Some((parameters, version, decided_at)) = row else { return Ok(None) };
    let parameters: AllocationParameters =
        serde_json::from_value(parameters).map_err(|e| diesel::result::Error::DeserializationError(Box::new(e)))?;
    let totals = allocation_results::table
        .filter(allocation_results::year.eq(year))
        .order(allocation_results::forbund_key)
        .select((allocation_results::forbund_key, allocation_results::total))
        .load(conn)?;
    Ok(Some(Decision { year, parameters, totals, version, decided_at }))
}

/// Stores the decision: the parameters and the allocation they gave, replacing any before.
pub fn put(
    conn: &mut PgConnection,
    year: i32,
    allocation: &Allocation,
    parameters: &AllocationParameters,
) -> QueryResult<()> {
    let json = serde_json::to_value(parameters).expect("parameters serialise");
    diesel::insert_into(allocation_decisions::table)
        .values((allocation_decisions::year.eq(year), allocation_decisions::parameters.eq(&json)))
        .on_conflict(allocation_decisions::year)
        .do_update()
        .set((
            allocation_decisions::parameters.eq(&json),
            allocation_decisions::version.eq(allocation_decisions::version + 1),
            allocation_decisions::decided_at.eq(diesel::dsl::now),
        ))
        .execute(conn)?;
    diesel::delete(allocation_results::table.filter(allocation_results::year.eq(year))).execute(conn)?;
    let rows: Vec<_> = allocation
        .forbund
        .iter()
        .map(|f| {
            (
                allocation_results::year.eq(year),
                allocation_results::forbund_key.eq(&f.forbund_key),
                allocation_results::total.eq(f.total),
            )
        })
        .collect();
    diesel::insert_into(allocation_results::table).values(&rows).execute(conn)?;
    Ok(())
}

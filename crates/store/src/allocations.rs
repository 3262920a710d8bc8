//! The decided allocation of a year: its parameters and each förbund's total.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use finsam_domain::allocation::{Allocation, AllocationParameters};
use rust_decimal::Decimal;
use serde::Serialize;

use finsam_domain::statistics_rows::{AllocationRow, AllocationYearRow};

use crate::schema::{allocation_decisions, allocation_results};

pub const ENTITY: &str = "allocation";

/// What a decision gave one förbund, as stored.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DecidedForbund {
    pub forbund_key: String,
    pub total: Decimal,
    pub base: Option<Decimal>,
    pub by_forsorjningsmatt: Option<Decimal>,
    pub by_population: Option<Decimal>,
    pub damping_adjustment: Option<Decimal>,
    pub previous_allocation: Option<Decimal>,
    pub explanation: Option<serde_json::Value>,
}

/// A decision as stored and audited.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Decision {
    pub year: i32,
    pub parameters: AllocationParameters,
    /// Each förbund's total, whole kronor, by förbund key.
    pub totals: Vec<(String, Decimal)>,
    /// Each förbund's parts and the explanation of its computation, by förbund key (`None` for a
    /// decision stored before they were kept).
    pub forbund: Vec<DecidedForbund>,
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
    type Row = (String, Decimal, Option<Decimal>, Option<Decimal>, Option<Decimal>, Option<Decimal>, Option<Decimal>);
    let rows: Vec<(Row, Option<serde_json::Value>)> = allocation_results::table
        .filter(allocation_results::year.eq(year))
        .order(allocation_results::forbund_key)
        .select((
            (
                allocation_results::forbund_key,
                allocation_results::total,
                allocation_results::base,
                allocation_results::by_forsorjningsmatt,
                allocation_results::by_population,
                allocation_results::damping_adjustment,
                allocation_results::previous_allocation,
            ),
            allocation_results::explanation,
        ))
        .load(conn)?;
    let forbund: Vec<DecidedForbund> = rows
        .into_iter()
        .map(
            |(
                (forbund_key, total, base, by_forsorjningsmatt, by_population, damping_adjustment, previous),
                explanation,
            )| {
                DecidedForbund {
                    forbund_key,
                    total,
                    base,
                    by_forsorjningsmatt,
                    by_population,
                    damping_adjustment,
                    previous_allocation: previous,
                    explanation,
                }
            },
        )
        .collect();
    let totals = forbund.iter().map(|f| (f.forbund_key.clone(), f.total)).collect();
    Ok(Some(Decision { year, parameters, totals, forbund, version, decided_at }))
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
                allocation_results::base.eq(Some(f.base)),
                allocation_results::by_forsorjningsmatt.eq(Some(f.by_forsorjningsmatt)),
                allocation_results::by_population.eq(Some(f.by_population)),
                allocation_results::damping_adjustment.eq(Some(f.damping_adjustment)),
                allocation_results::previous_allocation.eq(f.previous_allocation),
                allocation_results::explanation
                    .eq(Some(serde_json::to_value(&f.explanation).expect("explanations serialise"))),
            )
        })
        .collect();
    diesel::insert_into(allocation_results::table).values(&rows).execute(conn)?;
    Ok(())
}

/// Every decided allocation's rows and years, for the tables: öre of whole kronor.
pub fn table_rows(conn: &mut PgConnection) -> QueryResult<(Vec<AllocationRow>, Vec<AllocationYearRow>)> {
    type Row =
        (String, i32, Decimal, Option<Decimal>, Option<Decimal>, Option<Decimal>, Option<Decimal>, Option<Decimal>);
    let rows: Vec<Row> = allocation_results::table
        .order((allocation_results::year, allocation_results::forbund_key))
        .select((
            allocation_results::forbund_key,
            allocation_results::year,
            allocation_results::total,
            allocation_results::base,
            allocation_results::by_forsorjningsmatt,
            allocation_results::by_population,
            allocation_results::damping_adjustment,
            allocation_results::previous_allocation,
        ))
        .load(conn)?;
    let ore =
        |kronor: Decimal| i64::try_from(kronor * Decimal::ONE_HUNDRED).expect("NUMERIC(16,0) kronor fit öre in i64");
    let allocations = rows
        .into_iter()
        .map(|(forbund_key, year, total, base, forsorjningsmatt, population, damping, previous)| AllocationRow {
            forbund_key,
            year,
            parts: match (base, forsorjningsmatt, population, damping) {
                (Some(a), Some(b), Some(c), Some(d)) => Some([ore(a), ore(b), ore(c), ore(d)]),
                _ => None,
            },
            total_ore: ore(total),
            previous_ore: previous.map(ore),
        })
        .collect();
    let decisions: Vec<(i32, serde_json::Value)> = allocation_decisions::table
        .order(allocation_decisions::year)
        .select((allocation_decisions::year, allocation_decisions::parameters))
        .load(conn)?;
    let unreadable = |year: i32| {
        let message = format!("the allocation decision of {year} lacks its frame or national support");
        diesel::result::Error::DeserializationError(message.into())
    };
    let years = decisions
        .into_iter()
        .map(|(year, parameters)| {
            let p: AllocationParameters = serde_json::from_value(parameters)
                .map_err(|e| diesel::result::Error::DeserializationError(Box::new(e)))?;
            let (Some(frame), Some(support)) = (p.frame, p.national_support) else { return Err(unreadable(year)) };
            Ok(AllocationYearRow { year, frame_ore: ore(frame), national_support_ore: ore(support) })
        })
        .collect::<QueryResult<_>>()?;
    Ok((allocations, years))
}

/// Each förbund's closing equity (`None` while pending) and total contributions of `year`, for
/// the equity assessment the allocation's equity rule needs.
pub fn equity_of(conn: &mut PgConnection, year: i32) -> QueryResult<Vec<(String, Option<Decimal>, Decimal)>> {
    use crate::schema::forbund_finances as f;
    let rows: Vec<(String, Option<Decimal>, Decimal, Decimal, Decimal)> = f::table
        .filter(f::year.eq(year))
        .order(f::forbund_key)
        .select((
            f::forbund_key,
            f::equity_closing,
            f::contributions_state,
            f::contributions_regions,
            f::contributions_municipalities,
        ))
        .load(conn)?;
    Ok(rows.into_iter().map(|(key, closing, a, b, c)| (key, closing, a + b + c)).collect())
}

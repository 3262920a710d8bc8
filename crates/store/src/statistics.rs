//! Everything registered, read for the statistics in a few set-based queries. Money leaves the
//! database as öre in a bigint (`(x * 100)::bigint` is exact for NUMERIC(16,2)), so that a
//! million rows need no per-row decimal parsing.

use crate::registration::{FINANCES_ENTITY, FORBUND_YEAR_ENTITY, INSATS_ENTITY, YEAR_ENTITY};
use chrono::{Datelike, NaiveDate};
use diesel::dsl::sql;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Nullable};
use finsam_domain::statistics_rows::{FinancesRow, ForbundYearRow, Inputs, InsatsRow, InsatsYearRow, MembershipRow};

use crate::freshness::{self, DataVersion};
use crate::schema::{
    forbund, forbund_finances, forbund_years, insats_target_groups, insats_years, insatser, memberships, municipalities,
};

/// Everything, as of one snapshot, with the data version of that snapshot.
pub fn load_inputs(conn: &mut PgConnection) -> QueryResult<(DataVersion, Inputs)> {
    conn.build_transaction().read_only().repeatable_read().run(load_inputs_in_snapshot)
}

/// The same inside a transaction the caller opened at REPEATABLE READ (or stricter), so that
/// every query sees one snapshot.
pub fn load_inputs_in_snapshot(conn: &mut PgConnection) -> QueryResult<(DataVersion, Inputs)> {
    {
        let version = freshness::current(conn)?;
        let names: Vec<(String, String)> =
            forbund::table.select((forbund::forbund_key, forbund::name)).order(forbund::forbund_key).load(conn)?;
        let (allocations, allocation_years) = crate::allocations::table_rows(conn)?;
        let inputs = Inputs {
            forbund: names.iter().map(|(key, _)| key.clone()).collect(),
            forbund_names: names.into_iter().collect(),
            allocations,
            allocation_years,
            money_settings: crate::money_settings::all(conn)?,
            memberships: load_memberships(conn)?,
            insatser: load_insatser(conn, None)?,
            insats_years: load_insats_years(conn, None)?,
            finances: load_finances(conn, None)?,
            forbund_years: forbund_years::table
                .select((forbund_years::forbund_key, forbund_years::year, forbund_years::status))
                .load::<(String, i32, String)>(conn)?
                .into_iter()
                .map(|(forbund_key, year, status)| ForbundYearRow {
                    forbund_key,
                    year,
                    submitted: status == "submitted",
                })
                .collect(),
        };
        Ok((version, inputs))
    }
}

fn load_memberships(conn: &mut PgConnection) -> QueryResult<Vec<MembershipRow>> {
    let rows = memberships::table
        .inner_join(municipalities::table)
        .select((
            memberships::forbund_key,
            memberships::municipality_code,
            municipalities::county_code,
            memberships::valid_from,
            memberships::valid_to,
        ))
        .load::<(String, String, String, NaiveDate, Option<NaiveDate>)>(conn)?;
    Ok(rows
        .into_iter()
        .map(|(forbund_key, municipality_code, county_code, from, to)| MembershipRow {
            forbund_key,
            municipality_code,
            county_code,
            valid_from_year: from.year(),
            // valid_to is exclusive: the last year of membership is that of the day before.
            valid_to_year: to.and_then(|to| to.pred_opt()).map(|last| last.year()),
        })
        .collect())
}

/// Live insatser: all of them, or only those of `ids`.
fn load_insatser(conn: &mut PgConnection, ids: Option<&[i64]>) -> QueryResult<Vec<InsatsRow>> {
    let mut query = insatser::table
        .filter(insatser::deleted_at.is_null())
        .select((insatser::id, insatser::forbund_key, insatser::kind, insatser::orientation))
        .order(insatser::id)
        .into_boxed();
    let mut groups_query = insats_target_groups::table
        .select((insats_target_groups::insats_id, insats_target_groups::target_group))
        .order((insats_target_groups::insats_id, insats_target_groups::target_group))
        .into_boxed();
    if let Some(ids) = ids {
        query = query.filter(insatser::id.eq_any(ids.to_vec()));
        groups_query = groups_query.filter(insats_target_groups::insats_id.eq_any(ids.to_vec()));
    }
    let rows = query.load::<(i64, String, String, String)>(conn)?;
    let mut groups = groups_query.load::<(i64, String)>(conn)?.into_iter().peekable();
    Ok(rows
        .into_iter()
        .map(|(id, forbund_key, kind, orientation)| {
            // Both lists are ordered by insats id, so one pass pairs them; groups of deleted
            // insatser are skipped on the way.
            while groups.next_if(|(gid, _)| *gid < id).is_some() {}
            let mut target_groups = Vec::new();
            while let Some((_, group)) = groups.next_if(|(gid, _)| *gid == id) {
                target_groups.push(group);
            }
            InsatsRow { id, forbund_key, kind, orientation, target_groups }
        })
        .collect())
}

type YearTuple = (i64, i32, Option<i32>, Option<i32>, i64, Option<i64>, [Option<i32>; 8]);

fn load_insats_years(conn: &mut PgConnection, ids: Option<&[i64]>) -> QueryResult<Vec<InsatsYearRow>> {
    let mut query = insats_years::table
        .inner_join(insatser::table.on(insatser::id.eq(insats_years::insats_id)))
        .filter(insatser::deleted_at.is_null())
        .into_boxed();
    if let Some(ids) = ids {
        query = query.filter(insats_years::insats_id.eq_any(ids.to_vec()));
    }
    let rows = query
        .select((
            insats_years::insats_id,
            insats_years::year,
            insats_years::participants_women,
            insats_years::participants_men,
            sql::<BigInt>("(insats_years.budget * 100)::bigint"),
            sql::<Nullable<BigInt>>("(insats_years.outcome * 100)::bigint"),
            (
                insats_years::exits_work_women,
                insats_years::exits_work_men,
                insats_years::exits_studies_women,
                insats_years::exits_studies_men,
                insats_years::exits_job_seeking_women,
                insats_years::exits_job_seeking_men,
                insats_years::exits_other_women,
                insats_years::exits_other_men,
            ),
        ))
        .load::<(
            i64,
            i32,
            Option<i32>,
            Option<i32>,
            i64,
            Option<i64>,
            (Option<i32>, Option<i32>, Option<i32>, Option<i32>, Option<i32>, Option<i32>, Option<i32>, Option<i32>),
        )>(conn)?;
    Ok(rows
        .into_iter()
        .map(|(id, year, women, men, budget, outcome, e)| {
            let tuple: YearTuple = (id, year, women, men, budget, outcome, [e.0, e.1, e.2, e.3, e.4, e.5, e.6, e.7]);
            year_row(tuple)
        })
        .collect())
}

fn year_row((insats_id, year, women, men, budget_ore, outcome_ore, exits): YearTuple) -> InsatsYearRow {
    let pair = |w: Option<i32>, m: Option<i32>| Some((i64::from(w?), i64::from(m?)));
    let exits = match exits {
        [Some(a), Some(b), Some(c), Some(d), Some(e), Some(f), Some(g), Some(h)] => Some([
            (i64::from(a), i64::from(b)),
            (i64::from(c), i64::from(d)),
            (i64::from(e), i64::from(f)),
            (i64::from(g), i64::from(h)),
        ]),
        _ => None,
    };
    InsatsYearRow { insats_id, year, participants: pair(women, men), budget_ore, outcome_ore, exits }
}

fn load_finances(conn: &mut PgConnection, forbund: Option<&[String]>) -> QueryResult<Vec<FinancesRow>> {
    let mut query = forbund_finances::table.into_boxed();
    if let Some(keys) = forbund {
        query = query.filter(forbund_finances::forbund_key.eq_any(keys.to_vec()));
    }
    let rows = query
        .select((
            forbund_finances::forbund_key,
            forbund_finances::year,
            sql::<BigInt>("(contributions_state * 100)::bigint"),
            sql::<BigInt>("(contributions_regions * 100)::bigint"),
            sql::<BigInt>("(contributions_municipalities * 100)::bigint"),
            sql::<BigInt>("(administration_budget * 100)::bigint"),
            sql::<Nullable<BigInt>>("(administration_outcome * 100)::bigint"),
            sql::<BigInt>("(equity_opening * 100)::bigint"),
            sql::<Nullable<BigInt>>("(equity_closing * 100)::bigint"),
        ))
        .load::<(String, i32, i64, i64, i64, i64, Option<i64>, i64, Option<i64>)>(conn)?;
    Ok(rows
        .into_iter()
        .map(|(forbund_key, year, state, regions, municipalities, admin_budget, admin_outcome, opening, closing)| {
            FinancesRow {
                forbund_key,
                year,
                contributions_state_ore: state,
                contributions_regions_ore: regions,
                contributions_municipalities_ore: municipalities,
                administration_budget_ore: admin_budget,
                administration_outcome_ore: admin_outcome,
                equity_opening_ore: opening,
                equity_closing_ore: closing,
            }
        })
        .collect())
}

/// What moved since a cached version, as far as the statistics are concerned.
#[derive(Debug, Default)]
struct Changes {
    insatser: Vec<i64>,
    forbund: Vec<String>,
}

/// A refresh done: the version now held, and how many audit events it read to get there.
#[derive(Debug)]
pub struct Refreshed {
    pub version: DataVersion,
    pub events_read: usize,
}

/// Brings `inputs` (read at version `since`) up to the current version by reloading only what
/// the audit events `since` did not see name. Returns the new version, or `None` when a change
/// cannot be patched in (e.g. reference data) and everything must be loaded again.
pub fn refresh(conn: &mut PgConnection, since: &DataVersion, inputs: &mut Inputs) -> QueryResult<Option<Refreshed>> {
    conn.build_transaction().read_only().repeatable_read().run(|conn| {
        // Both in this one snapshot: the version held afterwards is that of the rows read.
        let version = freshness::current(conn)?;
        let events = freshness::events_since(conn, since)?;
        let events_read = events.len();
        let Some(changes) = classify(&events) else {
            return Ok(None);
        };
        if events.is_empty() {
            return Ok(Some(Refreshed { version, events_read }));
        }
        let insatser = load_insatser(conn, Some(&changes.insatser))?;
        let years = load_insats_years(conn, Some(&changes.insatser))?;
        let finances = load_finances(conn, Some(&changes.forbund))?;
        let forbund_years = forbund_years::table
            .filter(forbund_years::forbund_key.eq_any(&changes.forbund))
            .select((forbund_years::forbund_key, forbund_years::year, forbund_years::status))
            .load::<(String, i32, String)>(conn)?;

        let changed: std::collections::HashSet<i64> = changes.insatser.iter().copied().collect();
        inputs.insatser.retain(|row| !changed.contains(&row.id));
        inputs.insatser.extend(insatser);
        inputs.insatser.sort_by_key(|row| row.id);
        inputs.insats_years.retain(|row| !changed.contains(&row.insats_id));
        inputs.insats_years.extend(years);
        inputs.finances.retain(|row| !changes.forbund.contains(&row.forbund_key));
        inputs.finances.extend(finances);
        inputs.forbund_years.retain(|row| !changes.forbund.contains(&row.forbund_key));
        inputs.forbund_years.extend(forbund_years.into_iter().map(|(forbund_key, year, status)| ForbundYearRow {
            forbund_key,
            year,
            submitted: status == "submitted",
        }));
        Ok(Some(Refreshed { version, events_read }))
    })
}

/// Entity ids as the registration store writes them: `17`, `17/2023`, `key/2023`.
fn classify(events: &[(String, String)]) -> Option<Changes> {
    let mut changes = Changes::default();
    for (entity, id) in events {
        let head = id.split('/').next().unwrap_or(id);
        match entity.as_str() {
            INSATS_ENTITY | YEAR_ENTITY => changes.insatser.push(head.parse().ok()?),
            FINANCES_ENTITY | FORBUND_YEAR_ENTITY => changes.forbund.push(head.to_owned()),
            _ => return None,
        }
    }
    changes.insatser.sort_unstable();
    changes.insatser.dedup();
    changes.forbund.sort();
    changes.forbund.dedup();
    Some(changes)
}

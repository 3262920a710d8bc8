//! The state's allocation: a what-if calculation (stores nothing) and the admin's decision
//! (stores the parameters and what they gave each förbund, audited). Both compute with
//! [`finsam_domain::allocation::allocate`] over the stored reference statistics, the memberships
//! of the allocation year and the previous year's decided allocation.

use std::collections::HashMap;

use diesel::{Connection, PgConnection};
use finsam_domain::access::Action;
use finsam_domain::allocation::{
    self, Allocation, AllocationInput, AllocationParameters, ForbundInput, Membership, MunicipalityStatistics,
    ReferenceStatistics,
};
use finsam_domain::{ErrorCode, FieldError};
use finsam_store::allocations::{self as store, Decision};
use finsam_store::{money_settings, reference_statistics};

use crate::{Acting, Refused};

/// Computes the allocation of `year` with `body`'s parameters, each one not in the body taken
/// from the year's decided parameters (if decided); stores nothing.
pub fn calculate(
    conn: &mut PgConnection,
    who: &Acting<'_>,
    year: i32,
    body: AllocationParameters,
) -> Result<Allocation, Refused> {
    who.may(Action::CalculateAllocation, None)?;
    conn.transaction(|conn| {
        let decided = store::get(conn, year, false)?;
        let parameters = body.or(decided.as_ref().map(|d| &d.parameters));
        compute(conn, year, parameters)
    })
}

/// Decides the allocation of `year` with exactly the body's parameters (every one must be
/// set), replacing an earlier decision; audited. The bool says whether it is the year's first.
pub fn decide(
    conn: &mut PgConnection,
    who: &Acting<'_>,
    year: i32,
    parameters: AllocationParameters,
) -> Result<(Decision, Allocation, bool), Refused> {
    who.may(Action::DecideAllocation, None)?;
    conn.transaction(|conn| {
        let before = store::get(conn, year, true)?;
        let allocation = compute(conn, year, parameters.clone())?;
        store::put(conn, year, &allocation, &parameters)?;
        let after = store::get(conn, year, false)?.expect("the decision just stored");
        let action = if before.is_some() { "replace" } else { "create" };
        reference_statistics::record_national(
            conn,
            &who.store(),
            store::ENTITY,
            &year.to_string(),
            action,
            before.as_ref(),
            Some(&after),
        )?;
        Ok((after, allocation, before.is_none()))
    })
}

/// The decided allocation of `year`.
pub fn decided(conn: &mut PgConnection, who: &Acting<'_>, year: i32) -> Result<Decision, Refused> {
    who.may(Action::CalculateAllocation, None)?;
    store::get(conn, year, false)?.ok_or_else(|| Refused::NotFound(format!("no allocation decided for {year}")))
}

/// The parameters' own problems come alone: the inputs are read only once every one is set.
fn compute(conn: &mut PgConnection, year: i32, parameters: AllocationParameters) -> Result<Allocation, Refused> {
    if let Err(errors) = parameters.complete() {
        return Err(Refused::Invalid(allocation::body_errors(&errors)));
    }
    let statistics_year = parameters.statistics_year;
    let municipalities: Vec<MunicipalityStatistics> = match statistics_year {
        Some(y) => reference_statistics::list(conn, y)?
            .into_iter()
            .map(|f| MunicipalityStatistics {
                municipality_code: f.municipality_code,
                inhabitants_16_64: f.inhabitants_16_64,
                forsorjningsmatt: f.forsorjningsmatt_tkr,
            })
            .collect(),
        None => Vec::new(),
    };
    if let Some(y) = statistics_year
        && municipalities.is_empty()
    {
        // One problem, not one per member municipality.
        return Err(Refused::Invalid(vec![FieldError::new(
            "/statistics_year",
            ErrorCode::StatisticsMissing,
            format!("no reference statistics imported for {y} (PUT /api/v1/reference-statistics/{y})"),
        )]));
    }
    let memberships: Vec<Membership> = reference_statistics::memberships_during(conn, year)?
        .into_iter()
        .map(|(forbund_key, municipality_code, share)| Membership { forbund_key, municipality_code, share })
        .collect();
    let previous: HashMap<String, _> =
        store::get(conn, year - 1, false)?.map(|d| d.totals.into_iter().collect()).unwrap_or_default();
    let mut keys: Vec<&str> = memberships.iter().map(|m| m.forbund_key.as_str()).collect();
    keys.dedup();
    let standing = equity_standing(conn, year)?;
    let forbund = keys
        .into_iter()
        .map(|key| ForbundInput {
            forbund_key: key.to_owned(),
            previous_allocation: previous.get(key).copied(),
            equity_above_recommendation: standing.get(key).copied(),
        })
        .collect();
    let input = AllocationInput {
        statistics: ReferenceStatistics { year: statistics_year.unwrap_or(year), municipalities },
        parameters,
        forbund,
        memberships,
    };
    allocation::allocate(&input).map_err(|errors| Refused::Invalid(allocation::body_errors(&errors)))
}

/// Whether each förbund's equity is above the national council's recommendation, as the latest
/// annual report before allocation year `year` shows it: the assessment of `year − 1` where its
/// closing equity is given and that year's steps are set, else of `year − 2` (the allocation for
/// a year is decided during the year before, often before that year's annual report). A förbund
/// with neither is not assessed, and the equity rule names it.
fn equity_standing(conn: &mut PgConnection, year: i32) -> Result<HashMap<String, bool>, Refused> {
    let mut standing = HashMap::new();
    for assessed in [year - 2, year - 1] {
        let Some(steps) = money_settings::get(conn, assessed, false)?.and_then(|s| s.settings.equity_recommendation)
        else {
            continue;
        };
        for (key, closing, contributions) in store::equity_of(conn, assessed)? {
            if let Some(above) = finsam_domain::money_settings::assess(closing, contributions, Some(&steps)).above {
                standing.insert(key, above);
            }
        }
    }
    Ok(standing)
}

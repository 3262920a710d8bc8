//! The state's allocation model: how Försäkringskassan's money for a year is shared between the
//! förbund. Pure; the sources are in `shared/reference/money-and-follow-up.md`, section "The
//! state's allocation model (from the allocation year 2016)".
//!
//! # What the store must provide
//! For allocation year `Y` ([`AllocationInput`]):
//! - the parameters an admin decided for `Y` (or a what-if's), each possibly not set;
//! - the reference statistics of the parameters' `statistics_year`: per municipality inhabitants
//!   aged 16–64 and försörjningsmått in SEK thousands (source, age band and extract date stay
//!   with the import; the model does not use them);
//! - every förbund with member municipalities in `Y`, each with its total allocation of `Y − 1`
//!   (none if it had none) and, when the year's equity rule needs it, whether its equity is above
//!   the national council's recommendation (from the equity assessment);
//! - the memberships valid in `Y`: förbund, municipality, share (1 unless split).
//!
//! # The method
//! Amounts are whole kronor; `D = frame − national_support` is what the förbund share, and `n`
//! the number of förbund.
//! 1. Base: every förbund gets `base_amount`; `R = D − n × base_amount` is left.
//! 2. Keys: `R` is split into `R_F ≈ R × forsorjningsmatt_weight` and `R_P = R − R_F` (the weights
//!    sum to 1). For förbund `f`, `F_f = Σ share × försörjningsmått` and `P_f = Σ share ×
//!    inhabitants 16–64` over its municipalities; it gets `R_F × F_f / Σ F` and `R_P × P_f / Σ P`.
//!    A municipality split between förbund counts with its shares, which sum to at most 1.
//! 3. Damping, if the year has it: a protected förbund (one with a previous allocation, and not
//!    excluded by the equity rule) has the floor `⌈previous × (1 − max_fall)⌉`. Those under their
//!    floor are lifted to it, and the others share what is left, `D − Σ floors held`, in proportion
//!    to their allocations before damping. Whoever that leaves under its own floor is held there
//!    too and the rest is shared again, until no förbund more falls under (at most `n` rounds).
//!    Floors beyond `D` cannot be met and are refused.
//!
//! Each split is rounded by largest remainder ([`ROUNDING_RULE`]), so every column sums exactly
//! to its amount and the totals to `D`. Rounding a key's amount column by column keeps the model
//! monotone: more försörjningsmått or inhabitants for one förbund never lowers its allocation
//! before damping (the remainders argument is in `largest_remainder.rs`).
//!
//! The sources give the numbers of 2016–2017 (400 000 kr, 75/25, 10 %) and no later ones, so
//! every parameter must be set: none has a default (see [`AllocationParameters`]).

mod areas;
mod damping;
mod error;
mod inputs;
mod keys;
mod largest_remainder;
mod parameters;
mod request;
mod result;
#[cfg(test)]
mod tests;

use rust_decimal::Decimal;

pub use error::{AllocationError, Key};
pub use inputs::{AllocationInput, ForbundInput, Membership, MunicipalityStatistics, ReferenceStatistics};
pub use parameters::{AllocationParameters, Damping, DampingRule, EquityRule, ParameterSet};
pub use request::{FIELDS as PARAMETER_FIELDS, body_errors, parse_parameters};
pub use result::{Allocation, Explanation, ForbundAllocation, MunicipalityPart, Protection, ROUNDING_RULE};

use largest_remainder::decimal;

/// The allocation of the input's year, or every problem with its input at once (those that the
/// computation itself meets, such as floors beyond the money, come alone).
pub fn allocate(input: &AllocationInput) -> Result<Allocation, Vec<AllocationError>> {
    let parameters = input.parameters.complete();
    let mut errors = parameters.as_ref().err().cloned().unwrap_or_default();
    if let Some(expected) = input.parameters.statistics_year
        && expected != input.statistics.year
    {
        errors.push(AllocationError::StatisticsYearMismatch { expected, given: input.statistics.year });
    }
    let equity_needed = matches!(input.parameters.damping, Some(Damping::MaxFall(_)))
        && input.parameters.equity_rule == Some(EquityRule::ExcludedFromProtection);
    let areas = areas::areas(input, equity_needed).map_err(|more| errors.extend(more)).ok();
    let (Ok(parameters), Some(areas), true) = (parameters, areas, errors.is_empty()) else {
        return Err(errors);
    };
    let before = keys::distribute(&parameters, &areas).map_err(|e| vec![e])?;
    let before_totals: Vec<i128> = (0..areas.len()).map(|i| before.total(i)).collect();
    let forbund: Vec<&ForbundInput> = areas.iter().map(|a| a.forbund).collect();
    let damped =
        damping::damp(&before_totals, &forbund, parameters.damping, before.distributed).map_err(|e| vec![e])?;

    let forsorjningsmatt_total: Decimal = areas.iter().map(|a| a.forsorjningsmatt).sum();
    let inhabitants_16_64_total: Decimal = areas.iter().map(|a| a.inhabitants_16_64).sum();
    // A key no member municipality has (allowed when its weight is 0) gives every förbund 0 of it.
    let ratio = |part: Decimal, whole: Decimal| part.checked_div(whole).unwrap_or(Decimal::ZERO);
    let distributed = decimal(before.distributed);
    let rows = areas
        .into_iter()
        .enumerate()
        .map(|(i, area)| {
            let total = decimal(damped.totals[i]);
            let previous_allocation = area.forbund.previous_allocation;
            ForbundAllocation {
                forbund_key: area.forbund.forbund_key.clone(),
                base: decimal(before.base),
                by_forsorjningsmatt: decimal(before.by_forsorjningsmatt[i]),
                by_population: decimal(before.by_population[i]),
                damping_adjustment: decimal(damped.totals[i] - before_totals[i]),
                total,
                previous_allocation,
                change: previous_allocation.map(|previous| total - previous),
                share: ratio(total, distributed),
                explanation: Explanation {
                    forsorjningsmatt_share: ratio(area.forsorjningsmatt, forsorjningsmatt_total),
                    population_share: ratio(area.inhabitants_16_64, inhabitants_16_64_total),
                    forsorjningsmatt: area.forsorjningsmatt,
                    inhabitants_16_64: area.inhabitants_16_64,
                    municipalities: area.municipalities,
                    damping: damped.protection[i],
                },
            }
        })
        .collect();
    let damping_cost = (0..before_totals.len()).map(|i| (damped.totals[i] - before_totals[i]).max(0)).sum();
    Ok(Allocation {
        distributed,
        base_total: decimal(before.distributed - before.by_forsorjningsmatt_total - before.by_population_total),
        by_forsorjningsmatt_total: decimal(before.by_forsorjningsmatt_total),
        by_population_total: decimal(before.by_population_total),
        forsorjningsmatt_total,
        inhabitants_16_64_total,
        damping_cost: decimal(damping_cost),
        damping_rounds: damped.rounds,
        forbund: rows,
        parameters,
    })
}

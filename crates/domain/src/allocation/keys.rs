//! The allocation before damping: the base amount for every förbund, then what is left split
//! between the two keys by their weights, and each key's amount between the förbund in
//! proportion to their försörjningsmått and inhabitants aged 16–64.

use rust_decimal::Decimal;

use super::areas::Area;
use super::error::{AllocationError, Key};
use super::largest_remainder::{decimal, kronor, split};
use super::parameters::ParameterSet;

pub(super) struct BeforeDamping {
    pub distributed: i128,
    pub base: i128,
    pub by_forsorjningsmatt_total: i128,
    pub by_population_total: i128,
    /// Per förbund, in the order of the areas.
    pub by_forsorjningsmatt: Vec<i128>,
    pub by_population: Vec<i128>,
}

impl BeforeDamping {
    pub fn total(&self, i: usize) -> i128 {
        self.base + self.by_forsorjningsmatt[i] + self.by_population[i]
    }
}

pub(super) fn distribute(parameters: &ParameterSet, areas: &[Area<'_>]) -> Result<BeforeDamping, AllocationError> {
    let distributed = kronor(parameters.distributed())?;
    let base = kronor(parameters.base_amount)?;
    let count = i128::try_from(areas.len()).map_err(|_| AllocationError::TooLargeToCompute)?;
    let base_total = base.checked_mul(count).ok_or(AllocationError::TooLargeToCompute)?;
    if base_total > distributed {
        return Err(AllocationError::BaseAmountsExceedDistributed {
            base_total: decimal(base_total),
            distributed: decimal(distributed),
        });
    }
    let [by_forsorjningsmatt_total, by_population_total] =
        split(distributed - base_total, &[parameters.forsorjningsmatt_weight, parameters.population_weight])?[..]
    else {
        unreachable!("two weights, two parts")
    };
    let forsorjningsmatt: Vec<Decimal> = areas.iter().map(|a| a.forsorjningsmatt).collect();
    let inhabitants: Vec<Decimal> = areas.iter().map(|a| a.inhabitants_16_64).collect();
    Ok(BeforeDamping {
        distributed,
        base,
        by_forsorjningsmatt_total,
        by_population_total,
        by_forsorjningsmatt: by_key(by_forsorjningsmatt_total, &forsorjningsmatt, Key::Forsorjningsmatt)?,
        by_population: by_key(by_population_total, &inhabitants, Key::Population)?,
    })
}

/// A key's amount over the förbund; a key with nothing to distribute needs no measure.
fn by_key(amount: i128, measures: &[Decimal], key: Key) -> Result<Vec<i128>, AllocationError> {
    if amount == 0 {
        return Ok(vec![0; measures.len()]);
    }
    if measures.iter().all(|m| m.is_zero()) {
        return Err(AllocationError::KeyTotalZero { key });
    }
    split(amount, measures)
}

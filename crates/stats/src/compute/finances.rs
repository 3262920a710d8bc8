//! The money tables: costs (insats budgets and outcomes beside administration), contributions
//! by party, and equity. Finances are one row per förbund and year, so the frame is only
//! filtered; the sums over the selected förbund are exact i64 öre.

use finsam_domain::codes::Code;
use finsam_domain::{Kind, Party};
use polars::prelude::*;
use rust_decimal::Decimal;

use super::StatsError;
use super::frames::Frames;
use super::keys::PARTIES;
use super::totals::{Narrow, Selected, YearTotals, int_columns, optional_int_column};
use super::values::{money, share};

impl Frames {
    pub(crate) fn add_finances(&self, selected: &mut Selected, totals: &mut [YearTotals]) -> Result<(), StatsError> {
        let (first, last) = (selected.years[0], selected.years[selected.years.len() - 1]);
        let mut rows =
            self.finances.clone().lazy().filter(col("year").gt_eq(lit(first)).and(col("year").lt_eq(lit(last))));
        match selected.narrow {
            Narrow::No => {}
            Narrow::ToForbund(index) => rows = rows.filter(col("forbund").eq(lit(index))),
            Narrow::ToNothing => return Ok(()),
        }
        let rows = rows.collect()?;
        let [forbund, year, administration_budget, opening, closing] =
            int_columns(&rows, ["forbund", "year", "administration_budget", "opening", "closing"])?;
        let contributions = int_columns(&rows, std::array::from_fn::<_, PARTIES, _>(|i| Party::ALL[i].code()))?;
        let administration_outcome = optional_int_column(&rows, "administration_outcome")?;

        for row in 0..rows.height() {
            let index = forbund[row] as usize;
            let year = i32::try_from(year[row]).expect("an i32 column");
            let Some(position) = selected.position(year, index) else { continue };
            selected.registered[position][index] = true;
            let sums = &mut totals[position].finances;
            for (sum, column) in sums.contributions.iter_mut().zip(&contributions) {
                *sum += column[row];
            }
            sums.administration_budget += administration_budget[row];
            if let Some(outcome) = administration_outcome[row] {
                sums.administration_outcome += outcome;
                sums.administration_outcome_known += 1;
            }
            sums.opening += opening[row];
            sums.closing += closing[row];
        }
        Ok(())
    }
}

/// `item` × `measure`. An item's outcome is the sum of the outcomes known for it, absent when
/// none is known; the total's outcome likewise sums what is known of the three items.
pub(crate) fn costs(year: &YearTotals, codes: &[&str]) -> Option<Decimal> {
    let &[item, measure] = codes else { panic!("costs has two dimensions after year") };
    let (individual, structural, finances) = (year.individual(), year.structural(), year.finances);
    let parts = [
        (individual.budget, individual.outcome, individual.outcome_known),
        (structural.budget, structural.outcome, structural.outcome_known),
        (finances.administration_budget, finances.administration_outcome, finances.administration_outcome_known),
    ];
    let kind = Kind::from_code(item);
    let (budget, outcome, known) = match kind {
        Some(Kind::Individual) => parts[0],
        Some(Kind::Structural) => parts[1],
        None if item == "administration" => parts[2],
        None if item == "total" => parts.iter().fold((0, 0, 0), |(b, o, k), p| (b + p.0, o + p.1, k + p.2)),
        None => panic!("costs has no item {item}"),
    };
    match measure {
        "budget" => money(budget),
        "outcome" => (known > 0).then(|| Decimal::new(outcome, 2)),
        "share_of_insats_budget" => kind.and_then(|_| share(budget, individual.budget + structural.budget)),
        _ => panic!("costs has no measure {measure}"),
    }
}

/// `party` × `measure`.
pub(crate) fn contributions(year: &YearTotals, codes: &[&str]) -> Option<Decimal> {
    let &[party, measure] = codes else { panic!("contributions has two dimensions after year") };
    let contributions = year.finances.contributions;
    let total = contributions.iter().sum();
    let amount = match Party::from_code(party) {
        Some(party) => contributions[party.index()],
        None if party == "total" => total,
        None => panic!("contributions has no party {party}"),
    };
    match measure {
        "amount" => money(amount),
        "share" => share(amount, total),
        _ => panic!("contributions has no measure {measure}"),
    }
}

/// `measure`: summed over the förbund with finances for the year.
pub(crate) fn equity(year: &YearTotals, codes: &[&str]) -> Option<Decimal> {
    let &[measure] = codes else { panic!("equity has one dimension after year") };
    let f = year.finances;
    match measure {
        "opening" => money(f.opening),
        "result" => money(f.closing - f.opening),
        "closing" => money(f.closing),
        _ => panic!("equity has no measure {measure}"),
    }
}

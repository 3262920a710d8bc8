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
use crate::table::{PENDING_CLOSING_EQUITY, TableNote};

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
        let [forbund, year, administration_budget, opening] =
            int_columns(&rows, ["forbund", "year", "administration_budget", "opening"])?;
        let closing = optional_int_column(&rows, "closing")?;
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
            match closing[row] {
                Some(closing) => {
                    sums.closing += closing;
                    sums.result += closing - opening[row];
                    sums.closing_known += 1;
                }
                None => sums.closing_pending += 1,
            }
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

/// `measure`: administration against the insatser, on budget and on outcome. The outcome
/// shares sum what is known, as `costs` does.
pub(crate) fn administration_share(year: &YearTotals, codes: &[&str]) -> Option<Decimal> {
    let &[measure] = codes else { panic!("administration-share has one dimension after year") };
    let (individual, structural, f) = (year.individual(), year.structural(), year.finances);
    let insats_budget = individual.budget + structural.budget;
    let insats_outcome_known = individual.outcome_known + structural.outcome_known > 0;
    let insats_outcome = individual.outcome + structural.outcome;
    let administration_outcome_known = f.administration_outcome_known > 0;
    match measure {
        "administration_budget" => money(f.administration_budget),
        "insats_budget" => money(insats_budget),
        "share_of_budget" => share(f.administration_budget, f.administration_budget + insats_budget),
        "administration_outcome" => administration_outcome_known.then(|| Decimal::new(f.administration_outcome, 2)),
        "insats_outcome" => insats_outcome_known.then(|| Decimal::new(insats_outcome, 2)),
        "share_of_outcome" => (administration_outcome_known || insats_outcome_known)
            .then(|| share(f.administration_outcome, f.administration_outcome + insats_outcome))
            .flatten(),
        _ => panic!("administration-share has no measure {measure}"),
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

/// `measure`: opening summed over the förbund with finances for the year; closing and result
/// over those whose closing equity is given (absent when every förbund with finances left it
/// pending; 0 when there are no finances, like the other money): a pending one is left out,
/// and the table's notes say how many ([`equity_notes`]).
pub(crate) fn equity(year: &YearTotals, codes: &[&str]) -> Option<Decimal> {
    let &[measure] = codes else { panic!("equity has one dimension after year") };
    let f = year.finances;
    let known = f.closing_known > 0 || f.closing_pending == 0;
    match measure {
        "opening" => money(f.opening),
        "result" => known.then(|| Decimal::new(f.result, 2)),
        "closing" => known.then(|| Decimal::new(f.closing, 2)),
        _ => panic!("equity has no measure {measure}"),
    }
}

/// One note per year with förbund whose closing equity is pending.
pub(crate) fn equity_notes(years: &[i32], totals: &[YearTotals]) -> Vec<TableNote> {
    years
        .iter()
        .zip(totals)
        .filter(|(_, t)| t.finances.closing_pending > 0)
        .map(|(&year, t)| {
            let (pending, known) = (t.finances.closing_pending, t.finances.closing_known);
            TableNote {
                code: PENDING_CLOSING_EQUITY.to_owned(),
                year,
                count: pending,
                text_sv: format!(
                    "{year}: utgående eget kapital saknas ännu (årsredovisningen ej klar) för {pending} förbund; \
                     utgående eget kapital och årets resultat avser de {known} förbund som lämnat det, ingående \
                     eget kapital alla {} förbund med ekonomi för året.",
                    pending + known
                ),
                text_en: format!(
                    "{year}: closing equity is pending (annual report not yet adopted) for {pending} förbund; \
                     closing equity and the result cover the {known} förbund that gave it, opening equity all {} \
                     förbund with finances for the year.",
                    pending + known
                ),
            }
        })
        .collect()
}

//! The parameters of one allocation year, as an admin sets them, and the complete set the model
//! runs on. None has a default: the numbers the memo of 2015 gives (400 000 kr, 75/25, 10 %)
//! were set for 2016–2017 and were to be reviewed, and the memo's 2019 update is not described by
//! any source (reference/money-and-follow-up.md, "The state's allocation model").

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::error::AllocationError;

/// What an admin has set for an allocation year; `None` is "not set", never "zero".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AllocationParameters {
    /// The allocation year.
    pub year: i32,
    /// The state's money for the year, whole kronor (2023: 339 MSEK).
    pub frame: Option<Decimal>,
    /// Taken off the frame before anything is distributed, whole kronor (2023: at most 3 MSEK;
    /// 0 when nothing is set aside).
    pub national_support: Option<Decimal>,
    /// The base amount ("grundtilldelning") every förbund gets, whole kronor.
    pub base_amount: Option<Decimal>,
    /// The share of what is left after the base amounts distributed by försörjningsmått, 0–1.
    pub forsorjningsmatt_weight: Option<Decimal>,
    /// The share distributed by inhabitants aged 16–64, 0–1; the two weights sum to 1.
    pub population_weight: Option<Decimal>,
    pub damping: Option<Damping>,
    /// Needed only when there is damping: then it is how equity above the recommendation
    /// affects the protection.
    pub equity_rule: Option<EquityRule>,
    /// The year of the reference statistics the keys use.
    pub statistics_year: Option<i32>,
}

/// Whether, and how far, a förbund's allocation may fall from the year before.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Damping {
    /// No damping: the keys alone decide.
    None,
    /// A protected förbund falls by at most this fraction of its previous allocation (2016 and
    /// 2017: 0.10).
    MaxFall(Decimal),
}

/// How equity above the national council's recommendation affects damping. The sources know
/// one rule (2016–2017: excluded from the protection) and say that equity "affects and limits
/// the allocation of coming years" without saying how; only the known rule is offered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EquityRule {
    /// Equity does not change the protection.
    NoEffect,
    /// Förbund whose equity is above the recommendation are not protected by damping.
    ExcludedFromProtection,
}

/// The parameters once every one is set and valid.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ParameterSet {
    pub year: i32,
    pub frame: Decimal,
    pub national_support: Decimal,
    pub base_amount: Decimal,
    pub forsorjningsmatt_weight: Decimal,
    pub population_weight: Decimal,
    pub damping: DampingRule,
    pub statistics_year: i32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DampingRule {
    None,
    Floor { max_fall: Decimal, equity_rule: EquityRule },
}

impl ParameterSet {
    /// What the förbund share: the frame less the national support.
    pub fn distributed(&self) -> Decimal {
        self.frame - self.national_support
    }
}

impl AllocationParameters {
    /// A year with nothing set yet.
    pub fn unset(year: i32) -> AllocationParameters {
        AllocationParameters {
            year,
            frame: None,
            national_support: None,
            base_amount: None,
            forsorjningsmatt_weight: None,
            population_weight: None,
            damping: None,
            equity_rule: None,
            statistics_year: None,
        }
    }

    /// The parameters not set, by name, for a page to say so; `equity_rule` only counts when
    /// there is damping (or damping itself is not set yet).
    pub fn missing(&self) -> Vec<&'static str> {
        let needs_equity_rule = !matches!(self.damping, Some(Damping::None));
        [
            ("frame", self.frame.is_none()),
            ("national_support", self.national_support.is_none()),
            ("base_amount", self.base_amount.is_none()),
            ("forsorjningsmatt_weight", self.forsorjningsmatt_weight.is_none()),
            ("population_weight", self.population_weight.is_none()),
            ("damping", self.damping.is_none()),
            ("equity_rule", needs_equity_rule && self.equity_rule.is_none()),
            ("statistics_year", self.statistics_year.is_none()),
        ]
        .into_iter()
        .filter_map(|(name, missing)| missing.then_some(name))
        .collect()
    }

    /// The complete set, or every parameter that is missing or wrong.
    pub fn complete(&self) -> Result<ParameterSet, Vec<AllocationError>> {
        let mut errors: Vec<AllocationError> =
            self.missing().into_iter().map(|parameter| AllocationError::MissingParameter { parameter }).collect();
        let frame = kronor(self.frame, "frame", &mut errors);
        let national_support = kronor(self.national_support, "national_support", &mut errors);
        let base_amount = kronor(self.base_amount, "base_amount", &mut errors);
        if let (Some(frame), Some(support)) = (frame, national_support)
            && support >= frame
        {
            errors.push(AllocationError::NationalSupportNotBelowFrame);
        }
        let forsorjningsmatt_weight = fraction(self.forsorjningsmatt_weight, "forsorjningsmatt_weight", &mut errors);
        let population_weight = fraction(self.population_weight, "population_weight", &mut errors);
        if let (Some(a), Some(b)) = (forsorjningsmatt_weight, population_weight)
            && a + b != Decimal::ONE
        {
            errors.push(AllocationError::WeightsDoNotSumToOne { sum: a + b });
        }
        let damping = match self.damping {
            Some(Damping::None) => Some(DampingRule::None),
            Some(Damping::MaxFall(limit)) => {
                let max_fall = fraction(Some(limit), "damping", &mut errors);
                max_fall
                    .zip(self.equity_rule)
                    .map(|(max_fall, equity_rule)| DampingRule::Floor { max_fall, equity_rule })
            }
            None => None,
        };
        match (frame, national_support, base_amount, forsorjningsmatt_weight, population_weight, damping) {
            (Some(frame), Some(national_support), Some(base_amount), Some(fw), Some(pw), Some(damping))
                if errors.is_empty() =>
            {
                Ok(ParameterSet {
                    year: self.year,
                    frame,
                    national_support,
                    base_amount,
                    forsorjningsmatt_weight: fw,
                    population_weight: pw,
                    damping,
                    statistics_year: self.statistics_year.expect("checked by missing()"),
                })
            }
            _ => Err(errors),
        }
    }
}

/// A set amount in whole, non-negative kronor.
fn kronor(amount: Option<Decimal>, parameter: &'static str, errors: &mut Vec<AllocationError>) -> Option<Decimal> {
    let amount = amount?;
    if amount.is_sign_negative() && !amount.is_zero() {
        errors.push(AllocationError::NegativeParameter { parameter });
        None
    } else if !amount.fract().is_zero() {
        errors.push(AllocationError::NotWholeKronor { parameter });
        None
    } else {
        Some(amount.trunc())
    }
}

/// A set fraction from 0 to 1.
fn fraction(value: Option<Decimal>, parameter: &'static str, errors: &mut Vec<AllocationError>) -> Option<Decimal> {
    let value = value?;
    if value < Decimal::ZERO || value > Decimal::ONE {
        errors.push(AllocationError::FractionOutOfRange { parameter });
        return None;
    }
    Some(value)
}

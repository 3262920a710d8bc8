//! What can be wrong with an allocation's input, or make it impossible: each problem names the
//! field (a JSON pointer into [`AllocationInput`](super::AllocationInput) as serialised) and the
//! rule, so the API can hand it on as a field error.

use rust_decimal::Decimal;

use crate::{ErrorCode, FieldError};

/// One of the two keys the rest after the base amounts is distributed by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key {
    Forsorjningsmatt,
    Population,
}

impl Key {
    pub fn name(self) -> &'static str {
        match self {
            Key::Forsorjningsmatt => "försörjningsmått",
            Key::Population => "inhabitants aged 16–64",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AllocationError {
    /// A parameter of the year is not set; the sources give no value to fall back on.
    MissingParameter {
        parameter: &'static str,
    },
    NotWholeKronor {
        parameter: &'static str,
    },
    NegativeParameter {
        parameter: &'static str,
    },
    /// A weight or the damping limit outside 0–1.
    FractionOutOfRange {
        parameter: &'static str,
    },
    WeightsDoNotSumToOne {
        sum: Decimal,
    },
    NationalSupportNotBelowFrame,
    BaseAmountsExceedDistributed {
        base_total: Decimal,
        distributed: Decimal,
    },
    StatisticsYearMismatch {
        expected: i32,
        given: i32,
    },
    NegativeInhabitants {
        index: usize,
        municipality: String,
    },
    NegativeForsorjningsmatt {
        index: usize,
        municipality: String,
    },
    DuplicateStatistics {
        index: usize,
        municipality: String,
    },
    NoForbund,
    DuplicateForbund {
        index: usize,
        forbund: String,
    },
    NegativePreviousAllocation {
        index: usize,
        forbund: String,
    },
    /// The equity rule excludes förbund above the recommendation, and this one's standing is unknown.
    EquityAssessmentMissing {
        index: usize,
        forbund: String,
    },
    NoMembers {
        index: usize,
        forbund: String,
    },
    UnknownForbund {
        index: usize,
        forbund: String,
    },
    ShareOutOfRange {
        index: usize,
        municipality: String,
    },
    DuplicateMembership {
        index: usize,
        forbund: String,
        municipality: String,
    },
    MissingStatistics {
        index: usize,
        municipality: String,
    },
    /// `index` is the municipality's last membership: the one that took the sum over 1.
    SharesExceedOne {
        index: usize,
        municipality: String,
        total: Decimal,
    },
    KeyTotalZero {
        key: Key,
    },
    DampingInfeasible {
        floors: Decimal,
        distributed: Decimal,
    },
    /// The figures are beyond what exact arithmetic in 128 bits holds.
    TooLargeToCompute,
}

impl AllocationError {
    pub fn path(&self) -> String {
        use AllocationError::*;
        match self {
            MissingParameter { parameter }
            | NotWholeKronor { parameter }
            | NegativeParameter { parameter }
            | FractionOutOfRange { parameter } => format!("/parameters/{parameter}"),
            WeightsDoNotSumToOne { .. } => "/parameters/population_weight".to_owned(),
            NationalSupportNotBelowFrame => "/parameters/national_support".to_owned(),
            BaseAmountsExceedDistributed { .. } => "/parameters/base_amount".to_owned(),
            StatisticsYearMismatch { .. } => "/statistics/year".to_owned(),
            NegativeInhabitants { index, .. } => format!("/statistics/municipalities/{index}/inhabitants_16_64"),
            NegativeForsorjningsmatt { index, .. } => format!("/statistics/municipalities/{index}/forsorjningsmatt"),
            DuplicateStatistics { index, .. } => format!("/statistics/municipalities/{index}/municipality_code"),
            NoForbund => "/forbund".to_owned(),
            DuplicateForbund { index, .. } | NoMembers { index, .. } => format!("/forbund/{index}/forbund_key"),
            NegativePreviousAllocation { index, .. } => format!("/forbund/{index}/previous_allocation"),
            EquityAssessmentMissing { index, .. } => format!("/forbund/{index}/equity_above_recommendation"),
            UnknownForbund { index, .. } => format!("/memberships/{index}/forbund_key"),
            ShareOutOfRange { index, .. } | SharesExceedOne { index, .. } => format!("/memberships/{index}/share"),
            DuplicateMembership { index, .. } | MissingStatistics { index, .. } => {
                format!("/memberships/{index}/municipality_code")
            }
            KeyTotalZero { .. } => "/statistics/municipalities".to_owned(),
            DampingInfeasible { .. } => "/parameters/damping".to_owned(),
            TooLargeToCompute => String::new(),
        }
    }

    pub fn code(&self) -> ErrorCode {
        use AllocationError::*;
        match self {
            MissingParameter { .. } | NoForbund => ErrorCode::Required,
            NotWholeKronor { .. } => ErrorCode::NotWholeKronor,
            NegativeParameter { .. } | NegativeForsorjningsmatt { .. } | NegativePreviousAllocation { .. } => {
                ErrorCode::NegativeAmount
            }
            FractionOutOfRange { .. } | ShareOutOfRange { .. } => ErrorCode::OutOfRange,
            WeightsDoNotSumToOne { .. } => ErrorCode::WeightsNotOne,
            NationalSupportNotBelowFrame => ErrorCode::NationalSupportTooLarge,
            BaseAmountsExceedDistributed { .. } => ErrorCode::BaseAmountsTooLarge,
            StatisticsYearMismatch { .. } => ErrorCode::StatisticsYearMismatch,
            NegativeInhabitants { .. } => ErrorCode::NegativeCount,
            DuplicateStatistics { .. } => ErrorCode::DuplicateMunicipality,
            DuplicateForbund { .. } => ErrorCode::DuplicateForbund,
            EquityAssessmentMissing { .. } => ErrorCode::EquityAssessmentMissing,
            NoMembers { .. } => ErrorCode::NoMemberMunicipalities,
            UnknownForbund { .. } => ErrorCode::UnknownForbund,
            DuplicateMembership { .. } => ErrorCode::DuplicateMembership,
            MissingStatistics { .. } => ErrorCode::StatisticsMissing,
            SharesExceedOne { .. } => ErrorCode::SharesExceedOne,
            KeyTotalZero { .. } => ErrorCode::KeyTotalZero,
            DampingInfeasible { .. } => ErrorCode::DampingInfeasible,
            TooLargeToCompute => ErrorCode::AmountTooLarge,
        }
    }

    pub fn message(&self) -> String {
        use AllocationError::*;
        match self {
            MissingParameter { parameter } => {
                format!(
                    "{parameter} is not set for the allocation year: no source gives a value, so an admin must set it"
                )
            }
            NotWholeKronor { parameter } => {
                format!("{parameter} must be whole kronor: the allocation pays whole kronor")
            }
            NegativeParameter { parameter } => format!("{parameter} must not be negative"),
            FractionOutOfRange { parameter } => format!("{parameter} must be a fraction from 0 to 1"),
            WeightsDoNotSumToOne { sum } => format!(
                "forsorjningsmatt_weight and population_weight must sum to 1, so that the keys distribute all that \
                 is left after the base amounts; they sum to {sum}"
            ),
            NationalSupportNotBelowFrame => "national_support must be less than the frame".to_owned(),
            BaseAmountsExceedDistributed { base_total, distributed } => format!(
                "base_amount for every förbund comes to {base_total} kr, more than the {distributed} kr distributed"
            ),
            StatisticsYearMismatch { expected, given } => {
                format!("the statistics are of {given}; the parameters' statistics_year is {expected}")
            }
            NegativeInhabitants { municipality, .. } => {
                format!("municipality {municipality}: inhabitants_16_64 must not be negative")
            }
            NegativeForsorjningsmatt { municipality, .. } => {
                format!("municipality {municipality}: forsorjningsmatt must not be negative")
            }
            DuplicateStatistics { municipality, .. } => {
                format!("municipality {municipality} has statistics twice; each municipality once")
            }
            NoForbund => "at least one förbund must receive the allocation".to_owned(),
            DuplicateForbund { forbund, .. } => format!("förbund {forbund} is listed twice"),
            NegativePreviousAllocation { forbund, .. } => {
                format!("förbund {forbund}: previous_allocation must not be negative")
            }
            EquityAssessmentMissing { forbund, .. } => format!(
                "förbund {forbund}: equity_above_recommendation is not known, and the year's equity_rule excludes \
                 förbund above the recommendation from damping"
            ),
            NoMembers { forbund, .. } => format!("förbund {forbund} has no member municipality"),
            UnknownForbund { forbund, .. } => format!("förbund {forbund} is not among the förbund listed"),
            ShareOutOfRange { municipality, .. } => {
                format!("municipality {municipality}: a membership's share must be from 0 to 1")
            }
            DuplicateMembership { forbund, municipality, .. } => {
                format!("municipality {municipality} is a member of förbund {forbund} twice")
            }
            MissingStatistics { municipality, .. } => {
                format!("municipality {municipality} is a member but has no statistics for the year")
            }
            SharesExceedOne { municipality, total, .. } => format!(
                "municipality {municipality}: its shares in the förbund sum to {total}; a municipality is counted \
                 at most once, so at most 1"
            ),
            KeyTotalZero { key } => format!(
                "the member municipalities have no {} at all, so that key's part cannot be distributed",
                key.name()
            ),
            DampingInfeasible { floors, distributed } => format!(
                "the damping floors of the protected förbund come to {floors} kr, more than the {distributed} kr \
                 distributed"
            ),
            TooLargeToCompute => "the figures are too large to compute the allocation exactly".to_owned(),
        }
    }

    pub fn field_error(&self) -> FieldError {
        FieldError::new(self.path(), self.code(), self.message())
    }
}

impl std::fmt::Display for AllocationError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.path(), self.message())
    }
}

impl std::error::Error for AllocationError {}

//! Registration completeness of a reporting year, förbund by förbund, for the analysts who
//! follow it up. Counts of registered and submitted förbund mean what they mean in the
//! `completeness` table: only förbund with member municipalities during the year are expected.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::reporting_year::ReportingYear;

/// Where a förbund is with a year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum CompletenessState {
    /// No insats figures and no finances for the year, and not submitted.
    NothingRegistered,
    /// Something registered, not submitted.
    InProgress,
    /// The förbund declared the year complete.
    Submitted,
    /// The year is closed: nothing changes any more, whatever the förbund did.
    Closed,
}

/// A closed year outranks everything; then what the förbund declared; then what it registered.
pub fn state(year_closed: bool, submitted: bool, registered: bool) -> CompletenessState {
    match (year_closed, submitted, registered) {
        (true, _, _) => CompletenessState::Closed,
        (false, true, _) => CompletenessState::Submitted,
        (false, false, true) => CompletenessState::InProgress,
        (false, false, false) => CompletenessState::NothingRegistered,
    }
}

/// What the förbund has yet to register for the year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Missing {
    /// No finances registered for the year.
    pub finances: bool,
    /// Live insatser running at some time during the year (start and end dates overlap it)
    /// with no figures for it, by id.
    pub insatser_without_figures: Vec<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ForbundCompleteness {
    pub forbund_key: String,
    pub name: String,
    pub state: CompletenessState,
    /// Has member municipalities during the year: only such förbund count in the totals'
    /// `expected`, `registered` and `submitted` (as in the `completeness` table).
    pub expected: bool,
    /// Registered insats figures or finances for the year.
    pub registered: bool,
    /// When the förbund submitted the year, if it did.
    pub submitted_at: Option<DateTime<Utc>>,
    /// The latest audited change by or for this förbund about the year: the figures of its
    /// insatser, its finances, its submission, or an insats running during the year.
    pub last_change: Option<DateTime<Utc>>,
    pub missing: Missing,
}

/// How many förbund are in each state.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StateCounts {
    pub nothing_registered: i64,
    pub in_progress: i64,
    pub submitted: i64,
    pub closed: i64,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CompletenessTotals {
    /// Every förbund listed.
    pub forbund: i64,
    /// Förbund with member municipalities during the year: the table's `forbund`.
    pub expected: i64,
    /// Expected förbund that registered anything: the table's `forbund_registered`.
    pub registered: i64,
    /// Expected förbund that submitted the year: the table's `forbund_submitted`.
    pub submitted: i64,
    /// Every förbund listed, by state.
    pub by_state: StateCounts,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Completeness {
    /// The year itself: its state, deadline and who closed it.
    #[serde(flatten)]
    pub year: ReportingYear,
    pub totals: CompletenessTotals,
    /// Every förbund, by key.
    pub forbund: Vec<ForbundCompleteness>,
}

impl CompletenessTotals {
    pub fn of(forbund: &[ForbundCompleteness]) -> CompletenessTotals {
        let mut totals = CompletenessTotals { forbund: forbund.len() as i64, ..Default::default() };
        for f in forbund {
            if f.expected {
                totals.expected += 1;
                totals.registered += i64::from(f.registered);
                totals.submitted += i64::from(f.submitted_at.is_some());
            }
            let count = match f.state {
                CompletenessState::NothingRegistered => &mut totals.by_state.nothing_registered,
                CompletenessState::InProgress => &mut totals.by_state.in_progress,
                CompletenessState::Submitted => &mut totals.by_state.submitted,
                CompletenessState::Closed => &mut totals.by_state.closed,
            };
            *count += 1;
        }
        totals
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn closed_outranks_submitted_outranks_registered() {
        use CompletenessState::*;
        assert_eq!(state(true, true, true), Closed);
        assert_eq!(state(true, false, false), Closed);
        assert_eq!(state(false, true, false), Submitted, "a förbund may declare that it has nothing");
        assert_eq!(state(false, true, true), Submitted);
        assert_eq!(state(false, false, true), InProgress);
        assert_eq!(state(false, false, false), NothingRegistered);
    }

    #[test]
    fn totals_count_only_expected_forbund_as_the_table_does() {
        let f = |expected: bool, registered: bool, submitted: bool| ForbundCompleteness {
            forbund_key: "k".into(),
            name: "n".into(),
            state: state(false, submitted, registered),
            expected,
            registered,
            submitted_at: submitted.then(Utc::now),
            last_change: None,
            missing: Missing { finances: true, insatser_without_figures: vec![] },
        };
        let totals = CompletenessTotals::of(&[f(true, true, false), f(true, true, true), f(false, true, true)]);
        assert_eq!((totals.forbund, totals.expected, totals.registered, totals.submitted), (3, 2, 2, 1));
        assert_eq!(totals.by_state, StateCounts { nothing_registered: 0, in_progress: 1, submitted: 2, closed: 0 });
    }
}

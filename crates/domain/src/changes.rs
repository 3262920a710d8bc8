//! Which changes a registered insats allows, given the years it already has figures for. The
//! store enforces them in the transaction of the change; single writes and imports alike.

use crate::insats::Insats;
use crate::records::InsatsRecord;
use crate::{ErrorCode, Kind};

/// A change that what is stored does not allow: the rule (a stable code), the field and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Conflict {
    pub code: ErrorCode,
    pub field: &'static str,
    pub detail: String,
}

/// The first field, if any, of those that decide where the insats counts in a year's tables.
pub fn classification_change(before: &Insats, after: &Insats) -> Option<&'static str> {
    let sorted = |insats: &Insats| {
        let mut groups = insats.target_groups.clone();
        groups.sort();
        groups
    };
    if before.kind != after.kind {
        Some("/kind")
    } else if before.orientation != after.orientation {
        Some("/orientation")
    } else if sorted(before) != sorted(after) {
        Some("/target_groups")
    } else {
        None
    }
}

/// Deleting an insats (`after: None`), or changing its kind, orientation or target groups,
/// changes the tables of every year it has figures for: the field that does, and those years,
/// each of which must be open to the writer. Name, description and dates change no table.
pub fn years_touched(before: &InsatsRecord, after: Option<&Insats>) -> Option<(&'static str, Vec<i32>)> {
    let field = match after {
        None => "id",
        Some(after) => classification_change(&before.insats, after)?,
    };
    let years: Vec<i32> = before.years.iter().map(|y| y.year).collect();
    (!years.is_empty()).then_some((field, years))
}

/// Years already registered must stay inside the new span, and an individual insats must have
/// counted participants in each of them. The error is a conflict with what is stored.
pub fn years_still_fit(before: &InsatsRecord, insats: &Insats) -> Result<(), Conflict> {
    let outside: Vec<String> =
        before.years.iter().filter(|y| !insats.active_in(y.year)).map(|y| y.year.to_string()).collect();
    if !outside.is_empty() {
        return Err(Conflict {
            code: ErrorCode::YearsOutsideSpan,
            field: "/start_date",
            detail: format!(
                "figures are registered for {}, outside the new span; delete them first",
                outside.join(", ")
            ),
        });
    }
    let untracked: Vec<String> =
        before.years.iter().filter(|y| y.figures.participants.is_none()).map(|y| y.year.to_string()).collect();
    if insats.kind == Kind::Individual && !untracked.is_empty() {
        return Err(Conflict {
            code: ErrorCode::UntrackedYearsForIndividual,
            field: "/kind",
            detail: format!(
                "an individual insats must count participants, but {} have none; register them first",
                untracked.join(", ")
            ),
        });
    }
    Ok(())
}

//! The tables that count people: participants in individual insatser by orientation and
//! gender, and exits by reason and gender.

use finsam_domain::codes::Code;
use finsam_domain::{ExitReason, Gender};
use rust_decimal::Decimal;

use super::keys::exit_column;
use super::totals::YearTotals;
use super::values::{count, share};

/// `orientation` × `gender` × `measure`. `share_of_orientation` divides by the orientation's
/// participants (so it is 100.0 for gender `total`), `share_of_gender` by all participants of
/// the gender (so it is 100.0 for orientation `total`).
pub(crate) fn individual(year: &YearTotals, codes: &[&str]) -> Option<Decimal> {
    let &[orientation, gender, measure] = codes else {
        panic!("individual-participants has three dimensions after year")
    };
    let all = year.individual();
    let figures = year.orientation(orientation, all);
    let n = figures.participants_of(gender);
    match measure {
        "participants" => count(n),
        "share_of_orientation" => share(n, figures.participants()),
        "share_of_gender" => share(n, all.participants_of(gender)),
        _ => panic!("individual-participants has no measure {measure}"),
    }
}

/// `reason` × `gender` × `measure`: exits summed over all insats-years of the year. Insats-years
/// that report no exits add zero, so a year where nobody reports exits shows zeros, not blanks:
/// exits are optional in a registration and an absent report is not an unknown total.
pub(crate) fn exits(year: &YearTotals, codes: &[&str]) -> Option<Decimal> {
    let &[reason, gender, measure] = codes else { panic!("exits has three dimensions after year") };
    assert_eq!(measure, "exits", "exits has no measure {measure}");
    let exits = year.all().exits;
    let reasons: &[ExitReason] = one_or_all(reason).unwrap_or_else(|| panic!("exits has no reason {reason}"));
    let genders: &[Gender] = one_or_all(gender).unwrap_or_else(|| panic!("exits has no gender {gender}"));
    count(reasons.iter().flat_map(|&r| genders.iter().map(move |&g| exits[exit_column(r, g)])).sum())
}

/// The code named, or every code of the list for `total`.
fn one_or_all<T: Code>(code: &str) -> Option<&'static [T]> {
    if code == "total" {
        return Some(T::ALL);
    }
    T::from_code(code).map(|value| &T::ALL[value.index()..=value.index()])
}

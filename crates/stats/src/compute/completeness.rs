//! Registration completeness: of the förbund with member municipalities during the year (within
//! the selection), how many registered anything and how many declared the year complete, and
//! how many municipalities they cover. A förbund without members that year is not expected to
//! register, so it counts in none of these.

use std::collections::BTreeSet;

use rust_decimal::Decimal;

use super::frames::Frames;
use super::totals::{Selected, YearTotals};
use super::values::count;

impl Frames {
    /// Runs after the insats-year and finance passes, which mark who registered.
    pub(crate) fn add_completeness(&self, selected: &Selected, totals: &mut [YearTotals]) {
        for (position, &year) in selected.years.iter().enumerate() {
            let mut municipalities = BTreeSet::new();
            let counts = &mut totals[position].completeness;
            for (index, key) in self.forbund.iter().enumerate() {
                if !selected.covers[position][index] || !self.scope.has_members(key, year) {
                    continue;
                }
                counts.forbund += 1;
                counts.registered += i64::from(selected.registered[position][index]);
                counts.submitted += i64::from(self.submitted.contains(&(year, index)));
                municipalities.extend(self.scope.municipalities(key, year));
            }
            counts.municipalities = municipalities.len() as i64;
        }
    }
}

/// `measure`.
pub(crate) fn completeness(year: &YearTotals, codes: &[&str]) -> Option<Decimal> {
    let &[measure] = codes else { panic!("completeness has one dimension after year") };
    let c = year.completeness;
    count(match measure {
        "forbund" => c.forbund,
        "forbund_registered" => c.registered,
        "forbund_submitted" => c.submitted,
        "municipalities_covered" => c.municipalities,
        _ => panic!("completeness has no measure {measure}"),
    })
}

//! Which förbund a selection covers in a year. A förbund belongs to the county holding most of
//! its member municipalities during that year (ties: the lowest county code), so that every
//! förbund with members lands in exactly one county and the counties add up to the nation.
//! Memberships are a few hundred rows: plain Rust is clearer here than a frame.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use crate::inputs::MembershipRow;
use crate::table::Selection;

struct Membership {
    municipality: String,
    county: String,
    from: i32,
    to: Option<i32>,
}

impl Membership {
    fn covers(&self, year: i32) -> bool {
        self.from <= year && self.to.is_none_or(|to| year <= to)
    }
}

pub(crate) struct Scope {
    by_forbund: HashMap<String, Vec<Membership>>,
}

impl Scope {
    pub(crate) fn new(rows: &[MembershipRow]) -> Scope {
        let mut by_forbund: HashMap<String, Vec<Membership>> = HashMap::new();
        for row in rows {
            by_forbund.entry(row.forbund_key.clone()).or_default().push(Membership {
                municipality: row.municipality_code.clone(),
                county: row.county_code.clone(),
                from: row.valid_from_year,
                to: row.valid_to_year,
            });
        }
        Scope { by_forbund }
    }

    fn memberships(&self, forbund: &str, year: i32) -> impl Iterator<Item = &Membership> {
        self.by_forbund.get(forbund).into_iter().flatten().filter(move |m| m.covers(year))
    }

    /// The distinct member municipalities of a förbund during a year.
    pub(crate) fn municipalities(&self, forbund: &str, year: i32) -> BTreeSet<&str> {
        self.memberships(forbund, year).map(|m| m.municipality.as_str()).collect()
    }

    pub(crate) fn has_members(&self, forbund: &str, year: i32) -> bool {
        self.memberships(forbund, year).next().is_some()
    }

    /// The county a förbund counts in for a year; `None` when it has no members that year.
    pub(crate) fn county(&self, forbund: &str, year: i32) -> Option<&str> {
        // Distinct municipalities per county: a municipality listed twice (two membership periods
        // touching the same year) must not weigh double.
        let mut per_county: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
        for m in self.memberships(forbund, year) {
            per_county.entry(m.county.as_str()).or_default().insert(m.municipality.as_str());
        }
        // The map iterates counties in ascending code order and only a strictly larger count
        // replaces the leader, so a tie keeps the lowest code.
        let mut best: Option<(&str, usize)> = None;
        for (county, municipalities) in per_county {
            if best.is_none_or(|(_, n)| municipalities.len() > n) {
                best = Some((county, municipalities.len()));
            }
        }
        best.map(|(county, _)| county)
    }

    pub(crate) fn selects(&self, selection: &Selection, forbund: &str, year: i32) -> bool {
        match selection {
            Selection::National => true,
            Selection::Forbund(key) => key == forbund,
            Selection::County(code) => self.county(forbund, year) == Some(code.as_str()),
        }
    }
}

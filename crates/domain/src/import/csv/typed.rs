//! The fast path: an insats whose lines every rule passes, read straight into typed values.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};
use serde_json::Value;

use super::{CsvSource, INSATS_COLUMNS, LineAt, col};
use crate::codes::{Code, Kind, Orientation, TargetGroup};
use crate::import::Checker;
#[cfg(debug_assertions)]
use crate::import::Chunk;
use crate::import::ImportRow;
use crate::insats::{self, Insats};
use crate::insats_year::{Exits, GenderCounts, InsatsYear, MAX_COUNT};
use crate::reader::TextRule;
use crate::{identity, money};

impl CsvSource<'_> {
    /// The insats of these lines read straight into typed values, when every rule passes it.
    /// `None` when anything is off or merely unusual (a problem, a cell the rules might read
    /// otherwise): then the lines are read into the JSON form and the rules decide and name the
    /// problems. Most lines of most batches are fine, and building the JSON form of each costs
    /// more than all the rest of an import's reading. Debug builds check every row read here
    /// against the rules' reading.
    pub(super) fn typed(
        &self,
        index: usize,
        lines: &[LineAt],
        records: &[::csv::StringRecord],
        checker: &Checker,
    ) -> Option<ImportRow> {
        let first = &records[0];
        if records.iter().any(|r| r.iter().any(identity::contains)) {
            return None;
        }
        // Lines of an insats repeat its fields, cell for cell.
        if records[1..].iter().any(|r| (0..INSATS_COLUMNS.len()).any(|c| self.at(r, c) != self.at(first, c))) {
            return None;
        }
        let text = |column: usize| self.at(first, column);
        let external_ref = text(col::EXTERNAL_REF);
        if external_ref.is_empty() || !fits(external_ref, insats::EXTERNAL_REF) || checker.seen.contains(external_ref) {
            return None;
        }
        let name = text(col::NAME);
        if name.is_empty() || !fits(name, insats::NAME) {
            return None;
        }
        let description = match text(col::DESCRIPTION) {
            "" => None,
            description if fits(description, insats::DESCRIPTION) => Some(description.to_owned()),
            _ => return None,
        };
        let kind = Kind::from_code(&self.value(first, col::KIND).ok()?)?;
        let orientation =
            Orientation::from_code(&self.value(first, col::ORIENTATION).ok()?).filter(|o| o.kind() == kind)?;
        let mut target_groups = Vec::new();
        let groups = self.value(first, col::TARGET_GROUPS).ok()?;
        if !groups.is_empty() {
            for code in groups.split('|') {
                let group = TargetGroup::from_code(code.trim()).filter(|g| !target_groups.contains(g))?;
                target_groups.push(group);
            }
        }
        let contradictory =
            target_groups.contains(&TargetGroup::WomenOnly) && target_groups.contains(&TargetGroup::MenOnly);
        if contradictory || (kind == Kind::Structural && !target_groups.is_empty()) {
            return None;
        }
        target_groups.sort();
        let start_date = date(text(col::START_DATE))?;
        let end_date = match text(col::END_DATE) {
            "" => None,
            end => Some(date(end).filter(|end| *end >= start_date)?),
        };
        let insats = Insats {
            external_ref: Some(external_ref.to_owned()),
            name: name.to_owned(),
            description,
            kind,
            orientation,
            target_groups,
            start_date,
            end_date,
        };
        let mut years = BTreeMap::new();
        for record in records {
            let year = match self.at(record, col::YEAR) {
                "" => continue,
                year if year.len() == 4 && year.bytes().all(|b| b.is_ascii_digit()) => year.parse::<i32>().ok()?,
                _ => return None,
            };
            if !(insats::first_date().year()..=insats::last_date().year()).contains(&year) {
                return None;
            }
            if !insats.active_in(year) || years.insert(year, self.figures(record, kind)?).is_some() {
                return None;
            }
        }
        let external_ref = external_ref.to_owned();
        Some(ImportRow { index, line: Some(lines[0].line()), insats, external_ref, years })
    }

    /// A line's figures for its year, when every rule passes them; see [`CsvSource::typed`].
    pub(super) fn figures(&self, record: &::csv::StringRecord, kind: Kind) -> Option<InsatsYear> {
        let count = |column: usize| {
            let n = self.value(record, column).ok()?.parse::<u64>().ok().filter(|n| *n <= u64::from(MAX_COUNT))?;
            u32::try_from(n).ok()
        };
        let amount =
            |column: usize| money::parse(&Value::String(self.value(record, column).ok()?.into_owned()), false).ok();
        let participants = match (self.at(record, col::PARTICIPANTS_WOMEN), self.at(record, col::PARTICIPANTS_MEN)) {
            ("", "") if kind == Kind::Individual => return None,
            ("", "") => None,
            _ => Some(GenderCounts { women: count(col::PARTICIPANTS_WOMEN)?, men: count(col::PARTICIPANTS_MEN)? }),
        };
        let budget = amount(col::BUDGET)?;
        let outcome = match self.at(record, col::OUTCOME) {
            "" => None,
            _ => Some(amount(col::OUTCOME)?),
        };
        let exits = match col::EXITS.iter().all(|c| self.at(record, *c).is_empty()) {
            true => None,
            false => {
                let took_part = participants?;
                let pair =
                    |i: usize| Some(GenderCounts { women: count(col::EXITS[i])?, men: count(col::EXITS[i + 1])? });
                let exits = Exits { work: pair(0)?, studies: pair(2)?, job_seeking: pair(4)?, other: pair(6)? };
                let left = exits.sum();
                if left.women > took_part.women || left.men > took_part.men {
                    return None;
                }
                Some(exits)
            }
        };
        Some(InsatsYear { participants, budget, outcome, exits })
    }

    /// The typed reading must be the rules' reading, row for row.
    #[cfg(debug_assertions)]
    pub(super) fn assert_as_the_rules_read(
        &self,
        index: usize,
        lines: &[LineAt],
        records: &[::csv::StringRecord],
        row: &ImportRow,
    ) {
        let mut by_rules = Chunk::default();
        self.read_by_rules(index, lines, records, &mut Checker::default(), &mut by_rules);
        assert_eq!(by_rules, Chunk { rows: vec![row.clone()], errors: Vec::new() }, "lines {lines:?}");
    }
}

/// Whether free text passes its rule (as `Reader::text` checks it, blank aside).
fn fits(text: &str, rule: TextRule) -> bool {
    text.chars().count() <= rule.max_chars
        && !text.chars().any(|c| c.is_control() && !(rule.multiline && matches!(c, '\n' | '\r' | '\t')))
}

/// A date as `Reader::date` reads it, within the dates the service accepts.
fn date(text: &str) -> Option<NaiveDate> {
    let date = (text.len() == 10).then(|| NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()).flatten()?;
    (insats::first_date()..=insats::last_date()).contains(&date).then_some(date)
}

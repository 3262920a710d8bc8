//! Open tables: every table of a year for the nation, each county and each förbund, after
//! disclosure control, as published without a token and in the yearly export.
//!
//! Person counts (participants, exits) from 1 to the threshold are suppressed, and enough other
//! cells that none of them can be computed from what is published beside it: the other cells of
//! its table, the same table at the other levels (see [`family`]), and the other person tables,
//! since nobody leaves who did not take part (exits ≤ participants, see [`persons`]). Shares whose
//! numerator or denominator is suppressed are suppressed too, since share × denominator gives the
//! count back. Counts of insatser, förbund and municipalities, and money, are not about persons
//! and are published as they are. Each year is protected on its own (no relation adds years up),
//! so a year's pattern is the same alone and in any series; a new release of a year is protected
//! together with the year's earlier releases (see [`releases`]).

mod family;
mod files;
mod persons;
mod releases;
mod stack;

use std::collections::HashMap;

use finsam_stats::{Frames, Selection, StatsError, Table, TableId};

pub use files::{ExportFile, Names, README_NAME, export_files, zip_files};
pub use stack::stack;

use crate::disclosure::Status;
use family::{Layout, position};
use persons::PERSON_TABLES;

/// The status of a suppressed cell, in JSON-stat, CSV and XLSX.
pub const SUPPRESSED: &str = ".";

/// The default threshold: person counts of 1 to 4 are hidden.
pub const DEFAULT_THRESHOLD: i64 = 4;

/// A table as published: suppressed values removed, their status [`SUPPRESSED`].
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct OpenTable {
    pub table: Table,
    /// One entry per value.
    pub status: Vec<Option<String>>,
}

impl OpenTable {
    pub fn suppressed(&self) -> usize {
        self.status.iter().flatten().count()
    }
}

/// Every open table of one year, at every level.
pub struct OpenYear {
    pub year: i32,
    pub threshold: i64,
    /// The nation first, then the counties, then the förbund.
    pub selections: Vec<Selection>,
    index: HashMap<Selection, usize>,
    /// `tables[table][selection]`, tables in `TableId::OPEN` order.
    tables: Vec<Vec<OpenTable>>,
    /// The exact tables they were protected from, in the same order. Never published: kept so
    /// that a later release of the year can be protected together with this one.
    exact: Vec<Vec<Table>>,
    /// Each selection's parent level (`None` for the nation), as protected; `None` when loaded
    /// without it (then a later release assumes today's levels, see `releases`).
    parents: Option<Vec<Option<usize>>>,
}

/// What in a table counts persons, and the shares derived from it.
struct PersonMeasure {
    measure: &'static str,
    /// (share measure, the dimension whose `total` category holds the denominator)
    shares: &'static [(&'static str, &'static str)],
}

fn person_measure(id: TableId) -> Option<PersonMeasure> {
    match id {
        TableId::IndividualParticipants => Some(PersonMeasure {
            measure: "participants",
            shares: &[("share_of_orientation", "gender"), ("share_of_gender", "orientation")],
        }),
        TableId::StructuralInsatser => {
            Some(PersonMeasure { measure: "participants", shares: &[("share_of_participants", "orientation")] })
        }
        TableId::Exits => Some(PersonMeasure { measure: "exits", shares: &[] }),
        _ => None,
    }
}

impl OpenYear {
    /// Computes and protects every table of `year` for the nation, `counties` (every county
    /// code, also those without förbund) and every förbund the frames know.
    pub fn build(frames: &Frames, counties: &[String], year: i32, threshold: i64) -> Result<OpenYear, StatsError> {
        Self::build_after(frames, counties, year, threshold, &[])
    }

    /// The same, as a new release of a year whose `earlier` releases (oldest first) are
    /// published: protected so that no suppressed cell of any of them can be recovered by
    /// combining them.
    pub fn build_after(
        frames: &Frames,
        counties: &[String],
        year: i32,
        threshold: i64,
        earlier: &[&OpenYear],
    ) -> Result<OpenYear, StatsError> {
        let attribution = frames.county_attribution(year);
        let mut selections = vec![Selection::National];
        selections.extend(counties.iter().cloned().map(Selection::County));
        selections.extend(attribution.iter().map(|(key, _)| Selection::Forbund(key.clone())));
        let index: HashMap<Selection, usize> = selections.iter().cloned().enumerate().map(|(i, s)| (s, i)).collect();
        // A förbund's parent is its county; with no members that year, or a county not listed,
        // it adds straight into the nation.
        let parents: Vec<Option<usize>> = selections
            .iter()
            .map(|selection| match selection {
                Selection::National => None,
                Selection::County(_) => Some(0),
                Selection::Forbund(key) => {
                    let county = attribution.iter().find(|(k, _)| k == key).and_then(|(_, c)| c.clone());
                    Some(county.and_then(|c| index.get(&Selection::County(c)).copied()).unwrap_or(0))
                }
            })
            .collect();
        let mut by_selection = Vec::with_capacity(selections.len());
        for selection in &selections {
            by_selection.push(frames.compute_many(&TableId::OPEN, &[year], selection)?);
        }
        let exact: Vec<Vec<Table>> =
            (0..TableId::OPEN.len()).map(|t| by_selection.iter().map(|tables| tables[t].clone()).collect()).collect();
        let person_family = |id: TableId| PERSON_TABLES.iter().position(|&p| p == id);
        let families = PERSON_TABLES.map(|id| &exact[table_position(id)][..]);
        let current = releases::Version::new(&selections, families, &parents);
        let status = releases::protect(&current, &parents, earlier, threshold);
        let mut status = current.persons.spread(&status);
        let tables = TableId::OPEN
            .iter()
            .zip(&exact)
            .map(|(&id, family)| match person_family(id) {
                Some(f) => open_family(id, family.clone(), std::mem::take(&mut status[f])),
                None => family.iter().cloned().map(|table| publish(table, &[])).collect(),
            })
            .collect();
        Ok(OpenYear { year, threshold, selections, index, tables, exact, parents: Some(parents) })
    }

    /// A year as stored: `open[table][selection]` and `exact` in `TableId::OPEN` and
    /// `selections` order. `None` when the shapes do not agree.
    pub fn from_parts(
        year: i32,
        threshold: i64,
        selections: Vec<Selection>,
        open: Vec<Vec<OpenTable>>,
        exact: Vec<Vec<Table>>,
    ) -> Option<OpenYear> {
        let fits = |n: usize| n == TableId::OPEN.len();
        let shaped = |family: usize| family == selections.len();
        if !fits(open.len())
            || !fits(exact.len())
            || !open.iter().map(Vec::len).chain(exact.iter().map(Vec::len)).all(shaped)
        {
            return None;
        }
        let index = selections.iter().cloned().enumerate().map(|(i, s)| (s, i)).collect();
        Some(OpenYear { year, threshold, selections, index, tables: open, exact, parents: None })
    }

    /// Every selection's exact table of one id, in [`OpenYear::selections`] order. Not for publication.
    pub fn exact_family(&self, id: TableId) -> &[Table] {
        &self.exact[table_position(id)]
    }

    /// One open table; `None` for a selection the year does not hold (an unknown county or förbund).
    pub fn table(&self, id: TableId, selection: &Selection) -> Option<&OpenTable> {
        self.index.get(selection).map(|&s| &self.tables[table_position(id)][s])
    }

    /// Every selection's version of one table, in [`OpenYear::selections`] order.
    pub fn family(&self, id: TableId) -> &[OpenTable] {
        &self.tables[table_position(id)]
    }
}

fn table_position(id: TableId) -> usize {
    TableId::OPEN.iter().position(|&i| i == id).expect("only open tables are asked of a release")
}

/// A person family as published, from the status of its counts at every node.
fn open_family(id: TableId, tables: Vec<Table>, statuses: Vec<Vec<Status>>) -> Vec<OpenTable> {
    let person = person_measure(id).expect("a person family");
    tables
        .into_iter()
        .zip(statuses)
        .map(|(table, mut status)| {
            suppress_shares(&table, &person, &mut status);
            publish(table, &status)
        })
        .collect()
}

/// A share is suppressed when its numerator or denominator count is.
fn suppress_shares(table: &Table, person: &PersonMeasure, status: &mut [Status]) {
    let layout = Layout::of(table);
    let measure_dim = table.dimensions.len() - 1;
    let count_at = position(table, measure_dim, person.measure).expect("the person measure is in its table");
    for &(share, denominator_dim) in person.shares {
        let share_at = position(table, measure_dim, share).expect("the share is in its table");
        let dim = table.dimensions.iter().position(|d| d.id == denominator_dim).expect("the dimension exists");
        let total_at = position(table, dim, "total").expect("the dimension has a total");
        for i in 0..table.values.len() {
            let mut coords = layout.coords(i);
            if coords[measure_dim] != share_at {
                continue;
            }
            coords[measure_dim] = count_at;
            let numerator = layout.index(&coords);
            coords[dim] = total_at;
            let denominator = layout.index(&coords);
            if status[numerator].is_suppressed() || status[denominator].is_suppressed() {
                status[i] = Status::Secondary;
            }
        }
    }
}

/// The table with its suppressed values removed; values beyond `status` are published.
fn publish(mut table: Table, status: &[Status]) -> OpenTable {
    let status = table
        .values
        .iter_mut()
        .enumerate()
        .map(|(i, value)| {
            status.get(i).is_some_and(|s| s.is_suppressed()).then(|| {
                *value = None;
                SUPPRESSED.to_owned()
            })
        })
        .collect();
    OpenTable { table, status }
}

/// Year blocks of the same table and selection, oldest first, as one series table.
pub fn series(blocks: &[&OpenTable]) -> Option<OpenTable> {
    let first = blocks.first()?;
    let mut table = first.table.clone();
    let mut status = first.status.clone();
    for block in &blocks[1..] {
        table.dimensions[0].categories.extend(block.table.dimensions[0].categories.iter().cloned());
        table.values.extend(block.table.values.iter().copied());
        status.extend(block.status.iter().cloned());
    }
    Some(OpenTable { table, status })
}

/// The note on method and threshold that goes with every open table.
pub fn method_note(lang: crate::Lang, threshold: i64) -> String {
    match lang {
        crate::Lang::Sv => format!(
            "Röjandekontroll: antal personer (deltagare, avslut) från 1 till {threshold} är undertryckta (\"{SUPPRESSED}\"), \
             liksom så många andra celler att ingen undertryckt cell kan räknas ut av den som känner allt som publiceras: \
             summorna i tabellen och mellan riket, länen och förbunden, att antal aldrig är negativa, och att avslutade \
             deltagare per kön aldrig är fler än deltagarna (individinriktade deltagare av könet plus deltagare i \
             strukturövergripande insatser), på varje nivå. En ny version av ett års tabeller skyddas tillsammans med \
             årets tidigare versioner, som om man också visste vilka celler som inte ändrats. Varje undertryckt cells \
             möjliga värden spänner över mer än {threshold}. Andelar av ett undertryckt antal är undertryckta. Antal \
             insatser och belopp är inte personuppgifter och visas som de är."
        ),
        crate::Lang::En => format!(
            "Disclosure control: counts of persons (participants, exits) from 1 to {threshold} are suppressed \
             (\"{SUPPRESSED}\"), and enough other cells that no suppressed cell can be computed by someone who knows \
             everything published: the totals of the table and between the nation, counties and förbund, that counts \
             are never negative, and that exits of a gender never exceed participants (individual participants of the \
             gender plus participants of structural insatser), at every level. A new release of a year's tables is \
             protected together with the year's earlier releases, as if it were also known which cells did not change. \
             Every suppressed cell's feasible values span more than {threshold}. Shares of a suppressed count are \
             suppressed. Counts of insatser and money are not person data and are shown as they are."
        ),
    }
}

#[cfg(test)]
mod protection_tests;
#[cfg(test)]
mod tests;

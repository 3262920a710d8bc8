//! From the tables to the report: what the builder is given ([`Inputs`]) and how it takes a
//! figure out of a table ([`Ctx::fig`]). The sections are in `sections.rs`, the numbered tables
//! in `tables.rs`.

mod sections;
mod tables;

use finsam_domain::report_section::ReportSection;
use finsam_stats::{Table, TableId};

use crate::model::{Block, Chart, Figure, Form, Report, Run, Section, Sentence, TableBlock};
use crate::number;

/// One table as the report may read it: computed (exact, every status `None`) or from an open
/// release (`status[i]` set where cell `i` is suppressed).
#[derive(Debug, Clone)]
pub struct SourceTable {
    pub table: Table,
    pub status: Vec<Option<String>>,
}

impl SourceTable {
    pub fn exact(table: Table) -> SourceTable {
        let status = vec![None; table.values.len()];
        SourceTable { table, status }
    }
}

/// A förbund at the end of the year, with its member municipalities then.
#[derive(Debug, Clone, PartialEq)]
pub struct ForbundEntry {
    pub name: String,
    pub county: String,
    pub municipalities: Vec<String>,
}

/// A municipality joining or leaving a förbund during the year.
#[derive(Debug, Clone, PartialEq)]
pub struct MembershipChange {
    /// ISO date, e.g. "2023-07-01".
    pub date: String,
    pub municipality: String,
    pub forbund: String,
    pub joined: bool,
}

#[derive(Debug, Clone)]
pub struct Inputs {
    pub year: i32,
    /// Which figures these are and as of when, in Swedish.
    pub edition: String,
    pub open: bool,
    /// For the open edition: how cells are protected, in Swedish.
    pub method_note: Option<String>,
    /// Every table the report reads, the equity and completeness tables over the years before
    /// `year` too (as many as there are), the others for `year`. A table missing here (the open
    /// edition has no money tables) leaves its part out, saying so.
    pub tables: Vec<SourceTable>,
    pub forbund: Vec<ForbundEntry>,
    pub changes: Vec<MembershipChange>,
    pub commentary: Vec<(ReportSection, String)>,
}

/// The years before `year` the report shows in its series (förbund per year, equity per year).
pub const SERIES_FROM: i32 = 2008;

/// The report of `inputs.year`.
pub fn build(inputs: &Inputs) -> Report {
    let mut ctx = Ctx { inputs, tables: 0, charts: 0 };
    let sections = ReportSection::ALL
        .iter()
        .enumerate()
        .map(|(i, &section)| {
            let blocks = sections::blocks(&mut ctx, section);
            let commentary = inputs.commentary.iter().find(|(s, _)| *s == section).map(|(_, text)| text.clone());
            Section {
                section,
                number: (i + 1).to_string(),
                heading: section.heading_sv().to_owned(),
                blocks,
                commentary,
            }
        })
        .collect();
    Report {
        year: inputs.year,
        title: format!("Samordningsförbundens insatser och målgrupper {}", inputs.year),
        edition: inputs.edition.clone(),
        open: inputs.open,
        sections,
    }
}

pub(crate) struct Ctx<'a> {
    pub inputs: &'a Inputs,
    tables: u32,
    charts: u32,
}

impl<'a> Ctx<'a> {
    pub fn year(&self) -> i32 {
        self.inputs.year
    }

    pub fn has(&self, id: TableId) -> bool {
        self.source(id).is_some()
    }

    fn source(&self, id: TableId) -> Option<&'a SourceTable> {
        self.inputs.tables.iter().find(|t| t.table.id == id)
    }

    /// The years the table `id` holds, oldest first.
    pub fn years(&self, id: TableId) -> Vec<i32> {
        self.source(id)
            .and_then(|s| s.table.dimensions.first())
            .map(|d| d.categories.iter().filter_map(|c| c.code.parse().ok()).collect())
            .unwrap_or_default()
    }

    /// The figure at `codes` (every dimension after the year) of `year`'s row of table `id`.
    pub fn fig_of(&self, id: TableId, year: i32, codes: &[&str], form: Form) -> Figure {
        let mut cell = vec![year.to_string()];
        cell.extend(codes.iter().map(|c| (*c).to_owned()));
        let found = self.source(id).and_then(|source| {
            let index = index(&source.table, &cell)?;
            Some((source.table.values[index], source.status[index].is_some()))
        });
        let (value, text) = match found {
            Some((_, true)) => (None, ".".to_owned()),
            Some((Some(v), false)) => (Some(v), number::format(v, form)),
            _ => (None, "–".to_owned()),
        };
        Figure { text, table: id, cell, form, value }
    }

    /// The figure at `codes` of this year.
    pub fn fig(&self, id: TableId, codes: &[&str], form: Form) -> Figure {
        self.fig_of(id, self.year(), codes, form)
    }

    pub fn next_table(&mut self) -> u32 {
        self.tables += 1;
        self.tables
    }

    pub fn next_chart(&mut self) -> u32 {
        self.charts += 1;
        self.charts
    }

    /// A category's Swedish label, as the table gives it.
    pub fn label(&self, id: TableId, dimension: &str, code: &str) -> String {
        self.source(id)
            .and_then(|s| s.table.dimensions.iter().find(|d| d.id == dimension))
            .and_then(|d| d.categories.iter().find(|c| c.code == code))
            .map_or_else(|| code.to_owned(), |c| c.label_sv.clone())
    }

    /// The codes of a dimension of table `id`, in the table's order.
    pub fn codes(&self, id: TableId, dimension: &str) -> Vec<String> {
        self.source(id)
            .and_then(|s| s.table.dimensions.iter().find(|d| d.id == dimension))
            .map(|d| d.categories.iter().map(|c| c.code.clone()).collect())
            .unwrap_or_default()
    }

    pub fn chart(&mut self, caption: String, categories: Vec<String>, series: Vec<(String, Vec<Figure>)>) -> Block {
        let number = self.next_chart();
        let (svg, svg_html) = crate::chart::bars(&caption, &categories, &series);
        let mut columns = vec![String::new()];
        columns.extend(series.iter().map(|(name, _)| name.clone()));
        let rows = categories
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let mut cells = vec![crate::model::Cell::Text(c.clone())];
                cells.extend(series.iter().map(|(_, figs)| crate::model::Cell::Figure(figs[i].clone())));
                crate::model::Row { cells, total: false }
            })
            .collect();
        let data =
            TableBlock { number: 0, caption: format!("Uppgifterna i diagram {number}"), columns, rows, note: None };
        Block::Chart(Chart { number, caption, svg, svg_html, data })
    }
}

fn index(table: &Table, cell: &[String]) -> Option<usize> {
    if cell.len() != table.dimensions.len() {
        return None;
    }
    let mut index = 0;
    for (dimension, code) in table.dimensions.iter().zip(cell) {
        let position = dimension.categories.iter().position(|c| &c.code == code)?;
        index = index * dimension.categories.len() + position;
    }
    Some(index)
}

/// Sentence-building shorthands.
pub(crate) fn text(t: impl Into<String>) -> Run {
    Run::Text(t.into())
}

pub(crate) fn fixed(t: impl Into<String>) -> Sentence {
    Sentence { kind: None, runs: vec![text(t)] }
}

pub(crate) fn claim(kind: &'static str, runs: Vec<Run>) -> Sentence {
    Sentence { kind: Some(kind), runs }
}

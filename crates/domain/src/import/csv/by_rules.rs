//! The rules' path: an insats's lines gathered into the JSON form and checked by the rules of
//! a JSON batch, their errors named by the file's lines and columns.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashSet};

use serde_json::{Map, Value, json};

use super::{CSV_COLUMNS, CsvSource, INSATS_COLUMNS, LineAt};
use crate::ErrorCode;
use crate::identity;
use crate::import::{Checker, Chunk, RowError};

const REASONS: &[&str] = &["work", "studies", "job_seeking", "other"];

/// One insats gathered from its lines.
struct Gathered {
    line: usize,
    insats: Map<String, Value>,
    years: Map<String, Value>,
    /// The line each year is on, for the errors in its figures.
    year_lines: BTreeMap<String, usize>,
    problems: Vec<RowError>,
}

impl CsvSource<'_> {
    /// Reads an insats' lines into the JSON form and checks them by the rules, into `chunk`.
    pub(super) fn read_by_rules(
        &self,
        index: usize,
        lines: &[LineAt],
        records: &[::csv::StringRecord],
        checker: &mut Checker,
        chunk: &mut Chunk,
    ) {
        let mut gathered = None;
        for (at, record) in lines.iter().zip(records) {
            self.gather(&mut gathered, index, at.line(), record);
        }
        self.check(index, gathered.expect("an insats has a line"), checker, chunk);
    }

    /// Adds one line to its insats, with the problems of the line itself.
    fn gather(&self, gathered: &mut Option<Gathered>, index: usize, line: usize, record: &::csv::StringRecord) {
        let mut unreadable = Vec::new();
        let values: Vec<Option<Cow<str>>> = (0..CSV_COLUMNS.len())
            .map(|column| {
                self.columns[column].and_then(|i| record.get(i)).map(|_| {
                    self.value(record, column).unwrap_or_else(|problem| {
                        unreadable.push((column, problem));
                        Cow::Borrowed(self.at(record, column))
                    })
                })
            })
            .collect();
        let cell = |name: &str| {
            let column = CSV_COLUMNS.iter().position(|c| *c == name).expect("a known column");
            values[column].as_deref()
        };
        let insats = insats_object(&cell);
        let gathered = gathered.get_or_insert_with(|| Gathered {
            line,
            insats: insats.clone(),
            years: Map::new(),
            year_lines: BTreeMap::new(),
            problems: Vec::new(),
        });
        let mut reject = |field: &str, code: ErrorCode, detail: String| {
            gathered.problems.push(RowError { index, line: Some(line), field: field.to_owned(), code, detail });
        };
        // Every cell, also those of a line that only repeats its insats' fields: the rules see
        // only the first of those.
        for (column, _) in self.header.iter().zip(record.iter()).filter(|(_, value)| identity::contains(value)) {
            reject(column, identity::CODE, identity::MESSAGE.to_owned());
        }
        for (column, problem) in unreadable {
            reject(CSV_COLUMNS[column], problem.code, problem.detail);
        }
        if let Some(column) = INSATS_COLUMNS.iter().find(|c| insats.get(**c) != gathered.insats.get(**c)) {
            reject(
                column,
                ErrorCode::ConflictingLines,
                format!("differs from line {} of the same external_ref", gathered.line),
            );
        }
        match cell("year").unwrap_or_default() {
            "" => {}
            year if identity::contains(year) => {}
            year if gathered.years.contains_key(year) => reject(
                "year",
                ErrorCode::DuplicateYear,
                format!("{year} is on more than one line of this external_ref"),
            ),
            year => {
                gathered.years.insert(year.to_owned(), year_object(&cell));
                gathered.year_lines.insert(year.to_owned(), line);
            }
        }
    }

    /// Checks one gathered insats by the rules of the JSON form, its errors named by line and column.
    fn check(&self, index: usize, g: Gathered, checker: &mut Checker, chunk: &mut Chunk) {
        let mut insats = g.insats;
        if !g.years.is_empty() {
            insats.insert("years".into(), Value::Object(g.years));
        }
        let mut own = Chunk::default();
        checker.check(index, Some(g.line), &Value::Object(insats), &mut own);
        // Rule errors point into the JSON form; on CSV the column name says more.
        for error in &mut own.errors {
            // A year's figures are on a line of their own, not always the insats' first.
            let parts: Vec<&str> = error.field.split('/').collect();
            if let ["", "insatser", _, "years", year, ..] = parts.as_slice()
                && let Some(&line) = g.year_lines.get(*year)
            {
                error.line = Some(line);
            }
            error.field = column_of(&error.field);
        }
        let mut problems = g.problems;
        for error in own.errors.iter_mut().chain(&mut problems) {
            error.field = self.written(&error.field);
        }
        // A cell found unreadable or with a person in it is said once, by what was found in it, not
        // again by the rules that read what was left of it.
        let found: HashSet<(Option<usize>, String)> = problems.iter().map(|e| (e.line, e.field.clone())).collect();
        own.errors.retain(|e| !found.contains(&(e.line, e.field.clone())));
        own.errors.extend(problems);
        own.errors.sort_by_key(|e| e.line);
        // The rules passed the row on its first line; a later line can still reject it.
        if own.errors.is_empty() {
            chunk.rows.extend(own.rows);
        }
        chunk.errors.extend(own.errors);
    }
}

fn insats_object<'a>(cell: &impl Fn(&str) -> Option<&'a str>) -> Map<String, Value> {
    let mut insats = Map::new();
    for column in INSATS_COLUMNS {
        match (*column, cell(column)) {
            (_, None | Some("")) if *column == "target_groups" => {
                insats.insert("target_groups".into(), json!([]));
            }
            (_, None | Some("")) => {}
            ("target_groups", Some(groups)) => {
                insats.insert("target_groups".into(), groups.split('|').map(|g| json!(g.trim())).collect());
            }
            (_, Some(text)) => {
                insats.insert((*column).into(), json!(text));
            }
        }
    }
    insats
}

fn year_object<'a>(cell: &impl Fn(&str) -> Option<&'a str>) -> Value {
    let mut figures = Map::new();
    let filled = |name: &str| cell(name).filter(|v| !v.is_empty());
    if filled("participants_women").is_some() || filled("participants_men").is_some() {
        let count = |name: &str| filled(name).map_or(Value::Null, number);
        figures.insert(
            "participants".into(),
            json!({ "women": count("participants_women"), "men": count("participants_men") }),
        );
    } else {
        figures.insert("participants".into(), Value::Null);
    }
    for money in ["budget", "outcome"] {
        if let Some(amount) = filled(money) {
            figures.insert(money.into(), json!(amount));
        }
    }
    let exit_columns: Vec<String> =
        REASONS.iter().flat_map(|r| [format!("exits_{r}_women"), format!("exits_{r}_men")]).collect();
    if exit_columns.iter().any(|c| filled(c).is_some()) {
        let exits: Map<String, Value> = REASONS
            .iter()
            .map(|r| {
                let count = |g: &str| filled(&format!("exits_{r}_{g}")).map_or(Value::Null, number);
                ((*r).to_owned(), json!({ "women": count("women"), "men": count("men") }))
            })
            .collect();
        figures.insert("exits".into(), Value::Object(exits));
    }
    Value::Object(figures)
}

/// A whole number as a JSON number; anything else stays text, for the rules to refuse by name.
fn number(text: &str) -> Value {
    text.parse::<u64>().map_or_else(|_| json!(text), |n| json!(n))
}

/// `/insatser/3/years/2023/participants/women` → `participants_women`; `/insatser/3/name` → `name`.
fn column_of(pointer: &str) -> String {
    let parts: Vec<&str> = pointer.split('/').skip(3).collect();
    match parts.as_slice() {
        ["years", year] => format!("year {year}"),
        ["years", _, rest @ ..] => rest.join("_"),
        [] => String::new(),
        rest => rest[0].to_owned(),
    }
}

//! The CSV form of a batch: one line per insats-year (or per insats, with `year` empty), the
//! insats' fields repeated on each of its lines, the payload's nested fields flattened with `_`
//! (`participants_women`, `exits_work_men`), target groups separated by `|`. Lines are grouped by
//! external_ref into the JSON form and checked by the same rules; errors name the line.

use std::collections::{BTreeMap, HashSet};

use serde_json::{Map, Value, json};

use super::{Batch, MAX_ROWS, Mode, RowError, check_rows, too_many_rows};
use crate::{FieldError, identity};

/// The header, in this order or any other; `description`, `end_date`, `target_groups`, `outcome`
/// and the exits may be left out or empty.
pub const CSV_COLUMNS: &[&str] = &[
    "external_ref",
    "name",
    "description",
    "kind",
    "orientation",
    "target_groups",
    "start_date",
    "end_date",
    "year",
    "participants_women",
    "participants_men",
    "budget",
    "outcome",
    "exits_work_women",
    "exits_work_men",
    "exits_studies_women",
    "exits_studies_men",
    "exits_job_seeking_women",
    "exits_job_seeking_men",
    "exits_other_women",
    "exits_other_men",
];

const INSATS_COLUMNS: &[&str] =
    &["external_ref", "name", "description", "kind", "orientation", "target_groups", "start_date", "end_date"];
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

pub fn parse_csv(text: &str, mode: Mode) -> Result<Batch, Vec<FieldError>> {
    let mut reader = ::csv::ReaderBuilder::new().flexible(false).from_reader(text.as_bytes());
    let header: Vec<String> = match reader.headers() {
        Ok(h) => h.iter().map(|c| c.trim().to_owned()).collect(),
        Err(e) => return Err(vec![FieldError::new("line 1", "bad_csv", e.to_string())]),
    };
    let unknown: Vec<FieldError> = header
        .iter()
        .filter(|c| !CSV_COLUMNS.contains(&c.as_str()))
        .map(|c| match identity::contains(c) {
            true => identity::refused_name(format!("column {}", identity::shown(c))),
            false => FieldError::new(
                format!("column {c}"),
                "unknown_column",
                format!("known columns: {}", CSV_COLUMNS.join(",")),
            ),
        })
        .collect();
    if !unknown.is_empty() {
        return Err(unknown);
    }
    for required in ["external_ref", "name", "kind", "orientation", "start_date"] {
        if !header.iter().any(|c| c == required) {
            return Err(vec![FieldError::new(format!("column {required}"), "required", "the header must have it")]);
        }
    }
    let mut by_ref: Vec<Gathered> = Vec::new();
    let mut position: BTreeMap<String, usize> = BTreeMap::new();
    for (n, record) in reader.records().enumerate() {
        let line = n + 2;
        let record = record.map_err(|e| vec![FieldError::new(format!("line {line}"), "bad_csv", e.to_string())])?;
        let cell = |name: &str| header.iter().position(|c| c == name).and_then(|i| record.get(i)).map(str::trim);
        let external_ref = cell("external_ref").unwrap_or_default().to_owned();
        let insats = insats_object(&cell);
        let index = match position.get(&external_ref) {
            Some(&i) if !external_ref.is_empty() => i,
            _ => {
                if by_ref.len() == MAX_ROWS {
                    return Err(vec![too_many_rows(&format!("line {line}"), MAX_ROWS + 1)]);
                }
                position.insert(external_ref.clone(), by_ref.len());
                by_ref.push(Gathered {
                    line,
                    insats: insats.clone(),
                    years: Map::new(),
                    year_lines: BTreeMap::new(),
                    problems: Vec::new(),
                });
                by_ref.len() - 1
            }
        };
        let gathered = &mut by_ref[index];
        let mut reject = |field: &str, code: &str, detail: String| {
            gathered.problems.push(RowError {
                index,
                line: Some(line),
                field: field.to_owned(),
                code: code.to_owned(),
                detail,
            });
        };
        // Every cell, also those of a line that only repeats its insats' fields: the rules see
        // only the first of those.
        for (column, _) in header.iter().zip(record.iter()).filter(|(_, value)| identity::contains(value)) {
            reject(column, identity::CODE, identity::MESSAGE.to_owned());
        }
        if let Some(column) = INSATS_COLUMNS.iter().find(|c| insats.get(**c) != gathered.insats.get(**c)) {
            reject(
                column,
                "conflicting_lines",
                format!("differs from line {} of the same external_ref", gathered.line),
            );
        }
        match cell("year").unwrap_or_default() {
            "" => {}
            year if identity::contains(year) => {}
            year if gathered.years.contains_key(year) => {
                reject("year", "duplicate_year", format!("{year} is on more than one line of this external_ref"))
            }
            year => {
                gathered.years.insert(year.to_owned(), year_object(&cell));
                gathered.year_lines.insert(year.to_owned(), line);
            }
        }
    }
    let values: Vec<(usize, Option<usize>, Value)> = by_ref
        .iter()
        .enumerate()
        .map(|(i, g)| {
            let mut insats = g.insats.clone();
            if !g.years.is_empty() {
                insats.insert("years".into(), Value::Object(g.years.clone()));
            }
            (i, Some(g.line), Value::Object(insats))
        })
        .collect();
    let rows: Vec<(usize, Option<usize>, &Value)> = values.iter().map(|(i, l, v)| (*i, *l, v)).collect();
    let mut batch = check_rows(mode, &rows);
    // Rule errors point into the JSON form; on CSV the column name says more.
    for error in &mut batch.errors {
        // A year's figures are on a line of their own, not always the insats' first.
        let parts: Vec<&str> = error.field.split('/').collect();
        if let ["", "insatser", _, "years", year, ..] = parts.as_slice()
            && let Some(&line) = by_ref[error.index].year_lines.get(*year)
        {
            error.line = Some(line);
        }
        error.field = column_of(&error.field);
    }
    batch.errors.extend(by_ref.into_iter().flat_map(|g| g.problems));
    batch.errors.sort_by_key(|e| (e.index, e.line));
    // A first line's identity number is found both in its cell and by the rules.
    let mut seen = HashSet::new();
    batch.errors.retain(|e| e.code != identity::CODE || seen.insert((e.index, e.line, e.field.clone())));
    // The rules passed these rows on their first lines; a later line can still reject them.
    let rejected: HashSet<usize> = batch.errors.iter().map(|e| e.index).collect();
    batch.rows.retain(|row| !rejected.contains(&row.index));
    Ok(batch)
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

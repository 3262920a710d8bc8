//! A bulk import batch: insatser with their yearly figures, keyed by `external_ref` (the id in
//! the förbund's own case system), as JSON or as CSV (one line per insats-year). Every row is
//! checked by the same rules as a single registration; a row's problems reject that row only,
//! and the batch's mode decides whether the good rows are written.

mod csv;

use std::collections::{BTreeMap, HashSet};

use chrono::Datelike;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::insats::{self, Insats};
use crate::insats_year::{self, InsatsYear};
use crate::{FieldError, identity};

pub use csv::{CSV_COLUMNS, parse_csv};

/// Most rows (insatser) in one batch.
pub const MAX_ROWS: usize = 200_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Mode {
    /// All or nothing: one rejected row and nothing is written.
    Atomic,
    /// The good rows are written, the rejected ones reported.
    Partial,
}

impl Mode {
    pub fn from_code(code: &str) -> Option<Mode> {
        match code {
            "atomic" => Some(Mode::Atomic),
            "partial" => Some(Mode::Partial),
            _ => None,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Mode::Atomic => "atomic",
            Mode::Partial => "partial",
        }
    }
}

/// One insats of a batch, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportRow {
    /// Position in `insatser` (JSON) or of the insats' first line among the insatser (CSV).
    pub index: usize,
    /// The CSV line of the insats' first row (the header is line 1).
    pub line: Option<usize>,
    pub insats: Insats,
    /// The external_ref, also in `insats`: the key rows are matched by.
    pub external_ref: String,
    pub years: BTreeMap<i32, InsatsYear>,
}

/// Why one row was rejected: its position, the field (a JSON pointer into the batch, or a CSV
/// column) and the rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RowError {
    pub index: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    pub field: String,
    pub code: String,
    pub detail: String,
}

/// What an import did (or, in a dry run or when an atomic batch is refused, would have done).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ImportSummary {
    /// `applied`: the good rows are written; `refused`: an atomic batch had rejected rows and
    /// nothing is written; `dry_run`: checked only, nothing is written.
    pub status: ImportStatus,
    pub mode: Mode,
    /// Rows (insatser) in the batch.
    pub total: usize,
    /// Insatser created, updated (the insats or any of its years changed) and unchanged; in a
    /// dry run or a refused batch, what the import would have done.
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
    pub rejected: usize,
    /// Every problem of every rejected row.
    pub errors: Vec<RowError>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum ImportStatus {
    Applied,
    Refused,
    DryRun,
}

/// A parsed batch: the rows that passed and the problems of those that did not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Batch {
    pub mode: Mode,
    pub rows: Vec<ImportRow>,
    pub errors: Vec<RowError>,
    /// How many rows the batch had, good and bad.
    pub total: usize,
}

impl Batch {
    /// Rows with at least one problem.
    pub fn rejected(&self) -> usize {
        self.errors.iter().map(|e| e.index).collect::<HashSet<_>>().len()
    }

    /// Whether a row was rejected for an identity number: then the body has one and must not be
    /// kept, not even until a job reads it.
    pub fn has_identity_number(&self) -> bool {
        self.errors.iter().any(|e| e.code == identity::CODE)
    }
}

/// The two forms a batch comes in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Json,
    Csv,
}

impl Format {
    pub fn code(self) -> &'static str {
        match self {
            Format::Json => "json",
            Format::Csv => "csv",
        }
    }

    pub fn from_code(code: &str) -> Option<Format> {
        match code {
            "json" => Some(Format::Json),
            "csv" => Some(Format::Csv),
            _ => None,
        }
    }
}

/// Reads a batch from the bytes of a request (UTF-8 JSON or CSV).
pub fn parse(format: Format, bytes: &[u8], default_mode: Mode) -> Result<Batch, Vec<FieldError>> {
    match format {
        Format::Json => match serde_json::from_slice::<Value>(bytes) {
            Ok(value) => parse_json(&value, default_mode),
            Err(e) => Err(vec![FieldError::new("", "not_json", format!("the body is not JSON: {e}"))]),
        },
        Format::Csv => match std::str::from_utf8(bytes) {
            Ok(text) => parse_csv(text.strip_prefix('\u{feff}').unwrap_or(text), default_mode),
            Err(_) => Err(vec![FieldError::new("", "not_utf8", "a CSV import must be UTF-8")]),
        },
    }
}

/// Reads a JSON batch `{ "mode": "atomic"|"partial", "insatser": [...] }`. A problem with the
/// batch itself (not an object, no `insatser`, an unknown mode, too many rows) refuses the whole
/// request; problems within rows are collected per row. `mode` in the body wins over `default_mode`.
pub fn parse_json(value: &Value, default_mode: Mode) -> Result<Batch, Vec<FieldError>> {
    let Value::Object(map) = value else {
        return Err(vec![FieldError::new("", "not_an_object", "must be an object with `insatser`")]);
    };
    let mut errors = Vec::new();
    for key in map.keys().filter(|k| !matches!(k.as_str(), "mode" | "insatser")) {
        errors.push(identity::unknown_field("", key, "known fields: mode, insatser"));
    }
    let mode = match map.get("mode") {
        None | Some(Value::Null) => Some(default_mode),
        Some(Value::String(code)) => Mode::from_code(code),
        Some(_) => None,
    };
    match map.get("mode") {
        Some(value) if identity::in_scalar(value) => errors.push(identity::refused("/mode")),
        _ if mode.is_none() => errors.push(FieldError::new("/mode", "unknown_code", "must be atomic or partial")),
        _ => {}
    }
    let items = match map.get("insatser") {
        Some(Value::Array(items)) => Some(items),
        None => {
            errors.push(FieldError::new("/insatser", "required", "is required: an array of insatser"));
            None
        }
        Some(_) => {
            errors.push(FieldError::new("/insatser", "not_an_array", "must be an array of insatser"));
            None
        }
    };
    if let Some(items) = items
        && items.len() > MAX_ROWS
    {
        errors.push(too_many_rows("/insatser", items.len()));
    }
    match (mode, items) {
        (Some(mode), Some(items)) if errors.is_empty() => {
            let rows: Vec<(usize, Option<usize>, &Value)> =
                items.iter().enumerate().map(|(i, v)| (i, None, v)).collect();
            Ok(check_rows(mode, &rows))
        }
        _ => Err(errors),
    }
}

pub(crate) fn too_many_rows(path: &str, rows: usize) -> FieldError {
    FieldError::new(path, "too_many_rows", format!("{rows} rows; at most {MAX_ROWS} per batch: split it"))
}

/// Checks every row; `rows` are (index, CSV line, the insats object with an optional `years`).
pub(crate) fn check_rows(mode: Mode, rows: &[(usize, Option<usize>, &Value)]) -> Batch {
    let mut batch = Batch { mode, rows: Vec::new(), errors: Vec::new(), total: rows.len() };
    let mut seen: HashSet<String> = HashSet::new();
    for &(index, line, value) in rows {
        let base = format!("/insatser/{index}");
        let mut reject = |field: String, code: &str, detail: String| {
            batch.errors.push(RowError { index, line, field, code: code.to_owned(), detail });
        };
        match check_row(value) {
            Ok(row) if !seen.insert(row.external_ref.clone()) => reject(
                format!("{base}/external_ref"),
                "duplicate_in_batch",
                format!("external_ref {:?} is in the batch more than once", row.external_ref),
            ),
            Ok(row) => batch.rows.push(ImportRow { index, line, ..row }),
            Err(problems) => {
                for problem in problems {
                    reject(format!("{base}{}", problem.path), &problem.code, problem.message);
                }
            }
        }
    }
    batch
}

fn check_row(value: &Value) -> Result<ImportRow, Vec<FieldError>> {
    // Refused for that alone, anywhere in the row (a year's key, a field's name, a value of any
    // type): the other rules' messages might repeat what they check.
    let mut identity_numbers = Vec::new();
    identity::scan(value, "", &mut identity_numbers);
    if !identity_numbers.is_empty() {
        return Err(identity_numbers);
    }
    let Value::Object(map) = value else {
        return Err(vec![FieldError::new("", "not_an_object", "must be an insats object")]);
    };
    let mut fields = map.clone();
    let years = fields.remove("years");
    let mut problems = Vec::new();
    if fields.contains_key("version") {
        problems.push(FieldError::new(
            "/version",
            "unknown_field",
            "an import matches insatser by external_ref, not version",
        ));
        fields.remove("version");
    }
    if !matches!(fields.get("external_ref"), Some(Value::String(_))) {
        problems.push(FieldError::new(
            "/external_ref",
            "required",
            "is required in an import: the key rows are matched by",
        ));
    }
    let insats = match insats::parse(&Value::Object(fields)) {
        Ok((insats, _)) => Some(insats),
        Err(errors) => {
            problems.extend(errors);
            None
        }
    };
    let mut figures = BTreeMap::new();
    match (&years, &insats) {
        (None | Some(Value::Null), _) => {}
        (Some(Value::Object(by_year)), Some(insats)) => {
            for (key, year_value) in by_year {
                let path = format!("/years/{key}");
                let year = match key.parse::<i32>() {
                    Ok(year) if (insats::first_date().year()..=insats::last_date().year()).contains(&year) => year,
                    _ => {
                        problems.push(FieldError::new(path, "not_a_year", "years are keyed by a four-digit year"));
                        continue;
                    }
                };
                match insats_year::parse(year_value, insats, year) {
                    Ok((parsed, None)) => {
                        figures.insert(year, parsed);
                    }
                    Ok((_, Some(_))) => problems.push(FieldError::new(
                        format!("{path}/version"),
                        "unknown_field",
                        "an import replaces a year's figures without versions",
                    )),
                    Err(errors) => problems.extend(errors.into_iter().map(|e| FieldError {
                        path: if e.path.starts_with('/') { format!("{path}{}", e.path) } else { path.clone() },
                        ..e
                    })),
                }
            }
        }
        (Some(Value::Object(_)), None) => {}
        (Some(_), _) => problems.push(FieldError::new("/years", "not_an_object", "must map years to figures")),
    }
    match insats {
        Some(insats) if problems.is_empty() => {
            let external_ref = insats.external_ref.clone().expect("checked above");
            Ok(ImportRow { index: 0, line: None, insats, external_ref, years: figures })
        }
        _ => Err(problems),
    }
}

#[cfg(test)]
mod tests;

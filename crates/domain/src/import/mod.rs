//! A bulk import batch: insatser with their yearly figures, keyed by `external_ref` (the id in
//! the förbund's own case system), as JSON or as CSV (one line per insats-year). Every row is
//! checked by the same rules as a single registration; a row's problems reject that row only,
//! and the batch's mode decides whether the good rows are written.

mod columns;
mod csv;
mod dialect;
mod json;

use crate::ErrorCode;
use std::collections::{BTreeMap, HashSet};

use chrono::Datelike;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::insats::{self, Insats};
use crate::insats_year::{self, InsatsYear};
use crate::{FieldError, identity};

pub use columns::{CellKind, ImportColumn, columns, position};
pub use csv::{CSV_COLUMNS, parse_csv};
pub use dialect::Dialect;

/// Most rows (insatser) in one batch.
pub const MAX_ROWS: usize = 200_000;

/// Most bytes of one batch (as CSV, for a workbook): 100 000 insats-years of CSV are some 15 MB.
pub const MAX_BYTES: usize = 64 * 1024 * 1024;

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
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub code: ErrorCode,
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

/// A batch read far enough to know it is one (its syntax, its own fields, its size) and where
/// its rows are, but with no row kept: [`Source::chunks`] reads and checks them a chunk at a time,
/// so that an import holds a chunk of rows, not the batch, next to the bytes of the request.
pub struct Source<'b> {
    pub mode: Mode,
    /// Rows (insatser) in the batch, good and bad.
    pub total: usize,
    form: Form<'b>,
}

enum Form<'b> {
    Json(&'b [u8], json::Frame),
    // Boxed: its column table makes it ten times the size of the other.
    Csv(Box<csv::CsvSource<'b>>),
}

/// Consecutive rows of a batch, checked: those that passed and every problem of those that did
/// not, in the order of the rows (then of the lines).
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Chunk {
    pub rows: Vec<ImportRow>,
    pub errors: Vec<RowError>,
}

/// Reads a batch from the bytes of a request (UTF-8 JSON or CSV) far enough to refuse it as a
/// whole or to know its mode and size.
pub fn scan(format: Format, bytes: &[u8], default_mode: Mode) -> Result<Source<'_>, Vec<FieldError>> {
    match format {
        Format::Json => {
            let frame = json::scan(bytes, default_mode)?;
            Ok(Source { mode: frame.mode, total: frame.total, form: Form::Json(bytes, frame) })
        }
        Format::Csv => {
            let source = csv::scan_csv(csv_text(bytes, None))?;
            Ok(Source { mode: default_mode, total: source.total(), form: Form::Csv(Box::new(source)) })
        }
    }
}

/// The text encodings a CSV import is read in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Charset {
    Utf8,
    /// What Swedish Excel saves as "CSV (semikolonavgränsad)".
    Windows1252,
}

impl Charset {
    /// The charset a `Content-Type` parameter names, by the labels browsers know (`latin1`,
    /// `iso-8859-1` and `windows-1252` are one encoding to them, and to Excel).
    pub fn from_label(label: &str) -> Option<Charset> {
        match encoding_rs::Encoding::for_label(label.trim().as_bytes()) {
            Some(e) if e == encoding_rs::UTF_8 => Some(Charset::Utf8),
            Some(e) if e == encoding_rs::WINDOWS_1252 => Some(Charset::Windows1252),
            _ => None,
        }
    }
}

/// A CSV body as text. Declared Windows-1252 is read as such; otherwise it is UTF-8, with or
/// without a byte-order mark, and bytes that are no UTF-8 are read as Windows-1252 (where every
/// byte is a character: a C1 control it may give is refused by the text rules, as in any text).
pub fn csv_text(bytes: &[u8], declared: Option<Charset>) -> std::borrow::Cow<'_, str> {
    let latin = |bytes| encoding_rs::WINDOWS_1252.decode_without_bom_handling(bytes).0;
    match (declared, std::str::from_utf8(bytes)) {
        (Some(Charset::Windows1252), _) | (_, Err(_)) => latin(bytes),
        (_, Ok(text)) => std::borrow::Cow::Borrowed(text.strip_prefix('\u{feff}').unwrap_or(text)),
    }
}

impl Source<'_> {
    /// Reads and checks the rows in order, `size` rows (insatser) at a time, handing each chunk
    /// to `f`; the first error of `f` stops the reading.
    pub fn chunks<E>(&self, size: usize, mut f: impl FnMut(Chunk) -> Result<(), E>) -> Result<(), E> {
        let size = size.max(1);
        let mut checker = Checker::default();
        match &self.form {
            Form::Json(bytes, frame) => {
                let mut chunk = Chunk::default();
                let mut rows = 0;
                json::read_rows(bytes, frame, &mut |index, value| {
                    checker.check(index, None, &value, &mut chunk);
                    rows += 1;
                    if rows == size {
                        rows = 0;
                        f(std::mem::take(&mut chunk))?;
                    }
                    Ok(())
                })?;
                if rows > 0 { f(chunk) } else { Ok(()) }
            }
            Form::Csv(source) => source.chunks(size, &mut checker, &mut f),
        }
    }

    /// Whether a row is rejected for an identity number: then the body has one and must not be
    /// kept, not even until a job reads it. Reads every row (and keeps none).
    pub fn has_identity_number(&self) -> bool {
        let found = self.chunks(CHECK_CHUNK, |chunk| match chunk.errors.iter().any(|e| e.code == identity::CODE) {
            true => Err(()),
            false => Ok(()),
        });
        found.is_err()
    }

    /// Every row at once, for callers with small batches (and tests).
    pub fn collect(&self) -> Batch {
        let mut batch = Batch { mode: self.mode, rows: Vec::new(), errors: Vec::new(), total: self.total };
        let read: Result<(), std::convert::Infallible> = self.chunks(CHECK_CHUNK, |chunk| {
            batch.rows.extend(chunk.rows);
            batch.errors.extend(chunk.errors);
            Ok(())
        });
        let Ok(()) = read;
        batch
    }
}

/// Rows per chunk where nothing but the check is done with them.
const CHECK_CHUNK: usize = 1_000;

/// Reads a whole batch from the bytes of a request (UTF-8 JSON or CSV); see [`scan`] for one
/// read a chunk at a time.
pub fn parse(format: Format, bytes: &[u8], default_mode: Mode) -> Result<Batch, Vec<FieldError>> {
    scan(format, bytes, default_mode).map(|source| source.collect())
}

/// Reads a JSON batch `{ "mode": "atomic"|"partial", "insatser": [...] }`. A problem with the
/// batch itself (not an object, no `insatser`, an unknown mode, too many rows) refuses the whole
/// request; problems within rows are collected per row. `mode` in the body wins over `default_mode`.
pub fn parse_json(value: &Value, default_mode: Mode) -> Result<Batch, Vec<FieldError>> {
    let Value::Object(map) = value else {
        return Err(vec![not_an_object()]);
    };
    let keys = map.keys().filter(|k| !matches!(k.as_str(), "mode" | "insatser"));
    let (items, shape) = match map.get("insatser") {
        Some(Value::Array(items)) => (Some(items), Items::Array(items.len())),
        None => (None, Items::Absent),
        Some(_) => (None, Items::NotArray),
    };
    match (check_frame(keys, map.get("mode"), shape, default_mode), items) {
        (Ok(mode), Some(items)) => {
            let mut checker = Checker::default();
            let mut chunk = Chunk::default();
            for (index, value) in items.iter().enumerate() {
                checker.check(index, None, value, &mut chunk);
            }
            Ok(Batch { mode, rows: chunk.rows, errors: chunk.errors, total: items.len() })
        }
        (Err(errors), _) => Err(errors),
        (Ok(_), None) => unreachable!("a batch without an array of insatser is refused"),
    }
}

fn not_an_object() -> FieldError {
    FieldError::new("", ErrorCode::NotAnObject, "must be an object with `insatser`")
}

/// What a JSON batch's `insatser` is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Items {
    Absent,
    Array(usize),
    NotArray,
}

/// The checks of a JSON batch's own fields: its other keys, its `mode` and its `insatser`. The
/// mode to use, or every problem.
pub(crate) fn check_frame<'k>(
    other_keys: impl Iterator<Item = &'k String>,
    mode_value: Option<&Value>,
    items: Items,
    default_mode: Mode,
) -> Result<Mode, Vec<FieldError>> {
    let mut errors = Vec::new();
    for key in other_keys {
        errors.push(identity::unknown_field("", key, "known fields: mode, insatser"));
    }
    let mode = match mode_value {
        None | Some(Value::Null) => Some(default_mode),
        Some(Value::String(code)) => Mode::from_code(code),
        Some(_) => None,
    };
    match mode_value {
        Some(value) if identity::in_scalar(value) => errors.push(identity::refused("/mode")),
        _ if mode.is_none() => {
            errors.push(FieldError::new("/mode", ErrorCode::UnknownCode, "must be atomic or partial"))
        }
        _ => {}
    }
    match items {
        Items::Absent => {
            errors.push(FieldError::new("/insatser", ErrorCode::Required, "is required: an array of insatser"))
        }
        Items::NotArray => {
            errors.push(FieldError::new("/insatser", ErrorCode::NotAnArray, "must be an array of insatser"))
        }
        Items::Array(len) if len > MAX_ROWS => errors.push(too_many_rows("/insatser", len)),
        Items::Array(_) => {}
    }
    match mode {
        Some(mode) if errors.is_empty() => Ok(mode),
        _ => Err(errors),
    }
}

pub(crate) fn too_many_rows(path: &str, rows: usize) -> FieldError {
    FieldError::new(path, ErrorCode::TooManyRows, format!("{rows} rows; at most {MAX_ROWS} per batch: split it"))
}

/// Checks rows one by one; an external_ref seen in an earlier row (of any chunk) rejects the later one.
#[derive(Default)]
pub(crate) struct Checker {
    seen: HashSet<String>,
}

impl Checker {
    /// Checks the row at `index` (and CSV `line`): the insats object with an optional `years`.
    pub(crate) fn check(&mut self, index: usize, line: Option<usize>, value: &Value, chunk: &mut Chunk) {
        let base = format!("/insatser/{index}");
        let mut reject = |field: String, code: ErrorCode, detail: String| {
            chunk.errors.push(RowError { index, line, field, code, detail });
        };
        match check_row(value) {
            Ok(row) if !self.seen.insert(row.external_ref.clone()) => reject(
                format!("{base}/external_ref"),
                ErrorCode::DuplicateInBatch,
                format!("external_ref {:?} is in the batch more than once", row.external_ref),
            ),
            Ok(row) => chunk.rows.push(ImportRow { index, line, ..row }),
            Err(problems) => {
                for problem in problems {
                    reject(format!("{base}{}", problem.path), problem.code, problem.message);
                }
            }
        }
    }
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
        return Err(vec![FieldError::new("", ErrorCode::NotAnObject, "must be an insats object")]);
    };
    let mut fields = map.clone();
    let years = fields.remove("years");
    let mut problems = Vec::new();
    if fields.contains_key("version") {
        problems.push(FieldError::new(
            "/version",
            ErrorCode::UnknownField,
            "an import matches insatser by external_ref, not version",
        ));
        fields.remove("version");
    }
    if !matches!(fields.get("external_ref"), Some(Value::String(_))) {
        problems.push(FieldError::new(
            "/external_ref",
            ErrorCode::Required,
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
                        problems.push(FieldError::new(
                            path,
                            ErrorCode::NotAYear,
                            "years are keyed by a four-digit year",
                        ));
                        continue;
                    }
                };
                match insats_year::parse(year_value, insats, year) {
                    Ok((parsed, None)) => {
                        figures.insert(year, parsed);
                    }
                    Ok((_, Some(_))) => problems.push(FieldError::new(
                        format!("{path}/version"),
                        ErrorCode::UnknownField,
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
        (Some(_), _) => problems.push(FieldError::new("/years", ErrorCode::NotAnObject, "must map years to figures")),
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
mod swedish_tests;
#[cfg(test)]
mod tests;

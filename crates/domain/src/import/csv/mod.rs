//! The CSV form of a batch: one line per insats-year (or per insats, with `year` empty), the
//! insats' fields repeated on each of its lines, the payload's nested fields flattened with `_`
//! (`participants_women`, `exits_work_men`), target groups separated by `|`. Lines are grouped by
//! external_ref into the JSON form and checked by the same rules; errors name the line and the
//! column as the file's header writes it.
//!
//! The header may use the Swedish column names and the cells the Swedish labels (see
//! [`super::columns`]); the separator and decimal mark are the file's own (see
//! [`super::dialect`]). A line whose every cell is empty (a spreadsheet's blank row) is skipped,
//! and lines keep their numbers.

use crate::ErrorCode;
use std::collections::HashMap;

mod by_rules;
mod typed;

use std::borrow::Cow;

use super::columns::{self, CellKind};
use super::dialect::{CellProblem, Dialect};
use super::{Batch, Checker, Chunk, MAX_ROWS, Mode, too_many_rows};
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

/// A CSV batch read once for its header, its lines and how they group into insatser, keeping
/// only where each line starts: the lines are read again, an insats at a time, when checked.
pub(crate) struct CsvSource<'b> {
    text: Cow<'b, str>,
    dialect: Dialect,
    /// As the file writes it, for the errors.
    header: Vec<String>,
    /// Where each known column is in the header (its first occurrence).
    columns: [Option<usize>; CSV_COLUMNS.len()],
    /// Every line, those of an insats together and in the order of the file.
    lines: Vec<LineAt>,
    /// Where each insats' lines begin in `lines`, and where the last one's end.
    starts: Vec<usize>,
}

#[derive(Debug, Clone, Copy)]
struct LineAt {
    insats: u32,
    /// Among the records after the header, from 0.
    record: u32,
    byte: u64,
}

impl LineAt {
    /// The line of the file as errors name it (the header is line 1).
    fn line(self) -> usize {
        self.record as usize + 2
    }
}

pub(crate) fn scan_csv(text: Cow<'_, str>) -> Result<CsvSource<'_>, Vec<FieldError>> {
    let dialect = Dialect::detect(&text);
    let mut reader =
        ::csv::ReaderBuilder::new().delimiter(dialect.separator).flexible(false).from_reader(text.as_bytes());
    let header: Vec<String> = match reader.headers() {
        Ok(h) => h.iter().map(|c| c.trim().to_owned()).collect(),
        Err(e) => return Err(vec![FieldError::new("line 1", ErrorCode::BadCsv, e.to_string())]),
    };
    let positions: Vec<Option<usize>> = header.iter().map(|c| columns::position(c)).collect();
    let unknown: Vec<FieldError> = header
        .iter()
        .zip(&positions)
        .filter(|(_, at)| at.is_none())
        .map(|(c, _)| match identity::contains(c) {
            true => identity::refused_name(format!("column {}", identity::shown(c))),
            false => FieldError::new(
                format!("column {c}"),
                ErrorCode::UnknownColumn,
                format!(
                    "known columns, by code or Swedish name: {}",
                    columns::columns()
                        .iter()
                        .map(|c| format!("{} ({})", c.code, c.name_sv))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            ),
        })
        .collect();
    if !unknown.is_empty() {
        return Err(unknown);
    }
    let columns = std::array::from_fn(|i| positions.iter().position(|at| *at == Some(i)));
    // A header of codes is told of a missing column by its code, a Swedish one by its name.
    let by_code = header.iter().any(|h| CSV_COLUMNS.contains(&h.as_str()));
    for (column, named) in columns::columns().iter().enumerate().filter(|(_, c)| c.required) {
        if columns[column].is_none() {
            let name = if by_code { named.code } else { named.name_sv.as_str() };
            return Err(vec![FieldError::new(
                format!("column {name}"),
                ErrorCode::Required,
                format!("the header must have it ({} or {})", named.name_sv, named.code),
            )]);
        }
    }
    let ref_column = columns[0].expect("external_ref is required");
    // The refs only group the lines; they are not kept.
    let mut position: HashMap<String, u32> = HashMap::new();
    let mut lines: Vec<LineAt> = Vec::new();
    let mut insatser: u32 = 0;
    let mut record = ::csv::StringRecord::new();
    for n in 0.. {
        let line = n + 2;
        match reader.read_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => return Err(vec![FieldError::new(format!("line {line}"), ErrorCode::BadCsv, e.to_string())]),
        }
        if record.iter().all(|cell| cell.trim().is_empty()) {
            continue;
        }
        let external_ref = record.get(ref_column).map(str::trim).unwrap_or_default();
        let insats = match position.get(external_ref) {
            Some(&i) if !external_ref.is_empty() => i,
            _ => {
                if insatser as usize == MAX_ROWS {
                    return Err(vec![too_many_rows(&format!("line {line}"), MAX_ROWS + 1)]);
                }
                position.insert(external_ref.to_owned(), insatser);
                insatser += 1;
                insatser - 1
            }
        };
        let byte = record.position().expect("a record read has a position").byte();
        let record = u32::try_from(n).expect("a body of at most 64 MiB has fewer lines");
        lines.push(LineAt { insats, record, byte });
    }
    drop(position);
    // Stable: an insats' lines stay in the order of the file.
    lines.sort_by_key(|l| l.insats);
    let mut starts = Vec::with_capacity(insatser as usize + 1);
    for (i, l) in lines.iter().enumerate() {
        if starts.len() == l.insats as usize {
            starts.push(i);
        }
    }
    starts.push(lines.len());
    drop(reader);
    Ok(CsvSource { text, dialect, header, columns, lines, starts })
}

impl CsvSource<'_> {
    pub(crate) fn total(&self) -> usize {
        self.starts.len() - 1
    }

    /// Reads and checks the insatser in order, `size` at a time; see [`super::Source::chunks`].
    pub(crate) fn chunks<E>(
        &self,
        size: usize,
        checker: &mut Checker,
        f: &mut impl FnMut(Chunk) -> Result<(), E>,
    ) -> Result<(), E> {
        let mut reader = ::csv::ReaderBuilder::new()
            .delimiter(self.dialect.separator)
            .has_headers(false)
            .flexible(true)
            .from_reader(std::io::Cursor::new(self.text.as_bytes()));
        // Reused for the lines of each insats in turn.
        let mut records: Vec<::csv::StringRecord> = Vec::new();
        let (mut chunk, mut in_chunk) = (Chunk::default(), 0);
        for index in 0..self.total() {
            let lines = &self.lines[self.starts[index]..self.starts[index + 1]];
            records.resize_with(records.len().max(lines.len()), ::csv::StringRecord::new);
            for (at, record) in lines.iter().zip(&mut records) {
                let mut position = ::csv::Position::new();
                position.set_byte(at.byte).set_record(u64::from(at.record) + 1);
                // No seek when the line follows the one read before, as it mostly does.
                reader.seek(position).expect("a seek within the body");
                let read = reader.read_record(record).expect("the line read when the batch was scanned");
                assert!(read, "the line read when the batch was scanned");
            }
            let records = &records[..lines.len()];
            match self.typed(index, lines, records, checker) {
                Some(row) => {
                    #[cfg(debug_assertions)]
                    self.assert_as_the_rules_read(index, lines, records, &row);
                    checker.seen.insert(row.external_ref.clone());
                    chunk.rows.push(row);
                }
                None => {
                    self.read_by_rules(index, lines, records, checker, &mut chunk);
                }
            }
            in_chunk += 1;
            if in_chunk == size {
                in_chunk = 0;
                f(std::mem::take(&mut chunk))?;
            }
        }
        if in_chunk > 0 { f(chunk) } else { Ok(()) }
    }

    /// A trimmed cell; empty when the column is not in the header.
    fn at<'r>(&self, record: &'r ::csv::StringRecord, column: usize) -> &'r str {
        self.columns[column].and_then(|i| record.get(i)).map_or("", str::trim)
    }

    /// A cell as the rules read it: labels as codes, numbers in the file's dialect as plain ones.
    fn value<'r>(&self, record: &'r ::csv::StringRecord, column: usize) -> Result<Cow<'r, str>, CellProblem> {
        let cell = self.at(record, column);
        match columns::columns()[column].cell {
            kind @ (CellKind::Kind | CellKind::Orientation | CellKind::TargetGroups) => Ok(columns::coded(kind, cell)),
            CellKind::Amount => self.dialect.amount(cell),
            CellKind::Count => self.dialect.count(cell),
            CellKind::Text | CellKind::Date | CellKind::Year => Ok(Cow::Borrowed(cell)),
        }
    }

    /// A field of an error as the file names it: a column by its header, a year by the year
    /// column's.
    fn written(&self, field: &str) -> String {
        let shown = |code: &str| {
            CSV_COLUMNS.iter().position(|c| *c == code).and_then(|i| self.columns[i]).map(|i| &self.header[i])
        };
        if let Some(name) = shown(field) {
            return name.clone();
        }
        match field.strip_prefix("year ").zip(shown("year")) {
            Some((year, name)) => format!("{name} {year}"),
            None if field == "participants" => {
                let both: Vec<&str> = ["participants_women", "participants_men"]
                    .iter()
                    .filter_map(|c| shown(c))
                    .map(String::as_str)
                    .collect();
                if both.is_empty() { field.to_owned() } else { both.join(" / ") }
            }
            None => field.to_owned(),
        }
    }
}

/// Reads a whole CSV batch; see [`scan_csv`] and [`super::Source`] for one read in chunks.
pub fn parse_csv(text: &str, mode: Mode) -> Result<Batch, Vec<FieldError>> {
    let source = scan_csv(Cow::Borrowed(text))?;
    Ok(super::Source { mode, total: source.total(), form: super::Form::Csv(Box::new(source)) }.collect())
}

/// Positions in [`CSV_COLUMNS`].
mod col {
    pub const EXTERNAL_REF: usize = 0;
    pub const NAME: usize = 1;
    pub const DESCRIPTION: usize = 2;
    pub const KIND: usize = 3;
    pub const ORIENTATION: usize = 4;
    pub const TARGET_GROUPS: usize = 5;
    pub const START_DATE: usize = 6;
    pub const END_DATE: usize = 7;
    pub const YEAR: usize = 8;
    pub const PARTICIPANTS_WOMEN: usize = 9;
    pub const PARTICIPANTS_MEN: usize = 10;
    pub const BUDGET: usize = 11;
    pub const OUTCOME: usize = 12;
    /// Women then men, for work, studies, job seeking and other.
    pub const EXITS: [usize; 8] = [13, 14, 15, 16, 17, 18, 19, 20];
}

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
use std::collections::{BTreeMap, HashMap, HashSet};

use std::borrow::Cow;

use chrono::{Datelike, NaiveDate};
use serde_json::{Map, Value, json};

use super::columns::{self, CellKind};
use super::dialect::{CellProblem, Dialect};
use super::{Batch, Checker, Chunk, ImportRow, MAX_ROWS, Mode, RowError, too_many_rows};
use crate::codes::{Code, Kind, Orientation, TargetGroup};
use crate::insats::{self, Insats};
use crate::insats_year::{Exits, GenderCounts, InsatsYear, MAX_COUNT};
use crate::reader::TextRule;
use crate::{FieldError, identity, money};

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
                    let mut gathered = None;
                    for (at, record) in lines.iter().zip(records) {
                        self.gather(&mut gathered, index, at.line(), record);
                    }
                    self.check(index, gathered.expect("an insats has a line"), checker, &mut chunk);
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

    /// The insats of these lines read straight into typed values, when every rule passes it.
    /// `None` when anything is off or merely unusual (a problem, a cell the rules might read
    /// otherwise): then the lines are read into the JSON form and the rules decide and name the
    /// problems. Most lines of most batches are fine, and building the JSON form of each costs
    /// more than all the rest of an import's reading. Debug builds check every row read here
    /// against the rules' reading.
    fn typed(
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
    fn figures(&self, record: &::csv::StringRecord, kind: Kind) -> Option<InsatsYear> {
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
    fn assert_as_the_rules_read(
        &self,
        index: usize,
        lines: &[LineAt],
        records: &[::csv::StringRecord],
        row: &ImportRow,
    ) {
        let mut gathered = None;
        for (at, record) in lines.iter().zip(records) {
            self.gather(&mut gathered, index, at.line(), record);
        }
        let mut by_rules = Chunk::default();
        self.check(index, gathered.expect("an insats has a line"), &mut Checker::default(), &mut by_rules);
        assert_eq!(by_rules, Chunk { rows: vec![row.clone()], errors: Vec::new() }, "lines {lines:?}");
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
}

impl CsvSource<'_> {
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

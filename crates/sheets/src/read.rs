//! An XLSX workbook read into the import's CSV form: one sheet (the first, or one named), its
//! first row the header, each later row a line of the same number (blank rows stay blank lines,
//! which the CSV reader skips and counts). The CSV is written in the Swedish dialect (`;`, decimal
//! comma), so that an amount typed into a text cell reads as a Swedish person writes it, while
//! a number cell is a number whatever the locale of the program that saved it.

use std::io::{Cursor, Read};

use calamine::{DataRef, ExcelDateTime, Reader, Xlsx, XlsxError};
use chrono::{Days, NaiveDate};
use finsam_domain::import::{CellKind, columns, position};
use finsam_domain::{ErrorCode, FieldError, identity};

/// Most bytes the parts of a workbook may unpack to: a 200 000-line sheet is some 150 MB of
/// XML, and a zip's own size fields can lie, so the parts are unpacked once to count.
const MAX_UNPACKED: u64 = 512 * 1024 * 1024;

/// Reads `sheet` (or the first sheet) of an XLSX workbook as CSV text of at most `max_bytes`.
pub fn xlsx_to_csv(bytes: &[u8], sheet: Option<&str>, max_bytes: usize) -> Result<String, Vec<FieldError>> {
    unpacked_size_within(bytes, MAX_UNPACKED)?;
    let mut workbook = Xlsx::new(Cursor::new(bytes)).map_err(unreadable)?;
    let names = workbook.sheet_names();
    let name = match sheet {
        None => names.first().cloned().ok_or_else(|| bad("the workbook has no sheet"))?,
        Some(wanted) if identity::contains(wanted) => return Err(vec![identity::refused_name("sheet")]),
        Some(wanted) => names.iter().find(|n| n.as_str() == wanted).cloned().ok_or_else(|| {
            let shown: Vec<String> =
                names.iter().filter(|n| !identity::contains(n)).map(|n| format!("{n:?}")).collect();
            vec![FieldError::new("sheet", ErrorCode::UnknownSheet, format!("the sheets are {}", shown.join(", ")))]
        })?,
    };
    let mut cells = workbook.worksheet_cells_reader(&name).map_err(unreadable)?;
    let mut sheet = SheetCsv::new(max_bytes);
    while let Some(cell) = cells.next_cell().map_err(unreadable)? {
        let (row, column) = cell.get_position();
        sheet.put(row, column, cell.get_value())?;
    }
    sheet.finish()
}

/// The CSV being written, a row at a time.
struct SheetCsv {
    out: csv::Writer<Vec<u8>>,
    max_bytes: usize,
    /// The header's row and what each of its columns holds (unknown columns as text: the CSV
    /// reader names them).
    header: Option<(u32, Vec<CellKind>)>,
    row: Option<u32>,
    cells: Vec<String>,
}

impl SheetCsv {
    fn new(max_bytes: usize) -> SheetCsv {
        let out = csv::WriterBuilder::new().delimiter(b';').terminator(csv::Terminator::CRLF).from_writer(Vec::new());
        SheetCsv { out, max_bytes, header: None, row: None, cells: Vec::new() }
    }

    fn put(&mut self, row: u32, column: u32, value: &DataRef<'_>) -> Result<(), Vec<FieldError>> {
        if self.row != Some(row) {
            self.end_row()?;
            // Rows with no cell between two that have some keep their place as blank lines.
            if let (Some(before), Some((_, kinds))) = (self.row, &self.header) {
                let blank = vec![String::new(); kinds.len()];
                for _ in before + 1..row {
                    self.write(&blank)?;
                }
            }
            self.row = Some(row);
        }
        let column = column as usize;
        let kind = match &self.header {
            None => CellKind::Text,
            Some((_, kinds)) if column < kinds.len() => kinds[column],
            Some(_) if matches!(value, DataRef::Empty) => return Ok(()),
            Some(_) => {
                return Err(vec![FieldError::new(
                    format!("line {}", row + 1),
                    ErrorCode::BadXlsx,
                    format!("a cell right of the header's last column ({})", column_letters(column)),
                )]);
            }
        };
        if self.cells.len() <= column {
            self.cells.resize(column + 1, String::new());
        }
        self.cells[column] = text(value, kind);
        Ok(())
    }

    fn end_row(&mut self) -> Result<(), Vec<FieldError>> {
        let Some(row) = self.row else { return Ok(()) };
        let mut cells = std::mem::take(&mut self.cells);
        match &self.header {
            None => {
                // The header ends at its last named column.
                while cells.last().is_some_and(|c| c.trim().is_empty()) {
                    cells.pop();
                }
                let kinds = cells.iter().map(|c| position(c).map_or(CellKind::Text, |i| columns()[i].cell)).collect();
                self.header = Some((row, kinds));
            }
            Some((_, kinds)) => cells.resize(kinds.len(), String::new()),
        }
        self.write(&cells)
    }

    fn write(&mut self, cells: &[String]) -> Result<(), Vec<FieldError>> {
        self.out.write_record(cells).map_err(|e| bad(&e.to_string()))?;
        // Into the Vec, so that its length is what was written.
        self.out.flush().map_err(|e| bad(&e.to_string()))?;
        if self.out.get_ref().len() > self.max_bytes {
            return Err(vec![FieldError::new(
                "",
                ErrorCode::PayloadTooLarge,
                format!("the sheet holds more than an import takes ({} MiB as CSV): split it", self.max_bytes >> 20),
            )]);
        }
        Ok(())
    }

    fn finish(mut self) -> Result<String, Vec<FieldError>> {
        self.end_row()?;
        if self.header.is_none() {
            return Err(bad("the sheet is empty: its first row must be the header"));
        }
        let bytes = self.out.into_inner().map_err(|e| bad(&e.to_string()))?;
        String::from_utf8(bytes).map_err(|e| bad(&e.to_string()))
    }
}

/// A cell as the Swedish dialect writes it.
fn text(value: &DataRef<'_>, kind: CellKind) -> String {
    match value {
        DataRef::Empty => String::new(),
        DataRef::String(s) => s.clone(),
        DataRef::SharedString(s) => (*s).to_owned(),
        DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => match kind {
            CellKind::Date => s.strip_suffix("T00:00:00").unwrap_or(s).to_owned(),
            _ => s.clone(),
        },
        DataRef::DateTime(date) => date_text(date),
        DataRef::Int(n) if kind == CellKind::Date => serial_date(*n as f64),
        DataRef::Float(f) if kind == CellKind::Date => serial_date(*f),
        DataRef::Int(n) => n.to_string(),
        DataRef::Float(f) => number(*f),
        DataRef::Bool(b) => b.to_string(),
        DataRef::Error(e) => e.to_string(),
    }
}

/// A number cell at Excel's own precision, 15 significant digits, so that the binary noise of a
/// sum (`0.1 + 0.2`) is not read as öre the sheet never showed; with a decimal comma.
fn number(f: f64) -> String {
    let rounded: f64 = format!("{f:.14e}").parse().unwrap_or(f);
    rounded.to_string().replace('.', ",")
}

/// A date cell as `ÅÅÅÅ-MM-DD`, with its time of day when it has one (which no date column takes).
fn date_text(date: &ExcelDateTime) -> String {
    let (y, m, d, hh, mm, ss, _) = date.to_ymd_hms_milli();
    match (hh, mm, ss) {
        (0, 0, 0) => format!("{y:04}-{m:02}-{d:02}"),
        _ => format!("{y:04}-{m:02}-{d:02} {hh:02}:{mm:02}:{ss:02}"),
    }
}

/// A date column's plain number as the Excel date serial it is (1900 system: serial 1 is
/// 1900-01-01 and Excel counts a 29 February 1900 that never was).
fn serial_date(serial: f64) -> String {
    let whole = serial.trunc();
    let epoch = NaiveDate::from_ymd_opt(1899, 12, 30).expect("a date");
    match (whole == serial && (61.0..=2_958_465.0).contains(&whole)).then(|| epoch + Days::new(whole as u64)) {
        Some(date) => date.format("%Y-%m-%d").to_string(),
        None => number(serial),
    }
}

fn column_letters(mut column: usize) -> String {
    let mut letters = Vec::new();
    loop {
        letters.push(b'A' + (column % 26) as u8);
        if column < 26 {
            break;
        }
        column = column / 26 - 1;
    }
    letters.reverse();
    String::from_utf8(letters).expect("ASCII")
}

/// Unpacks every part once, counting, and stops at `limit`.
fn unpacked_size_within(bytes: &[u8], limit: u64) -> Result<(), Vec<FieldError>> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| bad(&format!("not a zip archive: {e}")))?;
    let mut total = 0u64;
    for i in 0..archive.len() {
        let part = archive.by_index(i).map_err(|e| bad(&e.to_string()))?;
        total +=
            std::io::copy(&mut part.take(limit + 1 - total), &mut std::io::sink()).map_err(|e| bad(&e.to_string()))?;
        if total > limit {
            return Err(bad(&format!("the workbook unpacks to more than {} MiB", limit >> 20)));
        }
    }
    Ok(())
}

fn unreadable(e: XlsxError) -> Vec<FieldError> {
    bad(&e.to_string())
}

fn bad(detail: &str) -> Vec<FieldError> {
    vec![FieldError::new("", ErrorCode::BadXlsx, detail)]
}

#[cfg(test)]
mod tests;

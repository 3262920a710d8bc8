//! PC-Axis files (`.px`), as Statistics Sweden's "PX file format specification" (2013) defines
//! them: keywords in the specification's recommended order, then `DATA` with one line per
//! combination of the stub variables and one column per year.
//!
//! Variables are named by their labels in the file's language, as PC-Axis does (`VALUES("År")`),
//! and `CODES` gives each value its code, so that a reader can join on codes whatever the
//! language. The years are the heading (columns) and the time variable (`TIMEVAL`); the other
//! dimensions, `measure` last, are the stub; `measure` is the contents variable (`CONTVARIABLE`),
//! so each of its values has its own unit, last update and precision.

use std::fmt::Write as _;

use finsam_export::Lang;
use finsam_export::open::SUPPRESSED;
use finsam_stats::{Category, Table};

/// The status, and PC-Axis data symbol, of a cell with no value to show: a förbund not in that
/// year's release, a share of nothing. A value that is `None` without a status is written so too.
pub const NOT_AVAILABLE: &str = "..";

/// A string longer than this is written as several quoted parts, one a line: the specification
/// lets a reader join them, and old PC-Axis readers have a line limit of 256 characters.
const PART_CHARS: usize = 200;

/// What a PC-Axis file says besides the cube.
pub struct PxFile<'a> {
    /// Dimensions: `year` first (time), `measure` last (contents); values row-major, last
    /// dimension fastest.
    pub table: &'a Table,
    /// One per value or empty; `Some(".")` = suppressed (disclosure control), `Some("..")` = not
    /// available.
    pub status: &'a [Option<String>],
    /// e.g. "individual-insatser"
    pub table_id: &'a str,
    /// In the language.
    pub title: &'a str,
    pub source: &'a str,
    /// RFC 3339, e.g. "2024-04-02T10:00:00+00:00"
    pub updated: &'a str,
    pub notes: &'a [String],
    pub lang: Lang,
}

pub fn write(file: &PxFile<'_>) -> String {
    let table = file.table;
    let lang = file.lang;
    let dimensions = &table.dimensions;
    let (Some(time), Some(contents)) = (dimensions.first(), dimensions.last()) else {
        return String::new();
    };
    debug_assert!(dimensions.len() >= 2 && time.id == "year" && contents.id == "measure");
    let stub = &dimensions[1..];
    let decimals: Vec<u32> = contents.categories.iter().map(decimals_of).collect();
    let shown = decimals.iter().copied().min().unwrap_or(0);
    let stored = decimals.iter().copied().max().unwrap_or(0);
    let updated = px_time(file.updated);
    let contents_name = lang.dimension(contents);
    let mut out = String::new();

    keyword(&mut out, "CHARSET", &quoted("ANSI"));
    keyword(&mut out, "AXIS-VERSION", &quoted("2013"));
    keyword(&mut out, "CODEPAGE", &quoted("utf-8"));
    keyword(&mut out, "LANGUAGE", &quoted(lang.pick("sv", "en")));
    keyword(&mut out, "CREATION-DATE", &quoted(&updated));
    keyword(&mut out, "TABLEID", &quoted(file.table_id));
    keyword(&mut out, "DECIMALS", &stored.to_string());
    keyword(&mut out, "SHOWDECIMALS", &shown.to_string());
    keyword(&mut out, "MATRIX", &quoted(file.table_id));
    keyword(&mut out, "SUBJECT-CODE", &quoted("FINSAM"));
    keyword(&mut out, "SUBJECT-AREA", &quoted(lang.pick("Finansiell samordning", "Financial coordination")));
    keyword(&mut out, "TITLE", &quoted(file.title));
    keyword(&mut out, "CONTENTS", &quoted(file.title));
    keyword(&mut out, "STUB", &list(stub.iter().map(|d| lang.dimension(d))));
    keyword(&mut out, "HEADING", &quoted(lang.dimension(time)));
    keyword(&mut out, "CONTVARIABLE", &quoted(contents_name));
    for d in dimensions {
        let name = quoted(lang.dimension(d));
        keyword(&mut out, &format!("VALUES({name})"), &list(d.categories.iter().map(|c| lang.category(c))));
    }
    for c in &contents.categories {
        keyword(&mut out, &format!("UNITS({})", quoted(lang.category(c))), &quoted(&unit_text(c, lang)));
    }
    let years = list(time.categories.iter().map(|c| c.code.as_str()));
    keyword(&mut out, &format!("TIMEVAL({})", quoted(lang.dimension(time))), &format!("TLIST(A1),{years}"));
    for d in dimensions {
        let name = quoted(lang.dimension(d));
        keyword(&mut out, &format!("CODES({name})"), &list(d.categories.iter().map(|c| c.code.as_str())));
    }
    // SHOWDECIMALS is the fewest decimals of any content; PRECISION raises it where a content
    // has more (counts 0, shares 1, money 2).
    for (c, &n) in contents.categories.iter().zip(&decimals) {
        if n > shown {
            let key = format!("PRECISION({},{})", quoted(contents_name), quoted(lang.category(c)));
            keyword(&mut out, &key, &n.to_string());
        }
    }
    for c in &contents.categories {
        keyword(&mut out, &format!("LAST-UPDATED({})", quoted(lang.category(c))), &quoted(&updated));
    }
    keyword(&mut out, "SOURCE", &quoted(file.source));
    if !file.notes.is_empty() {
        // `#` is a line break in a PC-Axis note.
        keyword(&mut out, "NOTE", &quoted(&file.notes.join("#")));
    }
    let cells = data_cells(file, &decimals);
    // The data symbols are shown as they are written ("." and ".."), as in SCB's tables.
    for (n, symbol) in [(1, SUPPRESSED), (2, NOT_AVAILABLE)] {
        if cells.iter().any(|c| c.as_str() == quoted(symbol)) {
            keyword(&mut out, &format!("DATASYMBOL{n}"), &quoted(symbol));
        }
    }
    out.push_str("DATA=\n");
    let width = time.categories.len().max(1);
    for row in cells.chunks(width) {
        out.push_str(&row.join(" "));
        out.push('\n');
    }
    out.push_str(";\n");
    out
}

/// The cells in DATA order: the table has `year` first, but the year is the heading, so each
/// line (one combination of the stub variables) takes one cell from each year's block.
fn data_cells(file: &PxFile<'_>, decimals: &[u32]) -> Vec<String> {
    let table = file.table;
    let years = table.dimensions[0].categories.len();
    let measures = decimals.len().max(1);
    let block = table.values.len().checked_div(years).unwrap_or(0);
    let mut cells = Vec::with_capacity(table.values.len());
    for row in 0..block {
        for year in 0..years {
            let index = year * block + row;
            // Row-major with `measure` last: the position in the block modulo the measures.
            let places = decimals.get(row % measures).copied().unwrap_or(0);
            cells.push(cell(table.values[index], file.status.get(index).and_then(Option::as_deref), places));
        }
    }
    cells
}

/// One DATA cell: a number with its content's decimals and a decimal point, or a quoted symbol;
/// a status wins over a value.
fn cell(value: Option<rust_decimal::Decimal>, status: Option<&str>, decimals: u32) -> String {
    match (status, value) {
        (Some(SUPPRESSED), _) => quoted(SUPPRESSED),
        (Some(NOT_AVAILABLE), _) | (_, None) => quoted(NOT_AVAILABLE),
        (_, Some(v)) => format!("{:.*}", decimals as usize, v),
    }
}

fn decimals_of(c: &Category) -> u32 {
    c.unit.as_ref().map_or(0, |u| u.decimals)
}

/// The unit in words of the language: the catalog's unit labels are "count", "percent", "SEK".
fn unit_text(c: &Category, lang: Lang) -> String {
    match c.unit.as_ref().map(|u| u.label.as_str()) {
        Some("count") | None => lang.pick("antal", "number").to_owned(),
        Some("percent") => lang.pick("procent", "percent").to_owned(),
        Some("SEK") => lang.pick("kronor", "SEK").to_owned(),
        Some(other) => other.to_owned(),
    }
}

fn keyword(out: &mut String, name: &str, value: &str) {
    let _ = writeln!(out, "{name}={value};");
}

/// A PC-Axis string. It cannot hold a double quote (there is no escape), so a `"` becomes `'`;
/// a line break becomes a space; a long text becomes several quoted parts, one a line, which a
/// reader joins as they are. A part never begins or ends with a space, where possible: some
/// readers (pyaxis) trim the parts.
fn quoted(text: &str) -> String {
    let chars: Vec<char> = clean(text).chars().collect();
    let mut parts = Vec::new();
    let mut start = 0;
    while chars.len() - start > PART_CHARS {
        let mut end = start + PART_CHARS;
        while end > start + PART_CHARS / 2 && (chars[end - 1] == ' ' || chars[end] == ' ') {
            end -= 1;
        }
        parts.push(format!("\"{}\"", String::from_iter(&chars[start..end])));
        start = end;
    }
    parts.push(format!("\"{}\"", String::from_iter(&chars[start..])));
    parts.join("\n")
}

fn clean(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '"' => '\'',
            '\r' | '\n' | '\t' => ' ',
            c => c,
        })
        .collect()
}

/// A comma-separated list of strings, a new line after about every `PART_CHARS` characters.
/// An item is one string however long.
fn list<'s>(items: impl Iterator<Item = &'s str>) -> String {
    let mut out = String::new();
    let mut line = 0;
    for (i, item) in items.enumerate() {
        if i > 0 {
            out.push(',');
            line += 1;
            if line > PART_CHARS {
                out.push('\n');
                line = 0;
            }
        }
        // Never in parts: each part would count as a value of its own.
        let part = format!("\"{}\"", clean(item));
        line += part.len();
        out.push_str(&part);
    }
    out
}

/// RFC 3339 `2024-04-02T10:00:00+00:00` as PC-Axis writes a time, `20240402 10:00` (the local
/// time of the offset given). Anything else is left as it is.
fn px_time(rfc3339: &str) -> String {
    let digits = |range: std::ops::Range<usize>| rfc3339.get(range).filter(|s| s.bytes().all(|b| b.is_ascii_digit()));
    match (digits(0..4), digits(5..7), digits(8..10), digits(11..13), digits(14..16)) {
        (Some(y), Some(m), Some(d), Some(h), Some(min)) => format!("{y}{m}{d} {h}:{min}"),
        _ => rfc3339.to_owned(),
    }
}

#[cfg(test)]
mod tests;

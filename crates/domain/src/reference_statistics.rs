//! Reference statistics per municipality and year, the keys of the state's allocation model:
//! inhabitants aged 16–64 and försörjningsmått (SEK thousands), each with its source, age band
//! and extract date (sources disagree on the band: 16–64 or 16–65, so it travels with the figure).
//!
//! # The CSV an admin imports (`PUT /api/v1/reference-statistics/{year}`, `text/csv`, UTF-8)
//! A header line, then one line per municipality, comma-separated, every column required:
//!
//! | column | content |
//! |---|---|
//! | `municipality_code` | SCB's four-digit code |
//! | `inhabitants_16_64` | a whole number, 0 or more |
//! | `forsorjningsmatt_tkr` | SEK thousands, 0 or more, at most two decimals (`.` as decimal point) |
//! | `source` | who delivered the figure, e.g. `SCB` |
//! | `age_band` | the band counted, e.g. `16-64` |
//! | `extract_date` | the date the figures were extracted, `YYYY-MM-DD` |
//!
//! The rules this module checks (the store adds: every municipality of the year's membership
//! present, every code a municipality): no duplicate municipality, no negative or malformed
//! figure, no unknown or missing column, no identity number in the texts. Errors name the line
//! (the header is line 1) and the column: `line 3/inhabitants_16_64`.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::HashMap;

use crate::{ErrorCode, FieldError, identity, money};

pub const COLUMNS: [&str; 6] =
    ["municipality_code", "inhabitants_16_64", "forsorjningsmatt_tkr", "source", "age_band", "extract_date"];

/// A file has at most this many lines: Sweden has 290 municipalities.
pub const MAX_LINES: usize = 2_000;

/// One municipality's statistics for a year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MunicipalityFigures {
    #[cfg_attr(feature = "openapi", schema(example = "0114"))]
    pub municipality_code: String,
    pub inhabitants_16_64: i64,
    /// Försörjningsmått, SEK thousands.
    #[serde(with = "rust_decimal::serde::str")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "123456.50"))]
    pub forsorjningsmatt_tkr: Decimal,
    #[cfg_attr(feature = "openapi", schema(example = "SCB"))]
    pub source: String,
    #[cfg_attr(feature = "openapi", schema(example = "16-64"))]
    pub age_band: String,
    pub extract_date: NaiveDate,
}

/// A line of the file: its figures and the line number errors name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    pub line: usize,
    pub figures: MunicipalityFigures,
}

fn at(line: usize, column: &str) -> String {
    format!("line {line}/{column}")
}

/// Every line of the file, or every problem in it at once.
pub fn parse_csv(bytes: &[u8]) -> Result<Vec<Line>, Vec<FieldError>> {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return Err(vec![FieldError::new("line 1", ErrorCode::NotUtf8, "the file must be UTF-8")]);
    };
    // Spreadsheets often start a UTF-8 file with a byte order mark.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut reader = csv::ReaderBuilder::new().has_headers(true).trim(csv::Trim::All).from_reader(text.as_bytes());
    let header = match reader.headers() {
        Ok(header) => header.clone(),
        Err(e) => return Err(vec![FieldError::new("line 1", ErrorCode::BadCsv, e.to_string())]),
    };
    let mut errors = Vec::new();
    for (i, name) in header.iter().enumerate() {
        if !COLUMNS.contains(&name) {
            errors.push(FieldError::new(
                at(1, name),
                ErrorCode::UnknownColumn,
                format!("column {} is not one of {}", i + 1, COLUMNS.join(", ")),
            ));
        }
    }
    let position: HashMap<&str, usize> = header.iter().enumerate().map(|(i, name)| (name, i)).collect();
    for column in COLUMNS {
        if !position.contains_key(column) {
            errors.push(FieldError::new(at(1, column), ErrorCode::Required, "the header lacks this column"));
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }

    let mut lines = Vec::new();
    let mut seen: HashMap<String, usize> = HashMap::new();
    for (n, record) in reader.records().enumerate() {
        let line = n + 2;
        if line > MAX_LINES + 1 {
            errors.push(FieldError::new(
                format!("line {line}"),
                ErrorCode::TooManyRows,
                format!("at most {MAX_LINES} lines"),
            ));
            break;
        }
        let record = match record {
            Ok(record) => record,
            Err(e) => {
                errors.push(FieldError::new(format!("line {line}"), ErrorCode::BadCsv, e.to_string()));
                continue;
            }
        };
        let field = |column: &str| record.get(position[column]).unwrap_or("");
        let before = errors.len();
        let mut error = |column: &str, code: ErrorCode, message: String| {
            errors.push(FieldError::new(at(line, column), code, message));
        };
        let code = field("municipality_code");
        let municipality_code = if code.len() == 4 && code.bytes().all(|b| b.is_ascii_digit()) {
            Some(code.to_owned())
        } else {
            error(
                "municipality_code",
                ErrorCode::UnknownCode,
                format!("{code:?} is not a four-digit municipality code"),
            );
            None
        };
        if let Some(code) = &municipality_code
            && let Some(first) = seen.insert(code.clone(), line)
        {
            error("municipality_code", ErrorCode::DuplicateMunicipality, format!("{code} is on line {first} too"));
        }
        let inhabitants = field("inhabitants_16_64");
        let inhabitants_16_64 = match inhabitants.parse::<i64>() {
            Ok(count) if count < 0 => {
                error("inhabitants_16_64", ErrorCode::NegativeCount, "must not be negative".into());
                None
            }
            Ok(count) if count > 100_000_000 => {
                error("inhabitants_16_64", ErrorCode::CountTooLarge, "is beyond any municipality's".into());
                None
            }
            Ok(count) => Some(count),
            Err(_) => {
                error("inhabitants_16_64", ErrorCode::NotACount, format!("{inhabitants:?} is not a whole number"));
                None
            }
        };
        let amount = field("forsorjningsmatt_tkr");
        let forsorjningsmatt_tkr = match money::parse(&Value::String(amount.to_owned()), false) {
            Ok(amount) => Some(amount),
            Err(e) => {
                error("forsorjningsmatt_tkr", e.code(), format!("{amount:?} {}", e.message()));
                None
            }
        };
        let mut text = |column: &str, max: usize| {
            let value = field(column);
            if value.is_empty() {
                error(column, ErrorCode::Blank, "must not be empty".into());
                None
            } else if value.chars().count() > max {
                error(column, ErrorCode::TooLong, format!("at most {max} characters"));
                None
            } else if identity::in_scalar(&Value::String(value.to_owned())) {
                error(column, ErrorCode::PersonalIdentityNumber, "holds a personal identity number".into());
                None
            } else if value.chars().any(char::is_control) {
                error(column, ErrorCode::ControlCharacters, "holds control characters".into());
                None
            } else {
                Some(value.to_owned())
            }
        };
        let source = text("source", 200);
        let age_band = text("age_band", 20);
        let date = field("extract_date");
        let extract_date = match NaiveDate::parse_from_str(date, "%Y-%m-%d") {
            Ok(date) => Some(date),
            Err(_) => {
                error("extract_date", ErrorCode::NotADate, format!("{date:?} is not a date as YYYY-MM-DD"));
                None
            }
        };
        if let (
            Some(municipality_code),
            Some(inhabitants_16_64),
            Some(forsorjningsmatt_tkr),
            Some(source),
            Some(age_band),
            Some(extract_date),
        ) = (municipality_code, inhabitants_16_64, forsorjningsmatt_tkr, source, age_band, extract_date)
            && errors.len() == before
        {
            lines.push(Line {
                line,
                figures: MunicipalityFigures {
                    municipality_code,
                    inhabitants_16_64,
                    forsorjningsmatt_tkr,
                    source,
                    age_band,
                    extract_date,
                },
            });
        }
    }
    if errors.is_empty() && lines.is_empty() {
        errors.push(FieldError::new("line 2", ErrorCode::Required, "the file has no municipality"));
    }
    if errors.is_empty() { Ok(lines) } else { Err(errors) }
}

/// The store's checks against the reference data: every line names a municipality, and every
/// municipality a member of a förbund during the year is present.
pub fn check_against(lines: &[Line], municipalities: &[String], members: &[String]) -> Vec<FieldError> {
    let mut errors = Vec::new();
    let known: std::collections::HashSet<&str> = municipalities.iter().map(String::as_str).collect();
    for line in lines {
        if !known.contains(line.figures.municipality_code.as_str()) {
            errors.push(FieldError::new(
                at(line.line, "municipality_code"),
                ErrorCode::UnknownCode,
                format!("no municipality {}", line.figures.municipality_code),
            ));
        }
    }
    let present: std::collections::HashSet<&str> = lines.iter().map(|l| l.figures.municipality_code.as_str()).collect();
    for member in members {
        if !present.contains(member.as_str()) {
            errors.push(FieldError::new(
                "municipality_code",
                ErrorCode::StatisticsMissing,
                format!("municipality {member} is a member of a förbund during the year and has no line"),
            ));
        }
    }
    errors
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str = "municipality_code,inhabitants_16_64,forsorjningsmatt_tkr,source,age_band,extract_date\n";

    #[test]
    fn a_good_file_is_read_line_by_line() {
        let file =
            format!("\u{feff}{HEADER}0114,30000,1234.5,SCB,16-64,2024-01-22\n0115, 20000 ,99,SCB,16-65,2024-01-22\n");
        let lines = parse_csv(file.as_bytes()).unwrap();
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[1].line, 3);
        assert_eq!(lines[1].figures.inhabitants_16_64, 20_000);
        assert_eq!(lines[0].figures.forsorjningsmatt_tkr, Decimal::new(12345, 1));
        assert_eq!(lines[1].figures.age_band, "16-65");
    }

    #[test]
    fn every_bad_line_is_named_with_its_column_and_rule() {
        let file = format!(
            "{HEADER}0114,30000,1234.5,SCB,16-64,2024-01-22\n0114,-1,x,,16-64,22/1\n12,1,1.234,SCB,16-64,2024-01-22\n"
        );
        let mut found: Vec<(String, String)> =
            parse_csv(file.as_bytes()).unwrap_err().into_iter().map(|e| (e.path, e.code.to_string())).collect();
        found.sort();
        assert_eq!(
            found,
            [
                ("line 3/extract_date", "not_a_date"),
                ("line 3/forsorjningsmatt_tkr", "not_an_amount"),
                ("line 3/inhabitants_16_64", "negative_count"),
                ("line 3/municipality_code", "duplicate_municipality"),
                ("line 3/source", "blank"),
                ("line 4/forsorjningsmatt_tkr", "too_many_decimals"),
                ("line 4/municipality_code", "unknown_code"),
            ]
            .map(|(p, c)| (p.to_owned(), c.to_owned()))
        );
    }

    #[test]
    fn the_header_must_name_the_documented_columns() {
        let errors = parse_csv(b"municipality_code,inhabitants,forsorjningsmatt_tkr,source,age_band,extract_date\n")
            .unwrap_err();
        let codes: Vec<(&str, &str)> = errors.iter().map(|e| (e.path.as_str(), e.code.as_str())).collect();
        assert_eq!(codes, [("line 1/inhabitants", "unknown_column"), ("line 1/inhabitants_16_64", "required")]);
        assert_eq!(parse_csv(HEADER.as_bytes()).unwrap_err()[0].code, ErrorCode::Required, "no municipality");
    }

    #[test]
    fn members_must_be_present_and_codes_known() {
        let file = format!("{HEADER}0114,1,1,SCB,16-64,2024-01-22\n9999,1,1,SCB,16-64,2024-01-22\n");
        let lines = parse_csv(file.as_bytes()).unwrap();
        let errors = check_against(&lines, &["0114".into(), "0115".into()], &["0114".into(), "0115".into()]);
        let codes: Vec<(&str, &str)> = errors.iter().map(|e| (e.path.as_str(), e.code.as_str())).collect();
        assert_eq!(codes, [("line 3/municipality_code", "unknown_code"), ("municipality_code", "statistics_missing")]);
    }
}

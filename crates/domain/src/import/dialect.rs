//! How a CSV file writes its fields and numbers, read off its header line. Programs write `,`
//! between fields and a decimal point; Swedish spreadsheets write `;` (or a tab) and a decimal
//! comma. Each file has one decimal mark, decided by its separator, so `1,234` and `1.234` never
//! need a guess: in a `,` file a comma in an amount is refused, in a `;` or tab file a point is.
//! Thousands may be grouped by spaces (also the no-break spaces spreadsheets write) in threes.

use std::borrow::Cow;

use crate::ErrorCode;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Dialect {
    pub separator: u8,
}

/// Why a cell cannot be read as the number its column holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct CellProblem {
    pub code: ErrorCode,
    pub detail: String,
}

/// The spaces a spreadsheet may put between groups of thousands.
const GROUP_SPACES: [char; 3] = [' ', '\u{a0}', '\u{202f}'];

impl Dialect {
    pub const PROGRAMS: Dialect = Dialect { separator: b',' };
    pub const SWEDISH: Dialect = Dialect { separator: b';' };

    /// The separator of the header line: whichever of `,`, `;` and tab it has most of (the
    /// column names have none of them).
    pub fn detect(text: &str) -> Dialect {
        let header = text.lines().next().unwrap_or_default();
        let count = |c: char| header.chars().filter(|h| *h == c).count();
        let separator = [b',', b';', b'\t'].into_iter().rev().max_by_key(|s| count(char::from(*s))).unwrap_or(b',');
        match count(char::from(separator)) {
            0 => Dialect::PROGRAMS,
            _ => Dialect { separator },
        }
    }

    pub fn decimal_comma(self) -> bool {
        self.separator != b','
    }

    fn separator_named(self) -> &'static str {
        match self.separator {
            b';' => "semicolons",
            b'\t' => "tabs",
            _ => "commas",
        }
    }

    /// An amount in the form the rules read (`-?digits(.digits)?`), or why it is not one.
    pub(crate) fn amount(self, cell: &str) -> Result<Cow<'_, str>, CellProblem> {
        let plain = ungrouped(cell)?;
        let (ours, other) = if self.decimal_comma() { (',', '.') } else { ('.', ',') };
        if plain.contains(other) {
            return Err(CellProblem {
                code: ErrorCode::DecimalSeparator,
                detail: format!(
                    "a file with {} between its fields writes decimals with {ours:?}, not {other:?}",
                    self.separator_named()
                ),
            });
        }
        Ok(match (ours, plain) {
            (',', plain) if plain.contains(',') => Cow::Owned(plain.replace(',', ".")),
            (_, plain) => plain,
        })
    }

    /// A count with its thousands ungrouped.
    pub(crate) fn count(self, cell: &str) -> Result<Cow<'_, str>, CellProblem> {
        ungrouped(cell)
    }
}

/// `250 000,50` → `250000,50`; a cell with no spaces as it is.
fn ungrouped(cell: &str) -> Result<Cow<'_, str>, CellProblem> {
    // Text that is no number at all is left for the rules to refuse as what it is.
    let numeric = |c: char| c.is_ascii_digit() || GROUP_SPACES.contains(&c) || matches!(c, ',' | '.' | '-');
    if !cell.contains(GROUP_SPACES) || !cell.chars().all(numeric) {
        return Ok(Cow::Borrowed(cell));
    }
    let unsigned = cell.strip_prefix('-').unwrap_or(cell);
    let end = unsigned.find([',', '.']).unwrap_or(unsigned.len());
    let (whole, fraction) = unsigned.split_at(end);
    let groups: Vec<&str> = whole.split(GROUP_SPACES).collect();
    let digits = |g: &str| g.bytes().all(|b| b.is_ascii_digit());
    let grouped = (1..=3).contains(&groups[0].len())
        && groups[1..].iter().all(|g| g.len() == 3)
        && groups.iter().all(|g| digits(g))
        && !fraction.contains(GROUP_SPACES);
    if !grouped {
        return Err(CellProblem {
            code: ErrorCode::DigitGrouping,
            detail: "spaces may only group the thousands of a number in threes, as in 250 000,50".into(),
        });
    }
    let sign = if cell.starts_with('-') { "-" } else { "" };
    Ok(Cow::Owned(format!("{sign}{}{fraction}", groups.concat())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_separator_is_read_off_the_header() {
        assert_eq!(Dialect::detect("external_ref,name,kind\r\na;b,c").separator, b',');
        assert_eq!(Dialect::detect("Referens;Namn;Typ av insats\r\n").separator, b';');
        assert_eq!(Dialect::detect("Referens\tNamn\tTyp av insats\n").separator, b'\t');
        assert_eq!(Dialect::detect("Referens\n").separator, b',');
    }

    #[test]
    fn each_file_has_one_decimal_mark() {
        let swedish = Dialect::SWEDISH;
        assert_eq!(swedish.amount("250 000,50").unwrap(), "250000.50");
        assert_eq!(swedish.amount("250\u{a0}000,5").unwrap(), "250000.5");
        assert_eq!(swedish.amount("1\u{202f}250\u{202f}000").unwrap(), "1250000");
        assert_eq!(swedish.amount("1234").unwrap(), "1234");
        assert_eq!(swedish.amount("1.234").unwrap_err().code, ErrorCode::DecimalSeparator);
        let programs = Dialect::PROGRAMS;
        assert_eq!(programs.amount("250000.50").unwrap(), "250000.50");
        assert_eq!(programs.amount("1,234").unwrap_err().code, ErrorCode::DecimalSeparator);
        assert_eq!(programs.amount("250 000.50").unwrap(), "250000.50");
    }

    #[test]
    fn thousands_are_grouped_in_threes_or_not_at_all() {
        let swedish = Dialect::SWEDISH;
        assert_eq!(swedish.count("1 200").unwrap(), "1200");
        assert_eq!(swedish.amount("-12 000,25").unwrap(), "-12000.25");
        for bad in ["12 00", "1 2000", "1  000", " 1000", "1 000,5 0", "1 000 -"] {
            assert_eq!(swedish.amount(bad).unwrap_err().code, ErrorCode::DigitGrouping, "{bad:?}");
        }
        // A cell is trimmed before it is read; these are not numbers at all, for the rules to say.
        assert_eq!(swedish.count("tolv").unwrap(), "tolv");
        assert_eq!(swedish.count("12 st").unwrap(), "12 st");
    }
}

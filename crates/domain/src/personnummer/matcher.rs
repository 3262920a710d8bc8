//! Where in the symbols a number may be written, and how it may be split.
//!
//! People split these numbers between digit pairs: century, year, month and day, before the last four digits and
//! between the two pairs of those (`19 85 07 09 98 13`, `85.07.09-9813`). So a number is read as 10 or 12 digits
//! with, after any even number of them, an optional short run of separators; a split anywhere else (a phone number's
//! `070-123 45 67`, an amount's `1 250 000`) is no such number. Everything here exists to keep look-alikes out: a
//! number is only refused if it reads as a real date with a valid check digit, and only if it is not part of a
//! longer number.

use super::IdentityNumberMatch;
use super::symbols::{Kind, Symbol};
use super::validity::{self, LONG_DATE, SHORT_DATE, TAIL};

/// The longest run of separators allowed between two digit pairs. Two admits `--`, `- ` and a space with a dash,
/// which people type; three would bridge a spaced dash between two dates (`2023-01-01 – 2023-12-31`).
const MAX_RUN: usize = 2;

/// Every number in the symbols, in order, none overlapping.
pub(super) struct Matches {
    symbols: Vec<Symbol>,
    next: usize,
}

impl Matches {
    pub(super) fn new(symbols: Vec<Symbol>) -> Self {
        Self { symbols, next: 0 }
    }
}

impl Iterator for Matches {
    type Item = IdentityNumberMatch;

    fn next(&mut self) -> Option<IdentityNumberMatch> {
        while self.next < self.symbols.len() {
            let start = self.next;
            self.next += 1;
            // Without knowing how the candidate is written, digits beyond a run with a space may still be another
            // number, but digits right before it, or behind a short run without a space, always continue it:
            // `read` checks again, this only spares it the work.
            if self.symbols[start].digit().is_none() || continues(self.symbols[..start].iter().rev(), false) {
                continue;
            }
            let found =
                read(&self.symbols, start, LONG_DATE + TAIL).or_else(|| read(&self.symbols, start, SHORT_DATE + TAIL));
            if let Some((end, found)) = found {
                self.next = end;
                return Some(found);
            }
        }
        None
    }
}

/// The number of `len` digits from `symbols[start]`, if it is one, and the index after its last digit.
fn read(symbols: &[Symbol], start: usize, len: usize) -> Option<(usize, IdentityNumberMatch)> {
    let mut digits = [0u8; LONG_DATE + TAIL];
    // The separator run before digit `index`; empty where the digits touch.
    let mut runs: [&[Symbol]; LONG_DATE + TAIL] = [&[]; LONG_DATE + TAIL];
    let mut pos = start;
    for index in 0..len {
        if index > 0 {
            let run_len = symbols[pos..].iter().take_while(|symbol| symbol.is_separator()).count();
            if run_len > 0 && (run_len > MAX_RUN || index % 2 == 1) {
                return None;
            }
            runs[index] = &symbols[pos..pos + run_len];
            pos += run_len;
        }
        digits[index] = symbols.get(pos)?.digit()?;
        pos += 1;
    }
    if !is_plausible_tail_split(runs[len - 2], runs[len - 4]) {
        return None;
    }
    let spaced = runs[..len].iter().any(|run| run.iter().any(Symbol::is_space));
    if continues(symbols[..start].iter().rev(), spaced) || continues(symbols[pos..].iter(), spaced) {
        return None;
    }
    let coordination = validity::is_valid(&digits[..len])?;
    Some((pos, IdentityNumberMatch { start: symbols[start].start, end: symbols[pos - 1].end, coordination }))
}

/// The last four digits split in two (`9813` as `98 13`) only by spaces or by the same separator as the one before
/// them: otherwise a date and a time of day (`2023-01-01 12:00`, `2023-01-01 12.00`) would read as a number.
fn is_plausible_tail_split(split: &[Symbol], before_tail: &[Symbol]) -> bool {
    let same = split.iter().map(|symbol| symbol.kind).eq(before_tail.iter().map(|symbol| symbol.kind));
    split.is_empty() || same || split.iter().all(Symbol::is_space)
}

/// Whether the digits beyond one end of a candidate (`beyond` walks away from it) carry on the same longer number:
/// a digit right there, or behind a short run of separators. A run with a space continues it only when the
/// candidate is itself written with spaces: lists of numbers are separated by spaces (`811218-9876 12 år`), but
/// `19 85 07 09 98 13` does not hold the 10-digit `19 85 07 09 98`, nor does `2023-01-01–2023-12-31` the 12-digit
/// `2023-01-01–2023`.
fn continues<'a>(beyond: impl Iterator<Item = &'a Symbol>, spaced: bool) -> bool {
    let mut run = 0;
    let mut space = false;
    for symbol in beyond {
        match symbol.kind {
            Kind::Digit(_) => return run == 0 || spaced || !space,
            Kind::Separator(_) if run < MAX_RUN => {
                run += 1;
                space |= symbol.is_space();
            }
            Kind::Separator(_) | Kind::Other => return false,
        }
    }
    false
}

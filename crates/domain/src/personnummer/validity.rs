//! Whether a plain run of 10 or 12 digits is a personnummer or samordningsnummer: century, date and check digit.

/// `YYYYMMDD`: the century makes the year, and so February 29, certain.
pub(super) const LONG_DATE: usize = 8;
/// `YYMMDD`: the century is unknown, so any year may be a leap year.
pub(super) const SHORT_DATE: usize = 6;
/// `NNNC`: birth number and check digit.
pub(super) const TAIL: usize = 4;
/// Days are written as the day plus this in a coordination number, so the two kinds never collide.
const COORDINATION_DAY_OFFSET: u8 = 60;

/// `Some(coordination)` when the digits (10 or 12 of them, no separator) form a valid number.
pub(super) fn is_valid(digits: &[u8]) -> Option<bool> {
    let (century, short) = digits.split_at(digits.len().saturating_sub(SHORT_DATE + TAIL));
    let century = match *century {
        [c1, c2] => Some(u16::from(c1 * 10 + c2)),
        _ => None,
    };
    // Numbers have been issued since 1947 to people born from the 1840s on; other prefixes are some other number.
    if century.is_some_and(|century| !(18..=20).contains(&century)) {
        return None;
    }
    let [y1, y2, m1, m2, d1, d2, _, _, _, check] = *short else {
        return None;
    };
    if luhn_check_digit(&short[..9]) != check {
        return None;
    }
    let month = m1 * 10 + m2;
    let (day, coordination) = match d1 * 10 + d2 {
        day @ 1..=31 => (day, false),
        day @ 61..=91 => (day - COORDINATION_DAY_OFFSET, true),
        _ => return None,
    };
    let year = century.map(|century| century * 100 + u16::from(y1 * 10 + y2));
    ((1..=12).contains(&month) && day <= days_in_month(month, year)).then_some(coordination)
}

/// The check digit always covers the 10-digit form, so the century never takes part.
fn luhn_check_digit(digits: &[u8]) -> u8 {
    // Nine digit sums of at most 9 each: a u8 holds the total.
    let sum: u8 = digits
        .iter()
        .enumerate()
        .map(|(index, &digit)| {
            let product = digit * if index % 2 == 0 { 2 } else { 1 };
            product / 10 + product % 10
        })
        .sum();
    (10 - sum % 10) % 10
}

/// Without a known year February 29 must be allowed: refusing it would let through people born on a leap day.
fn days_in_month(month: u8, year: Option<u16>) -> u8 {
    match month {
        2 if year.is_none_or(is_leap_year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

fn is_leap_year(year: u16) -> bool {
    year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400))
}

//! The detector's tests. Valid numbers are built here with a check digit of the tests' own, never with the code
//! under test.

use super::*;

mod disguises;
mod known;
mod oracle;
mod properties;

/// An independent, deliberately plain check digit: used to build valid numbers and in the oracle.
pub(super) fn check_digit(nine: &str) -> char {
    assert_eq!(nine.len(), 9, "{nine}");
    let mut sum = 0;
    for (i, c) in nine.chars().enumerate() {
        let mut v = c.to_digit(10).unwrap() * if i % 2 == 0 { 2 } else { 1 };
        if v > 9 {
            v -= 9;
        }
        sum += v;
    }
    char::from_digit((10 - sum % 10) % 10, 10).unwrap()
}

/// Completes `YYMMDD-NNN`, `YYYYMMDDNNN` and the like with a correct check digit.
pub(super) fn valid(prefix: &str) -> String {
    let digits: String = prefix.chars().filter(char::is_ascii_digit).collect();
    let nine = &digits[digits.len() - 9..];
    format!("{prefix}{}", check_digit(nine))
}

/// The same number with a wrong check digit.
pub(super) fn invalid(prefix: &str) -> String {
    let good = valid(prefix);
    let last = good.chars().last().unwrap().to_digit(10).unwrap();
    format!("{prefix}{}", (last + 1) % 10)
}

pub(super) fn found(text: &str) -> Option<(&str, bool)> {
    find_identity_number(text).map(|m| (&text[m.start..m.end], m.coordination))
}

pub(super) fn assert_whole(number: &str, coordination: bool) {
    assert_eq!(
        find_identity_number(number),
        Some(IdentityNumberMatch { start: 0, end: number.len(), coordination }),
        "{number}"
    );
}

pub(super) fn assert_none(text: &str) {
    assert_eq!(find_identity_number(text), None, "{text}");
    assert!(!contains_identity_number(text), "{text}");
}

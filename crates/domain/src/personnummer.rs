//! Detection of Swedish personal identity numbers (personnummer) and coordination numbers (samordningsnummer) in
//! free text.
//!
//! The service stores no persons, so free text that carries one must be refused. A candidate only counts when its
//! check digit and its date both hold: that keeps amounts, dates, phone numbers and organisation numbers in ordinary
//! text from being refused, at the price of missing a number that was mistyped.

/// What was found: the byte range in the text and whether it is a coordination number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdentityNumberMatch {
    pub start: usize,
    pub end: usize,
    pub coordination: bool,
}

/// The first personal identity number or coordination number in `text`, if any.
pub fn find_identity_number(text: &str) -> Option<IdentityNumberMatch> {
    let bytes = text.as_bytes();
    (0..bytes.len())
        .filter(|&start| starts_digit_run(bytes, start))
        .find_map(|start| match_at(bytes, start, LONG_DATE).or_else(|| match_at(bytes, start, SHORT_DATE)))
}

/// True if `text` contains one.
pub fn contains_identity_number(text: &str) -> bool {
    find_identity_number(text).is_some()
}

/// `YYYYMMDD`: the century makes the year, and so February 29, certain.
const LONG_DATE: usize = 8;
/// `YYMMDD`: the century is unknown, so any year may be a leap year.
const SHORT_DATE: usize = 6;
/// `NNNC`: birth number and check digit.
const TAIL: usize = 4;
/// Days are written as the day plus this in a coordination number, so the two kinds never collide.
const COORDINATION_DAY_OFFSET: u8 = 60;

/// Only the start of a run of digits can begin a number; anything inside a longer run is some other number.
fn starts_digit_run(bytes: &[u8], start: usize) -> bool {
    bytes.get(start).is_some_and(u8::is_ascii_digit) && (start == 0 || !bytes[start - 1].is_ascii_digit())
}

/// `+` properly marks someone over 100 in the 10-digit form only, but it is accepted in both: a number written with
/// the wrong separator still identifies a person.
fn match_at(bytes: &[u8], start: usize, date_len: usize) -> Option<IdentityNumberMatch> {
    let mut digits = [0u8; LONG_DATE + TAIL];
    let len = date_len + TAIL;
    let mut pos = start;
    for (index, slot) in digits.iter_mut().take(len).enumerate() {
        if index == date_len && matches!(bytes.get(pos), Some(b'-' | b'+' | b' ')) {
            pos += 1;
        }
        let byte = *bytes.get(pos).filter(|byte| byte.is_ascii_digit())?;
        *slot = byte - b'0';
        pos += 1;
    }
    if bytes.get(pos).is_some_and(u8::is_ascii_digit) {
        return None;
    }
    let coordination = is_valid(&digits[..len])?;
    Some(IdentityNumberMatch { start, end: pos, coordination })
}

/// `Some(coordination)` when the digits (10 or 12 of them, no separator) form a valid number.
fn is_valid(digits: &[u8]) -> Option<bool> {
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

#[cfg(test)]
mod tests {
    use super::*;

    /// An independent, deliberately plain check digit: used to build valid numbers and in the oracle below.
    fn check_digit(nine: &str) -> char {
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
    fn valid(prefix: &str) -> String {
        let digits: String = prefix.chars().filter(char::is_ascii_digit).collect();
        let nine = &digits[digits.len() - 9..];
        format!("{prefix}{}", check_digit(nine))
    }

    /// The same number with a wrong check digit.
    fn invalid(prefix: &str) -> String {
        let good = valid(prefix);
        let last = good.chars().last().unwrap().to_digit(10).unwrap();
        format!("{prefix}{}", (last + 1) % 10)
    }

    fn found(text: &str) -> Option<(&str, bool)> {
        find_identity_number(text).map(|m| (&text[m.start..m.end], m.coordination))
    }

    fn assert_whole(number: &str, coordination: bool) {
        assert_eq!(
            find_identity_number(number),
            Some(IdentityNumberMatch { start: 0, end: number.len(), coordination }),
            "{number}"
        );
    }

    fn assert_none(text: &str) {
        assert_eq!(find_identity_number(text), None, "{text}");
        assert!(!contains_identity_number(text), "{text}");
    }

    #[test]
    fn independent_check_digit_agrees_with_known_numbers() {
        assert_eq!(check_digit("811218987"), '6');
        assert_eq!(check_digit("701063239"), '1');
        assert_eq!(valid("811218-987"), "811218-9876");
        assert_eq!(valid("19811218987"), "198112189876");
    }

    #[test]
    fn known_valid_personnummer_in_every_form() {
        for number in [
            "811218-9876",
            "8112189876",
            "811218+9876",
            "811218 9876",
            "19811218-9876",
            "198112189876",
            "19811218 9876",
            "19811218+9876",
            "20811218-9876",
            "18811218-9876",
        ] {
            assert_whole(number, false);
            assert!(contains_identity_number(number), "{number}");
        }
    }

    #[test]
    fn known_valid_samordningsnummer() {
        for number in ["701063-2391", "7010632391", "701063+2391", "19701063-2391", "197010632391"] {
            assert_whole(number, true);
        }
    }

    #[test]
    fn numbers_built_with_the_independent_check_digit() {
        for (prefix, coordination) in [
            ("640823-323", false),
            ("19640823323", false),
            ("121212-121", false),
            ("20121212-121", false),
            ("850101 001", false),
            ("990131-999", false),
            ("850161-001", true),
            ("20000191-123", true),
            ("991130-456", false),
            ("991190-456", true),
        ] {
            assert_whole(&valid(prefix), coordination);
        }
    }

    #[test]
    fn a_changed_check_digit_is_not_a_match() {
        for number in ["811218-9875", "811218-9877", "8112189870", "19811218-9871", "198112189879", "701063-2392"] {
            assert_none(number);
        }
        for prefix in ["640823-323", "19640823323", "850161-001", "121212-121"] {
            assert_none(&invalid(prefix));
        }
    }

    #[test]
    fn found_inside_text() {
        assert_eq!(found("Deltagare 811218-9876 har slutat"), Some(("811218-9876", false)));
        assert_eq!(found("pnr:198112189876."), Some(("198112189876", false)));
        assert_eq!(found("(701063-2391)"), Some(("701063-2391", true)));
        assert_eq!(found("a811218-9876b"), Some(("811218-9876", false)));
        assert_eq!(found("811218-9876-1"), Some(("811218-9876", false)));
        let text = "Född 😀 i Göteborg, å ä ö: 19811218-9876 😀";
        let m = find_identity_number(text).unwrap();
        assert_eq!(&text[m.start..m.end], "19811218-9876");
        assert_eq!(text[..m.start].chars().count(), "Född 😀 i Göteborg, å ä ö: ".chars().count());
    }

    #[test]
    fn the_first_match_is_returned() {
        assert_eq!(found("701063-2391 och 811218-9876"), Some(("701063-2391", true)));
        assert_eq!(found("811218-9875 men 701063-2391"), Some(("701063-2391", true)));
        let text = "12345 811218-9876";
        assert_eq!(find_identity_number(text), Some(IdentityNumberMatch { start: 6, end: 17, coordination: false }));
    }

    #[test]
    fn the_twelve_digit_form_spans_the_whole_number() {
        // The 10-digit reading inside it starts after a digit, so only the full span can match.
        assert_eq!(found("x198112189876x"), Some(("198112189876", false)));
        assert_eq!(found("x19811218-9876x"), Some(("19811218-9876", false)));
    }

    #[test]
    fn longer_digit_runs_are_not_matches() {
        for text in [
            "1234198112189876",
            "1981121898761",
            "0198112189876",
            "98112189876",
            "08112189876",
            "81121898760",
            "0811218-9876",
            "811218-98761",
            "5811218-9876",
            "19811218-98761",
            "119811218-9876",
        ] {
            assert_none(text);
        }
        // A space after a complete 10-digit number ends it: the digit after the space belongs to something else.
        assert_eq!(found("8112189876 0"), Some(("8112189876", false)));
    }

    #[test]
    fn malformed_separators_are_not_matches() {
        for text in ["811218--9876", "811218 - 9876", "81121-89876", "8112-18-9876", "811218_9876", "811218/9876"] {
            assert_none(text);
        }
    }

    #[test]
    fn unknown_centuries_are_not_matches() {
        for text in ["17811218-9876", "21811218-9876", "00811218-9876", "178112189876"] {
            assert_none(text);
        }
    }

    #[test]
    fn phone_numbers() {
        assert_none("070-123 45 67");
        assert_none("Ring 070-1234567 eller 08-123 456 78");
        assert_none("+46 70 123 45 67");
        // Reads as 2007-01-23 with a wrong check digit (it would be 9).
        assert_none("0701234567");
        // Nothing tells this phone number from a personnummer for 2007-01-23: the rules say it matches.
        assert_eq!(found("0701234569"), Some(("0701234569", false)));
    }

    #[test]
    fn amounts() {
        for text in ["2500000.00", "2 500 000,00 kr", "25000000.00", "1234567890.50"] {
            // "1234567890" reads as month 56, so it is no number either.
            assert_none(text);
        }
    }

    #[test]
    fn organisation_numbers() {
        // Fails the check digit (8 would be right) and its "month" is 24.
        assert_none("802456-1234");
        // Even with a correct check digit the third digit of an organisation number is at least 2, so the "month"
        // is 20 or more and it never passes as a date.
        let with_check_digit = valid("802456-123");
        assert_eq!(with_check_digit, "802456-1238");
        assert_none(&with_check_digit);
        assert_none(&valid("556036-079"));
        assert_none(&valid("16556036079"));
    }

    #[test]
    fn dates() {
        for text in ["2023-01-01", "20230101", "2023-01-01 12:00", "1981-12-18", "18.12.1981", "181281"] {
            assert_none(text);
        }
    }

    #[test]
    fn implausible_dates_are_not_matches_even_with_a_correct_check_digit() {
        for prefix in [
            "811318-987",  // month 13
            "810018-987",  // month 00
            "811232-987",  // day 32
            "811200-987",  // day 00
            "810230-987",  // February 30
            "810431-987",  // April 31
            "810631-987",  // June 31
            "810931-987",  // September 31
            "811131-987",  // November 31
            "811160-987",  // day 60 is coordination day 0
            "811192-987",  // day 92 is coordination day 32
            "810290-987",  // coordination February 30
            "810491-987",  // coordination April 31
            "19811318987", // month 13, 12-digit
            "19811232987", // day 32, 12-digit
        ] {
            assert_none(&valid(prefix));
        }
    }

    #[test]
    fn leap_years_in_the_twelve_digit_form() {
        assert_whole(&valid("20000229-123"), false); // divisible by 400
        assert_whole(&valid("20240229-123"), false);
        assert_whole(&valid("19040229123"), false);
        assert_whole(&valid("20000289-123"), true);
        assert_none(&valid("19000229-123")); // divisible by 100, not by 400
        assert_none(&valid("20230229-123"));
        assert_none(&valid("19000289-123"));
        assert_none(&valid("18000229-123"));
        assert_whole(&valid("20230228-123"), false);
    }

    #[test]
    fn february_29_in_the_ten_digit_form_is_accepted() {
        // The century is unknown, so 000229 may be 2000-02-29 and 010229 is accepted too.
        assert_whole(&valid("000229-123"), false);
        assert_whole(&valid("010229-123"), false);
        assert_whole(&valid("000289-123"), true);
        assert_none(&valid("000230-123"));
    }

    /// A plain reading of the rules, sharing no code with the module, to compare against.
    fn oracle_is_valid(candidate: &str) -> Option<bool> {
        let bytes = candidate.as_bytes();
        let digits: String = candidate.chars().filter(char::is_ascii_digit).collect();
        let shape = match candidate.len() {
            10 | 12 => digits.len() == candidate.len(),
            11 | 13 => digits.len() == candidate.len() - 1 && matches!(bytes[candidate.len() - 5], b'-' | b'+' | b' '),
            _ => false,
        };
        if !shape {
            return None;
        }
        let (century, short) = if digits.len() == 12 {
            (Some(digits[..2].parse::<u32>().unwrap()), &digits[2..])
        } else {
            (None, &digits[..])
        };
        if matches!(century, Some(century) if !(18..=20).contains(&century)) {
            return None;
        }
        if check_digit(&short[..9]) != short.chars().nth(9).unwrap() {
            return None;
        }
        let month: u32 = short[2..4].parse().unwrap();
        let mut day: u32 = short[4..6].parse().unwrap();
        let coordination = day > 60;
        if coordination {
            day -= 60;
        }
        let leap = match century {
            Some(century) => {
                let year = century * 100 + short[..2].parse::<u32>().unwrap();
                (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400)
            }
            None => true,
        };
        let month_len = match month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 if leap => 29,
            2 => 28,
            _ => return None,
        };
        (1..=month_len).contains(&day).then_some(coordination)
    }

    fn oracle_find(text: &str) -> Option<IdentityNumberMatch> {
        let bytes = text.as_bytes();
        for start in 0..bytes.len() {
            if start > 0 && bytes[start - 1].is_ascii_digit() {
                continue;
            }
            for len in [13, 12, 11, 10] {
                let end = start + len;
                let Some(candidate) = text.get(start..end) else { continue };
                if bytes.get(end).is_some_and(u8::is_ascii_digit) {
                    continue;
                }
                if let Some(coordination) = oracle_is_valid(candidate) {
                    return Some(IdentityNumberMatch { start, end, coordination });
                }
            }
        }
        None
    }

    #[test]
    fn pseudo_random_text_never_panics_and_agrees_with_a_plain_reading() {
        const PIECES: &[&str] = &[
            "0",
            "1",
            "2",
            "3",
            "4",
            "5",
            "6",
            "7",
            "8",
            "9",
            "0",
            "1",
            "2",
            "8",
            "9",
            "-",
            "+",
            " ",
            "a",
            "Z",
            ".",
            ":",
            "å",
            "ä",
            "ö",
            "Ö",
            "😀",
            "\u{a0}",
            "811218-9876",
            "701063-2391",
            "19811218",
            "9876",
            "0229",
            "63",
        ];
        let mut state: u64 = 0x2545_f491_4f6c_dd1d;
        let mut next = move || {
            state = state.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            (state >> 33) as usize
        };
        let mut matches = 0;
        for _ in 0..20_000 {
            let len = next() % 40;
            let text: String = (0..len).map(|_| PIECES[next() % PIECES.len()]).collect();
            let found = find_identity_number(&text);
            assert_eq!(found, oracle_find(&text), "{text:?}");
            assert_eq!(contains_identity_number(&text), found.is_some());
            if let Some(m) = found {
                matches += 1;
                let slice = text.get(m.start..m.end).expect("match on char boundaries");
                assert_eq!(
                    find_identity_number(slice),
                    Some(IdentityNumberMatch { start: 0, end: slice.len(), coordination: m.coordination }),
                    "{text:?}"
                );
                assert!(!text.as_bytes()[..m.start].last().is_some_and(u8::is_ascii_digit), "{text:?}");
                assert!(!text.as_bytes().get(m.end).is_some_and(u8::is_ascii_digit), "{text:?}");
            }
        }
        assert!(matches > 100, "the generator should produce matches, got {matches}");
    }

    #[test]
    fn random_digit_strings_agree_with_a_plain_reading() {
        // Dense digits and separators reach the date and check-digit rules far more often than mixed text.
        let mut state: u64 = 7;
        let mut next = move || {
            state = state.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            (state >> 33) as usize
        };
        let alphabet = b"0123456789012345678901-+ x";
        for _ in 0..50_000 {
            let len = 10 + next() % 8;
            let text: String = (0..len).map(|_| char::from(alphabet[next() % alphabet.len()])).collect();
            assert_eq!(find_identity_number(&text), oracle_find(&text), "{text:?}");
        }
    }

    #[test]
    fn edge_inputs() {
        for text in ["", "8", "811218-", "811218-987", "-9876", "😀", "811218-987😀", "19811218-"] {
            assert_none(text);
        }
    }
}

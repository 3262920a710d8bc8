//! Properties of the disguise issue: any valid number written any allowed way is found where it stands; a phone
//! number's grouping and a wrong check digit are not.

use proptest::prelude::*;
use proptest::sample::select;

use super::oracle::digits_are_valid;
use super::*;

/// The zero of each digit script a number may be written in.
const ZEROS: &[char] = &['0', '\u{ff10}', '\u{660}', '\u{6f0}', '\u{966}', '\u{9e6}', '\u{1d7ce}'];
const SPACES: &[char] = &[' ', '\t', '\u{a0}', '\u{202f}', '\u{2009}', '\u{2007}', '\u{3000}'];
const SEPARATORS: &[char] = &[
    ' ', '\t', '\u{a0}', '\u{202f}', '\u{2009}', '\u{2007}', '\u{3000}', '-', '\u{2010}', '\u{2011}', '\u{2013}',
    '\u{2014}', '\u{2212}', '\u{ff0d}', '.', '\u{ff0e}', '/', '_', ':', '+',
];
/// Format characters (Cf) and the combining grapheme joiner, all invisible.
const INVISIBLES: &[char] = &[
    '\u{200b}', '\u{200c}', '\u{200d}', '\u{2060}', '\u{ad}', '\u{feff}', '\u{2061}', '\u{200e}', '\u{180e}', '\u{34f}',
];
/// Text around a number: no digit, but separators and invisible characters may touch it.
const TEXT: &[char] = &[
    'a', 'Z', 'å', 'ä', 'ö', 'Ö', 'é', ',', ';', '(', ')', '!', '\n', '😀', '€', ' ', '-', '.', ':', '\u{a0}',
    '\u{200b}', '\u{ad}', 'ß', 'ж', 'ع',
];

fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        2 if (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// The ASCII digits of a valid number (10 or 12) and whether it is a coordination number.
fn valid_number() -> impl Strategy<Value = (String, bool)> {
    let any_date = (1800u32..=2099, 1u32..=12, 0u32..31)
        .prop_map(|(year, month, seed)| (year, month, 1 + seed % days_in_month(year, month)));
    let leap_day = (0u32..74)
        .prop_map(|n| 1804 + 4 * n)
        .prop_filter("a leap year", |&year| year != 1900)
        .prop_map(|year| (year, 2, 29));
    (prop_oneof![4 => any_date, 1 => leap_day], 0u32..=999, any::<bool>(), any::<bool>()).prop_map(
        |((year, month, day), birth, coordination, long)| {
            let day = day + if coordination { 60 } else { 0 };
            let nine = format!("{:02}{month:02}{day:02}{birth:03}", year % 100);
            let short = format!("{nine}{}", check_digit(&nine));
            (if long { format!("{}{short}", year / 100) } else { short }, coordination)
        },
    )
}

/// How a number is written: per digit its script and the invisible characters after it, per pair its separator
/// run, and how the last four are split.
#[derive(Debug, Clone)]
struct Disguise {
    scripts: Vec<char>,
    invisibles: Vec<Vec<char>>,
    runs: Vec<Vec<char>>,
    tail_split: TailSplit,
}

#[derive(Debug, Clone)]
enum TailSplit {
    None,
    LikeBeforeTail,
    Spaces(Vec<char>),
}

fn run(from: &'static [char]) -> impl Strategy<Value = Vec<char>> {
    prop::collection::vec(select(from), 0..=2)
}

fn disguise() -> impl Strategy<Value = Disguise> {
    let tail_split = prop_oneof![
        Just(TailSplit::None),
        Just(TailSplit::LikeBeforeTail),
        prop::collection::vec(select(SPACES), 1..=2).prop_map(TailSplit::Spaces),
    ];
    (
        prop::collection::vec(select(ZEROS), 12),
        prop::collection::vec(prop::collection::vec(select(INVISIBLES), 0..=1), 12),
        prop::collection::vec(run(SEPARATORS), 6),
        tail_split,
    )
        .prop_map(|(scripts, invisibles, runs, tail_split)| Disguise { scripts, invisibles, runs, tail_split })
}

/// `digits` (ASCII) written in `disguise`.
fn write(digits: &str, disguise: &Disguise) -> String {
    let len = digits.len();
    let mut text = String::new();
    for (index, digit) in digits.chars().enumerate() {
        if index > 0 && index % 2 == 0 {
            let run = match (&disguise.tail_split, index == len - 2) {
                (_, false) => &disguise.runs[index / 2 - 1],
                (TailSplit::None, true) => &Vec::new(),
                (TailSplit::LikeBeforeTail, true) => &disguise.runs[index / 2 - 2],
                (TailSplit::Spaces(spaces), true) => spaces,
            };
            text.extend(run);
        }
        let value = digit.to_digit(10).unwrap();
        text.push(char::from_u32(u32::from(disguise.scripts[index]) + value).unwrap());
        if index < len - 1 {
            text.extend(&disguise.invisibles[index]);
        }
    }
    text
}

fn text() -> impl Strategy<Value = String> {
    prop::collection::vec(select(TEXT), 0..12).prop_map(|chars| chars.into_iter().collect())
}

/// Digits in groups the way phone numbers are written, none of them split between pairs from its start: mobile
/// `070-123 45 67`, `070-1234567` and `070 123 4567`, Stockholm `08-123 456 78`, international `+46 70 123 45 67`.
fn phone_number() -> impl Strategy<Value = String> {
    const GROUPS: &[&[usize]] = &[&[3, 3, 2, 2], &[3, 7], &[3, 3, 4], &[2, 3, 3, 2], &[2, 2, 3, 2, 2]];
    let groups = select(GROUPS);
    (groups, prop::collection::vec(0u32..10, 12), prop::collection::vec(select(ZEROS), 12), any::<bool>())
        .prop_flat_map(|(groups, digits, scripts, plus)| {
            let runs = prop::collection::vec(prop::collection::vec(select(SEPARATORS), 1..=2), groups.len());
            let invisibles = prop::collection::vec(prop::collection::vec(select(INVISIBLES), 0..=1), 12);
            (Just((groups, digits, scripts, plus)), runs, invisibles)
        })
        .prop_map(|((groups, digits, scripts, plus), runs, invisibles)| {
            let mut text = String::from(if plus { "+" } else { "" });
            let mut next = 0;
            for (group, &size) in groups.iter().enumerate() {
                if group > 0 {
                    text.extend(&runs[group]);
                }
                for _ in 0..size {
                    text.push(char::from_u32(u32::from(scripts[next]) + digits[next]).unwrap());
                    text.extend(&invisibles[next]);
                    next += 1;
                }
            }
            text
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1000, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn a_valid_number_in_any_disguise_is_found(
        (digits, coordination) in valid_number(),
        disguise in disguise(),
        before in text(),
        after in text(),
    ) {
        let number = write(&digits, &disguise);
        let text = format!("{before}{number}{after}");
        let expected = IdentityNumberMatch { start: before.len(), end: before.len() + number.len(), coordination };
        prop_assert_eq!(find_identity_number(&text), Some(expected), "{:?} in {:?}", digits, text);
        prop_assert_eq!(mask_identity_numbers(&text), format!("{before}{IDENTITY_NUMBER_MASK}{after}"));
    }

    #[test]
    fn a_phone_number_is_not_found(number in phone_number(), before in text(), after in text()) {
        let text = format!("{before}{number}{after}");
        prop_assert_eq!(find_identity_number(&text), None, "{:?}", text);
    }

    #[test]
    fn a_wrong_check_digit_is_not_found(
        (digits, _) in valid_number(),
        wrong_by in 1u32..10,
        disguise in disguise(),
        before in text(),
        after in text(),
    ) {
        let (body, check) = digits.split_at(digits.len() - 1);
        let check = (check.parse::<u32>().unwrap() + wrong_by) % 10;
        let digits = format!("{body}{check}");
        // A 12-digit number whose first ten digits happen to form a valid number of their own holds that one.
        prop_assume!(digits.len() == 10 || digits_are_valid(&digits[..10]).is_none());
        let text = format!("{before}{}{after}", write(&digits, &disguise));
        prop_assert_eq!(find_identity_number(&text), None, "{:?}", text);
        prop_assert!(!contains_identity_number(&text));
    }
}

//! The acceptance table of the disguise issue: numbers written every way people and attackers write them, and
//! look-alikes that must still pass.

use std::borrow::Cow;

use super::oracle::digits_are_valid;
use super::*;

const FULLWIDTH: char = '\u{ff10}';
const ARABIC_INDIC: char = '\u{660}';
const EXTENDED_ARABIC_INDIC: char = '\u{6f0}';
const DEVANAGARI: char = '\u{966}';
const BENGALI: char = '\u{9e6}';
const MATHEMATICAL_BOLD: char = '\u{1d7ce}';

/// `template` with each `#` replaced by the next of `digits`.
fn put(template: &str, digits: &str) -> String {
    let mut digits = digits.chars();
    let text: String = template.chars().map(|c| if c == '#' { digits.next().unwrap() } else { c }).collect();
    assert_eq!(digits.next(), None, "{template}");
    text
}

/// The ASCII digits of `text` written in the script whose zero is `zero`.
fn script(text: &str, zero: char) -> String {
    scripts(text, &[zero])
}

/// The ASCII digits of `text` written in the scripts of `zeros` in turn, one digit each.
fn scripts(text: &str, zeros: &[char]) -> String {
    let mut next = zeros.iter().cycle();
    text.chars()
        .map(|c| match c.to_digit(10) {
            Some(value) => char::from_u32(u32::from(*next.next().unwrap()) + value).unwrap(),
            None => c,
        })
        .collect()
}

/// Superscript digits and minus, which are no Nd but which NFKC makes plain.
fn superscript(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '-' => '\u{207b}',
            '1' => '\u{b9}',
            '2' | '3' => char::from_u32(0xb2 + c.to_digit(10).unwrap() - 2).unwrap(),
            _ => char::from_u32(0x2070 + c.to_digit(10).unwrap()).unwrap(),
        })
        .collect()
}

/// A number in disguise, inside a sentence: `(sentence, the number as written, coordination)`.
fn disguised() -> Vec<(String, String, bool)> {
    let person = valid("850709981");
    let person_long = valid("19850709981");
    let coordination = valid("850769981");
    let coordination_long = valid("19850769981");
    let known = "1212121212";
    let known_long = "191212121212";
    let leap_day = valid("20000229123");
    let leap_coordination = valid("20000289123");
    let every_script = [FULLWIDTH, ARABIC_INDIC, '0', EXTENDED_ARABIC_INDIC, DEVANAGARI, BENGALI, MATHEMATICAL_BOLD];
    let rows: Vec<(String, bool)> = vec![
        (script(&put("######\u{ff0d}####", known), FULLWIDTH), false),
        (put("## ## ## ## ## ##", known_long), false),
        (put("######.####", &valid("191212121")), false),
        (put("##.##.##-####", known), false),
        (put("######\u{2013}####", known), false),
        (put("######\u{a0}####", known), false),
        (put("######\u{202f}####", &person), false),
        (put("####\u{200b}##-####", &person), false),
        (put("######\u{ad}####", &person), false),
        (put("#\u{ad}#\u{ad}#\u{ad}#\u{ad}#\u{ad}#\u{ad}#\u{ad}#\u{ad}#\u{ad}#", &coordination), true),
        (put("##\u{2060}##\u{feff}##-##\u{200d}##", &person), false),
        (script(&put("######-####", &person), ARABIC_INDIC), false),
        (script(&put("########-####", &person_long), EXTENDED_ARABIC_INDIC), false),
        (script(&put("######-####", &coordination), DEVANAGARI), true),
        (script(&put("########-####", &coordination_long), BENGALI), true),
        (script(&put("##########", &person), MATHEMATICAL_BOLD), false),
        (scripts(&put("########-####", &person_long), &every_script), false),
        (script(&put("######\u{ff0d}####", &coordination), FULLWIDTH), true),
        (script(&put("########\u{3000}####", &person_long), FULLWIDTH), false),
        (put("## ## ## ## ## ##", &coordination_long), true),
        (put("##.##.##.##.##.##", &coordination_long), true),
        (put("##.##.##-####", &person), false),
        (put("###### ####", &person), false),
        (put("##########", &person), false),
        (put("########-####", &person_long), false),
        (put("####-##-##-####", &person_long), false),
        (put("#### ## ## ## ##", &person_long), false),
        (put("##########", &coordination_long[2..]), true),
        (put("######\u{2014}####", &person), false),
        (put("######\u{2011}####", &person), false),
        (put("######\u{2212}####", &person), false),
        (put("######/####", &person), false),
        (put("######_####", &person), false),
        (put("######:####", &person), false),
        (put("######+####", &coordination), true),
        (put("######- ####", &person), false),
        (put("## ## ##-## ##", &person), false),
        (put("########\u{2009}####", &leap_day), false),
        (put("########\u{202f}####", &leap_coordination), true),
        (superscript(&put("######-####", &person)), false),
    ];
    let sentences = [
        "Deltagaren {} har flyttat till Umeå.",
        "Pnr: {}",
        "{} är född i Malmö",
        "Kontakt med handläggare ({}) sker i vår.",
        "Notering – {}, se även bilagan 😀",
    ];
    rows.into_iter()
        .zip(sentences.iter().cycle())
        .map(|((number, coordination), sentence)| (sentence.replace("{}", &number), number, coordination))
        .collect()
}

/// Look-alikes: none may be refused.
fn look_alikes() -> Vec<String> {
    let person = valid("850709981");
    let person_long = valid("19850709981");
    let coordination = valid("850769981");
    // A date and a time of day whose twelve digits would pass as a number.
    let date_and_time = valid("20230101123");
    assert!(digits_are_valid(&date_and_time).is_some());
    // The first date and year of this range are 12 digits with a correct check digit.
    let range = "2023-01-01\u{2013}2023-12-31";
    assert!(digits_are_valid("202301012023").is_some());
    let mut rows: Vec<String> = [
        range,
        "Perioden 2023-01-01–2023-12-31 gäller.",
        "20230101-20231231",
        "2023-01-01 – 2023-12-31",
        "2023-01-01--2023-12-31",
        "2023/01/01-2023/12/31",
        "2023-01-01 2023-12-31",
        "Dnr 2023/1234",
        "Dnr 2012/1234-56",
        "Ring 070-123 45 67",
        "070-1234567",
        "+46 70 123 45 67",
        "08-123 456 78",
        "\u{ff10}\u{ff17}\u{ff10}\u{ff0d}\u{ff11}\u{ff12}\u{ff13} \u{ff14}\u{ff15} \u{ff16}\u{ff17}",
        "Box 123, SE-123 45 Stockholm",
        "1 250 000 kr",
        "1\u{a0}250\u{a0}000 kr",
        "12 500 000,00 kr",
        "1 250 000 000 kr",
        "556036-0793",
        "212000-1355",
        "16556036-0793",
        "\u{ff15}\u{ff15}\u{ff16}\u{ff10}\u{ff13}\u{ff16}\u{ff0d}\u{ff10}\u{ff17}\u{ff19}\u{ff13}",
        "19 85 07 09 98 13 45",
        "SE45 5000 0000 0583 9825 7466",
        "2023-01-01T12:00:00",
        "kl. 12.00–13.30 den 2023-05-17",
    ]
    .map(String::from)
    .to_vec();
    rows.extend([
        put("####-##-## ##:##", &date_and_time),
        put("####-##-## ##.##", &date_and_time),
        invalid("850709-981"),
        script(&invalid("19 85 07 09 98 1"), FULLWIDTH),
        script(&invalid("850769-981"), ARABIC_INDIC),
        valid("851309-981"),
        script(&valid("850230-981"), DEVANAGARI),
        script(&format!("1{person}"), ARABIC_INDIC),
        format!("{person}1"),
        format!("12-{}", put("######-####", &person)),
        format!("{}-1", put("######-####", &coordination)),
        format!("0\u{200b}{person}"),
        put("###-### ## ##", &person),
        put("### ### ####", &person),
        put("#### ### ### ##", &person_long),
    ]);
    rows
}

#[test]
fn numbers_in_disguise_are_found_and_masked() {
    let rows = disguised();
    assert!(rows.len() >= 30, "{}", rows.len());
    for (text, number, coordination) in &rows {
        let m = find_identity_number(text).unwrap_or_else(|| panic!("not found: {text:?}"));
        assert_eq!((&text[m.start..m.end], m.coordination), (number.as_str(), *coordination), "{text:?}");
        assert!(contains_identity_number(text), "{text:?}");
        assert_eq!(mask_identity_numbers(text), text.replace(number.as_str(), IDENTITY_NUMBER_MASK), "{text:?}");
    }
}

#[test]
fn look_alikes_pass() {
    let rows = look_alikes();
    assert!(rows.len() >= 30, "{}", rows.len());
    for text in &rows {
        assert_none(text);
        assert!(matches!(mask_identity_numbers(text), Cow::Borrowed(_)), "{text:?}");
    }
}

#[test]
fn every_number_of_a_text_is_masked() {
    let person = put("######-####", &valid("850709981"));
    let coordination = script(&put("## ## ## ## ## ##", &valid("19850769981")), FULLWIDTH);
    let text = format!("{person}, {coordination} och 2023-01-01 {person}");
    let mask = IDENTITY_NUMBER_MASK;
    assert_eq!(mask_identity_numbers(&text), format!("{mask}, {mask} och 2023-01-01 {mask}"));
    assert_eq!(mask_identity_numbers("Inga nummer här"), "Inga nummer här");
}

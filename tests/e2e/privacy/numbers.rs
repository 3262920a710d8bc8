//! Valid identity numbers, built with their check digit, in the disguises a client might send.

/// A number written some way, and its ten ASCII digits (YYMMDDNNNC), the part that identifies.
pub struct Disguised {
    pub what: &'static str,
    pub text: String,
    pub digits: String,
}

/// The Luhn check digit of the nine digits YYMMDDNNN.
fn check_digit(nine: &str) -> char {
    let sum: u32 = nine
        .chars()
        .map(|c| c.to_digit(10).expect("digits"))
        .enumerate()
        .map(|(i, d)| if i % 2 == 0 { d * 2 } else { d })
        .map(|p| p / 10 + p % 10)
        .sum();
    char::from_digit((10 - sum % 10) % 10, 10).unwrap()
}

/// `YYMMDDNNN` with its check digit.
fn valid(nine: &str) -> String {
    format!("{nine}{}", check_digit(nine))
}

/// Each ASCII digit as the digit of another script whose zero is `zero`.
fn in_script(text: &str, zero: char) -> String {
    text.chars().map(|c| c.to_digit(10).map_or(c, |d| char::from_u32(zero as u32 + d).unwrap())).collect()
}

pub fn disguised() -> Vec<Disguised> {
    let test = valid("121212121");
    assert_eq!(test, "1212121212", "121212-1212 is the well-known valid test number");
    let person = valid("850709981");
    let coordination = valid("850769981");
    let (date, tail) = person.split_at(6);
    let (yy, mm, dd) = (&date[..2], &date[2..4], &date[4..]);
    let forms: Vec<(&'static str, String, &String)> = vec![
        ("plain, 12 digits", format!("19{date}-{tail}"), &person),
        ("fullwidth digits and hyphen", in_script(&format!("{}－{}", &test[..6], &test[6..]), '０'), &test),
        ("pairs apart, 12 digits", format!("19 {yy} {mm} {dd} {} {}", &tail[..2], &tail[2..]), &person),
        ("YYMMDD.NNNC", format!("{date}.{tail}"), &person),
        ("YY.MM.DD-NNNC", format!("{yy}.{mm}.{dd}-{tail}"), &person),
        ("en dash", format!("{date}\u{2013}{tail}"), &person),
        ("no-break space", format!("{date}\u{a0}{tail}"), &person),
        ("zero-width space inside the date", format!("{yy}{mm}\u{200b}{dd}-{tail}"), &person),
        ("soft hyphen between digits", format!("{date}\u{ad}{tail}"), &person),
        ("Arabic-Indic digits", in_script(&format!("{date}-{tail}"), '\u{660}'), &person),
        ("samordningsnummer", format!("{}-{}", &coordination[..6], &coordination[6..]), &coordination),
    ];
    forms.into_iter().map(|(what, text, digits)| Disguised { what, text, digits: digits.clone() }).collect()
}

/// Whether `text` shows the number: in its disguise, or its digits once every digit is read as
/// ASCII and everything between them dropped; also behind percent-encoding (`%EF%BC%91`) or
/// Rust's escapes (`\u{200b}`), which a reader undoes at a glance.
pub fn shows(text: &str, number: &Disguised) -> bool {
    [text.to_owned(), decoded(text)].iter().any(|text| shows_plainly(text, number))
}

fn shows_plainly(text: &str, number: &Disguised) -> bool {
    let digits: String = text
        .chars()
        .filter(|c| c.is_alphanumeric())
        .map(|c| ['０', '\u{660}'].iter().find_map(|zero| ascii(c, *zero)).unwrap_or(c))
        .collect();
    text.contains(&number.text) || digits.contains(&number.digits)
}

fn decoded(text: &str) -> String {
    let mut bytes = Vec::new();
    let mut rest = text.as_bytes();
    while let Some((&first, after)) = rest.split_first() {
        let hex = |digits: &[u8]| std::str::from_utf8(digits).ok().and_then(|d| u32::from_str_radix(d, 16).ok());
        if first == b'%'
            && let Some(byte) = after.get(..2).and_then(hex)
        {
            bytes.push(byte as u8);
            rest = &after[2..];
        } else if let Some(escape) = rest.strip_prefix(b"\\u{")
            && let Some(end) = escape.iter().position(|b| *b == b'}')
            && let Some(c) = hex(&escape[..end]).and_then(char::from_u32)
        {
            bytes.extend_from_slice(c.encode_utf8(&mut [0; 4]).as_bytes());
            rest = &escape[end + 1..];
        } else {
            bytes.push(first);
            rest = after;
        }
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

fn ascii(c: char, zero: char) -> Option<char> {
    let offset = (c as u32).checked_sub(zero as u32).filter(|d| *d < 10)?;
    char::from_digit(offset, 10)
}

#[test]
fn the_numbers_are_valid_and_found_in_their_disguise() {
    assert_eq!(check_digit("811218987"), '6', "811218-9876, a number the other tests use");
    for number in disguised() {
        assert!(shows(&format!("a {} b", number.text), &number), "{}", number.what);
        assert!(!shows("nothing here", &number), "{}", number.what);
        let encoded: String = number.text.bytes().map(|b| format!("%{b:02X}")).collect();
        assert!(shows(&encoded, &number), "{} percent-encoded", number.what);
        let escaped: String = number.text.chars().map(|c| format!("\\u{{{:x}}}", c as u32)).collect();
        assert!(shows(&escaped, &number), "{} escaped: {escaped}", number.what);
    }
}

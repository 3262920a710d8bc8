//! The text as the matcher sees it: digits with their values, separators and everything else, each tied to the
//! bytes of the original character it came from, so a match can be reported in the caller's text.

use std::iter;

use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfkc_quick};
use unicode_properties::{GeneralCategory, UnicodeGeneralCategory};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    Digit(u8),
    /// Every space is `' '` and every dash `'-'`: they look alike, so a number may mix them freely.
    Separator(char),
    Other,
}

#[derive(Debug, Clone, Copy)]
pub(super) struct Symbol {
    pub kind: Kind,
    /// Byte range of the original character; the characters one character normalises into all share it.
    pub start: usize,
    pub end: usize,
}

impl Symbol {
    pub(super) fn digit(&self) -> Option<u8> {
        match self.kind {
            Kind::Digit(value) => Some(value),
            _ => None,
        }
    }

    pub(super) fn is_separator(&self) -> bool {
        matches!(self.kind, Kind::Separator(_))
    }

    pub(super) fn is_space(&self) -> bool {
        self.kind == Kind::Separator(' ')
    }
}

/// The symbols of `text` from the character that holds its first digit on; nothing before it can be part of or
/// touch a number. Empty, and so never allocated, when the text holds no digit.
///
/// Each character is normalised on its own (NFKC): the composition step of NFKC only joins letters and combining
/// marks, and no digit, space, dash or format character is ever composed, so for these the result is the same as
/// normalising the whole text, and each symbol keeps the byte range of the character it came from.
pub(super) fn read(text: &str) -> Vec<Symbol> {
    let mut symbols = Vec::new();
    let Some(first) = text.char_indices().find(|&(_, c)| holds_digit(c)).map(|(offset, _)| offset) else {
        return symbols;
    };
    for (offset, c) in text[first..].char_indices() {
        let start = first + offset;
        let end = start + c.len_utf8();
        let mut push = |kind: Option<Kind>| {
            if let Some(kind) = kind {
                symbols.push(Symbol { kind, start, end });
            }
        };
        if is_normalised(c) {
            push(kind(c));
        } else {
            iter::once(c).nfkc().for_each(|normalised| push(kind(normalised)));
        }
    }
    symbols
}

/// Whether `c` is or normalises into a digit; cheap for ASCII and letters, which are most text. No letter
/// normalises into a digit (a test checks every one), and the standard library answers "letter" far faster than the
/// normalisation and category tables answer anything.
fn holds_digit(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_digit()
    } else if c.is_alphabetic() {
        false
    } else if is_normalised(c) {
        c.general_category() == GeneralCategory::DecimalNumber
    } else {
        iter::once(c).nfkc().any(|normalised| matches!(kind(normalised), Some(Kind::Digit(_))))
    }
}

fn is_normalised(c: char) -> bool {
    c.is_ascii() || matches!(is_nfkc_quick(iter::once(c)), IsNormalized::Yes)
}

/// The kind of a character already in NFKC; `None` for one that is invisible and so must not split a number.
fn kind(c: char) -> Option<Kind> {
    if c.is_ascii() {
        return Some(ascii_kind(c));
    }
    if is_invisible_mark(c) {
        return None;
    }
    Some(match c.general_category() {
        GeneralCategory::Format => return None,
        GeneralCategory::DecimalNumber => Kind::Digit(decimal_value(c)),
        GeneralCategory::SpaceSeparator => Kind::Separator(' '),
        GeneralCategory::DashPunctuation => Kind::Separator('-'),
        // The minus sign is a mathematical symbol, but it is drawn as a dash; superscript minus normalises to it.
        _ if c == '\u{2212}' => Kind::Separator('-'),
        _ => Kind::Other,
    })
}

/// Tab counts as a space; line breaks end a number, as they end a line of a list.
fn ascii_kind(c: char) -> Kind {
    match c {
        '0'..='9' => Kind::Digit(c as u8 - b'0'),
        ' ' | '\t' => Kind::Separator(' '),
        '-' | '.' | '/' | '_' | ':' | '+' => Kind::Separator(c),
        _ => Kind::Other,
    }
}

/// Default-ignorable characters outside category Cf (Unicode's Default_Ignorable_Code_Point): they render as
/// nothing just like format characters, so they could hide inside a number the same way.
fn is_invisible_mark(c: char) -> bool {
    matches!(c,
        '\u{034F}' // combining grapheme joiner
        | '\u{115F}' | '\u{1160}' | '\u{3164}' | '\u{FFA0}' // Hangul fillers
        | '\u{17B4}' | '\u{17B5}' // Khmer inherent vowels
        | '\u{180B}'..='\u{180D}' | '\u{180F}' // Mongolian free variation selectors
        | '\u{FE00}'..='\u{FE0F}' | '\u{E0100}'..='\u{E01EF}' // variation selectors
    )
}

/// The value of a decimal digit (category Nd) of any script.
///
/// Unicode's stability policy guarantees that characters with Numeric_Type=Decimal, which are exactly those of
/// category Nd, are only ever assigned in contiguous runs of ten code points with the values 0 to 9 in order. A run
/// may directly follow another (the mathematical digits U+1D7CE..U+1D7FF are five), but every contiguous stretch of
/// Nd code points is then made of whole runs and starts with a zero: the value is the distance from that start,
/// modulo ten. No small, kept crate gives the numeric value itself, and the category comes from the same tables as
/// the rest of this module rather than from a hand-written list of scripts.
fn decimal_value(c: char) -> u8 {
    let code = u32::from(c);
    let mut first = code;
    while let Some(previous) = first.checked_sub(1).and_then(char::from_u32)
        && previous.general_category() == GeneralCategory::DecimalNumber
    {
        first -= 1;
    }
    // The remainder of a division by ten always fits.
    ((code - first) % 10) as u8
}

#[cfg(test)]
mod tests {
    use super::*;

    fn digits(text: &str) -> Vec<u8> {
        read(text).iter().filter_map(Symbol::digit).collect()
    }

    #[test]
    fn every_stretch_of_decimal_digits_is_made_of_whole_runs_of_ten() {
        // The assumption behind `decimal_value`, checked against the tables in use.
        let mut stretch = 0;
        for code in 0..=u32::from(char::MAX) + 1 {
            let decimal = char::from_u32(code).is_some_and(|c| c.general_category() == GeneralCategory::DecimalNumber);
            if decimal {
                stretch += 1;
            } else {
                assert_eq!(stretch % 10, 0, "a stretch of decimal digits ending before U+{code:04X}");
                stretch = 0;
            }
        }
    }

    #[test]
    fn no_letter_normalises_into_a_digit() {
        // What lets `holds_digit` skip letters without asking the tables.
        for c in (0..=u32::from(char::MAX)).filter_map(char::from_u32).filter(|c| c.is_alphabetic()) {
            let digit = iter::once(c).nfkc().any(|normalised| matches!(kind(normalised), Some(Kind::Digit(_))));
            assert!(!digit, "U+{:04X}", u32::from(c));
        }
    }

    #[test]
    fn digits_of_other_scripts_have_their_values() {
        assert_eq!(digits("0123456789"), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
        assert_eq!(digits("٠١٢٣٤٥٦٧٨٩"), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
        assert_eq!(digits("۰۹ ०९ ০৯ ０９ 𝟎𝟗 𝟘𝟡 𝟿"), [0, 9, 0, 9, 0, 9, 0, 9, 0, 9, 0, 9, 9]);
        assert_eq!(decimal_value('\u{1D7D8}'), 0, "double-struck zero follows the bold nine directly");
        assert_eq!(decimal_value('\u{1D7FF}'), 9);
        assert_eq!(decimal_value('\u{0E53}'), 3, "Thai three");
        assert_eq!(decimal_value('\u{1E953}'), 3, "Adlam three");
    }

    #[test]
    fn compatibility_forms_are_normalised() {
        // Circled, superscript and parenthesised numbers are not Nd, but NFKC turns them into digits.
        assert_eq!(digits("①⑩ ⁸ ⑴"), [1, 1, 0, 8, 1]);
        let kinds: Vec<Kind> = read("1\u{a0}2\u{2011}3\u{ff0e}4\u{3000}5\u{207b}6").iter().map(|s| s.kind).collect();
        use Kind::{Digit as D, Separator as S};
        assert_eq!(kinds, [D(1), S(' '), D(2), S('-'), D(3), S('.'), D(4), S(' '), D(5), S('-'), D(6)]);
    }

    #[test]
    fn invisible_characters_vanish_but_keep_their_bytes_in_the_span() {
        let text = "x1\u{200b}2\u{ad}3\u{2060}4\u{feff}5\u{200d}6\u{34f}7\u{fe0f}8";
        let symbols = read(text);
        assert_eq!(symbols.iter().filter_map(Symbol::digit).collect::<Vec<_>>(), [1, 2, 3, 4, 5, 6, 7, 8]);
        assert_eq!(symbols.len(), 8);
        assert_eq!(&text[symbols[0].start..symbols[7].end], &text[1..]);
    }

    #[test]
    fn nothing_is_read_before_the_first_digit_nor_without_one() {
        assert_eq!(read("Ingen siffra här, å ä ö 😀 ①").len(), 1);
        assert!(read("Ingen siffra här, å ä ö 😀").is_empty());
        assert!(read("").is_empty());
        let symbols = read("ab-7");
        assert_eq!((symbols.len(), symbols[0].start), (1, 3));
    }
}

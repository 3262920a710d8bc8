//! Detection of Swedish personal identity numbers (personnummer) and coordination numbers (samordningsnummer) in
//! free text, in whatever disguise they were written.
//!
//! The service stores no persons, so free text that carries one must be refused, and logs must not show one. A
//! candidate only counts when its check digit and its date both hold: that keeps amounts, dates, phone numbers and
//! organisation numbers in ordinary text from being refused, at the price of missing a number that was mistyped.
//!
//! Before matching, the text is read as Unicode NFKC (fullwidth and other compatibility forms become plain ones),
//! every decimal digit of any script counts as its value, and invisible format characters (zero-width space, soft
//! hyphen, joiners, byte order mark) vanish. A number may then be split between its digit pairs by short runs of
//! spaces, dashes, `.`, `/`, `_`, `:` or `+`; `matcher.rs` has the exact rule.

use std::borrow::Cow;

mod matcher;
mod symbols;
mod validity;

/// What was found: the byte range in the text and whether it is a coordination number.
///
/// The range is in the caller's text as given, and covers the whole number with the separators and invisible
/// characters inside it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdentityNumberMatch {
    pub start: usize,
    pub end: usize,
    pub coordination: bool,
}

/// What [`mask_identity_numbers`] puts in place of each number. It names no kind, so a log does not tell a
/// coordination number from a personnummer either.
pub const IDENTITY_NUMBER_MASK: &str = "[personnummer]";

/// The first personal identity number or coordination number in `text`, if any.
pub fn find_identity_number(text: &str) -> Option<IdentityNumberMatch> {
    matches(text).next()
}

/// True if `text` contains one.
pub fn contains_identity_number(text: &str) -> bool {
    find_identity_number(text).is_some()
}

/// `text` with every number replaced by [`IDENTITY_NUMBER_MASK`]; borrowed when it holds none.
pub fn mask_identity_numbers(text: &str) -> Cow<'_, str> {
    let mut found = matches(text).peekable();
    if found.peek().is_none() {
        return Cow::Borrowed(text);
    }
    let mut masked = String::with_capacity(text.len());
    let mut copied = 0;
    for number in found {
        masked.push_str(&text[copied..number.start]);
        masked.push_str(IDENTITY_NUMBER_MASK);
        copied = number.end;
    }
    masked.push_str(&text[copied..]);
    Cow::Owned(masked)
}

fn matches(text: &str) -> matcher::Matches {
    matcher::Matches::new(symbols::read(text))
}

#[cfg(test)]
mod tests;

//! Text from a client as the service may show it again, in a problem detail or a log line: every
//! personal identity number masked. Such text is often encoded on its way back: a path is
//! percent-encoded, and `{:?}` writes a zero-width space as `\u{200b}`, either of which hides the
//! number from the detector. It looks at the decoded text, and when that holds a number, the
//! decoded text is shown, masked.

use std::borrow::Cow;

use finsam_domain::personnummer::{contains_identity_number, mask_identity_numbers};

pub fn shown(text: &str) -> Cow<'_, str> {
    let decoded = decoded(text);
    if !contains_identity_number(&decoded) {
        return Cow::Borrowed(text);
    }
    // Decoding may have made a line break of `%0A`: a log line must stay one line.
    let mut shown = String::with_capacity(decoded.len());
    for c in mask_identity_numbers(&decoded).chars() {
        if c.is_control() { shown.extend(c.escape_debug()) } else { shown.push(c) }
    }
    Cow::Owned(shown)
}

/// Percent-escapes (`%E2%80%8B`) and Rust's `\u{200b}` read as the characters they stand for.
fn decoded(text: &str) -> Cow<'_, str> {
    if !text.contains(['%', '\\']) {
        return Cow::Borrowed(text);
    }
    let mut bytes = Vec::with_capacity(text.len());
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        if let Some((byte, after)) = percent_escape(rest) {
            bytes.push(byte);
            rest = after;
        } else if let Some((escaped, after)) = unicode_escape(rest) {
            bytes.extend_from_slice(escaped.encode_utf8(&mut [0; 4]).as_bytes());
            rest = after;
        } else {
            bytes.extend_from_slice(&rest.as_bytes()[..c.len_utf8()]);
            rest = &rest[c.len_utf8()..];
        }
    }
    Cow::Owned(String::from_utf8_lossy(&bytes).into_owned())
}

fn percent_escape(text: &str) -> Option<(u8, &str)> {
    let hex = text.strip_prefix('%')?.get(..2)?;
    Some((u8::from_str_radix(hex, 16).ok()?, &text[3..]))
}

fn unicode_escape(text: &str) -> Option<(char, &str)> {
    let (hex, after) = text.strip_prefix("\\u{")?.split_once('}')?;
    let c = u32::from_str_radix(hex, 16).ok().filter(|_| hex.len() <= 6).and_then(char::from_u32)?;
    Some((c, after))
}

#[cfg(test)]
mod tests {
    use super::shown;

    #[test]
    fn numbers_are_masked_also_when_encoded() {
        assert_eq!(shown("/api/v1/forbund/blekinge"), "/api/v1/forbund/blekinge");
        assert_eq!(shown("/a/100%25"), "/a/100%25", "text without a number is shown as it came");
        assert_eq!(shown("no förbund \"19121212-1212\""), "no förbund \"[personnummer]\"");
        assert_eq!(shown("/a/19%2012%2012%2012%2012%2012"), "/a/[personnummer]");
        assert_eq!(shown("/a/%31%39%31%32%31%32%31%32%2D%31%32%31%32"), "/a/[personnummer]");
        assert_eq!(shown("no \"1212\\u{200b}12-1212\""), "no \"[personnummer]\"");
        assert_eq!(shown("/a/19121212-1212%0Ab"), "/a/[personnummer]\\nb");
    }
}

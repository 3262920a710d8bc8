//! The form of a förbund key, checked before any key reaches the database.

/// The form of every förbund key (`samordningsforbundet-i-blekinge`), as the reference data's
/// CHECK constraint has it: lowercase ASCII letters and digits in dash-separated words.
pub const FORBUND_KEY_PATTERN: &str = "^[a-z0-9]+(-[a-z0-9]+)*$";
pub const FORBUND_KEY_MAX_LEN: usize = 100;

/// Whether `key` has the form of a förbund key. Anything else names no förbund and is answered
/// so without asking the database, which refuses some text outright (a NUL byte is an error in
/// PostgreSQL, not a mismatch).
pub fn is_forbund_key(key: &str) -> bool {
    key.len() <= FORBUND_KEY_MAX_LEN
        && key
            .split('-')
            .all(|word| !word.is_empty() && word.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use super::is_forbund_key;

    #[test]
    fn forbund_keys_have_the_reference_datas_form() {
        for key in ["samordningsforbundet-i-blekinge", "finsam-i-malmo", "a", "a1-2b"] {
            assert!(is_forbund_key(key), "{key:?}");
        }
        let long = "a".repeat(101);
        for key in ["", "-", "a-", "-a", "a--b", "A", "å", "a b", "a\0b", "\0", "a_b", "a/b", long.as_str()] {
            assert!(!is_forbund_key(key), "{key:?}");
        }
    }
}

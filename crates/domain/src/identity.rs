//! Keeping personal identity numbers and coordination numbers out of everything the service
//! stores, repeats to the client or logs: the one refusal every door gives, and how a refused
//! name is shown. Detection and masking themselves are `personnummer`'s.

use crate::ErrorCode;
use std::borrow::Cow;

use serde_json::Value;

use crate::reader::pointer;
use crate::{FieldError, personnummer};

/// The rule a refused value breaks, as clients find it in `code`.
pub const CODE: ErrorCode = ErrorCode::PersonalIdentityNumber;

/// Why a value is refused.
pub const MESSAGE: &str =
    "must not contain a personal identity number or coordination number: the service stores no persons";

/// Why a name (a JSON key, a CSV column, a query parameter) is refused.
pub const NAME_MESSAGE: &str = "this name contains a personal identity number or coordination number (shown \
     masked): the service stores no persons";

pub fn contains(text: &str) -> bool {
    personnummer::contains_identity_number(text)
}

/// The refusal of the value at `path`.
pub fn refused(path: impl Into<String>) -> FieldError {
    FieldError::new(path, CODE, MESSAGE)
}

/// The refusal of a name; `path` shows it masked.
pub fn refused_name(path: impl Into<String>) -> FieldError {
    FieldError::new(path, CODE, NAME_MESSAGE)
}

/// Whether a JSON scalar carries one. A number counts too: 8112189876 is still a person.
pub fn in_scalar(value: &Value) -> bool {
    match value {
        Value::String(text) => contains(text),
        Value::Number(number) => contains(&number.to_string()),
        _ => false,
    }
}

/// `key` as an error may repeat it, each number masked (`/insatser/0/[personnummer]`).
pub fn shown(key: &str) -> Cow<'_, str> {
    personnummer::mask_identity_numbers(key)
}

/// An unknown field of the object at `base`: refused as one, or for its name.
pub fn unknown_field(base: &str, key: &str, message: impl Into<String>) -> FieldError {
    let path = pointer(base, &shown(key));
    if contains(key) { refused_name(path) } else { FieldError::new(path, ErrorCode::UnknownField, message) }
}

/// Every key and scalar in `value` (at the JSON pointer `path`) that carries one, each refused at
/// its pointer.
pub fn scan(value: &Value, path: &str, errors: &mut Vec<FieldError>) {
    match value {
        Value::Object(map) => {
            for (key, inner) in map {
                let at = pointer(path, &shown(key));
                if contains(key) {
                    errors.push(refused_name(at.clone()));
                }
                scan(inner, &at, errors);
            }
        }
        Value::Array(items) => {
            for (index, inner) in items.iter().enumerate() {
                scan(inner, &format!("{path}/{index}"), errors);
            }
        }
        scalar if in_scalar(scalar) => errors.push(refused(if path.is_empty() { "/" } else { path })),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn a_scan_finds_numbers_in_keys_strings_and_numbers_without_repeating_them() {
        let value = json!({
            "name": "Stöd till 19121212-1212",
            "19121212-1212": {"ok": 1},
            "list": ["a", "121212+1212"],
            "amount": 191_212_121_212_u64,
            "fine": "Arbetsträning 2023",
        });
        let mut errors = Vec::new();
        scan(&value, "", &mut errors);
        let mut paths: Vec<&str> = errors.iter().map(|e| e.path.as_str()).collect();
        paths.sort_unstable();
        assert_eq!(paths, ["/[personnummer]", "/amount", "/list/1", "/name"]);
        assert!(errors.iter().all(|e| e.code == CODE));
        assert!(errors.iter().all(|e| !e.path.contains("1212") && !e.message.contains("1212")));
    }

    #[test]
    fn an_unknown_field_is_named_unless_its_name_carries_a_number() {
        assert_eq!(unknown_field("/a", "nmae", "known: name").path, "/a/nmae");
        assert_eq!(unknown_field("/a", "nmae", "known: name").code, "unknown_field");
        let refused = unknown_field("/a", "8112189876", "known: name");
        assert_eq!((refused.path.as_str(), refused.code), ("/a/[personnummer]", CODE));
    }
}

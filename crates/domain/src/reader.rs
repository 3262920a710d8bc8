//! Reading a JSON payload field by field, collecting every problem instead of stopping at the
//! first (as serde would), each with its JSON pointer and rule code.

use crate::ErrorCode;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde_json::{Map, Value};

use crate::codes::Code;
use crate::{FieldError, identity, money};

pub(crate) struct Reader {
    pub errors: Vec<FieldError>,
}

/// One JSON object of the payload, at `path`.
pub(crate) struct Obj<'v> {
    pub map: &'v Map<String, Value>,
    pub path: String,
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Presence {
    Required,
    Optional,
}

/// Limits on free text: its length and whether line breaks belong in it.
#[derive(Clone, Copy)]
pub(crate) struct TextRule {
    pub max_chars: usize,
    pub multiline: bool,
}

impl Reader {
    pub fn new() -> Reader {
        Reader { errors: Vec::new() }
    }

    pub fn error(&mut self, path: impl Into<String>, code: ErrorCode, message: impl Into<String>) {
        self.errors.push(FieldError::new(path, code, message));
    }

    /// The payload's top level, which must be an object with only `known` fields.
    pub fn root<'v>(&mut self, value: &'v Value, known: &[&str]) -> Option<Obj<'v>> {
        self.object_at(value, String::new(), known)
    }

    /// An object at `path` (an array's item, say), which must have only `known` fields.
    pub fn object_at<'v>(&mut self, value: &'v Value, path: String, known: &[&str]) -> Option<Obj<'v>> {
        let Value::Object(map) = value else {
            let at = if path.is_empty() { "/".to_owned() } else { path };
            self.error(at, ErrorCode::NotAnObject, "must be a JSON object");
            return None;
        };
        for key in map.keys().filter(|key| !known.contains(&key.as_str())) {
            let message = format!("is not a field here; the fields are: {}", known.join(", "));
            self.errors.push(identity::unknown_field(&path, key, message));
        }
        Some(Obj { map, path })
    }

    /// A nested object; `None` (and no error) when it is absent or null and optional.
    pub fn object<'v>(&mut self, obj: &Obj<'v>, key: &str, presence: Presence, known: &[&str]) -> Option<Obj<'v>> {
        let value = self.present(obj, key, presence)?;
        self.object_at(value, pointer(&obj.path, key), known)
    }

    /// The value of a field, or `None` when absent or null (an error if required). Every field
    /// is read through here, so a value of any type with an identity number in it is refused
    /// before any rule could repeat it.
    pub fn present<'v>(&mut self, obj: &Obj<'v>, key: &str, presence: Presence) -> Option<&'v Value> {
        match obj.map.get(key) {
            Some(Value::Null) | None => {
                if presence == Presence::Required {
                    self.error(pointer(&obj.path, key), ErrorCode::Required, "is required");
                }
                None
            }
            Some(value) => self.unless_identity(value, pointer(&obj.path, key)),
        }
    }

    fn unless_identity<'v>(&mut self, value: &'v Value, path: String) -> Option<&'v Value> {
        if identity::in_scalar(value) {
            self.errors.push(identity::refused(path));
            return None;
        }
        Some(value)
    }

    /// Free text: trimmed, bounded, without control characters and (as every field) without
    /// anything that identifies a person.
    pub fn text(&mut self, obj: &Obj<'_>, key: &str, presence: Presence, rule: TextRule) -> Option<String> {
        let path = pointer(&obj.path, key);
        let value = self.present(obj, key, presence)?;
        let Value::String(text) = value else {
            self.error(path, ErrorCode::NotAString, "must be a string");
            return None;
        };
        let text = text.trim();
        if text.is_empty() {
            if presence == Presence::Required {
                self.error(path, ErrorCode::Blank, "must not be blank");
            }
            return None;
        }
        let chars = text.chars().count();
        if chars > rule.max_chars {
            self.error(
                &path,
                ErrorCode::TooLong,
                format!("must be at most {} characters (is {chars})", rule.max_chars),
            );
        }
        if text.chars().any(|c| c.is_control() && !(rule.multiline && matches!(c, '\n' | '\r' | '\t'))) {
            self.error(&path, ErrorCode::ControlCharacters, "must not contain control characters");
        }
        Some(text.to_owned())
    }

    pub fn date(&mut self, obj: &Obj<'_>, key: &str, presence: Presence) -> Option<NaiveDate> {
        let value = self.present(obj, key, presence)?;
        let parsed = value
            .as_str()
            .and_then(|text| (text.len() == 10).then(|| NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()).flatten());
        if parsed.is_none() {
            self.error(pointer(&obj.path, key), ErrorCode::NotADate, "must be a date as YYYY-MM-DD");
        }
        parsed
    }

    pub fn code<T: Code>(&mut self, obj: &Obj<'_>, key: &str, presence: Presence) -> Option<T> {
        let value = self.present(obj, key, presence)?;
        self.code_value(value, pointer(&obj.path, key))
    }

    pub fn code_value<T: Code>(&mut self, value: &Value, path: String) -> Option<T> {
        let value = self.unless_identity(value, path.clone())?;
        let found = value.as_str().and_then(T::from_code);
        if found.is_none() {
            self.error(path, ErrorCode::UnknownCode, format!("must be one of: {}", T::codes().join(", ")));
        }
        found
    }

    /// A count of persons or things: a whole number from 0 to `max`.
    pub fn count(&mut self, obj: &Obj<'_>, key: &str, presence: Presence, max: u32) -> Option<u32> {
        let value = self.present(obj, key, presence)?;
        let path = pointer(&obj.path, key);
        match whole_number(value) {
            Some(n) if n < 0 => self.error(path, ErrorCode::NegativeCount, "must not be negative"),
            Some(n) if n > i64::from(max) => {
                self.error(path, ErrorCode::CountTooLarge, format!("must be at most {max}"))
            }
            Some(n) => return u32::try_from(n).ok(),
            None => self.error(path, ErrorCode::NotACount, "must be a whole number"),
        }
        None
    }

    pub fn money(&mut self, obj: &Obj<'_>, key: &str, presence: Presence, allow_negative: bool) -> Option<Decimal> {
        let value = self.present(obj, key, presence)?;
        match money::parse(value, allow_negative) {
            Ok(amount) => Some(amount),
            Err(error) => {
                self.error(pointer(&obj.path, key), error.code(), error.message());
                None
            }
        }
    }

    /// `version` in a body: the version the client last saw, for optimistic concurrency.
    pub fn version(&mut self, obj: &Obj<'_>) -> Option<i32> {
        let value = self.present(obj, "version", Presence::Optional)?;
        match whole_number(value).and_then(|v| i32::try_from(v).ok()).filter(|v| *v >= 1) {
            Some(version) => Some(version),
            None => {
                self.error(pointer(&obj.path, "version"), ErrorCode::NotAVersion, "must be a whole number from 1");
                None
            }
        }
    }
}

/// A JSON number that is a whole number, as JSON Schema's `integer` has it: `3` and also `3.0`.
fn whole_number(value: &Value) -> Option<i64> {
    value.as_i64().or_else(|| {
        // Within ±2^53, where every whole f64 is exact.
        value.as_f64().filter(|f| f.fract() == 0.0 && f.abs() <= 9_007_199_254_740_992.0).map(|f| f as i64)
    })
}

/// RFC 6901 JSON pointer of `key` inside the object at `base`.
pub(crate) fn pointer(base: &str, key: &str) -> String {
    format!("{base}/{}", key.replace('~', "~0").replace('/', "~1"))
}

//! Publishing a release of a year's open statistics: the admin's revision note.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::field_error::FieldError;
use crate::reader::{Presence, Reader};
use crate::reporting_year::REASON;

/// The body of a publication: `{"note": "..."}`, required: a release says why it was made (the
/// first: the year's figures; a later one: what was corrected).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReleaseInput {
    /// The revision note, published with the release.
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 1000))]
    pub note: String,
}

/// The note of a release, trimmed; free text like any other, so never a personal identity number.
pub fn parse_release(value: &Value) -> Result<String, Vec<FieldError>> {
    let mut r = Reader::new();
    let Some(obj) = r.root(value, &["note"]) else { return Err(r.errors) };
    let note = r.text(&obj, "note", Presence::Required, REASON);
    match note {
        Some(note) if r.errors.is_empty() => Ok(note),
        _ => Err(r.errors),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn a_release_needs_a_note_without_a_person() {
        assert_eq!(parse_release(&json!({"note": " Första publiceringen "})).unwrap(), "Första publiceringen");
        let code = |value: Value| {
            parse_release(&value).unwrap_err().into_iter().map(|e| (e.path, e.code.to_string())).collect()
        };
        let at = |code: &str| vec![("/note".to_owned(), code.to_owned())];
        assert_eq!(code(json!({})), at("required"));
        assert_eq!(code(json!({"note": "  "})), at("blank"));
        assert_eq!(code(json!({"note": "x".repeat(1001)})), at("too_long"));
        assert_eq!(code(json!({"note": "Rättelse för 19811218-9876"})), at("personal_identity_number"));
        let unknown: Vec<(String, String)> = code(json!({"note": "ok", "reason": "x"}));
        assert_eq!(unknown, vec![("/reason".to_owned(), "unknown_field".to_owned())]);
    }
}

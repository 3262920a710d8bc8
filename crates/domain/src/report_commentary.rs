//! An analyst's commentary on one section of a year's report: their own words, printed verbatim
//! in a box of its own beside the generated text (which no one edits by hand).
//!
//! ```json
//! { "text": "Andelen arbetslivsinriktade insatser ökade …" }
//! ```
//! The text is trimmed; inside it, line breaks and tabs are kept as written, and whatever looks
//! like markup (`#set page(…)`, `<script>`, `*x*`) is only text: the report escapes it.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::FieldError;
use crate::reader::{Presence, Reader, TextRule};
use crate::report_section::{MAX_COMMENTARY_CHARS, ReportSection};

pub const FIELDS: &[&str] = &["text"];

/// Multiline: a commentary runs over paragraphs. The reader counts `\r` as part of a line break,
/// as a browser's textarea sends `\r\n`.
const RULE: TextRule = TextRule { max_chars: MAX_COMMENTARY_CHARS, multiline: true };

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Commentary {
    pub year: i32,
    pub section: ReportSection,
    pub text: String,
}

/// The body of `PUT /api/v1/reports/{year}/commentary/{section}`, with every problem at once.
/// The reader refuses a personal identity number in the text at `/text` before any other rule.
pub fn parse(year: i32, section: ReportSection, value: &Value) -> Result<Commentary, Vec<FieldError>> {
    let mut r = Reader::new();
    let Some(obj) = r.root(value, FIELDS) else { return Err(r.errors) };
    let text = r.text(&obj, "text", Presence::Required, RULE);
    match text {
        Some(text) if r.errors.is_empty() => Ok(Commentary { year, section, text }),
        _ => Err(r.errors),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn codes(body: Value) -> Vec<(String, String)> {
        parse(2024, ReportSection::Summary, &body)
            .unwrap_err()
            .into_iter()
            .map(|e| (e.path, e.code.to_string()))
            .collect()
    }

    fn one(path: &str, code: &str) -> Vec<(String, String)> {
        vec![(path.to_owned(), code.to_owned())]
    }

    #[test]
    fn the_text_is_kept_as_written_inside_its_trimmed_ends() {
        let text = "#set page(width: 1cm)\n<script>alert(1)</script>\t*x* \\ $ {} \"q\"";
        let read = parse(2024, ReportSection::Costs, &json!({ "text": format!("  {text}\n") })).unwrap();
        assert_eq!(read, Commentary { year: 2024, section: ReportSection::Costs, text: text.to_owned() });
        assert!(parse(2024, ReportSection::Costs, &json!({"text": "rad ett\r\nrad två"})).is_ok());
    }

    #[test]
    fn every_rule_is_named_at_its_path() {
        assert_eq!(codes(json!({})), one("/text", "required"));
        assert_eq!(codes(json!({"text": null})), one("/text", "required"));
        assert_eq!(codes(json!({"text": " \n "})), one("/text", "blank"));
        assert_eq!(codes(json!({"text": 5})), one("/text", "not_a_string"));
        assert_eq!(codes(json!({"text": "a\u{0}b"})), one("/text", "control_characters"));
        assert_eq!(codes(json!({"text": "x".repeat(MAX_COMMENTARY_CHARS + 1)})), one("/text", "too_long"));
        assert!(parse(2024, ReportSection::Costs, &json!({"text": "å".repeat(MAX_COMMENTARY_CHARS)})).is_ok());
        assert_eq!(codes(json!({"text": "ok", "heading": "x"})), one("/heading", "unknown_field"));
        assert_eq!(codes(json!(["text"])), one("/", "not_an_object"));
    }

    #[test]
    fn a_personal_identity_number_is_refused_and_not_repeated() {
        let errors = parse(2024, ReportSection::Summary, &json!({"text": "Se 19811218-9876."})).unwrap_err();
        assert_eq!(errors, vec![crate::identity::refused("/text")]);
        assert!(!errors[0].message.contains("9876"));
    }
}

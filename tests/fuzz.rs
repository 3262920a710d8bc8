//! Bounded fuzzing of everything that reads untrusted input: the registration payloads and the
//! import batches (JSON and CSV). Inputs are random but shaped like the real thing (known field
//! names and codes mixed with junk, numbers at the edges, odd Unicode), so the rules are reached
//! rather than rejected at the first character. Nothing may panic, and every refusal must say
//! what is wrong.

use finsam_domain::import::{self, Format, Mode};
use finsam_domain::{finances, insats, insats_year};
use proptest::prelude::*;
use serde_json::{Map, Value};

const FIELDS: &[&str] = &[
    "external_ref",
    "name",
    "description",
    "kind",
    "orientation",
    "target_groups",
    "start_date",
    "end_date",
    "version",
    "years",
    "participants",
    "women",
    "men",
    "budget",
    "outcome",
    "exits",
    "work",
    "studies",
    "job_seeking",
    "other",
    "contributions",
    "state",
    "regions",
    "municipalities",
    "administration",
    "equity",
    "opening",
    "closing",
    "mode",
    "insatser",
    "2023",
    "2004",
    "1999",
];
const WORDS: &[&str] = &[
    "individual",
    "structural",
    "work_oriented",
    "preparatory",
    "develop_cooperation",
    "young",
    "women_only",
    "2023-01-01",
    "2023-02-30",
    "2100-12-31",
    "811218-9876",
    "19811218-9876",
    "250000.00",
    "-1",
    "1e400",
    "0.001",
    "atomic",
    "partial",
    "",
    " ",
    "\u{0}",
    "\u{202e}ȧ",
    "🙂",
    "NaN",
];

fn text() -> impl Strategy<Value = String> {
    prop_oneof![prop::sample::select(WORDS).prop_map(str::to_owned), any::<String>(), "[0-9 .,-]{0,12}"]
}

fn scalar() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        prop::sample::select(vec![0i64, 1, -1, 4, 5, i64::from(i32::MAX), i64::from(u32::MAX) + 1])
            .prop_map(Value::from),
        any::<f64>().prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
        text().prop_map(Value::String),
    ]
}

/// JSON values whose objects mostly use the payloads' own field names.
fn json() -> impl Strategy<Value = Value> {
    scalar().prop_recursive(4, 64, 8, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec(
                (prop_oneof![prop::sample::select(FIELDS).prop_map(str::to_owned), text()], inner),
                0..8
            )
            .prop_map(|pairs| Value::Object(pairs.into_iter().collect::<Map<_, _>>())),
        ]
    })
}

fn a_valid_insats() -> insats::Insats {
    let value = serde_json::json!({ "name": "Arbetsträning", "kind": "individual", "orientation": "work_oriented",
        "target_groups": [], "start_date": "2020-01-01" });
    insats::parse(&value).expect("a valid insats").0
}

fn refused_with_reasons<T>(result: Result<T, Vec<finsam_domain::FieldError>>) -> Result<(), TestCaseError> {
    if let Err(errors) = result {
        prop_assert!(!errors.is_empty(), "a refusal without a reason");
        prop_assert!(errors.iter().all(|e| !e.message.is_empty()));
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn registration_payloads_never_panic(value in json(), year in 1990i32..2110) {
        refused_with_reasons(insats::parse(&value))?;
        refused_with_reasons(insats_year::parse(&value, &a_valid_insats(), year))?;
        refused_with_reasons(finances::parse(&value))?;
    }

    #[test]
    fn json_batches_never_panic(rows in prop::collection::vec(json(), 0..6), mode in json()) {
        let value = serde_json::json!({ "mode": mode, "insatser": rows });
        for candidate in [value, Value::Array(rows)] {
            match import::parse_json(&candidate, Mode::Atomic) {
                Ok(batch) => {
                    prop_assert!(batch.rows.len() + batch.rejected() <= batch.total);
                    prop_assert!(batch.errors.iter().all(|e| e.index < batch.total && e.field.starts_with("/insatser/")));
                }
                Err(errors) => prop_assert!(!errors.is_empty()),
            }
        }
    }

    #[test]
    fn csv_batches_never_panic(
        header in prop::collection::vec(prop::sample::select(import::CSV_COLUMNS), 0..12),
        lines in prop::collection::vec(prop::collection::vec(text(), 0..12), 0..6),
        bytes in prop::collection::vec(any::<u8>(), 0..64),
    ) {
        let mut csv = header.join(",");
        for cells in &lines {
            csv.push('\n');
            csv.push_str(&cells.iter().map(|c| c.replace(['\n', '\r'], " ")).collect::<Vec<_>>().join(","));
        }
        for body in [csv.as_bytes(), &bytes[..]] {
            match import::parse(Format::Csv, body, Mode::Partial) {
                Ok(batch) => prop_assert!(batch.rows.len() + batch.rejected() <= batch.total),
                Err(errors) => prop_assert!(!errors.is_empty()),
            }
            refused_with_reasons(import::parse(Format::Json, body, Mode::Atomic).map(|_| ()))?;
        }
    }
}

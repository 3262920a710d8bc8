//! Shape checks of the published formats (JSON-stat 2.0, CSV), with aggregate dimensions only.

use serde_json::Value;

/// Every dimension an open table may have: aggregates only, nothing at the level of an insats.
const ALLOWED_DIMENSIONS: [&str; 11] = [
    "year",
    "county",
    "forbund",
    "kind",
    "orientation",
    "gender",
    "target_group",
    "item",
    "party",
    "reason",
    "measure",
];

pub(super) fn assert_aggregate_dimensions(ids: &[&str], what: &str) {
    for id in ids {
        assert!(ALLOWED_DIMENSIONS.contains(id), "{what}: dimension {id} is not an aggregate's");
    }
}

/// A JSON-stat 2.0 dataset's dimension ids, size and values, checked for shape.
pub(super) fn check_jsonstat(dataset: &Value, what: &str) -> usize {
    assert_eq!((dataset["version"].as_str(), dataset["class"].as_str()), (Some("2.0"), Some("dataset")), "{what}");
    let ids: Vec<&str> = dataset["id"].as_array().unwrap().iter().map(|d| d.as_str().unwrap()).collect();
    assert_aggregate_dimensions(&ids, what);
    let size: Vec<usize> = dataset["size"].as_array().unwrap().iter().map(|n| n.as_u64().unwrap() as usize).collect();
    assert_eq!(ids.len(), size.len(), "{what}");
    for (id, n) in ids.iter().zip(&size) {
        let index = dataset["dimension"][id]["category"]["index"].as_object().unwrap();
        assert_eq!(index.len(), *n, "{what}: {id}");
    }
    let cells: usize = size.iter().product();
    assert_eq!(dataset["value"].as_array().unwrap().len(), cells, "{what}: len(value) == Π size");
    if let Some(status) = dataset.get("status") {
        for (key, mark) in status.as_object().unwrap() {
            let at: usize = key.parse().unwrap_or_else(|_| panic!("{what}: status key {key}"));
            assert!(at < cells, "{what}: status {key} beyond the values");
            assert_eq!(mark, ".", "{what}");
            assert_eq!(dataset["value"][at], Value::Null, "{what}: {key} is suppressed yet has a value");
        }
    }
    cells
}

/// The dimension ids of a CSV (columns `{id}`, `{id}_label`, …, `value`, `status`) and its rows.
/// A `;` file is for Swedish spreadsheets: it starts with a byte-order mark, and a `,` file has none.
pub(super) fn check_csv(text: &str, separator: char, what: &str) -> usize {
    let text = match separator {
        ';' => text.strip_prefix('\u{feff}').unwrap_or_else(|| panic!("{what}: a ; file without a BOM")),
        _ => {
            assert!(!text.starts_with('\u{feff}'), "{what}: a , file with a BOM");
            text
        }
    };
    let mut lines = text.split("\r\n").filter(|l| !l.is_empty());
    let header: Vec<&str> = lines.next().unwrap_or_else(|| panic!("{what}: empty")).split(separator).collect();
    assert!(header.len() >= 4, "{what}: header {header:?} (separator {separator:?})");
    assert_eq!(&header[header.len() - 2..], ["value", "status"], "{what}");
    let dims = &header[..header.len() - 2];
    let ids: Vec<&str> = dims.iter().step_by(2).copied().collect();
    for (id, label) in ids.iter().zip(dims.iter().skip(1).step_by(2)) {
        assert_eq!(*label, format!("{id}_label"), "{what}");
    }
    assert_aggregate_dimensions(&ids, what);
    // A `;` file has decimal commas (Swedish spreadsheets), a `,` file decimal points.
    let other_decimal = if separator == ';' { '.' } else { ',' };
    let records = csv::ReaderBuilder::new().delimiter(separator as u8).from_reader(text.as_bytes());
    for record in records.into_records() {
        let value = record.unwrap_or_else(|e| panic!("{what}: {e}"))[header.len() - 2].to_owned();
        let number = value.replace(',', ".").parse::<f64>();
        assert!(!value.contains(other_decimal) && (value.is_empty() || number.is_ok()), "{what}: value {value:?}");
    }
    lines.count()
}

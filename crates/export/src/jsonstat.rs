//! JSON-stat 2.0 datasets (https://json-stat.org/full/): `id`, `size`, `dimension` with category
//! `index` and `label`, `role`, `value` row-major, `status` where cells have one.

use finsam_stats::Table;
use finsam_stats::catalog::TableInfo;
use serde_json::{Map, Value, json};

use crate::{Lang, Meta};

pub fn dataset(table: &Table, info: &TableInfo, meta: &Meta, lang: Lang) -> Value {
    let mut dimension = Map::new();
    for d in &table.dimensions {
        let category = category(d, lang);
        dimension.insert(d.id.clone(), json!({ "label": lang.dimension(d), "category": category }));
    }
    let values: Vec<Value> = table.values.iter().map(|v| v.map_or(Value::Null, number)).collect();
    let mut notes = vec![info.rounding.to_owned()];
    notes.extend(meta.notes.iter().cloned());
    notes.extend(table.notes.iter().map(|n| lang.pick(&n.text_sv, &n.text_en).to_owned()));
    let mut out = json!({
        "version": "2.0",
        "class": "dataset",
        "label": lang.pick(info.title_sv, info.title_en),
        "source": info.source,
        "updated": meta.updated,
        "id": table.dimensions.iter().map(|d| d.id.clone()).collect::<Vec<_>>(),
        "size": table.size(),
        "role": { "time": ["year"], "metric": ["measure"] },
        "dimension": dimension,
        "value": values,
        "note": notes,
        "extension": { "table_id": info.id.code(), "selection": table.selection },
    });
    if !table.notes.is_empty() {
        out["extension"]["data_notes"] = json!(table.notes);
    }
    if let Some(threshold) = meta.disclosure_threshold {
        out["extension"]["disclosure"] = json!({
            "method": "primary and secondary cell suppression, audited by linear programming",
            "threshold": threshold,
            "suppressed_status": crate::open::SUPPRESSED,
        });
    }
    if meta.status.iter().any(Option::is_some) {
        let status: Map<String, Value> =
            meta.status.iter().enumerate().filter_map(|(i, s)| s.as_ref().map(|s| (i.to_string(), json!(s)))).collect();
        out["status"] = Value::Object(status);
    }
    out
}

/// A dimension's `category`: `index` and `label` by code, and the measures' `unit`.
pub fn category(d: &finsam_stats::Dimension, lang: Lang) -> Value {
    let index: Map<String, Value> = d.categories.iter().enumerate().map(|(i, c)| (c.code.clone(), json!(i))).collect();
    let label: Map<String, Value> = d.categories.iter().map(|c| (c.code.clone(), json!(lang.category(c)))).collect();
    let mut category = json!({ "index": index, "label": label });
    let units: Map<String, Value> = d
        .categories
        .iter()
        .filter_map(|c| {
            let unit = c.unit.as_ref()?;
            Some((c.code.clone(), json!({ "label": unit.label, "decimals": unit.decimals })))
        })
        .collect();
    if !units.is_empty() {
        category["unit"] = Value::Object(units);
    }
    category
}

/// Exact decimals become JSON numbers without a detour through binary floating point.
pub fn number(value: rust_decimal::Decimal) -> Value {
    let text = value.normalize().to_string();
    serde_json::from_str(&text).unwrap_or(Value::Null)
}

//! JSON-stat 2.0 as PxWeb API 2 writes it: the metadata (every variable and value, what may be
//! eliminated, the codelists) and the data of a selection with a status per suppressed cell.

use finsam_export::Lang;
use finsam_stats::{Dimension, Table};
use serde_json::{Map, Value, json};

use crate::codelist;
use crate::cube::Cube;
use crate::variables::{PxTable, REGION, Role, Variable};

/// The table's metadata: a dataset with every value of every variable and no figures.
/// `codelists` applies, per variable, a codelist's values to it.
pub fn metadata(table: &PxTable, codelists: &[Option<String>], lang: Lang, base: &str) -> Value {
    let dimensions: Vec<Dimension> = table
        .variables
        .iter()
        .zip(codelists.iter().chain(std::iter::repeat(&None)))
        .map(|(v, list)| {
            let positions: Vec<usize> = match list.as_deref().and_then(|id| codelist::find(table, &v.code, id, lang)) {
                Some(list) => list.values.iter().filter_map(|m| v.position(&m.code)).collect(),
                None => (0..v.values.len()).collect(),
            };
            v.as_dimension(&positions)
        })
        .collect();
    let empty = Table {
        id: table.id,
        selection: finsam_stats::Selection::National,
        dimensions,
        values: Vec::new(),
        notes: Vec::new(),
    };
    let mut out = document(table, &empty, lang, base);
    out["value"] = json!([]);
    out
}

/// The figures of a selection.
pub fn dataset(table: &PxTable, cube: &Cube, lang: Lang, base: &str) -> Value {
    let mut out = document(table, &cube.table, lang, base);
    out["value"] = cube.table.values.iter().map(|v| v.map_or(Value::Null, finsam_export::jsonstat::number)).collect();
    if cube.has_status() {
        let status: Map<String, Value> =
            cube.status.iter().enumerate().filter_map(|(i, s)| s.as_ref().map(|s| (i.to_string(), json!(s)))).collect();
        out["status"] = Value::Object(status);
    }
    out
}

fn document(table: &PxTable, cube: &Table, lang: Lang, base: &str) -> Value {
    let variable = |d: &Dimension| table.variable(&d.id).expect("the cube's dimensions are the table's variables");
    let mut dimension = Map::new();
    for d in &cube.dimensions {
        dimension.insert(d.id.clone(), dimension_json(table, variable(d), d, lang, base));
    }
    let ids: Vec<&str> = cube.dimensions.iter().map(|d| d.id.as_str()).collect();
    let role_of = |role: Role| -> Vec<&str> {
        cube.dimensions.iter().filter(|d| variable(d).role == role).map(|d| d.id.as_str()).collect()
    };
    let mut role = Map::new();
    for (name, r) in [("time", Role::Time), ("geo", Role::Geo), ("metric", Role::Metric)] {
        let ids = role_of(r);
        if !ids.is_empty() {
            role.insert(name.to_owned(), json!(ids));
        }
    }
    let years = table.years();
    let (first, last) = (years.first().map(|y| y.code.clone()), years.last().map(|y| y.code.clone()));
    let decimals = table
        .variables
        .iter()
        .filter(|v| v.role == Role::Metric)
        .flat_map(|v| v.values.iter().filter_map(|c| c.unit.as_ref().map(|u| u.decimals)))
        .max()
        .unwrap_or(0);
    let mut notes = vec![table.info.rounding.to_owned()];
    notes.extend(table.notes.iter().cloned());
    json!({
        "version": "2.0",
        "class": "dataset",
        "href": format!("{base}/tables/{}/data?lang={}", table.id.code(), code(lang)),
        "label": table.title(lang),
        "source": table.info.source,
        "updated": table.updated,
        "id": ids,
        "size": cube.size(),
        "role": role,
        "dimension": dimension,
        "note": notes,
        "extension": {
            "px": {
                "tableid": table.id.code(),
                "decimals": decimals,
                "official-statistics": false,
                "aggregallowed": false,
                "language": code(lang),
                "contents": table.title(lang),
                "heading": ["year"],
                "stub": table.variables.iter().filter(|v| v.role != Role::Time).map(|v| v.code.as_str()).collect::<Vec<_>>(),
                "matrix": table.id.code(),
                "subject-code": "FINSAM",
                "subject-area": lang.pick("Finansiell samordning", "Financial coordination"),
            },
            "firstPeriod": first,
            "lastPeriod": last,
        },
    })
}

fn dimension_json(table: &PxTable, variable: &Variable, d: &Dimension, lang: Lang, base: &str) -> Value {
    let category = finsam_export::jsonstat::category(d, lang);
    let mut extension = json!({ "elimination": variable.elimination.is_some(), "show": "value" });
    if let Some(code) = &variable.elimination {
        extension["eliminationValueCode"] = json!(code);
    }
    if variable.role == Role::Metric {
        let period = lang.pick("Kalenderår", "Calendar year");
        extension["refperiod"] =
            d.categories.iter().map(|c| (c.code.clone(), json!(period))).collect::<Map<_, _>>().into();
    }
    if variable.code == REGION {
        let lists: Vec<Value> = codelist::of_region(table, lang)
            .iter()
            .map(|list| {
                json!({
                    "id": list.id,
                    "label": list.label,
                    "type": list.kind.code(),
                    "links": [{ "rel": "metadata", "hreflang": code(lang), "href": format!("{base}/codelists/{}?lang={}", list.id, code(lang)) }],
                })
            })
            .collect();
        if !lists.is_empty() {
            extension["codelists"] = json!(lists);
        }
    }
    json!({ "label": variable.label(lang), "category": category, "extension": extension })
}

/// A language's code on the wire.
pub fn code(lang: Lang) -> &'static str {
    match lang {
        Lang::Sv => "sv",
        Lang::En => "en",
    }
}

//! One row per cell: the category code of each dimension, its label, the value, the status.
//! Codes make rows joinable in scripts; labels make them readable in a spreadsheet.

use finsam_stats::Table;

use crate::labels::cells;
use crate::{Lang, Meta};

pub fn write(table: &Table, meta: &Meta, lang: Lang, separator: char) -> String {
    let mut header: Vec<String> = Vec::new();
    for d in &table.dimensions {
        header.push(d.id.clone());
        header.push(format!("{}_label", d.id));
    }
    header.extend(["value".to_owned(), "status".to_owned()]);
    let mut out = line(&header, separator);
    for (i, positions) in cells(&table.dimensions).into_iter().enumerate() {
        let mut row: Vec<String> = Vec::new();
        for (d, position) in table.dimensions.iter().zip(positions) {
            let category = &d.categories[position];
            row.push(category.code.clone());
            row.push(lang.category(category).to_owned());
        }
        row.push(table.values[i].map(|v| v.normalize().to_string()).unwrap_or_default());
        row.push(meta.status.get(i).cloned().flatten().unwrap_or_default());
        out.push_str(&line(&row, separator));
    }
    out
}

/// RFC 4180 quoting: fields with the separator, quotes or line breaks are quoted.
fn line(fields: &[String], separator: char) -> String {
    let quoted: Vec<String> = fields
        .iter()
        .map(|f| {
            if f.contains(separator) || f.contains('"') || f.contains('\n') || f.contains('\r') {
                format!("\"{}\"", f.replace('"', "\"\""))
            } else {
                f.clone()
            }
        })
        .collect();
    format!("{}\r\n", quoted.join(&separator.to_string()))
}

//! Many selections of one table as a single table with a dimension for them (`county` or
//! `forbund`), for the export files: one file per table and level instead of one per förbund.

use finsam_stats::{Category, Dimension, Selection, Table};

use super::OpenTable;

/// `entries` (code, label, table) become one table whose dimensions are `year`, then a new
/// dimension `id` with the entries as categories, then the tables' own. All entries must be the
/// same table for the same years.
///
/// # Panics
/// If `entries` is empty or its tables differ in shape.
pub fn stack(id: &str, label_sv: &str, label_en: &str, entries: &[(String, String, &OpenTable)]) -> OpenTable {
    let first = &entries.first().expect("at least one entry").2.table;
    let years = first.dimensions[0].categories.len();
    let block = first.values.len() / years;
    let mut dimensions = vec![first.dimensions[0].clone()];
    dimensions.push(Dimension {
        id: id.to_owned(),
        label_sv: label_sv.to_owned(),
        label_en: label_en.to_owned(),
        categories: entries
            .iter()
            .map(|(code, label, _)| Category {
                code: code.clone(),
                label_sv: label.clone(),
                label_en: label.clone(),
                unit: None,
            })
            .collect(),
    });
    dimensions.extend(first.dimensions[1..].iter().cloned());
    let (mut values, mut status) = (Vec::new(), Vec::new());
    for y in 0..years {
        for (_, _, open) in entries {
            assert_eq!(open.table.dimensions, first.dimensions, "stacked tables have one shape");
            values.extend_from_slice(&open.table.values[y * block..(y + 1) * block]);
            status.extend_from_slice(&open.status[y * block..(y + 1) * block]);
        }
    }
    OpenTable {
        table: Table { id: first.id, selection: Selection::National, dimensions, values, notes: Vec::new() },
        status,
    }
}

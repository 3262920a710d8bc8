//! A workbook per table: the cells as rows (like the CSV) on the first sheet, with numbers as
//! numbers, and what describes the table on a second.

use finsam_stats::Table;
use finsam_stats::catalog::TableInfo;
use rust_decimal::prelude::ToPrimitive;
use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook, XlsxError};

use crate::labels::cells;
use crate::{Lang, Meta};

pub fn write(table: &Table, info: &TableInfo, meta: &Meta, lang: Lang) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    // The workbook's creation time is the table's, not the moment of writing: a release's files
    // are then the same bytes whenever they are read.
    if let Some(updated) = meta.updated.get(..19).and_then(|t| ExcelDateTime::parse_from_str(&format!("{t}Z")).ok()) {
        book.set_properties(&DocProperties::new().set_creation_datetime(&updated));
    }
    let bold = Format::new().set_bold();
    let suppressed = Format::new().set_background_color("#DDDDDD");
    let sheet = book.add_worksheet().set_name(lang.pick("Tabell", "Table"))?;
    let mut column = 0u16;
    for d in &table.dimensions {
        sheet.write_string_with_format(0, column, lang.dimension(d), &bold)?;
        column += 1;
    }
    let value_column = column;
    sheet.write_string_with_format(0, value_column, lang.pick("Värde", "Value"), &bold)?;
    sheet.write_string_with_format(0, value_column + 1, "Status", &bold)?;
    for (i, positions) in cells(&table.dimensions).into_iter().enumerate() {
        let row = u32::try_from(i + 1).expect("tables are small");
        for (col, (d, position)) in table.dimensions.iter().zip(positions).enumerate() {
            let col = u16::try_from(col).expect("few dimensions");
            sheet.write_string(row, col, lang.category(&d.categories[position]))?;
        }
        let status = meta.status.get(i).cloned().flatten();
        match (table.values[i], &status) {
            (Some(value), _) => {
                sheet.write_number(row, value_column, value.to_f64().unwrap_or(f64::NAN))?;
            }
            (None, Some(_)) => {
                sheet.write_blank(row, value_column, &suppressed)?;
            }
            (None, None) => {}
        }
        if let Some(status) = status {
            sheet.write_string_with_format(row, value_column + 1, &status, &suppressed)?;
        }
    }
    sheet.autofit();

    let about = book.add_worksheet().set_name(lang.pick("Om tabellen", "About"))?;
    let mut lines: Vec<(&str, String)> = vec![
        (lang.pick("Tabell", "Table"), lang.pick(info.title_sv, info.title_en).to_owned()),
        ("Id", info.id.code().to_owned()),
        (lang.pick("Uppdaterad", "Updated"), meta.updated.clone()),
        (lang.pick("Källa", "Source"), info.source.to_owned()),
        (lang.pick("Avrundning", "Rounding"), info.rounding.to_owned()),
    ];
    lines.extend(meta.notes.iter().map(|n| (lang.pick("Not", "Note"), n.clone())));
    lines.extend(table.notes.iter().map(|n| (lang.pick("Not", "Note"), lang.pick(&n.text_sv, &n.text_en).to_owned())));
    for (row, (key, text)) in lines.iter().enumerate() {
        let row = u32::try_from(row).expect("few lines");
        about.write_string_with_format(row, 0, *key, &bold)?;
        about.write_string(row, 1, text)?;
    }
    book.save_to_buffer()
}

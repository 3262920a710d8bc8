//! The import template: a workbook förbund fill in and send back. Its first sheet, "Insatser",
//! has the import's columns under their Swedish names (from [`finsam_domain::import::columns`],
//! the list the readers take too), one example row, drop-down lists of the code lists' Swedish
//! labels and number formats per column; its second, "Förklaring", says how the file is read
//! and what goes in each column.
//!
//! Formats are the columns' own, not cells': a spreadsheet program that saves the filled-in file
//! then writes only the rows someone filled in, no blank rows with styles down to row 10 000.

use finsam_domain::codes::{Code, Kind, Orientation, TargetGroup};
use finsam_domain::import::{CellKind, ImportColumn, columns};
use rust_xlsxwriter::{
    DataValidation, DataValidationErrorStyle, DataValidationRule, DocProperties, ExcelDateTime, Format, FormatAlign,
    Workbook, Worksheet, XlsxError,
};

/// The sheet the rows go in, and the one that explains them.
pub const SHEET: &str = "Insatser";
pub const EXPLANATION_SHEET: &str = "Förklaring";
/// The last row (0-based) the drop-down lists and checks reach: row 10 000 as Excel counts.
pub const LAST_ROW: u32 = 9_999;
/// What the example row's Referens holds, so that a person (and the explanation) can name it.
pub const EXAMPLE_REF: &str = "EXEMPEL-1";

/// The template as XLSX bytes: always the same bytes for the same columns and code lists.
pub fn template() -> Vec<u8> {
    write().expect("the template's cells, lists and formats are within Excel's limits")
}

fn write() -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    // A fixed creation time: the same build serves the same bytes (and so the same ETag).
    book.set_properties(
        &DocProperties::new()
            .set_title("Finsam: importmall för insatser")
            .set_creation_datetime(&ExcelDateTime::from_ymd(2025, 1, 1)?),
    );
    let columns = columns();
    let sheet = book.add_worksheet().set_name(SHEET)?;
    rows_sheet(sheet, columns)?;
    let explanation = book.add_worksheet().set_name(EXPLANATION_SHEET)?;
    explanation_sheet(explanation, columns)?;
    book.save_to_buffer()
}

/// A cell of the example row.
enum Example {
    Text(&'static str),
    Number(f64),
    Date(u16, u8, u8),
}

/// The example row: an individual insats with one year's figures.
fn example(code: &str) -> Option<Example> {
    Some(match code {
        "external_ref" => Example::Text(EXAMPLE_REF),
        "name" => Example::Text("Arbetsträning"),
        "description" => Example::Text("Exempelrad: ta bort den innan filen läses in."),
        "kind" => Example::Text(Kind::Individual.short_sv()),
        "orientation" => Example::Text(Orientation::WorkOriented.name_sv()),
        "target_groups" => Example::Text(TargetGroup::Young.name_sv()),
        "start_date" => Example::Date(2025, 1, 1),
        "year" => Example::Number(2025.0),
        "participants_women" => Example::Number(12.0),
        "participants_men" => Example::Number(8.0),
        "budget" => Example::Number(250_000.5),
        _ => return None,
    })
}

/// The number format a column's cells are shown with. References, names and descriptions are
/// text ("0012" is a reference, not the number 12); the labels chosen from lists keep the
/// default format.
fn number_format(cell: CellKind) -> Option<&'static str> {
    match cell {
        CellKind::Date => Some("yyyy-mm-dd"),
        CellKind::Year | CellKind::Count => Some("0"),
        CellKind::Amount => Some("#,##0.00"),
        CellKind::Text => Some("@"),
        CellKind::Kind | CellKind::Orientation | CellKind::TargetGroups => None,
    }
}

/// Wide enough for the header and for what the cells usually hold.
fn width(column: &ImportColumn) -> f64 {
    let cells: f64 = match (column.cell, column.code) {
        (CellKind::Text, "description") => 40.0,
        (CellKind::Text, "name") => 30.0,
        (CellKind::Text, _) => 16.0,
        (CellKind::Kind, _) => 22.0,
        (CellKind::Orientation, _) => 30.0,
        (CellKind::TargetGroups, _) => 34.0,
        (CellKind::Date, _) => 12.0,
        (CellKind::Year, _) => 8.0,
        (CellKind::Count, _) => 10.0,
        (CellKind::Amount, _) => 16.0,
    };
    cells.max(column.name_sv.chars().count() as f64 + 3.0)
}

fn rows_sheet(sheet: &mut Worksheet, columns: &[ImportColumn]) -> Result<(), XlsxError> {
    let bold = Format::new().set_bold().set_align(FormatAlign::Top);
    for (i, column) in columns.iter().enumerate() {
        let col = u16::try_from(i).expect("a few dozen columns");
        let format = number_format(column.cell).map_or_else(Format::new, |f| Format::new().set_num_format(f));
        sheet.set_column_width(col, width(column))?;
        if number_format(column.cell).is_some() {
            sheet.set_column_format(col, &format)?;
        }
        sheet.write_string_with_format(0, col, &column.name_sv, &bold)?;
        match example(column.code) {
            Some(Example::Text(text)) => {
                sheet.write_string_with_format(1, col, text, &format)?;
            }
            Some(Example::Number(number)) => {
                sheet.write_number_with_format(1, col, number, &format)?;
            }
            Some(Example::Date(year, month, day)) => {
                sheet.write_datetime_with_format(1, col, ExcelDateTime::from_ymd(year, month, day)?, &format)?;
            }
            None => {}
        }
        if let Some(validation) = validation(column.cell)? {
            sheet.add_data_validation(1, col, LAST_ROW, col, &validation)?;
        }
    }
    sheet.set_freeze_panes(1, 0)?;
    Ok(())
}

fn names<C: Code>(values: &[C], name: fn(C) -> &'static str) -> Vec<&'static str> {
    values.iter().map(|&v| name(v)).collect()
}

/// The drop-down list or check of a column's cells. A value outside a list only warns: the
/// codes (`individual`) and the long names (`Individinriktad insats`) are read too, and a cell of
/// target groups may hold several.
fn validation(cell: CellKind) -> Result<Option<DataValidation>, XlsxError> {
    let listed = |labels: &[&str], title: &str, message: &str| -> Result<DataValidation, XlsxError> {
        DataValidation::new()
            .allow_list_strings(labels)?
            .set_error_style(DataValidationErrorStyle::Warning)
            .set_error_title(title)?
            .set_error_message(message)
    };
    let count = || -> Result<DataValidation, XlsxError> {
        DataValidation::new()
            .allow_whole_number(DataValidationRule::GreaterThanOrEqualTo(0))
            .set_error_title("Antal personer")?
            .set_error_message("Ett heltal, 0 eller mer.")
    };
    Ok(Some(match cell {
        CellKind::Kind => listed(
            &names(Kind::ALL, Kind::short_sv),
            "Typ av insats",
            "Välj typ av insats i listan. Ja behåller det du skrev (koden individual eller structural går också).",
        )?,
        CellKind::Orientation => listed(
            &names(Orientation::ALL, Orientation::name_sv),
            "Inriktning",
            "Välj inriktning i listan. Ja behåller det du skrev (inriktningens kod går också).",
        )?,
        CellKind::TargetGroups => listed(
            &names(TargetGroup::ALL, TargetGroup::name_sv),
            "Målgrupper",
            "Flera målgrupper skrivs åtskilda med kommatecken. Kontrollera stavningen mot listan.",
        )?
        .set_error_style(DataValidationErrorStyle::Information)
        .set_input_title("Målgrupper")?
        .set_input_message(
            "Välj en målgrupp i listan, eller skriv flera åtskilda med kommatecken, till exempel: \
             Unga, Långtidssjukskrivna. Tom cell: ingen särskild målgrupp.",
        )?,
        CellKind::Count => count()?,
        CellKind::Amount => DataValidation::new()
            .allow_decimal_number(DataValidationRule::GreaterThanOrEqualTo(0.0))
            .set_error_title("Belopp i kronor")?
            .set_error_message("Ett belopp i kronor, 0 eller mer, med högst två decimaler.")?,
        CellKind::Text | CellKind::Date | CellKind::Year => return Ok(None),
    }))
}

/// How the file is read, above the table of columns.
fn reading_notes() -> Vec<String> {
    vec![
        "En rad per insats och år: insatsens uppgifter (referens, namn, typ, inriktning, datum) står på varje \
         rad, och radens år, deltagare, budget och utfall gäller det året."
            .into(),
        "Flera rader med samma Referens är samma insats. En insats som redan finns med samma referens \
         uppdateras, annars skapas den."
            .into(),
        "Kolumnerna kan ha mallens svenska namn eller sina koder (kolumnen Kod nedan), i valfri ordning. I \
         cellerna går både koder och svenska namn bra, till exempel Individinriktad eller individual."
            .into(),
        "Spara filen som Excel-arbetsbok (.xlsx) eller som CSV (semikolonavgränsad) och läs in den på sidan \
         Importera insatser. Gör först en provkörning: den kontrollerar allt och sparar inget."
            .into(),
        format!("Ta bort exempelraden ({EXAMPLE_REF}) innan du läser in filen."),
        "Skriv aldrig personnummer eller andra uppgifter om personer i filen: deltagare räknas bara som antal.".into(),
    ]
}

/// The widths of the explanation sheet's columns (Kolumn, Kod, Krävs, Förklaring), in
/// characters; the notes above span all four.
const EXPLANATION_WIDTHS: [f64; 4] = [30.0, 34.0, 8.0, 90.0];

/// A row tall enough for `text` wrapped in `width` characters: spreadsheet programs do not
/// grow a row for wrapped text they did not type themselves.
fn height(text: &str, width: f64) -> f64 {
    // Letters run narrower than the digit "0" widths are counted in; wrapping at words takes
    // about that back.
    let lines = (text.chars().count() as f64 / width).ceil().max(1.0);
    15.0 * lines + 2.0
}

fn explanation_sheet(sheet: &mut Worksheet, columns: &[ImportColumn]) -> Result<(), XlsxError> {
    let title = Format::new().set_bold().set_font_size(14);
    let bold = Format::new().set_bold();
    let wrapped = Format::new().set_text_wrap().set_align(FormatAlign::Top);
    for (col, width) in EXPLANATION_WIDTHS.into_iter().enumerate() {
        sheet.set_column_width(col as u16, width)?;
    }
    let note_width: f64 = EXPLANATION_WIDTHS.iter().sum();
    sheet.write_string_with_format(0, 0, "Importmall för insatser", &title)?;
    let mut row = 1;
    for note in reading_notes() {
        sheet.merge_range(row, 0, row, 3, &note, &wrapped)?;
        sheet.set_row_height(row, height(&note, note_width))?;
        row += 1;
    }
    row += 1;
    for (col, heading) in ["Kolumn", "Kod", "Krävs", "Förklaring"].into_iter().enumerate() {
        sheet.write_string_with_format(row, col as u16, heading, &bold)?;
    }
    for column in columns {
        row += 1;
        sheet.write_string_with_format(row, 0, &column.name_sv, &wrapped)?;
        sheet.write_string_with_format(row, 1, column.code, &wrapped)?;
        sheet.write_string_with_format(row, 2, if column.required { "Ja" } else { "Nej" }, &wrapped)?;
        sheet.write_string_with_format(row, 3, &column.explanation_sv, &wrapped)?;
        sheet.set_row_height(row, height(&column.explanation_sv, EXPLANATION_WIDTHS[3]))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::io::{Cursor, Read};

    use calamine::{Data, Reader, Xlsx};

    use super::*;

    fn workbook() -> Xlsx<Cursor<Vec<u8>>> {
        Xlsx::new(Cursor::new(template())).expect("the template opens")
    }

    fn cells(row: &[Data]) -> Vec<String> {
        row.iter().map(|c| c.to_string()).collect()
    }

    /// A part of the XLSX package as text.
    fn part(name: &str) -> String {
        let mut zip = zip::ZipArchive::new(Cursor::new(template())).expect("an XLSX is a ZIP");
        let mut text = String::new();
        zip.by_name(name).expect(name).read_to_string(&mut text).unwrap();
        text
    }

    fn position(code: &str) -> usize {
        columns().iter().position(|c| c.code == code).expect(code)
    }

    #[test]
    fn the_header_is_every_column_by_its_swedish_name_in_order() {
        let mut book = workbook();
        assert_eq!(book.sheet_names(), [SHEET, EXPLANATION_SHEET]);
        let range = book.worksheet_range(SHEET).unwrap();
        let header = cells(range.rows().next().unwrap());
        let names: Vec<String> = columns().iter().map(|c| c.name_sv.clone()).collect();
        assert_eq!(header, names);
        assert_eq!(range.height(), 2, "the header and the example row, no blank rows");
    }

    #[test]
    fn the_example_row_is_an_individual_insats_with_a_year() {
        let mut book = workbook();
        let range = book.worksheet_range(SHEET).unwrap();
        let example = range.rows().nth(1).unwrap();
        let at = |code| &example[position(code)];
        assert_eq!(at("external_ref"), &Data::String(EXAMPLE_REF.into()));
        assert_eq!(at("name"), &Data::String("Arbetsträning".into()));
        assert_eq!(at("kind"), &Data::String("Individinriktad".into()));
        assert_eq!(at("orientation"), &Data::String("Arbetslivsinriktad".into()));
        assert_eq!(at("target_groups"), &Data::String("Unga".into()));
        let Data::DateTime(start) = at("start_date") else { panic!("a date cell: {:?}", at("start_date")) };
        // 2025-01-01 in Excel's serial days.
        assert_eq!(start.as_f64(), 45658.0);
        assert!(start.is_datetime());
        assert_eq!(at("year"), &Data::Float(2025.0));
        assert_eq!(at("participants_women"), &Data::Float(12.0));
        assert_eq!(at("participants_men"), &Data::Float(8.0));
        assert_eq!(at("budget"), &Data::Float(250_000.5));
        assert_eq!(at("end_date"), &Data::Empty);
        assert_eq!(at("outcome"), &Data::Empty);
    }

    #[test]
    fn the_explanation_lists_every_column_with_code_and_whether_it_is_required() {
        let mut book = workbook();
        let range = book.worksheet_range(EXPLANATION_SHEET).unwrap();
        let rows: Vec<Vec<String>> = range.rows().map(cells).collect();
        let heading = rows.iter().position(|r| r[..4] == ["Kolumn", "Kod", "Krävs", "Förklaring"]).expect("a heading");
        let listed = &rows[heading + 1..];
        assert_eq!(listed.len(), columns().len());
        for (row, column) in listed.iter().zip(columns()) {
            let required = if column.required { "Ja" } else { "Nej" };
            assert_eq!(row[..4], [column.name_sv.as_str(), column.code, required, column.explanation_sv.as_str()]);
        }
        let notes = rows[..heading].iter().map(|r| r[0].clone()).collect::<Vec<_>>().join("\n");
        for needle in ["En rad per insats och år", "samma Referens", "CSV (semikolonavgränsad)", EXAMPLE_REF] {
            assert!(notes.contains(needle), "{needle}: {notes}");
        }
    }

    #[test]
    fn lists_checks_and_formats_are_the_columns_own() {
        let xml = part("xl/worksheets/sheet1.xml");
        let letter = |code| rust_xlsxwriter::utility::column_number_to_name(position(code) as u16);
        let range = |code| format!("{0}2:{0}10000", letter(code));
        let validation = |code| {
            let sqref = format!("sqref=\"{}\"", range(code));
            let start = xml.find(&sqref).unwrap_or_else(|| panic!("a validation of {code}: {xml}"));
            let open = xml[..start].rfind("<dataValidation ").unwrap();
            let end = start + xml[start..].find("</dataValidation>").unwrap();
            xml[open..end].to_owned()
        };
        let list = |labels: Vec<&str>| format!("<formula1>\"{}\"</formula1>", labels.join(","));

        let kind = validation("kind");
        assert!(kind.contains("type=\"list\""), "{kind}");
        assert!(kind.contains(&list(names(Kind::ALL, Kind::short_sv))), "{kind}");
        let orientation = validation("orientation");
        assert!(orientation.contains(&list(names(Orientation::ALL, Orientation::name_sv))), "{orientation}");
        assert_eq!(Orientation::ALL.len(), 7);
        let groups = validation("target_groups");
        assert!(groups.contains(&list(names(TargetGroup::ALL, TargetGroup::name_sv))), "{groups}");
        assert!(groups.contains("errorStyle=\"information\""), "several groups may be typed: {groups}");
        assert!(groups.contains("promptTitle=\"Målgrupper\""), "{groups}");
        assert!(groups.contains("åtskilda med kommatecken"), "{groups}");
        for code in ["participants_women", "participants_men", "exits_work_women"] {
            let count = validation(code);
            assert!(count.contains("type=\"whole\"") && count.contains("operator=\"greaterThanOrEqual\""), "{count}");
        }
        assert!(validation("budget").contains("type=\"decimal\""));

        // The formats are on the columns (`<col style=…>`), and no row beyond the example is written.
        assert!(
            xml.contains("<pane ySplit=\"1\" topLeftCell=\"A2\" activePane=\"bottomLeft\" state=\"frozen\"/>"),
            "{xml}"
        );
        assert_eq!(xml.matches("<row ").count(), 2, "{xml}");
        let styles = part("xl/styles.xml");
        for format in ["yyyy-mm-dd", "#,##0.00"] {
            assert!(styles.contains(&format!("formatCode=\"{format}\"")), "{format}: {styles}");
        }
        assert!(xml.matches("<col ").count() >= columns().len() - 1, "{xml}");
    }

    #[test]
    fn the_same_template_is_the_same_bytes() {
        assert_eq!(template(), template());
    }
}

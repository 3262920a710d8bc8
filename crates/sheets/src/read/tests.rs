use finsam_domain::import::{Format, Mode, parse};
use rust_xlsxwriter::{ExcelDateTime, Format as CellFormat, Workbook};

use super::*;

const MAX: usize = 64 << 20;

/// A workbook as a spreadsheet program would hold one: number, date and text cells.
fn workbook(extra: impl FnOnce(&mut rust_xlsxwriter::Worksheet)) -> Vec<u8> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet().set_name("Insatser").expect("a name");
    let header = [
        "Referens",
        "Namn",
        "Typ av insats",
        "Inriktning",
        "Målgrupper",
        "Startdatum",
        "År",
        "Deltagare kvinnor",
        "Deltagare män",
        "Budget",
        "Utfall",
    ];
    for (c, name) in header.iter().enumerate() {
        sheet.write_string(0, c as u16, *name).expect("a cell");
    }
    let date = CellFormat::new().set_num_format("yyyy-mm-dd");
    sheet.write_string(1, 0, "A-1").expect("a cell");
    sheet.write_string(1, 1, "Arbetsträning").expect("a cell");
    sheet.write_string(1, 2, "Individinriktad").expect("a cell");
    sheet.write_string(1, 3, "Arbetslivsinriktad").expect("a cell");
    sheet.write_string(1, 4, "Unga, Långtidssjukskrivna").expect("a cell");
    let start = ExcelDateTime::from_ymd(2024, 1, 15).expect("a date");
    sheet.write_datetime_with_format(1, 5, &start, &date).expect("a cell");
    sheet.write_number(1, 6, 2024).expect("a cell");
    sheet.write_number(1, 7, 12).expect("a cell");
    sheet.write_number(1, 8, 8).expect("a cell");
    sheet.write_number(1, 9, 250_000.5).expect("a cell");
    // A sum's binary noise, as =0,1+0,2 leaves it.
    sheet.write_number(1, 10, 0.1 + 0.2).expect("a cell");
    // Row 3 blank; row 4 a structural insats, its start a plain serial and its budget text.
    sheet.write_string(3, 0, "S-1").expect("a cell");
    sheet.write_string(3, 1, "Samverkan").expect("a cell");
    sheet.write_string(3, 2, "structural").expect("a cell");
    sheet.write_string(3, 3, "Utveckla samverkan").expect("a cell");
    sheet.write_number(3, 5, 45_323).expect("a cell");
    sheet.write_number(3, 6, 2024).expect("a cell");
    sheet.write_string(3, 9, "30 000,25").expect("a cell");
    extra(sheet);
    book.add_worksheet().set_name("Annat").expect("a name");
    book.save_to_buffer().expect("a workbook")
}

#[test]
fn number_date_and_text_cells_read_as_the_import_reads_a_swedish_file() {
    let text = xlsx_to_csv(&workbook(|_| {}), None, MAX).expect("read");
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines[1],
        "A-1;Arbetsträning;Individinriktad;Arbetslivsinriktad;Unga, Långtidssjukskrivna;2024-01-15;2024;12;8;250000,5;0,3"
    );
    assert_eq!(lines[2], ";;;;;;;;;;", "the blank row keeps its place");
    assert_eq!(lines[3], "S-1;Samverkan;structural;Utveckla samverkan;;2024-02-01;2024;;;30 000,25;");
    let batch = parse(Format::Csv, text.as_bytes(), Mode::Atomic).expect("a batch");
    assert_eq!(batch.errors, []);
    assert_eq!(batch.rows.iter().map(|r| r.line).collect::<Vec<_>>(), [Some(2), Some(4)]);
    assert_eq!(batch.rows[0].years[&2024].budget.to_string(), "250000.5");
    assert_eq!(batch.rows[0].years[&2024].outcome.map(|o| o.to_string()), Some("0.3".into()));
    assert_eq!(batch.rows[1].insats.start_date.to_string(), "2024-02-01");
    assert_eq!(batch.rows[1].years[&2024].budget.to_string(), "30000.25");
}

#[test]
fn a_sheet_is_chosen_by_name_and_an_unknown_one_is_named() {
    let bytes = workbook(|_| {});
    let errors = xlsx_to_csv(&bytes, Some("Blad1"), MAX).expect_err("no such sheet");
    assert_eq!((errors[0].path.as_str(), errors[0].code), ("sheet", ErrorCode::UnknownSheet));
    assert!(errors[0].message.contains("\"Insatser\", \"Annat\""), "{}", errors[0].message);
    let errors = xlsx_to_csv(&bytes, Some("Annat"), MAX).expect_err("an empty sheet");
    assert_eq!(errors[0].code, ErrorCode::BadXlsx);
    assert!(xlsx_to_csv(&bytes, Some("Insatser"), MAX).is_ok());
}

#[test]
fn a_cell_right_of_the_header_is_refused_by_its_line() {
    let bytes = workbook(|sheet| {
        sheet.write_string(3, 14, "anteckning").expect("a cell");
    });
    let errors = xlsx_to_csv(&bytes, None, MAX).expect_err("refused");
    assert_eq!((errors[0].path.as_str(), errors[0].code), ("line 4", ErrorCode::BadXlsx));
    assert!(errors[0].message.contains("(O)"), "{}", errors[0].message);
}

#[test]
fn what_is_no_workbook_or_too_big_is_refused_as_a_whole() {
    assert_eq!(xlsx_to_csv(b"Referens;Namn\r\n", None, MAX).expect_err("no zip")[0].code, ErrorCode::BadXlsx);
    let errors = xlsx_to_csv(&workbook(|_| {}), None, 100).expect_err("too big");
    assert_eq!(errors[0].code, ErrorCode::PayloadTooLarge);
    // A part that unpacks to more than the limit, as a zip bomb does (the real limit is 512 MiB).
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    zip.start_file("xl/sharedStrings.xml", zip::write::SimpleFileOptions::default()).expect("a part");
    std::io::Write::write_all(&mut zip, &vec![b' '; 3 << 20]).expect("written");
    let bomb = zip.finish().expect("a zip").into_inner();
    assert!(bomb.len() < 100_000);
    let errors = unpacked_size_within(&bomb, 2 << 20).expect_err("refused");
    assert!(errors[0].message.contains("more than 2 MiB"), "{}", errors[0].message);
}

#[test]
fn numbers_are_read_at_excels_precision_and_serials_as_dates() {
    assert_eq!(number(0.1 + 0.2), "0,3");
    assert_eq!(number(75_000.000_000_000_01), "75000");
    assert_eq!(number(12.0), "12");
    assert_eq!(number(1234.56), "1234,56");
    assert_eq!(serial_date(45_323.0), "2024-02-01");
    assert_eq!(serial_date(45_323.5), "45323,5");
    assert_eq!(column_letters(0), "A");
    assert_eq!(column_letters(27), "AB");
}

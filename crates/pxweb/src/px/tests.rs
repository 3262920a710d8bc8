use finsam_export::Lang;
use finsam_stats::{Category, Dimension, Selection, Table, TableId, Unit};
use rust_decimal::Decimal;

use super::{PxFile, write};

fn category(code: &str, sv: &str, en: &str, unit: Option<(&str, u32)>) -> Category {
    Category {
        code: code.into(),
        label_sv: sv.into(),
        label_en: en.into(),
        unit: unit.map(|(label, decimals)| Unit { label: label.into(), decimals }),
    }
}

fn dimension(id: &str, sv: &str, en: &str, categories: Vec<Category>) -> Dimension {
    Dimension { id: id.into(), label_sv: sv.into(), label_en: en.into(), categories }
}

fn number(text: &str) -> Option<Decimal> {
    Some(text.parse().unwrap())
}

/// 2 years × 2 kinds × 2 measures. In the table's order (year slowest, measure fastest):
/// 2022: individual 10, 45.5; structural 12, 54.5. 2023: individual 20, suppressed; structural
/// not available, 33.3.
fn table() -> Table {
    let years = vec![category("2022", "2022", "2022", None), category("2023", "2023", "2023", None)];
    let kinds = vec![
        category("individual", "Individinriktade", "Individual", None),
        category("structural", "Strukturövergripande", "Structural", None),
    ];
    let measures = vec![
        category("insatser", "Antal insatser", "Number of insatser", Some(("count", 0))),
        category("share", "Andel", "Share", Some(("percent", 1))),
    ];
    Table {
        id: TableId::InsatserByKind,
        selection: Selection::National,
        dimensions: vec![
            dimension("year", "År", "Year", years),
            dimension("kind", "Typ av insats", "Kind of insats", kinds),
            dimension("measure", "Mått", "Measure", measures),
        ],
        values: vec![
            number("10"),
            number("45.5"),
            number("12"),
            number("54.5"),
            number("20"),
            None,
            None,
            number("33.3"),
        ],
        notes: vec![],
    }
}

fn status() -> Vec<Option<String>> {
    let mut status = vec![None; 8];
    status[5] = Some(".".to_owned());
    status[6] = Some("..".to_owned());
    status
}

fn px(table: &Table, status: &[Option<String>], notes: &[String], lang: Lang) -> String {
    write(&PxFile {
        table,
        status,
        table_id: "insatser-by-kind",
        title: "Insatser efter typ",
        source: "Försäkringskassan",
        updated: "2024-04-02T10:05:00+00:00",
        notes,
        lang,
    })
}

/// The value of a keyword line, e.g. `CODES("Typ av insats")`.
fn value<'a>(file: &'a str, key: &str) -> &'a str {
    let start = file.find(&format!("\n{key}=")).unwrap_or_else(|| panic!("no {key} in\n{file}")) + key.len() + 2;
    let end = start + file[start..].find(";\n").unwrap();
    &file[start..end]
}

#[test]
fn data_has_a_line_per_stub_combination_and_a_column_per_year() {
    let file = px(&table(), &status(), &[], Lang::Sv);
    let data = &file[file.find("\nDATA=\n").unwrap() + 7..];
    assert_eq!(data, "10 20\n45.5 \".\"\n12 \"..\"\n54.5 33.3\n;\n");
}

#[test]
fn stub_heading_values_and_codes_name_variables_by_label() {
    let file = px(&table(), &status(), &[], Lang::Sv);
    assert_eq!(value(&file, "STUB"), r#""Typ av insats","Mått""#);
    assert_eq!(value(&file, "HEADING"), r#""År""#);
    assert_eq!(value(&file, "CONTVARIABLE"), r#""Mått""#);
    assert_eq!(value(&file, r#"VALUES("Typ av insats")"#), r#""Individinriktade","Strukturövergripande""#);
    assert_eq!(value(&file, r#"CODES("Typ av insats")"#), r#""individual","structural""#);
    assert_eq!(value(&file, r#"CODES("Mått")"#), r#""insatser","share""#);
    assert_eq!(value(&file, r#"CODES("År")"#), r#""2022","2023""#);
    assert_eq!(value(&file, r#"TIMEVAL("År")"#), r#"TLIST(A1),"2022","2023""#);
}

#[test]
fn english_labels_in_an_english_file() {
    let file = px(&table(), &status(), &[], Lang::En);
    assert_eq!(value(&file, "LANGUAGE"), r#""en""#);
    assert_eq!(value(&file, "STUB"), r#""Kind of insats","Measure""#);
    assert_eq!(value(&file, r#"UNITS("Share")"#), r#""percent""#);
    assert_eq!(value(&file, r#"CODES("Kind of insats")"#), r#""individual","structural""#);
}

#[test]
fn each_content_has_its_unit_update_and_precision() {
    let file = px(&table(), &status(), &[], Lang::Sv);
    assert_eq!(value(&file, "DECIMALS"), "1");
    assert_eq!(value(&file, "SHOWDECIMALS"), "0");
    assert_eq!(value(&file, r#"UNITS("Antal insatser")"#), r#""antal""#);
    assert_eq!(value(&file, r#"UNITS("Andel")"#), r#""procent""#);
    assert_eq!(value(&file, r#"PRECISION("Mått","Andel")"#), "1");
    assert!(!file.contains(r#"PRECISION("Mått","Antal insatser")"#), "{file}");
    assert_eq!(value(&file, r#"LAST-UPDATED("Andel")"#), r#""20240402 10:05""#);
    assert_eq!(value(&file, "CREATION-DATE"), r#""20240402 10:05""#);
}

#[test]
fn keywords_come_in_the_specifications_order() {
    let file = px(&table(), &status(), &["En not".to_owned()], Lang::Sv);
    let order = [
        "CHARSET=",
        "AXIS-VERSION=",
        "CODEPAGE=",
        "LANGUAGE=",
        "CREATION-DATE=",
        "TABLEID=",
        "DECIMALS=",
        "SHOWDECIMALS=",
        "MATRIX=",
        "SUBJECT-CODE=",
        "SUBJECT-AREA=",
        "TITLE=",
        "CONTENTS=",
        "STUB=",
        "HEADING=",
        "CONTVARIABLE=",
        "VALUES(",
        "UNITS(",
        "TIMEVAL(",
        "CODES(",
        "PRECISION(",
        "LAST-UPDATED(",
        "SOURCE=",
        "NOTE=",
        "DATASYMBOL1=",
        "DATASYMBOL2=",
        "DATA=",
    ];
    let lines: Vec<&str> = file.lines().collect();
    let positions: Vec<usize> = order
        .iter()
        .map(|k| lines.iter().position(|l| l.starts_with(k)).unwrap_or_else(|| panic!("no {k} in\n{file}")))
        .collect();
    assert!(file.starts_with("CHARSET=\"ANSI\";\nAXIS-VERSION=\"2013\";\nCODEPAGE=\"utf-8\";\n"), "{file}");
    assert!(positions.windows(2).all(|w| w[0] < w[1]), "{positions:?}\n{file}");
}

#[test]
fn symbols_are_declared_only_when_used() {
    let file = px(&table(), &status(), &[], Lang::Sv);
    assert_eq!(value(&file, "DATASYMBOL1"), r#"".""#);
    assert_eq!(value(&file, "DATASYMBOL2"), "\"..\"");

    let mut whole = table();
    whole.values = whole.values.iter().map(|v| v.or(number("1"))).collect();
    let file = px(&whole, &[], &[], Lang::Sv);
    assert!(!file.contains("DATASYMBOL"), "{file}");
}

#[test]
fn a_missing_value_without_status_is_not_available_and_a_status_wins_over_a_value() {
    let mut t = table();
    t.values[0] = None;
    let mut status = status();
    status[7] = Some(".".to_owned()); // a status wins over a value
    status[3] = Some("..".to_owned());
    let file = px(&t, &status, &[], Lang::Sv);
    let data = &file[file.find("\nDATA=\n").unwrap() + 7..];
    assert_eq!(data, "\"..\" 20\n45.5 \".\"\n12 \"..\"\n\"..\" \".\"\n;\n");
}

#[test]
fn numbers_have_their_contents_decimals_and_a_decimal_point() {
    let mut t = table();
    t.dimensions[2].categories[0].unit = Some(Unit { label: "SEK".into(), decimals: 2 });
    t.values[0] = number("1234567.5");
    t.values[1] = number("50");
    let file = px(&t, &status(), &[], Lang::Sv);
    let data = &file[file.find("\nDATA=\n").unwrap() + 7..];
    assert!(data.starts_with("1234567.50 20.00\n50.0 \".\"\n"), "{data}");
    assert_eq!(value(&file, r#"UNITS("Antal insatser")"#), r#""kronor""#);
    assert_eq!(value(&file, "DECIMALS"), "2");
    assert_eq!(value(&file, "SHOWDECIMALS"), "1");
}

#[test]
fn strings_lose_double_quotes_and_long_ones_are_split_into_parts() {
    let long = format!("Undertryckta (\"{}\") celler. {}", ".", "x".repeat(450));
    let file = px(&table(), &status(), &[long, "Andra".to_owned()], Lang::Sv);
    let note = value(&file, "NOTE");
    assert!(note.starts_with("\"Undertryckta ('.') celler. x"), "{note}");
    let parts: Vec<&str> = note.split('\n').collect();
    assert_eq!(parts.len(), 3, "{note}");
    assert!(parts.iter().all(|p| p.starts_with('"') && p.ends_with('"') && p.matches('"').count() == 2));
    let joined: String = parts.iter().map(|p| &p[1..p.len() - 1]).collect();
    assert!(joined.ends_with("x#Andra"), "{joined}");
}

//! Files as Swedish spreadsheets save them: `;` between fields, a decimal comma, spaces between
//! thousands, a byte-order mark, CRLF, Swedish column names and labels, Windows-1252.

use super::{Charset, Format, Mode, csv_text, parse, parse_csv};

const SWEDISH_HEADER: &str =
    "Referens;Namn;Typ av insats;Inriktning;Målgrupper;Startdatum;År;Deltagare kvinnor;Deltagare män;Budget;Utfall";

fn swedish_file() -> String {
    format!(
        "\u{feff}{SWEDISH_HEADER}\r\n\
         A-1;Arbetsträning;Individinriktad;Arbetslivsinriktad;Unga, Långtidssjukskrivna;2024-01-15;2024;12;8;250 000,50;\"1\u{a0}200,5\"\r\n\
         ;;;;;;;;;;\r\n\
         S-1;Samverkan;Strukturövergripande insats;Utveckla samverkan;;2024-02-01;2024;;;30000;\r\n"
    )
}

#[test]
fn a_swedish_file_reads_as_the_same_rows_as_a_file_of_codes() {
    let swedish = parse(Format::Csv, swedish_file().as_bytes(), Mode::Atomic).expect("a batch");
    let codes = parse_csv(
        "external_ref,name,kind,orientation,target_groups,start_date,year,participants_women,participants_men,budget,outcome\n\
         A-1,Arbetsträning,individual,work_oriented,young|long_term_sick_listed,2024-01-15,2024,12,8,250000.50,1200.5\n\
         \n\
         S-1,Samverkan,structural,develop_cooperation,,2024-02-01,2024,,,30000,\n",
        Mode::Atomic,
    )
    .expect("a batch");
    assert_eq!(swedish.errors, []);
    assert_eq!(swedish.total, 2, "the blank row is no insats");
    let rows =
        |batch: &super::Batch| batch.rows.iter().map(|r| (r.insats.clone(), r.years.clone())).collect::<Vec<_>>();
    assert_eq!(rows(&swedish), rows(&codes));
    assert_eq!(swedish.rows[0].years[&2024].budget.to_string(), "250000.50");
    // Line numbers are the spreadsheet's rows: the blank row keeps its number.
    assert_eq!(swedish.rows.iter().map(|r| r.line).collect::<Vec<_>>(), [Some(2), Some(4)]);
}

#[test]
fn windows_1252_is_read_when_declared_or_when_the_bytes_are_no_utf8() {
    let file = swedish_file();
    let (bytes, _, unmappable) = encoding_rs::WINDOWS_1252.encode(file.trim_start_matches('\u{feff}'));
    assert!(!unmappable);
    assert!(std::str::from_utf8(&bytes).is_err(), "å, ä and ö are single bytes");
    let batch = parse(Format::Csv, &bytes, Mode::Atomic).expect("a batch");
    assert_eq!((batch.errors.len(), batch.rows.len()), (0, 2));
    assert_eq!(batch.rows[0].insats.name, "Arbetsträning");
    assert_eq!(csv_text("Målgrupper".as_bytes(), Some(Charset::Windows1252)), "MÃ¥lgrupper");
    assert_eq!(Charset::from_label("ISO-8859-1"), Some(Charset::Windows1252));
    assert_eq!(Charset::from_label("utf8"), Some(Charset::Utf8));
    assert_eq!(Charset::from_label("koi8-r"), None);
}

#[test]
fn problems_name_the_line_and_the_column_as_the_file_writes_them() {
    let text = format!(
        "{SWEDISH_HEADER}\n\
         A-1;Arbetsträning;Individinriktad;Arbetslivsinriktad;;2024-01-15;2024;12;x;250.000,50;\n\
         B-1;Stöd;Blandad;Arbetslivsinriktad;;2024-01-15;2024;1;1;12 00;\n\
         C-1;Stöd;Individinriktad;Arbetslivsinriktad;Unga;2024-01-15;2023;1;1;100;\n"
    );
    let batch = parse_csv(&text, Mode::Atomic).expect("a batch");
    let errors: Vec<(Option<usize>, &str, &str)> =
        batch.errors.iter().map(|e| (e.line, e.field.as_str(), e.code.as_str())).collect();
    assert_eq!(
        errors,
        [
            (Some(2), "Deltagare män", "not_a_count"),
            (Some(2), "Budget", "decimal_separator"),
            (Some(3), "Typ av insats", "unknown_code"),
            (Some(3), "Budget", "digit_grouping"),
            (Some(4), "År 2023", "year_outside_insats"),
        ],
        "{:#?}",
        batch.errors
    );
}

#[test]
fn a_comma_in_an_amount_of_a_comma_separated_file_is_never_read_as_a_decimal() {
    let text = "external_ref,name,kind,orientation,start_date,year,participants_women,participants_men,budget\n\
                a,Stöd,individual,work_oriented,2024-01-01,2024,1,1,\"1,234\"\n";
    let batch = parse_csv(text, Mode::Atomic).expect("a batch");
    assert_eq!(
        batch.errors.iter().map(|e| (e.field.as_str(), e.code.as_str())).collect::<Vec<_>>(),
        [("budget", "decimal_separator")]
    );
}

#[test]
fn a_missing_column_is_named_in_the_headers_language() {
    let errors = parse_csv("Referens;Namn;Typ av insats;Inriktning\n", Mode::Atomic).expect_err("refused");
    assert_eq!(errors[0].path, "column Startdatum");
    let errors = parse_csv("external_ref,name,kind,orientation\n", Mode::Atomic).expect_err("refused");
    assert_eq!(errors[0].path, "column start_date");
}

//! Files as spreadsheet programs save them, over HTTP: Swedish CSV (`;`, decimal comma, Swedish
//! names and labels) in Windows-1252, and XLSX workbooks, also as jobs.

use std::time::{Duration, Instant};

use reqwest::Method;
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
use serde_json::Value;

use super::batch::{Answer, answer, audit, by_ref, counts, errors, imports_path, insatser, refs, summary_counts};
use crate::e2e::support::{OWN, TestApp, parts, token};

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
const HEADER: &str =
    "Referens;Namn;Typ av insats;Inriktning;Målgrupper;Startdatum;År;Deltagare kvinnor;Deltagare män;Budget;Utfall";

async fn send(app: &TestApp, query: &str, content_type: &str, body: Vec<u8>) -> Answer {
    let request = app
        .request(Method::POST, &format!("{}{query}", imports_path(OWN)), Some(&token("registrar", Some(OWN))))
        .header("content-type", content_type)
        .body(body);
    answer(request.send().await.unwrap()).await
}

fn windows_1252(text: &str) -> Vec<u8> {
    let (bytes, _, unmappable) = encoding_rs::WINDOWS_1252.encode(text);
    assert!(!unmappable, "{text}");
    bytes.into_owned()
}

fn swedish_csv(lines: &[&str]) -> String {
    let mut text = format!("{HEADER}\r\n");
    for line in lines {
        text.push_str(line);
        text.push_str("\r\n");
    }
    text
}

const GOOD: [&str; 2] = [
    "sv-1;Arbetsträning för unga;Individinriktad;Arbetslivsinriktad;Unga, Långtidssjukskrivna;2024-01-15;2024;12;8;250 000,50;1\u{a0}200,5",
    "sv-2;Samverkan i länet;Strukturövergripande;Utveckla samverkan;;2024-02-01;2024;;;30000;",
];

fn year(insats: &Value, year: i64) -> &Value {
    insats["years"].as_array().unwrap().iter().find(|y| y["year"] == year).expect("the year")
}

#[actix_rt::test]
async fn a_windows_1252_swedish_csv_imports_and_a_bad_row_refuses_it_whole_naming_line_and_column() {
    let app = TestApp::spawn().await;
    // A bad row first, atomic: nothing is stored, and the error names the file's own column.
    let bad = swedish_csv(&[
        GOOD[0],
        GOOD[1],
        "sv-3;Förberedande stöd;Individinriktad;Förberedande;;2024-03-01;2024;4;5;12.50;",
    ]);
    let events_before = audit(&app).await.len();
    let refused = send(&app, "", "text/csv", windows_1252(&bad)).await;
    assert_eq!(refused.status, 200, "{}", refused.body);
    assert_eq!(counts(&refused.body), summary_counts("refused", "atomic", 3, 2, 0, 0, 1), "{}", refused.body);
    assert_eq!(errors(&refused.body), [(2, Some(4), "Budget".to_owned(), "decimal_separator".to_owned())]);
    assert!(insatser(&app, OWN).await.is_empty());
    assert_eq!(audit(&app).await.len(), events_before, "nothing audited");

    // The good file, its charset declared, then the same bytes undeclared: the same insatser.
    let good = windows_1252(&swedish_csv(&GOOD));
    let dry = send(&app, "?dry_run=true", "text/csv; charset=windows-1252", good.clone()).await;
    assert_eq!(counts(&dry.body), summary_counts("dry_run", "atomic", 2, 2, 0, 0, 0), "{}", dry.body);
    assert!(insatser(&app, OWN).await.is_empty());
    let done = send(&app, "", "text/csv; charset=windows-1252", good.clone()).await;
    assert_eq!(counts(&done.body), summary_counts("applied", "atomic", 2, 2, 0, 0, 0), "{}", done.body);
    let again = send(&app, "", "text/csv", good).await;
    assert_eq!(counts(&again.body), summary_counts("applied", "atomic", 2, 0, 0, 2, 0), "{}", again.body);

    let list = insatser(&app, OWN).await;
    let one = by_ref(&list, "sv-1");
    assert_eq!(one["name"], "Arbetsträning för unga");
    assert_eq!((one["kind"].as_str(), one["orientation"].as_str()), (Some("individual"), Some("work_oriented")));
    assert_eq!(one["target_groups"], serde_json::json!(["young", "long_term_sick_listed"]));
    let figures = year(one, 2024);
    assert_eq!((figures["budget"].as_str(), figures["outcome"].as_str()), (Some("250000.50"), Some("1200.50")));
    assert_eq!(figures["participants"], serde_json::json!({"women": 12, "men": 8}));
    let two = by_ref(&list, "sv-2");
    assert_eq!((two["kind"].as_str(), year(two, 2024)["participants"].clone()), (Some("structural"), Value::Null));
}

#[actix_rt::test]
async fn a_charset_other_than_utf8_and_windows_1252_a_false_utf8_and_a_sheet_of_a_csv_are_refused() {
    let app = TestApp::spawn().await;
    let text = swedish_csv(&GOOD).into_bytes();
    let answer = send(&app, "", "text/csv; charset=koi8-r", text.clone()).await;
    assert_eq!((answer.status, answer.body["code"].as_str()), (415, Some("unsupported_media_type")), "{}", answer.body);
    let latin = windows_1252(&swedish_csv(&GOOD));
    let answer = send(&app, "", "text/csv; charset=utf-8", latin).await;
    assert_eq!(answer.status, 422, "{}", answer.body);
    assert_eq!(
        (answer.body["errors"][0]["path"].as_str(), answer.body["errors"][0]["code"].as_str()),
        (Some("Content-Type"), Some("not_utf8")),
        "a declared charset is not second-guessed: {}",
        answer.body
    );
    let answer = send(&app, "?sheet=Blad1", "text/csv", text).await;
    assert_eq!(answer.status, 400, "{}", answer.body);
    assert_eq!(answer.body["errors"][0]["path"], "sheet", "{}", answer.body);
    assert!(insatser(&app, OWN).await.is_empty());
}

/// A workbook of `n` individual insatser on a sheet named "Insatser", after an empty first sheet.
fn workbook(n: u32) -> Vec<u8> {
    let mut book = Workbook::new();
    book.add_worksheet().set_name("Anteckningar").unwrap().write_string(0, 0, "Läs mig").unwrap();
    let sheet = book.add_worksheet().set_name("Insatser").unwrap();
    for (c, name) in HEADER.split(';').enumerate() {
        sheet.write_string(0, c as u16, name).unwrap();
    }
    let date = Format::new().set_num_format("yyyy-mm-dd");
    let start = ExcelDateTime::from_ymd(2024, 1, 15).unwrap();
    for i in 1..=n {
        sheet.write_string(i, 0, format!("x-{i}")).unwrap();
        sheet.write_string(i, 1, format!("Insats {i}")).unwrap();
        sheet.write_string(i, 2, "Individinriktad").unwrap();
        sheet.write_string(i, 3, "Förebyggande").unwrap();
        sheet.write_datetime_with_format(i, 5, &start, &date).unwrap();
        sheet.write_number(i, 6, 2024).unwrap();
        sheet.write_number(i, 7, 3).unwrap();
        sheet.write_number(i, 8, 4).unwrap();
        sheet.write_number(i, 9, 1000.25 * f64::from(i)).unwrap();
    }
    book.save_to_buffer().unwrap()
}

#[actix_rt::test]
async fn an_xlsx_imports_from_the_sheet_named_dry_run_first_and_its_errors_name_the_sheets_lines() {
    let app = TestApp::spawn().await;
    let bytes = workbook(3);
    let first = send(&app, "?dry_run=true", XLSX, bytes.clone()).await;
    assert_eq!(first.status, 422, "the first sheet has no import's header: {}", first.body);
    let unknown = send(&app, "?dry_run=true&sheet=Blad1", XLSX, bytes.clone()).await;
    assert_eq!(unknown.status, 422, "{}", unknown.body);
    assert_eq!(
        (unknown.body["errors"][0]["path"].as_str(), unknown.body["errors"][0]["code"].as_str()),
        (Some("sheet"), Some("unknown_sheet"))
    );
    let dry = send(&app, "?dry_run=true&sheet=Insatser", XLSX, bytes.clone()).await;
    assert_eq!(counts(&dry.body), summary_counts("dry_run", "atomic", 3, 3, 0, 0, 0), "{}", dry.body);
    assert!(insatser(&app, OWN).await.is_empty());
    let done = send(&app, "?sheet=Insatser", XLSX, bytes).await;
    assert_eq!(counts(&done.body), summary_counts("applied", "atomic", 3, 3, 0, 0, 0), "{}", done.body);
    let list = insatser(&app, OWN).await;
    assert_eq!(refs(&list), ["x-1", "x-2", "x-3"]);
    let three = by_ref(&list, "x-3");
    assert_eq!((three["start_date"].as_str(), three["orientation"].as_str()), (Some("2024-01-15"), Some("preventive")));
    assert_eq!(year(three, 2024)["budget"], "3000.75");

    let not_a_workbook = send(&app, "", XLSX, b"Referens;Namn\r\n".to_vec()).await;
    assert_eq!(
        (not_a_workbook.status, not_a_workbook.body["errors"][0]["code"].as_str()),
        (422, Some("bad_xlsx")),
        "{}",
        not_a_workbook.body
    );
}

#[actix_rt::test]
async fn a_large_xlsx_becomes_a_job_that_reads_as_its_csv() {
    let app = TestApp::spawn_with_state(|state| state.with_import_limits(1000, 3)).await;
    let queued = send(&app, "?sheet=Insatser", XLSX, workbook(5)).await;
    assert_eq!(queued.status, 202, "{}", queued.body);
    let location = queued.header("location").expect("a Location").to_owned();
    let registrar = token("registrar", Some(OWN));
    let started = Instant::now();
    let job = loop {
        let (status, _, job) = parts(app.request(Method::GET, &location, Some(&registrar)).send().await.unwrap()).await;
        assert_eq!(status, 200, "{job}");
        if job["state"] == "done" {
            break job;
        }
        assert!(started.elapsed() < Duration::from_secs(60), "the job did not finish: {job}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert_eq!(counts(&job["summary"]), summary_counts("applied", "atomic", 5, 5, 0, 0, 0), "{job}");
    assert_eq!(insatser(&app, OWN).await.len(), 5);
}

/// A workbook is read as the CSV it holds, so the identity-number guard holds for it: a number in
/// a cell refuses its row (without repeating it), and one in a sheet name asked for is refused.
#[actix_rt::test]
async fn an_identity_number_in_a_workbooks_cell_or_asked_for_sheet_is_refused() {
    let app = TestApp::spawn().await;
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    for (c, name) in HEADER.split(';').enumerate() {
        sheet.write_string(0, c as u16, name).unwrap();
    }
    for (c, text) in ["p-1", "Stöd till 19121212-1212", "Individinriktad", "Förebyggande"].iter().enumerate() {
        sheet.write_string(1, c as u16, *text).unwrap();
    }
    sheet.write_string(1, 5, "2024-01-15").unwrap();
    for (c, number) in [(6, 2024.0), (7, 1.0), (8, 1.0), (9, 100.0)] {
        sheet.write_number(1, c, number).unwrap();
    }
    let bytes = book.save_to_buffer().unwrap();
    let refused = send(&app, "", XLSX, bytes.clone()).await;
    assert_eq!(refused.status, 200, "{}", refused.body);
    assert_eq!(errors(&refused.body), [(0, Some(2), "Namn".to_owned(), "personal_identity_number".to_owned())]);
    assert!(!refused.body.to_string().contains("1212-1212"), "the number is not repeated: {}", refused.body);
    let asked = send(&app, "?sheet=19121212-1212", XLSX, bytes).await;
    assert_eq!(asked.status, 422, "{}", asked.body);
    assert_eq!(asked.body["errors"][0]["code"], "personal_identity_number", "{}", asked.body);
    assert!(!asked.body.to_string().contains("1212-1212"), "{}", asked.body);
    assert!(insatser(&app, OWN).await.is_empty());
}

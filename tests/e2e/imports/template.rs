//! The import template (`GET /api/v1/imports/template.xlsx`): a download with no token, the
//! columns' Swedish names as its header, cacheable by ETag, and an example row the import takes.

use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};
use finsam_domain::import::columns;

use super::batch::{counts, import_csv, summary_counts};
use crate::e2e::support::TestApp;

const PATH: &str = "/api/v1/imports/template.xlsx";
const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// A cell as a Swedish spreadsheet saves it in a `;` CSV: dates as ISO dates, decimal commas.
fn csv_cell(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(text) => text.clone(),
        Data::Float(number) if number.fract() == 0.0 => format!("{number}"),
        Data::Float(number) => format!("{number:.2}").replace('.', ","),
        Data::DateTime(date) => {
            let epoch = chrono::NaiveDate::from_ymd_opt(1899, 12, 30).unwrap();
            (epoch + chrono::Days::new(date.as_f64() as u64)).format("%Y-%m-%d").to_string()
        }
        other => panic!("no such cell in the template: {other:?}"),
    }
}

#[actix_rt::test]
async fn the_template_is_a_public_cacheable_workbook_whose_example_row_imports() {
    let app = TestApp::spawn().await;
    let response = app.get(PATH).await;
    assert_eq!(response.status().as_u16(), 200);
    let header = |name: &str| response.headers().get(name).map(|v| v.to_str().unwrap().to_owned());
    assert_eq!(header("content-type").as_deref(), Some(XLSX));
    assert_eq!(header("content-disposition").as_deref(), Some("attachment; filename=\"finsam-importmall.xlsx\""));
    let etag = header("etag").expect("an ETag");
    assert!(etag.starts_with('"') && etag.ends_with('"') && etag.len() > 2, "{etag}");
    assert!(header("cache-control").is_some_and(|c| c.contains("public")), "{:?}", header("cache-control"));
    let bytes = response.bytes().await.unwrap().to_vec();

    let mut book = Xlsx::new(Cursor::new(bytes.clone())).expect("an XLSX workbook");
    assert_eq!(book.sheet_names(), ["Insatser", "Förklaring"]);
    let sheet = book.worksheet_range("Insatser").unwrap();
    let rows: Vec<Vec<Data>> = sheet.rows().map(<[Data]>::to_vec).collect();
    let names: Vec<String> = columns().iter().map(|c| c.name_sv.clone()).collect();
    let header_row: Vec<String> = rows[0].iter().map(|c| c.to_string()).collect();
    assert_eq!(header_row, names);
    assert_eq!(rows.len(), 2, "the header and one example row");
    let explanation = book.worksheet_range("Förklaring").unwrap();
    let codes: Vec<String> = explanation.rows().map(|r| r[1].to_string()).collect();
    for column in columns() {
        assert!(codes.iter().any(|c| c == column.code), "Förklaring explains {}", column.code);
    }

    // The same again: the same bytes and ETag; with the ETag, 304 and no body.
    let again = app.get(PATH).await;
    assert_eq!(again.headers().get("etag").unwrap().to_str().unwrap(), etag);
    assert_eq!(again.bytes().await.unwrap().to_vec(), bytes);
    let cached = app.request(reqwest::Method::GET, PATH, None).header("if-none-match", &etag).send().await.unwrap();
    assert_eq!(cached.status().as_u16(), 304);
    assert_eq!(cached.headers().get("etag").unwrap().to_str().unwrap(), etag);
    assert!(cached.bytes().await.unwrap().is_empty());
    // An entity tag that is no printable ASCII is refused by name, not taken for "not current".
    let odd = reqwest::header::HeaderValue::from_bytes(b"\xc2\x84").unwrap();
    let refused = app.request(reqwest::Method::GET, PATH, None).header("if-none-match", odd).send().await.unwrap();
    assert_eq!(refused.status().as_u16(), 400);
    let problem: serde_json::Value = refused.json().await.unwrap();
    assert_eq!(
        (problem["errors"][0]["path"].as_str(), problem["errors"][0]["code"].as_str()),
        (Some("If-None-Match"), Some("bad_entity_tag")),
        "{problem}"
    );

    // The example row, saved as a Swedish spreadsheet's `;` CSV, is a valid insats.
    let csv: String = rows.iter().map(|row| row.iter().map(csv_cell).collect::<Vec<_>>().join(";") + "\r\n").collect();
    let checked = import_csv(&app, "?dry_run=true", &csv).await;
    assert_eq!(checked.status, 200, "{}", checked.body);
    assert_eq!(counts(&checked.body), summary_counts("dry_run", "atomic", 1, 1, 0, 0, 0), "{csv}\n{}", checked.body);

    app.stop().await;
}

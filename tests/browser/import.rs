//! The import page with a file as Swedish spreadsheets save it: `;` separated, Windows-1252,
//! Swedish column names and labels, decimal commas. A dry run names the bad line and the file's
//! own column and stores nothing; then the good file is imported, and a workbook after it. The
//! page links the template.

use std::path::Path;

use serde_json::{Value, json};

use crate::browser::axe::assert_no_violations;
use crate::browser::harness::{
    YEAR, api_get, assert_labelled, assert_same_origin, demo_forbund, open, screenshots, sign_in, start,
};
use crate::browser::webdriver::Browser;
use crate::e2e::support::token;

const HEADER: &str = "Referens;Namn;Typ av insats;Inriktning;Målgrupper;Startdatum;Slutdatum;År;Deltagare kvinnor;\
                      Deltagare män;Budget;Utfall";
const FIRST: &str = "IMP-1;Arbetsträning Söder;Individinriktad;Arbetslivsinriktad;Unga, Långtidssjukskrivna;\
                     2023-01-01;;2023;5;7;120 000,50;";

/// The text in Windows-1252, as Excel on Swedish Windows saves "CSV (semikolonavgränsad)". The
/// text has only Latin-1 letters (å, ä, ö), whose code points are their Windows-1252 bytes.
fn windows_1252(text: &str) -> Vec<u8> {
    text.chars()
        .map(|c| u8::try_from(u32::from(c)).ok().filter(|b| !(0x80..0xa0).contains(b)).expect("Latin-1"))
        .collect()
}

fn write_file(dir: &Path, name: &str, lines: &[&str]) -> String {
    let path = dir.join(name);
    let text: String = lines.iter().map(|l| format!("{l}\r\n")).collect();
    std::fs::write(&path, windows_1252(&text)).unwrap();
    path.to_str().unwrap().to_owned()
}

/// Chooses `file` in the file field (replacing any earlier choice) and sends the form.
async fn send_file(browser: &Browser, file: &str) {
    browser.script("document.getElementById('f-fil').value = ''", json!([])).await;
    let input = browser.find("#f-fil").await;
    browser.type_into(&input, file).await;
    browser.script("document.getElementById('import-resultat').hidden = true", json!([])).await;
    let send = browser.find("#import-form button[type='submit']").await;
    browser.click(&send).await;
    browser.wait_until("!document.getElementById('import-resultat').hidden").await;
}

async fn rows(browser: &Browser, css: &str) -> Value {
    browser
        .script(
            "return [...document.querySelectorAll(arguments[0])].map(tr => [...tr.cells].map(td => td.textContent))",
            json!([css]),
        )
        .await
}

fn imported(list: &Value) -> Vec<&Value> {
    list.as_array()
        .unwrap()
        .iter()
        .filter(|i| i["external_ref"].as_str().is_some_and(|r| r.starts_with("IMP-")))
        .collect()
}

#[actix_rt::test]
async fn a_registrar_imports_a_swedish_semicolon_csv_in_windows_1252_after_a_dry_run_finds_a_decimal_point() {
    let Some((app, browser)) = start().await else { return };
    let shots = screenshots();
    let (forbund, _) = demo_forbund(&app).await;
    let registrar = token("registrar", Some(&forbund));
    sign_in(&app, &browser, &registrar).await;
    let dir = tempfile::tempdir().unwrap();
    let insatser = format!("/api/v1/forbund/{forbund}/insatser");

    open(&app, &browser, &format!("/forbund/{forbund}/import")).await;
    let link = browser.find("a[href$='template.xlsx']").await;
    assert_eq!(browser.attribute(&link, "href").await.as_deref(), Some("/api/v1/imports/template.xlsx"));
    assert_eq!(browser.text(&link).await, "Ladda ned importmallen (Excel)");
    let fetched = browser
        .script(
            "return fetch(document.querySelector(\"a[href$='template.xlsx']\").href)
               .then(r => [r.status, r.headers.get('content-type')])",
            json!([]),
        )
        .await;
    assert_eq!(fetched, json!([200, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"]));
    let accept = browser.find("#f-fil").await;
    let accept = browser.attribute(&accept, "accept").await.unwrap_or_default();
    assert!(accept.contains(".xlsx") && accept.contains(".csv"), "{accept}");

    // A dry run of a file with an amount written with a decimal point, where the file's decimal
    // mark is the comma: its line and its column as the file names it, and nothing stored.
    let bad = write_file(
        dir.path(),
        "insatser-fel.csv",
        &[HEADER, FIRST, "IMP-2;Förberedande stöd;Individinriktad;Förberedande;;2023-02-01;;2023;3;4;1.5;"],
    );
    send_file(&browser, &bad).await;
    let counts = browser
        .script("return [...document.querySelectorAll('#import-antal tbody td')].map(td => td.textContent)", json!([]))
        .await;
    assert_eq!(counts, json!(["1", "0", "0", "1"]), "one new, one rejected");
    let errors = rows(&browser, "#import-fel tbody tr").await;
    let errors = errors.as_array().unwrap();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!((&errors[0][0], &errors[0][1]), (&json!("3"), &json!("Budget")), "{errors:?}");
    let message = errors[0][2].as_str().unwrap();
    assert!(!message.is_empty() && message != "decimal_separator", "a Swedish message: {message}");
    let headings = rows(&browser, "#import-fel thead tr").await;
    assert_eq!(headings, json!([["Rad", "Kolumn", "Fel"]]));
    assert_labelled(&browser).await;
    assert_same_origin(&app, &browser).await;
    assert_no_violations(&browser, "the import page with a dry run's errors").await;
    browser.screenshot_page(&shots, "09-import-fil-provkorning.png", 1280).await;
    let before = api_get(&app, &insatser, &registrar).await;
    assert!(imported(&before).is_empty(), "a dry run stores nothing: {before}");

    // The good file, for real.
    let good = write_file(
        dir.path(),
        "insatser.csv",
        &[HEADER, FIRST, "IMP-2;Förberedande stöd;Individinriktad;Förberedande;;2023-02-01;;2023;3;4;98 765,40;"],
    );
    let dry = browser.find("#f-prov").await;
    browser.click(&dry).await;
    send_file(&browser, &good).await;
    let summary = browser.find("#import-sammanfattning").await;
    let text = browser.text(&summary).await;
    assert!(text.contains("Importen är genomförd."), "{text}");
    let counts = browser
        .script("return [...document.querySelectorAll('#import-antal tbody td')].map(td => td.textContent)", json!([]))
        .await;
    assert_eq!(counts, json!(["2", "0", "0", "0"]));
    assert_no_violations(&browser, "the import page after an import").await;

    let after = api_get(&app, &format!("{insatser}?year={YEAR}"), &registrar).await;
    let found = imported(&after);
    let by_ref = |r: &str| *found.iter().find(|i| i["external_ref"] == r).unwrap_or_else(|| panic!("{r} in {after}"));
    let first = by_ref("IMP-1");
    assert_eq!(first["name"], "Arbetsträning Söder", "the Windows-1252 letters read as such");
    assert_eq!(first["kind"], "individual");
    assert_eq!(first["orientation"], "work_oriented");
    assert_eq!(first["target_groups"], json!(["young", "long_term_sick_listed"]));
    assert_eq!(first["years"][0]["participants"], json!({"women": 5, "men": 7}));
    assert_eq!(first["years"][0]["budget"], "120000.50");
    let second = by_ref("IMP-2");
    assert_eq!((&second["name"], &second["orientation"]), (&json!("Förberedande stöd"), &json!("preparatory")));
    assert_eq!(second["years"][0]["participants"], json!({"women": 3, "men": 4}));
    assert_eq!(second["years"][0]["budget"], "98765.40");

    // A workbook from the same field: sent as its bytes with the XLSX type, read by its cells.
    let workbook = dir.path().join("insatser.xlsx");
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (c, name) in HEADER.split(';').enumerate() {
        sheet.write_string(0, c as u16, name).unwrap();
    }
    for (c, text) in ["IMP-3", "Kartläggning", "Individinriktad", "Identifiera individens behov"].iter().enumerate() {
        sheet.write_string(1, c as u16, *text).unwrap();
    }
    let date = rust_xlsxwriter::Format::new().set_num_format("yyyy-mm-dd");
    sheet
        .write_datetime_with_format(1, 5, rust_xlsxwriter::ExcelDateTime::from_ymd(2023, 3, 1).unwrap(), &date)
        .unwrap();
    for (c, number) in [(7, 2023.0), (8, 2.0), (9, 6.0), (10, 45_000.75)] {
        sheet.write_number(1, c, number).unwrap();
    }
    book.save(&workbook).unwrap();
    send_file(&browser, workbook.to_str().unwrap()).await;
    let counts = browser
        .script("return [...document.querySelectorAll('#import-antal tbody td')].map(td => td.textContent)", json!([]))
        .await;
    assert_eq!(counts, json!(["1", "0", "0", "0"]));
    let after = api_get(&app, &format!("{insatser}?year={YEAR}"), &registrar).await;
    let third = *imported(&after).iter().find(|i| i["external_ref"] == "IMP-3").unwrap_or_else(|| panic!("{after}"));
    assert_eq!((&third["orientation"], &third["start_date"]), (&json!("identify_needs"), &json!("2023-03-01")));
    assert_eq!(third["years"][0]["budget"], "45000.75");

    browser.quit().await;
    app.stop().await;
}

//! A national analyst in the browser: the dashboard of the demo's 2023, whose charts show the
//! table API's figures, downloads in every format, a county filter, completeness and data
//! quality, and the dashboard on a phone-sized screen.

use std::io::{Cursor, Read};

use serde_json::{Value, json};

use crate::browser::harness::{
    YEAR, api_get, assert_contrast, assert_labelled, assert_same_origin, normalize, open, screenshots,
    sign_in_with_form, start, table_value,
};
use crate::browser::webdriver::Browser;
use crate::e2e::support::{TestApp, token};

/// The bars of a chart: category, series, exact value and the label shown beside the bar.
async fn bars(browser: &Browser, table: &str) -> Vec<(String, String, f64, String)> {
    let value = browser
        .script(
            "const d = document.getElementById('d-' + arguments[0]);
             return [...d.querySelectorAll('rect[data-kod]')].map(r => [r.dataset.kod, r.dataset.serie,
               Number(r.dataset.varde),
               d.querySelector(`text.stapel-varde[data-kod='${r.dataset.kod}'][data-serie='${r.dataset.serie}']`).textContent]);",
            json!([table]),
        )
        .await;
    value
        .as_array()
        .unwrap()
        .iter()
        .map(|b| {
            (
                b[0].as_str().unwrap().to_owned(),
                b[1].as_str().unwrap().to_owned(),
                b[2].as_f64().unwrap(),
                normalize(b[3].as_str().unwrap()),
            )
        })
        .collect()
}

/// Compares a chart with the table API's JSON for the same year and selection: one bar per
/// category (totals left out) and series, each with the API's value, labelled with it.
async fn assert_chart_shows_the_table(
    app: &TestApp,
    browser: &Browser,
    table: &str,
    selection: &str,
    (category_dim, series_dim, series): (&str, &str, &[&str]),
    fixed: &[(&str, &str)],
) -> f64 {
    let api = api_get(app, &format!("/api/v1/tables/{table}?year={YEAR}{selection}"), &token("analyst", None)).await;
    let categories: Vec<String> =
        api["dimensions"].as_array().unwrap().iter().find(|d| d["id"] == category_dim).unwrap()["categories"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["code"].as_str().unwrap().to_owned())
            .filter(|c| c != "total")
            .collect();
    let shown = bars(browser, table).await;
    assert_eq!(shown.len(), categories.len() * series.len(), "{table}: {shown:?}");
    let year = YEAR.to_string();
    let mut sum = 0.0;
    for category in &categories {
        for serie in series {
            let mut codes = vec![("year", year.as_str()), (category_dim, category.as_str()), (series_dim, *serie)];
            codes.extend_from_slice(fixed);
            let expected = table_value(&api, &codes).unwrap_or_else(|| panic!("{table} {codes:?} has a value"));
            let bar = shown
                .iter()
                .find(|(c, s, _, _)| c == category && s == serie)
                .unwrap_or_else(|| panic!("{table}: no bar for {category} {serie}"));
            assert_eq!(bar.2, expected, "{table} {category} {serie}");
            assert_eq!(bar.3.replace(' ', ""), format!("{}", expected as i64), "{table} {category} {serie}: the label");
            sum += expected;
        }
    }
    sum
}

/// Every table of the catalog: each has its HTML table and its chart on the dashboard.
const TABLES: [&str; 10] = [
    "insatser-by-kind",
    "individual-insatser",
    "individual-participants",
    "structural-insatser",
    "target-groups",
    "costs",
    "contributions",
    "equity",
    "completeness",
    "exits",
];

const ORIENTATION: (&str, &str, &[&str]) = ("orientation", "measure", &["insatser"]);
const GENDER: (&str, &str, &[&str]) = ("orientation", "gender", &["women", "men"]);
const TARGET_GROUPS: (&str, &str, &[&str]) = ("target_group", "measure", &["insatser"]);

fn xml_text(fragment: &str) -> String {
    let mut out = String::new();
    let mut rest = fragment;
    while let Some(start) = rest.find("<t") {
        let after = &rest[start..];
        let Some(open_end) = after.find('>') else { break };
        let Some(close) = after.find("</t>") else { break };
        out.push_str(&after[open_end + 1..close]);
        rest = &after[close + 4..];
    }
    out.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&apos;", "'").replace("&amp;", "&")
}

/// The first row of an XLSX workbook's first sheet, read from its XML.
fn xlsx_header(bytes: &[u8]) -> Vec<String> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).expect("the download is an XLSX (ZIP) file");
    let mut read = |name: &str| {
        let mut text = String::new();
        archive.by_name(name).unwrap_or_else(|_| panic!("{name} in the workbook")).read_to_string(&mut text).unwrap();
        text
    };
    let shared_xml = read("xl/sharedStrings.xml");
    let sheet = read("xl/worksheets/sheet1.xml");
    let shared: Vec<String> = shared_xml.split("<si>").skip(1).map(xml_text).collect();
    let row = sheet.split("<row ").nth(1).expect("a first row").split("</row>").next().unwrap();
    row.split("<c ")
        .skip(1)
        .map(|cell| {
            if cell.contains("t=\"s\"") {
                let v = cell.split("<v>").nth(1).unwrap().split("</v>").next().unwrap();
                shared[v.parse::<usize>().unwrap()].clone()
            } else {
                xml_text(cell)
            }
        })
        .collect()
}

async fn download(browser: &Browser, table: &str, format: &str, name: &str) -> Vec<u8> {
    let button = browser.find(&format!("button[data-tabell='{table}'][data-format='{format}']")).await;
    browser.click(&button).await;
    let bytes = browser.downloaded(name).await;
    browser.wait_until(&format!("document.querySelector('#t-{table} .nedladdad .meddelande.ok')")).await;
    bytes
}

#[actix_rt::test]
async fn an_analyst_reads_the_demo_year_in_charts_and_tables_and_downloads_them_in_every_format() {
    let Some((app, browser)) = start().await else { return };
    let shots = screenshots();
    let analyst = token("analyst", None);

    let landed = sign_in_with_form(&app, &browser, &analyst).await;
    assert!(landed.contains("/analys/"), "an analyst starts at the dashboard: {landed}");
    browser.wait_until("document.querySelector('main').dataset.klar === 'ja'").await;
    browser.fill("#f-ar", &YEAR.to_string()).await;
    let show = browser.find("#urval button[type='submit']").await;
    browser.click(&show).await;
    browser.wait_until(&format!("location.pathname === '/analys/{YEAR}'")).await;
    browser.wait_until("document.querySelector('main').dataset.klar === 'ja'").await;

    // Every table is on the page, with a chart where one helps.
    for table in TABLES {
        browser.find(&format!("#tab-{table} table[data-tabell='{table}'] tbody tr")).await;
    }
    for chart in TABLES {
        let svg = browser.find(&format!("#d-{chart} svg[role='img']")).await;
        let labelled = browser.attribute(&svg, "aria-labelledby").await.unwrap_or_default();
        assert_eq!(labelled.split(' ').count(), 2, "{chart}: a title and a description");
    }

    // The charts show the demo's figures, as the table API gives them.
    let individual = assert_chart_shows_the_table(&app, &browser, "individual-insatser", "", ORIENTATION, &[]).await;
    assert_eq!(individual, 296.0, "the demo's 296 individual insatser (the published national figure)");
    let structural = assert_chart_shows_the_table(&app, &browser, "structural-insatser", "", ORIENTATION, &[]).await;
    assert_eq!(structural, 275.0, "the demo's 275 structural insatser");
    assert_chart_shows_the_table(&app, &browser, "individual-participants", "", GENDER, &[("measure", "participants")])
        .await;
    assert_chart_shows_the_table(&app, &browser, "target-groups", "", TARGET_GROUPS, &[]).await;
    let equity_years = browser.find_all("#d-equity rect[data-serie='closing']").await.len();
    assert_eq!(equity_years, 10, "equity over ten years");
    assert_labelled(&browser).await;
    assert_contrast(&browser).await;
    assert_same_origin(&app, &browser).await;
    browser.screenshot_page(&shots, "09-oversikt.png", 1280).await;

    // Downloads, in every format, with the token: the files are the API's tables.
    let table = "individual-insatser";
    let api = api_get(&app, &format!("/api/v1/tables/{table}?year={YEAR}"), &analyst).await;
    let csv = download(&browser, table, "csv", &format!("{table}-{YEAR}.csv")).await;
    let mut reader = csv::Reader::from_reader(csv.as_slice());
    let header: Vec<String> = reader.headers().unwrap().iter().map(str::to_owned).collect();
    assert_eq!(
        header,
        ["year", "year_label", "orientation", "orientation_label", "measure", "measure_label", "value", "status"]
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), api["values"].as_array().unwrap().len(), "a row per cell");
    let total = rows.iter().find(|r| &r[2] == "total" && &r[4] == "insatser").expect("the total row");
    assert_eq!(&total[6], "296");

    let xlsx = download(&browser, table, "xlsx", &format!("{table}-{YEAR}.xlsx")).await;
    let mut expected: Vec<String> =
        api["dimensions"].as_array().unwrap().iter().map(|d| d["label_sv"].as_str().unwrap().to_owned()).collect();
    expected.extend(["Värde".to_owned(), "Status".to_owned()]);
    assert_eq!(xlsx_header(&xlsx), expected, "the workbook's header row");

    let jsonstat = download(&browser, table, "json-stat2", &format!("{table}-{YEAR}-jsonstat.json")).await;
    let jsonstat: Value = serde_json::from_slice(&jsonstat).unwrap();
    assert_eq!(jsonstat["class"], "dataset");
    assert_eq!(jsonstat["id"].as_array().unwrap().last().unwrap(), "measure");
    let json = download(&browser, table, "json", &format!("{table}-{YEAR}.json")).await;
    let json: Value = serde_json::from_slice(&json).unwrap();
    assert_eq!(json["values"], api["values"]);

    // A county: the charts follow the selection.
    let counties = api_get(&app, "/api/v1/counties", &analyst).await;
    let county = counties.as_array().unwrap().iter().find(|c| c["code"] == "12").unwrap_or(&counties[0]);
    let code = county["code"].as_str().unwrap();
    let option = browser.find(&format!("#f-lan option[value='{code}']")).await;
    browser.click(&option).await;
    let show = browser.find("#urval button[type='submit']").await;
    browser.click(&show).await;
    browser.wait_until(&format!("location.search === '?lan={code}'")).await;
    browser.wait_until("document.querySelector('main').dataset.klar === 'ja'").await;
    let shown = browser.find("#urval-text").await;
    assert!(browser.text(&shown).await.contains(county["name"].as_str().unwrap()));
    let in_county = assert_chart_shows_the_table(
        &app,
        &browser,
        "individual-insatser",
        &format!("&county={code}"),
        ORIENTATION,
        &[],
    )
    .await;
    assert!(in_county < 296.0, "a county is part of the country");

    // Who has not reported.
    let report = api_get(&app, &format!("/api/v1/years/{YEAR}/completeness"), &analyst).await;
    let missing: Vec<&Value> = report["forbund"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["expected"] == true && (f["state"] == "nothing_registered" || f["state"] == "in_progress"))
        .collect();
    assert!(!missing.is_empty(), "the demo leaves some förbund unsubmitted");
    open(&app, &browser, &format!("/analys/{YEAR}/fullstandighet")).await;
    let rows = browser.find_all("#fullstandighet tbody tr").await;
    assert_eq!(rows.len(), missing.len(), "one row per förbund that has not submitted");
    let listed = browser.find("#fullstandighet tbody").await;
    let listed = browser.text(&listed).await;
    for f in &missing {
        assert!(listed.contains(f["name"].as_str().unwrap()), "{} is listed", f["name"]);
    }
    let counter = browser.find("#antal").await;
    assert_eq!(browser.text(&counter).await, format!("{} förbund har inte lämnat in.", missing.len()));
    assert_labelled(&browser).await;
    assert_contrast(&browser).await;
    assert_same_origin(&app, &browser).await;
    browser.screenshot_page(&shots, "10-fullstandighet.png", 1280).await;
    let everyone = browser.find("#f-bara-saknas").await;
    browser.click(&everyone).await;
    let all = browser.find_all("#fullstandighet tbody tr").await.len();
    assert_eq!(all, report["forbund"].as_array().unwrap().len());

    // Data quality.
    let flags = api_get(&app, &format!("/api/v1/quality?year={YEAR}"), &analyst).await;
    open(&app, &browser, &format!("/analys/{YEAR}/datakvalitet")).await;
    let rows = browser.find_all("#kvalitet tbody tr").await;
    assert_eq!(rows.len(), flags.as_array().unwrap().len(), "one row per flag");
    assert_same_origin(&app, &browser).await;
    browser.screenshot_page(&shots, "11-datakvalitet.png", 1280).await;

    // A phone-sized screen: nothing wider than the screen but the tables' own scrolling.
    browser.set_window(390, 900).await;
    open(&app, &browser, &format!("/analys/{YEAR}")).await;
    browser.wait_until("document.querySelector('#d-individual-insatser svg')").await;
    let fits = browser.script("return document.documentElement.scrollWidth <= window.innerWidth", json!([])).await;
    assert_eq!(fits, true, "the page fits a narrow screen");
    browser.screenshot(&shots, "12-oversikt-smal.png").await;
    browser.script("document.getElementById('t-individual-participants').scrollIntoView()", json!([])).await;
    browser.screenshot(&shots, "13-oversikt-smal-diagram.png").await;
    browser.set_window(1280, 1000).await;

    browser.quit().await;
    app.stop().await;
}

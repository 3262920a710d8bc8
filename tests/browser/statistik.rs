//! The public statistics page, as someone who is not signed in uses it: from the front page to
//! "Statistik", one open table narrowed to a year, the nation and a county and one gender, its
//! chart and table checked cell by cell against the PxWeb API's json-stat2 for the same
//! selection and against the v1 open table API, the CSV download checked against the same
//! figures, an error of the API shown in Swedish, axe-core, and nothing loaded from elsewhere.

use std::collections::BTreeMap;

use reqwest::Method;
use serde_json::{Value, json};

use crate::browser::axe::assert_no_violations;
use crate::browser::harness::{YEAR, assert_labelled, assert_same_origin, normalize, screenshots, start};
use crate::browser::webdriver::Browser;
use crate::e2e::support::{TestApp, parts};

const TABLE: &str = "individual-participants";
/// The county beside the nation: Skåne, which has several förbund.
const COUNTY: &str = "12";

/// A JSON-stat 2.0 dataset's dimensions: id and category codes in order.
fn dimensions(ds: &Value) -> Vec<(String, Vec<String>)> {
    ds["id"]
        .as_array()
        .unwrap_or_else(|| panic!("a JSON-stat dataset has `id`: {ds}"))
        .iter()
        .map(|id| {
            let id = id.as_str().unwrap().to_owned();
            let category = &ds["dimension"][&id]["category"];
            let codes: Vec<String> = match &category["index"] {
                Value::Array(codes) => codes.iter().map(|c| c.as_str().unwrap().to_owned()).collect(),
                Value::Object(index) => {
                    let mut codes: Vec<(u64, String)> =
                        index.iter().map(|(code, n)| (n.as_u64().unwrap(), code.clone())).collect();
                    codes.sort();
                    codes.into_iter().map(|(_, code)| code).collect()
                }
                _ => category["label"].as_object().unwrap().keys().cloned().collect(),
            };
            (id, codes)
        })
        .collect()
}

/// A cell of a json-stat2 dataset by one code per dimension: value and status.
fn jsonstat_cell(ds: &Value, codes: &BTreeMap<String, String>) -> (Option<f64>, Option<String>) {
    let mut index = 0;
    for (id, categories) in dimensions(ds) {
        let code = codes.get(&id).unwrap_or_else(|| panic!("no code for {id} in {codes:?}"));
        let position = categories.iter().position(|c| c == code).unwrap_or_else(|| panic!("{id} has no {code}"));
        index = index * categories.len() + position;
    }
    let value = match &ds["value"] {
        Value::Array(values) => values[index].as_f64(),
        Value::Object(values) => values.get(&index.to_string()).and_then(Value::as_f64),
        other => panic!("value is {other}"),
    };
    let status = match &ds["status"] {
        Value::Null => None,
        Value::String(s) => Some(s.clone()),
        Value::Array(s) => s[index].as_str().map(str::to_owned),
        Value::Object(s) => s.get(&index.to_string()).and_then(Value::as_str).map(str::to_owned),
        other => panic!("status is {other}"),
    };
    (value, status)
}

/// One code per dimension.
type Codes = BTreeMap<String, String>;

/// Every cell of a json-stat2 dataset: the codes, value and status.
fn jsonstat_cells(ds: &Value) -> Vec<(Codes, Option<f64>, Option<String>)> {
    let dims = dimensions(ds);
    let mut combinations: Vec<BTreeMap<String, String>> = vec![BTreeMap::new()];
    for (id, codes) in &dims {
        combinations = combinations
            .into_iter()
            .flat_map(|c| {
                codes.iter().map(move |code| {
                    let mut c = c.clone();
                    c.insert(id.clone(), code.clone());
                    c
                })
            })
            .collect();
    }
    combinations
        .into_iter()
        .map(|codes| {
            let (value, status) = jsonstat_cell(ds, &codes);
            (codes, value, status)
        })
        .collect()
}

/// `year=2023;region=00` as a map.
fn key(text: &str) -> BTreeMap<String, String> {
    text.split(';')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or_else(|| panic!("{p} is not dimension=code"));
            (k.to_owned(), v.to_owned())
        })
        .collect()
}

async fn post_data(app: &TestApp, query: &str, selection: &Value) -> (u16, String, Value) {
    let path = format!("/api/v2/tables/{TABLE}/data?lang=sv{query}");
    let response = app.request(Method::POST, &path, None).json(selection).send().await.unwrap();
    parts(response).await
}

async fn get_json(app: &TestApp, path: &str) -> Value {
    let (status, _, body) = parts(app.get(path).await).await;
    assert_eq!(status, 200, "{path}: {body}");
    body
}

/// The checkboxes of one variable: value and whether it is checked.
async fn checkboxes(browser: &Browser, variable: &str) -> Vec<(String, bool)> {
    let states = browser
        .script(
            "return [...document.querySelectorAll(`fieldset[data-variabel='${arguments[0]}'] input[type=checkbox]`)]
               .map(i => [i.value, i.checked])",
            json!([variable]),
        )
        .await;
    serde_json::from_value(states).unwrap()
}

/// Makes the checkboxes of one variable exactly `wanted`, by clicking them as a person would.
async fn check_only(browser: &Browser, variable: &str, wanted: &[&str]) {
    let states = checkboxes(browser, variable).await;
    assert!(!states.is_empty(), "{variable} has checkboxes");
    for (value, on) in &states {
        if *on != wanted.contains(&value.as_str()) {
            let checkbox = browser.find(&format!("fieldset[data-variabel='{variable}'] input[value='{value}']")).await;
            browser.click(&checkbox).await;
        }
    }
    let now: Vec<String> =
        checkboxes(browser, variable).await.into_iter().filter(|(_, on)| *on).map(|(v, _)| v).collect();
    let expected: Vec<String> =
        states.iter().map(|(v, _)| v.clone()).filter(|v| wanted.contains(&v.as_str())).collect();
    assert_eq!(now, expected, "{variable}: the checked boxes");
}

/// The value text as the page shows it, in the plain form the tests compare: no-break spaces
/// as spaces, a real minus as `-`.
fn swedish(value: f64, decimals: usize) -> String {
    let text = format!("{:.*}", decimals, value.abs());
    let (whole, fraction) = text.split_once('.').map_or((text.as_str(), None), |(w, f)| (w, Some(f)));
    let mut grouped = String::new();
    for (i, digit) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            grouped.push(' ');
        }
        grouped.push(digit);
    }
    let sign = if value < 0.0 { "-" } else { "" };
    match fraction {
        Some(f) => format!("{sign}{grouped},{f}"),
        None => format!("{sign}{grouped}"),
    }
}

#[actix_rt::test]
async fn the_public_reads_an_open_table_in_a_chart_and_a_table_and_downloads_it_as_csv() {
    let Some((app, browser)) = start().await else { return };
    app.publish(YEAR, "Första publiceringen").await;
    let year = YEAR.to_string();

    // Not signed in: the front page links to the statistics.
    browser.goto(&format!("{}/", app.base)).await;
    let link = browser.find("main a[href='/statistik']").await;
    assert_eq!(browser.text(&link).await, "Statistik");
    assert_no_violations(&browser, "/ (not signed in)").await;
    browser.click(&link).await;
    browser
        .wait_until("location.pathname === '/statistik' && document.querySelector('main').dataset.klar === 'ja'")
        .await;
    let signed_in = browser.script("return sessionStorage.getItem('finsam.token')", json!([])).await;
    assert_eq!(signed_in, Value::Null, "no one is signed in");
    let h1 = browser.find_all("h1").await;
    assert_eq!(h1.len(), 1, "one h1");
    assert_eq!(browser.text(&h1[0]).await, "Statistik");

    // The tables are the PxWeb API's list.
    let tables = get_json(&app, "/api/v2/tables?lang=sv&pageSize=100").await;
    let listed: Vec<String> =
        tables["tables"].as_array().unwrap().iter().map(|t| t["id"].as_str().unwrap().to_owned()).collect();
    assert!(listed.iter().any(|t| t == TABLE), "{TABLE} is listed: {listed:?}");
    let options = browser
        .script(
            "return [...document.querySelectorAll('#f-tabell option')].map(o => o.value).filter(Boolean)",
            json!([]),
        )
        .await;
    assert_eq!(options, json!(listed), "the page offers the API's tables");

    // Pick the table; the pickers come from its metadata.
    let metadata = get_json(&app, &format!("/api/v2/tables/{TABLE}/metadata?lang=sv")).await;
    let dims = dimensions(&metadata);
    let ids: Vec<&str> = dims.iter().map(|(id, _)| id.as_str()).collect();
    assert_eq!(ids, ["year", "region", "orientation", "gender", "measure"], "the contract's variables");
    let option = browser.find(&format!("#f-tabell option[value='{TABLE}']")).await;
    browser.click(&option).await;
    browser.find("fieldset[data-variabel='year'] input[type='checkbox']").await;
    let years = &dims[0].1;
    assert!(years.contains(&year), "{YEAR} is published: {years:?}");
    let defaults = browser
        .script(
            "return {year: [...document.querySelectorAll(`fieldset[data-variabel='year'] input:checked`)].map(i => i.value),
                     region: [...document.getElementById('f-region').selectedOptions].map(o => o.value),
                     groups: [...document.querySelectorAll('#f-region optgroup')].map(g => g.label)}",
            json!([]),
        )
        .await;
    assert_eq!(defaults["year"], json!([years.last().unwrap()]), "the latest year by default");
    assert_eq!(defaults["region"], json!(["00"]), "the nation by default");
    assert_eq!(defaults["groups"], json!(["Riket", "Län", "Samordningsförbund"]), "regions grouped by level");
    let regions = &dims[1].1;
    assert!(regions.iter().any(|r| r == COUNTY), "county {COUNTY} is a region: {regions:?}");

    // Narrow it: one year, the nation and a county, women only; every orientation and measure.
    check_only(&browser, "year", &[&year]).await;
    let county = browser.find(&format!("#f-region option[value='{COUNTY}']")).await;
    browser.click(&county).await;
    let chosen = browser
        .script("return [...document.getElementById('f-region').selectedOptions].map(o => o.value)", json!([]))
        .await;
    assert_eq!(chosen, json!(["00", COUNTY]), "a click on an option of a multiple select adds it");
    check_only(&browser, "gender", &["women"]).await;
    let chart_measure = browser.script("return document.getElementById('f-diagrammatt').value", json!([])).await;
    let chart_measure = chart_measure.as_str().unwrap().to_owned();
    let show = browser.find("#visa").await;
    browser.click(&show).await;
    browser.wait_until("document.querySelector('main').dataset.visningar === '1'").await;

    // The same selection, fetched by the test from the PxWeb API.
    let orientations: Vec<&str> = dims[2].1.iter().map(String::as_str).collect();
    let measures: Vec<&str> = dims[4].1.iter().map(String::as_str).collect();
    let selection = json!({"selection": [
        {"variableCode": "year", "valueCodes": [year]},
        {"variableCode": "region", "valueCodes": ["00", COUNTY]},
        {"variableCode": "orientation", "valueCodes": orientations},
        {"variableCode": "gender", "valueCodes": ["women"]},
        {"variableCode": "measure", "valueCodes": measures},
    ]});
    let (status, content_type, ds) = post_data(&app, "", &selection).await;
    assert_eq!(status, 200, "{ds}");
    assert!(content_type.starts_with("application/json"), "{content_type}");
    assert_eq!(ds["class"], "dataset");
    let cells = jsonstat_cells(&ds);
    assert_eq!(cells.len(), 2 * orientations.len() * measures.len());
    // The unit's decimals; without them the page shows whole numbers as such, others with two.
    let decimals = |measure: &str, v: f64| {
        let unit = &ds["dimension"]["measure"]["category"]["unit"][measure]["decimals"];
        unit.as_u64().map_or(if v.fract() == 0.0 { 0 } else { 2 }, |d| d as usize)
    };

    // The table: a cell per selected cell, with the API's value or its status mark.
    let shown = browser
        .script(
            "return [...document.querySelectorAll('#statistiktabell tbody td[data-matt]')].map(td =>
               [td.closest('tr').dataset.rad, td.dataset.matt, td.dataset.varde, td.dataset.status || null,
                td.querySelector('[aria-hidden]') ? td.querySelector('[aria-hidden]').textContent : td.textContent,
                td.textContent])",
            json!([]),
        )
        .await;
    let shown = shown.as_array().unwrap();
    assert_eq!(shown.len(), cells.len(), "a table cell per selected cell");
    let mut suppressed = 0;
    for row in shown {
        let mut codes = key(row[0].as_str().unwrap());
        let measure = row[1].as_str().unwrap();
        codes.insert("measure".into(), measure.to_owned());
        let (value, status) = jsonstat_cell(&ds, &codes);
        let mark = normalize(row[4].as_str().unwrap());
        match value {
            Some(v) => {
                assert_eq!(row[2].as_str().unwrap().parse::<f64>().unwrap(), v, "{codes:?}");
                let expected = swedish(v, decimals(measure, v));
                assert!(mark == expected || mark == format!("{expected} %"), "{codes:?}: shown {mark}, the API {v}");
            }
            None => {
                let expected = status.clone().unwrap_or_else(|| "..".into());
                assert_eq!(mark, expected, "{codes:?}: an empty cell shows its status");
                assert_eq!(row[3].as_str(), Some(expected.as_str()));
                if expected == "." {
                    suppressed += 1;
                    assert!(
                        row[5].as_str().unwrap().contains("skyddat"),
                        "the suppressed cell says so to a screen reader"
                    );
                }
            }
        }
    }
    let legend = browser.find("#teckenforklaring").await;
    assert!(browser.text(&legend).await.contains("Värdet är skyddat (röjandekontroll)"));
    let caption = browser.find("#statistiktabell caption").await;
    assert!(!browser.text(&caption).await.is_empty(), "the table has a caption");
    let row_headers = browser.find_all("#statistiktabell tbody th[scope='row']").await.len();
    assert_eq!(row_headers, 2 * orientations.len(), "a row header per row");

    // The chart: a bar per value of the chart's measure, each the API's; a mark for the rest.
    let bars = browser
        .script(
            "const d = document.getElementById('diagram');
             return {bars: [...d.querySelectorAll('rect[data-kod]')].map(r => [r.dataset.kod, r.dataset.serie, Number(r.dataset.varde)]),
                     marks: [...d.querySelectorAll('text[data-status]')].map(t => [t.dataset.kod, t.dataset.serie, t.dataset.status]),
                     labelled: d.querySelector('svg[role=img]').getAttribute('aria-labelledby'),
                     title: d.querySelector('svg title').textContent, desc: d.querySelector('svg desc').textContent}",
            json!([]),
        )
        .await;
    assert_eq!(bars["labelled"].as_str().unwrap().split(' ').count(), 2, "the chart has a title and a description");
    let fixed = BTreeMap::from([
        ("year".to_owned(), year.clone()),
        ("gender".to_owned(), "women".to_owned()),
        ("measure".to_owned(), chart_measure.clone()),
    ]);
    let mut seen = 0;
    for bar in bars["bars"].as_array().unwrap().iter().chain(bars["marks"].as_array().unwrap()) {
        let mut codes = fixed.clone();
        codes.extend(key(bar[0].as_str().unwrap()));
        codes.extend(key(bar[1].as_str().unwrap()));
        let (value, status) = jsonstat_cell(&ds, &codes);
        match &bar[2] {
            Value::String(mark) => assert_eq!((value, status.as_deref()), (None, Some(mark.as_str())), "{codes:?}"),
            number => assert_eq!(value, number.as_f64(), "{codes:?}: the bar is the API's value"),
        }
        seen += 1;
    }
    let chart_cells = cells.iter().filter(|(c, _, _)| c["measure"] == chart_measure).count();
    let unmarked = cells.iter().filter(|(c, v, s)| c["measure"] == chart_measure && v.is_none() && s.is_none()).count();
    assert_eq!(seen + unmarked, chart_cells, "a bar or a mark for every cell of the chart's measure");
    assert_eq!(chart_cells, 2 * orientations.len());

    // The nation's and the county's figures are the v1 open table API's too.
    for (region, query) in [("00", String::new()), (COUNTY, format!("&county={COUNTY}"))] {
        let v1 = get_json(&app, &format!("/api/v1/open/tables/{TABLE}?year={YEAR}{query}")).await;
        let v1_dims: Vec<&str> =
            v1["dimensions"].as_array().unwrap().iter().map(|d| d["id"].as_str().unwrap()).collect();
        assert_eq!(v1_dims, ["year", "orientation", "gender", "measure"]);
        // The table's own variables and its measures have v1's codes (the contract).
        for (id, codes) in dims.iter().filter(|(id, _)| id != "year" && id != "region") {
            let d = v1["dimensions"].as_array().unwrap().iter().find(|d| d["id"] == id.as_str()).unwrap();
            let v1_codes: Vec<&str> =
                d["categories"].as_array().unwrap().iter().map(|c| c["code"].as_str().unwrap()).collect();
            assert_eq!(codes, &v1_codes, "{id}: PxWeb's values are v1's categories");
        }
        for (codes, value, status) in cells.iter().filter(|(c, _, _)| c["region"] == region) {
            let position = |dim: &str| {
                let d = v1["dimensions"].as_array().unwrap().iter().find(|d| d["id"] == dim).unwrap();
                let categories = d["categories"].as_array().unwrap();
                (categories.iter().position(|c| c["code"] == codes[dim]).unwrap(), categories.len())
            };
            let index = v1_dims.iter().fold(0, |acc, dim| {
                let (p, n) = position(dim);
                acc * n + p
            });
            let v1_value = &v1["values"][index];
            let v1_value = v1_value.as_str().map(|s| s.parse::<f64>().unwrap()).or_else(|| v1_value.as_f64());
            assert_eq!(*value, v1_value, "{codes:?}: PxWeb and v1 agree");
            let v1_status = v1["status"].get(index).and_then(Value::as_str).map(str::to_owned);
            assert_eq!(*status, v1_status, "{codes:?}: the same suppression in PxWeb and v1");
        }
    }

    // Accessibility and origin, with the table shown.
    assert_labelled(&browser).await;
    assert_no_violations(&browser, "/statistik with a table").await;
    browser.screenshot_page(&screenshots(), "40-statistik.png", 1280).await;

    // The CSV download holds the same figures.
    let (status, _, csv_api) = post_data(&app, "&outputFormat=csv", &selection).await;
    assert_eq!(status, 200, "{csv_api}");
    let button = browser.find("button[data-format='csv']").await;
    assert_eq!(browser.text(&button).await, "Ladda ner CSV");
    browser.click(&button).await;
    browser.wait_until("document.querySelector('#nedladdning-status .meddelande.ok')").await;
    let message = browser.find("#nedladdning-status .meddelande.ok").await;
    let message = browser.text(&message).await;
    let name = message.strip_prefix("Filen ").and_then(|m| m.strip_suffix(" är nedladdad.")).unwrap().to_owned();
    assert!(name.ends_with(".csv"), "{name}");
    let bytes = browser.downloaded(&name).await;
    let text = String::from_utf8(bytes).expect("the CSV is UTF-8");
    let text = text.trim_start_matches('\u{feff}');
    assert_eq!(text, csv_api.as_str().unwrap_or_default().trim_start_matches('\u{feff}'), "the file is the API's CSV");
    let mut reader = csv::ReaderBuilder::new().has_headers(true).from_reader(text.as_bytes());
    let header: Vec<String> = reader.headers().unwrap().iter().map(str::to_owned).collect();
    assert!(header.iter().any(|h| h.contains(&year)), "a column for {YEAR}: {header:?}");
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), cells.len(), "a row per cell (one year as the heading): {header:?}");
    let mut in_file: Vec<String> = rows.iter().map(|r| r[r.len() - 1].to_owned()).collect();
    let mut expected: Vec<String> = cells
        .iter()
        .map(|(_, v, s)| match (v, s) {
            (Some(v), _) => format!("{v}"),
            (None, Some(s)) => s.clone(),
            (None, None) => "..".into(),
        })
        .collect();
    let number = |s: &String| s.parse::<f64>().map(|v| format!("{v}")).unwrap_or_else(|_| s.clone());
    in_file = in_file.iter().map(number).collect();
    in_file.sort();
    expected.sort();
    assert_eq!(in_file, expected, "the file's figures are the selection's");

    // The same selection as PC-Axis and as a workbook.
    for (format, check) in [("px", "CODEPAGE=\"utf-8\";"), ("xlsx", "PK")] {
        let button = browser.find(&format!("button[data-format='{format}']")).await;
        browser.script("document.getElementById('nedladdning-status').replaceChildren()", json!([])).await;
        browser.click(&button).await;
        browser.wait_until("document.querySelector('#nedladdning-status .meddelande.ok')").await;
        let message = browser.find("#nedladdning-status .meddelande.ok").await;
        let message = browser.text(&message).await;
        let name = message.strip_prefix("Filen ").and_then(|m| m.strip_suffix(" är nedladdad.")).unwrap().to_owned();
        assert!(name.ends_with(&format!(".{format}")), "{name}");
        let bytes = browser.downloaded(&name).await;
        assert!(String::from_utf8_lossy(&bytes).contains(check), "{name} is a {format} file");
    }

    // An error of the API in Swedish, in the live region: a value the table does not have, as
    // a stale page might send. The page says what the API's code means, in Swedish, and shows
    // the API's detail.
    browser
        .script(
            "document.querySelector(`fieldset[data-variabel='gender'] input:checked`).value = 'ingen-sadan-kod'",
            json!([]),
        )
        .await;
    let mut tampered = selection.clone();
    tampered["selection"][3]["valueCodes"] = json!(["ingen-sadan-kod"]);
    let (status, content_type, problem) = post_data(&app, "", &tampered).await;
    assert_eq!(status, 400, "{problem}");
    assert_eq!(content_type, "application/problem+json");
    let code = problem["code"].as_str().unwrap_or_default();
    let swedish_text = finsam_domain::ErrorCode::ALL
        .iter()
        .find(|c| c.as_str() == code)
        .map(|c| c.text_sv())
        .unwrap_or("Urvalet gick inte att hämta. Ändra urvalet och försök igen.");
    browser.click(&show).await;
    browser.wait_until("document.querySelector('#statistik-fel .meddelande.fel')").await;
    let live =
        browser.script("return document.getElementById('statistik-fel').getAttribute('aria-live')", json!([])).await;
    assert_eq!(live, "assertive");
    let error = browser.find("#statistik-fel .meddelande.fel").await;
    let error = browser.text(&error).await;
    assert!(error.starts_with(swedish_text), "the Swedish text for {code}: {error}");
    let detail = problem["detail"].as_str().unwrap();
    assert!(error.contains(&format!("Tjänstens svar: {detail}")), "and the service's detail: {error}");
    assert_no_violations(&browser, "/statistik with an error").await;
    // Every request of the page, the downloads' too, went to the service itself.
    assert_same_origin(&app, &browser).await;
    eprintln!("statistik: {} cells ({suppressed} suppressed) and {seen} bars agree with PxWeb and v1", cells.len());

    browser.quit().await;
    app.stop().await;
}

//! The state's allocation in the browser (issue 17, acceptance 5): an admin opens
//! `/analys/{year}/fordelning` for a decided year, runs a what-if with another frame and sees
//! each förbund's new total and its change against the previous year, the figures the calculate
//! endpoint gives for the same parameters; a bad parameter is shown at its field; the decision
//! is made from the page and audited. A year not decided says which parameters are not set; an
//! analyst may calculate but not decide; a registrar sees nothing.

use std::collections::BTreeMap;

use reqwest::Method;
use serde_json::{Value, json};

use crate::browser::axe::assert_no_violations;
use crate::browser::harness::{
    assert_contrast, assert_labelled, assert_same_origin, normalize, open, page_message, screenshots, sign_in, start,
};
use crate::browser::webdriver::Browser;
use crate::e2e::support::{TestApp, parts, token};

/// The previous year, decided; the year the page is about, decided; the statistics both use.
const PREVIOUS: i32 = 2024;
const YEAR: i32 = 2025;
const STATISTICS: i32 = 2023;

async fn call(app: &TestApp, method: Method, path: &str, token: &str, body: Option<Value>) -> (u16, Value) {
    let mut request = app.request(method, path, Some(token));
    if let Some(body) = body {
        request = request.json(&body);
    }
    let (status, _, body) = parts(request.send().await.unwrap()).await;
    (status, body)
}

fn parameters(frame: &str, forsorjningsmatt_weight: &str, population_weight: &str) -> Value {
    json!({"frame": frame, "national_support": "3000000", "base_amount": "400000",
           "forsorjningsmatt_weight": forsorjningsmatt_weight, "population_weight": population_weight,
           "damping": {"max_fall": "0.10"}, "equity_rule": "no_effect", "statistics_year": STATISTICS})
}

/// Reference statistics for every municipality of the statistics year's membership, uneven
/// enough that the förbund's shares and changes differ.
async fn import_statistics(app: &TestApp, admin: &str) {
    let (status, _, forbund) = parts(app.get(&format!("/api/v1/forbund?year={STATISTICS}")).await).await;
    assert_eq!(status, 200, "{forbund}");
    let mut codes: Vec<&str> = forbund
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|f| f["municipality_codes"].as_array().unwrap().iter().map(|c| c.as_str().unwrap()))
        .collect();
    codes.sort();
    codes.dedup();
    let mut csv = "municipality_code,inhabitants_16_64,forsorjningsmatt_tkr,source,age_band,extract_date\n".to_owned();
    for (i, code) in codes.iter().enumerate() {
        csv.push_str(&format!(
            "{code},{},{}.5,SCB,16-64,2024-01-22\n",
            2000 + (i * 7919) % 60_000,
            300 + (i * 104_729) % 90_000
        ));
    }
    let response = app
        .request(Method::PUT, &format!("/api/v1/reference-statistics/{STATISTICS}"), Some(admin))
        .header("content-type", "text/csv")
        .body(csv)
        .send()
        .await
        .unwrap();
    let (status, _, body) = parts(response).await;
    assert_eq!(status, 201, "{body}");
}

/// Whole kronor from the API ("123", "123.00").
fn api_kronor(value: &Value) -> Option<i64> {
    let text = value.as_str()?;
    let (whole, fraction) = text.split_once('.').unwrap_or((text, "0"));
    assert!(fraction.bytes().all(|b| b == b'0'), "whole kronor: {text}");
    Some(whole.parse().unwrap())
}

/// Whole kronor as the page shows them, Swedish style ("1 234 567 kr", "-12 kr"); `None` for "–".
fn shown_kronor(text: &str) -> Option<i64> {
    let text = normalize(text);
    if text == "–" {
        return None;
    }
    let digits = text.strip_suffix(" kr").unwrap_or_else(|| panic!("an amount in kronor: {text:?}"));
    let unsigned = digits.strip_prefix('-').unwrap_or(digits);
    let mut groups = unsigned.split(' ');
    let first = groups.next().unwrap();
    assert!(
        (1..=3).contains(&first.len()) && groups.all(|g| g.len() == 3),
        "a space between every three digits: {text:?}"
    );
    Some(digits.replace(' ', "").parse().unwrap())
}

/// A percentage as shown ("-3,2 %") as a fraction.
fn shown_percent(text: &str) -> Option<f64> {
    let text = normalize(text);
    if text == "–" {
        return None;
    }
    let number = text.strip_suffix(" %").unwrap_or_else(|| panic!("a percentage: {text:?}"));
    Some(number.replace(' ', "").replace(',', ".").parse::<f64>().unwrap() / 100.0)
}

/// The result table as shown: per förbund key, its cells by column.
async fn shown_rows(browser: &Browser) -> BTreeMap<String, BTreeMap<String, String>> {
    let rows = browser
        .script(
            "return [...document.querySelectorAll('#fordelning tbody tr[data-forbund]')].map(r => [r.dataset.forbund,
               Object.fromEntries([...r.querySelectorAll('td[data-kolumn]')].map(c => [c.dataset.kolumn, c.textContent])),
               r.querySelector('th').textContent])",
            json!([]),
        )
        .await;
    rows.as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let mut cells: BTreeMap<String, String> = serde_json::from_value(r[1].clone()).unwrap();
            cells.insert("name".to_owned(), r[2].as_str().unwrap().to_owned());
            (r[0].as_str().unwrap().to_owned(), cells)
        })
        .collect()
}

/// Every figure of every förbund shown is the API's for the same parameters, and so are the sums.
async fn assert_shows(browser: &Browser, api: &Value, names: &BTreeMap<String, String>) {
    let allocation = &api["allocation"];
    let expected = allocation["forbund"].as_array().unwrap();
    let shown = shown_rows(browser).await;
    assert_eq!(shown.len(), expected.len(), "a row per förbund");
    for row in expected {
        let key = row["forbund_key"].as_str().unwrap();
        let cells = shown.get(key).unwrap_or_else(|| panic!("no row for {key}"));
        assert_eq!(&cells["name"], names.get(key).unwrap_or(&key.to_owned()), "{key}: its name");
        for column in [
            "base",
            "by_forsorjningsmatt",
            "by_population",
            "damping_adjustment",
            "total",
            "previous_allocation",
            "change",
        ] {
            assert_eq!(shown_kronor(&cells[column]), api_kronor(&row[column]), "{key}: {column} ({})", cells[column]);
        }
        let change = row["change"].as_str().map(|c| c.parse::<f64>().unwrap());
        let previous = row["previous_allocation"].as_str().map(|c| c.parse::<f64>().unwrap());
        match (shown_percent(&cells["change_percent"]), change.zip(previous)) {
            (Some(shown), Some((change, previous))) => {
                assert!(
                    (shown - change / previous).abs() <= 0.0005 + 1e-9,
                    "{key}: change {shown} of {change}/{previous}"
                )
            }
            (shown, expected) => panic!("{key}: change in percent {shown:?}, expected from {expected:?}"),
        }
        let share = row["share"].as_str().unwrap().parse::<f64>().unwrap();
        let shown_share = shown_percent(&cells["share"]).unwrap();
        assert!((shown_share - share).abs() <= 0.00005 + 1e-9, "{key}: share {shown_share} of {share}");
    }
    let sums = browser
        .script(
            "return Object.fromEntries([...document.querySelectorAll('#fordelning tfoot td[data-kolumn]')]
               .map(c => [c.dataset.kolumn, c.textContent]))",
            json!([]),
        )
        .await;
    let sum = |column: &str| shown_kronor(sums[column].as_str().unwrap());
    assert_eq!(sum("total"), api_kronor(&allocation["distributed"]), "the sum is what is distributed");
    assert_eq!(sum("base"), api_kronor(&allocation["base_total"]));
    assert_eq!(sum("by_forsorjningsmatt"), api_kronor(&allocation["by_forsorjningsmatt_total"]));
    assert_eq!(sum("by_population"), api_kronor(&allocation["by_population_total"]));
    let changes: i64 = expected.iter().map(|r| api_kronor(&r["change"]).unwrap()).sum();
    assert_eq!(sum("change"), Some(changes));
}

async fn names(app: &TestApp) -> BTreeMap<String, String> {
    let (_, _, forbund) = parts(app.get(&format!("/api/v1/forbund?year={YEAR}")).await).await;
    forbund
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["forbund_key"].as_str().unwrap().to_owned(), f["name"].as_str().unwrap().to_owned()))
        .collect()
}

async fn set_field(browser: &Browser, id: &str, value: &str) {
    let field = browser.find(&format!("#{id}")).await;
    browser.clear(&field).await;
    browser.type_into(&field, value).await;
}

async fn calculate_in_page(browser: &Browser) {
    browser.script("document.querySelector('#fordelning-form .formstatus').replaceChildren()", json!([])).await;
    let button = browser.find("#fordelning-form button[type='submit']").await;
    browser.click(&button).await;
    browser
        .wait_until("document.querySelector('#fordelning-form .formstatus .meddelande.ok, #fordelning-form .formstatus .meddelande.fel')")
        .await;
}

/// The error shown at a field (its text, without the "Fel: " read to screen readers).
async fn field_error(browser: &Browser, path: &str) -> String {
    let css = format!("#fordelning-form [data-path='{path}'] > .falt-fel");
    browser.find(&css).await;
    let text = browser.script("return document.querySelector(arguments[0]).textContent", json!([css])).await;
    text.as_str().unwrap().trim_start_matches("Fel: ").to_owned()
}

#[actix_rt::test]
async fn an_admin_runs_a_what_if_with_another_frame_and_sees_each_forbunds_change() {
    let Some((app, browser)) = start().await else { return };
    let shots = screenshots();
    let admin = token("admin", None);
    import_statistics(&app, &admin).await;
    let decide = |year: i32, body: Value| {
        let (app, admin) = (&app, &admin);
        async move { call(app, Method::PUT, &format!("/api/v1/allocations/{year}"), admin, Some(body)).await }
    };
    let (status, body) = decide(PREVIOUS, parameters("330000000", "0.6", "0.4")).await;
    assert_eq!(status, 201, "{body}");
    let (status, body) = decide(YEAR, parameters("339000000", "0.75", "0.25")).await;
    assert_eq!(status, 201, "{body}");
    let names = names(&app).await;

    sign_in(&app, &browser, &admin).await;
    let page = format!("/analys/{YEAR}/fordelning");
    open(&app, &browser, &page).await;
    browser.wait_until("document.querySelector('main').dataset.klar === 'ja'").await;
    let heading = browser.find("h1").await;
    assert_eq!(browser.text(&heading).await, format!("Statens medelsfördelning {YEAR}"));
    let menu = browser.find("nav.meny a[aria-current='page']").await;
    assert_eq!(browser.text(&menu).await, "Medelsfördelning", "the page is in the analysts' menu");
    browser.screenshot(&shots, "19-medelsfordelning-beslut.png").await;

    // The decided parameters, shown and in the form.
    let decided = browser.find("#beslutade dd[data-parameter='frame']").await;
    assert_eq!(normalize(&browser.text(&decided).await), "339 000 000 kr");
    let damping = browser.find("#beslutade dd[data-parameter='damping']").await;
    assert!(browser.text(&damping).await.contains("10,0 %"), "the damping limit is shown");
    let prefilled = browser.script("return document.getElementById('f-frame').value", json!([])).await;
    assert_eq!(prefilled, "339000000");
    let (status, as_decided) = call(
        &app,
        Method::POST,
        &format!("/api/v1/allocations/{YEAR}/calculate"),
        &admin,
        Some(parameters("339000000", "0.75", "0.25")),
    )
    .await;
    assert_eq!(status, 200, "{as_decided}");
    assert_shows(&browser, &as_decided, &names).await;

    // A what-if with another frame: each förbund's new total and its change against the previous
    // year, as the API computes them for the same parameters.
    set_field(&browser, "f-frame", "350 000 000").await;
    calculate_in_page(&browser).await;
    let status = browser.find("#fordelning-form .formstatus .meddelande").await;
    assert_eq!(browser.text(&status).await, "Beräknat. Prövningen är inte sparad.");
    let summary = browser.find("#resultat-summa").await;
    let summary = normalize(&browser.text(&summary).await);
    assert!(
        summary.starts_with("Ram 350 000 000 kr minus nationellt stöd 3 000 000 kr: 347 000 000 kr fördelas"),
        "{summary}"
    );
    assert!(!summary.contains("null") && !summary.contains("undefined"), "{summary}");
    let caption = browser.find("#fordelning caption").await;
    assert_eq!(browser.text(&caption).await, format!("Prövad fördelning {YEAR} (inte beslutad)"));
    let (status, what_if) = call(
        &app,
        Method::POST,
        &format!("/api/v1/allocations/{YEAR}/calculate"),
        &admin,
        Some(parameters("350000000", "0.75", "0.25")),
    )
    .await;
    assert_eq!(status, 200, "{what_if}");
    assert_shows(&browser, &what_if, &names).await;
    let rows = what_if["allocation"]["forbund"].as_array().unwrap();
    assert!(rows.len() > 50, "every förbund with members: {}", rows.len());
    let moved = rows
        .iter()
        .zip(as_decided["allocation"]["forbund"].as_array().unwrap())
        .filter(|(a, b)| a["total"] != b["total"]);
    assert!(
        moved.count() > rows.len() / 2,
        "another frame moves the förbund's totals (those held at their floor stay)"
    );
    assert!(rows.iter().any(|r| api_kronor(&r["change"]).unwrap() > 0), "some gain against {PREVIOUS}");
    assert!(rows.iter().any(|r| api_kronor(&r["change"]).unwrap() < 0), "some lose against {PREVIOUS}");
    // The what-if stored nothing.
    let (_, stored) = call(&app, Method::GET, &format!("/api/v1/allocations/{YEAR}"), &admin, None).await;
    assert_eq!(api_kronor(&stored["parameters"]["frame"]), Some(339_000_000));

    // Each förbund's explanation: its municipalities with their figures, key shares, damping.
    let first = &rows[0];
    let key = first["forbund_key"].as_str().unwrap();
    browser.script(&format!("document.querySelector('#forklaring-{key} summary').click()"), json!([])).await;
    browser
        .script(
            "document.querySelectorAll('#fordelning details').forEach((d, i) => { if (i < 3) d.open = true; })",
            json!([]),
        )
        .await;
    let municipalities = browser.find_all(&format!("#forklaring-{key} table tbody tr")).await;
    assert_eq!(municipalities.len(), first["explanation"]["municipalities"].as_array().unwrap().len());
    let explanation = browser.find(&format!("#forklaring-{key}")).await;
    let explanation = normalize(&browser.text(&explanation).await);
    let code = first["explanation"]["municipalities"][0]["municipality_code"].as_str().unwrap();
    assert!(explanation.contains(&format!("({code})")), "{explanation}");
    assert!(explanation.contains("Skyddat av dämpningen"), "its damping status: {explanation}");
    assert!(explanation.contains(&format!("Totalt: {}", normalize(&shown_rows(&browser).await[key]["total"]))));

    assert_labelled(&browser).await;
    assert_contrast(&browser).await;
    assert_same_origin(&app, &browser).await;
    assert_no_violations(&browser, &page).await;
    browser.script("document.getElementById('resultat').scrollIntoView()", json!([])).await;
    browser.screenshot(&shots, "20-medelsfordelning.png").await;

    // A bad parameter is shown at its field, with the server's Swedish text.
    set_field(&browser, "f-frame", "mycket").await;
    calculate_in_page(&browser).await;
    assert_eq!(field_error(&browser, "/frame").await, "Ange ett belopp i kronor, till exempel 250000 eller 250000,50.");
    let invalid = browser.find("#f-frame").await;
    assert_eq!(browser.attribute(&invalid, "aria-invalid").await.as_deref(), Some("true"));
    let summary = browser.find("#fordelning-form .fel-sammanfattning a").await;
    assert!(browser.text(&summary).await.starts_with("Ram (kr):"), "the summary links to the field");
    let heading = browser.find("#fordelning-form .fel-sammanfattning h2").await;
    assert_eq!(browser.text(&heading).await, "Rätta följande innan du beräknar");
    // Weights that do not sum to 1: at the population weight, as the API names it.
    set_field(&browser, "f-frame", "350000000").await;
    set_field(&browser, "f-population-weight", "0,5").await;
    calculate_in_page(&browser).await;
    assert_eq!(
        field_error(&browser, "/population_weight").await,
        "Vikterna för försörjningsmått och befolkning ska tillsammans vara 1 (100 %)."
    );
    assert_no_violations(&browser, &format!("{page} with errors")).await;
    browser.screenshot(&shots, "21-medelsfordelning-fel.png").await;

    // The decision, confirmed first: stored and audited. It takes every parameter from the
    // form: one left empty is named at its field, and nothing is stored.
    set_field(&browser, "f-population-weight", "0,25").await;
    let decide_button = browser.find("#besluta").await;
    browser.click(&decide_button).await;
    browser.wait_until("document.getElementById('bekrafta').open").await;
    let no = browser.find("#bekrafta-nej").await;
    browser.click(&no).await;
    browser.wait_until("!document.getElementById('bekrafta').open").await;
    let (_, stored) = call(&app, Method::GET, &format!("/api/v1/allocations/{YEAR}"), &admin, None).await;
    assert_eq!(stored["version"], 1, "cancelled: nothing decided");
    set_field(&browser, "f-base-amount", "").await;
    browser.click(&decide_button).await;
    browser.wait_until("document.getElementById('bekrafta').open").await;
    let yes = browser.find("#bekrafta-ja").await;
    browser.click(&yes).await;
    assert_eq!(field_error(&browser, "/base_amount").await, "Fältet måste fyllas i.");
    let heading = browser.find("#fordelning-form .fel-sammanfattning h2").await;
    assert_eq!(browser.text(&heading).await, "Rätta följande innan du beslutar");
    let (_, stored) = call(&app, Method::GET, &format!("/api/v1/allocations/{YEAR}"), &admin, None).await;
    assert_eq!(stored["version"], 1, "refused: nothing decided");
    set_field(&browser, "f-base-amount", "400 000").await;
    browser.click(&decide_button).await;
    browser.wait_until("document.getElementById('bekrafta').open").await;
    browser.click(&yes).await;
    browser
        .wait_until(
            "document.querySelector('#fordelning-form .formstatus .meddelande.ok')?.textContent.includes('beslutad')",
        )
        .await;
    let (_, stored) = call(&app, Method::GET, &format!("/api/v1/allocations/{YEAR}"), &admin, None).await;
    assert_eq!(api_kronor(&stored["parameters"]["frame"]), Some(350_000_000), "{stored}");
    assert_eq!(stored["version"], 2);
    let audited = finsam_store::audit::for_entity(&mut app.db.conn(), "allocation", &YEAR.to_string()).unwrap();
    assert_eq!(audited.iter().map(|e| e.action.as_str()).collect::<Vec<_>>(), ["create", "replace"]);
    let shown = browser.find("#beslutade dd[data-parameter='frame']").await;
    assert_eq!(normalize(&browser.text(&shown).await), "350 000 000 kr");
    assert_shows(&browser, &what_if, &names).await;

    // A year not decided: every parameter named as not set, and nothing invented in the form.
    let undecided = format!("/analys/{}/fordelning", YEAR + 1);
    open(&app, &browser, &undecided).await;
    let missing = browser.find_all("#saknade li").await;
    assert_eq!(missing.len(), 8, "every parameter is missing");
    let text = browser.find("#beslut-innehall").await;
    let text = browser.text(&text).await;
    assert!(text.contains("inte beslutad") && text.contains("Ram (kr)") && text.contains("Statistikår"), "{text}");
    let empty = browser
        .script(
            "return [...document.querySelectorAll('#fordelning-form input[type=text]')].every(e => e.value === '')",
            json!([]),
        )
        .await;
    assert_eq!(empty, true, "no parameter has a default");
    calculate_in_page(&browser).await;
    for name in [
        "frame",
        "national_support",
        "base_amount",
        "forsorjningsmatt_weight",
        "population_weight",
        "damping",
        "equity_rule",
        "statistics_year",
    ] {
        assert_eq!(field_error(&browser, &format!("/{name}")).await, "Fältet måste fyllas i.", "{name}");
    }
    assert_no_violations(&browser, &undecided).await;

    browser.quit().await;
    app.stop().await;
}

#[actix_rt::test]
async fn an_analyst_may_calculate_but_not_decide_and_a_registrar_sees_nothing() {
    let Some((app, browser)) = start().await else { return };
    let admin = token("admin", None);
    import_statistics(&app, &admin).await;
    let (status, body) = call(
        &app,
        Method::PUT,
        &format!("/api/v1/allocations/{YEAR}"),
        &admin,
        Some(parameters("339000000", "0.75", "0.25")),
    )
    .await;
    assert_eq!(status, 201, "{body}");
    let page = format!("/analys/{YEAR}/fordelning");

    sign_in(&app, &browser, &token("analyst", None)).await;
    open(&app, &browser, &page).await;
    browser.wait_until("document.querySelector('main').dataset.klar === 'ja'").await;
    let hidden = browser.script("return document.getElementById('besluta').offsetParent === null", json!([])).await;
    assert_eq!(hidden, true, "no decision for an analyst");
    set_field(&browser, "f-frame", "345000000").await;
    calculate_in_page(&browser).await;
    let sums = browser.find("#fordelning tfoot td[data-kolumn='total']").await;
    assert_eq!(shown_kronor(&browser.text(&sums).await), Some(342_000_000));

    let (own, _) = crate::browser::harness::demo_forbund(&app).await;
    sign_in(&app, &browser, &token("registrar", Some(&own))).await;
    open(&app, &browser, &page).await;
    let message = page_message(&browser).await;
    assert!(message.contains("Du har inte behörighet till de här uppgifterna."), "{message}");
    let shown = browser
        .script(
            "return [...document.querySelectorAll('main > *')]
                .filter(e => e.tagName !== 'H1' && e.id !== 'sidmeddelande' && e.offsetParent !== null)
                .map(e => e.id || e.tagName)",
            json!([]),
        )
        .await;
    assert_eq!(shown, json!([]), "nothing but the heading and the message");
    let rows = browser.script("return document.querySelectorAll('main tbody tr').length", json!([])).await;
    assert_eq!(rows, 0);

    browser.quit().await;
    app.stop().await;
}

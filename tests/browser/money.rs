//! The state's money and the förbund's equity in the browser (issue 17): with a decided
//! allocation and one förbund's finances, an admin opens `/analys/{year}/ekonomi`, reads that no
//! recommendation is set and so nothing is assessed, sets two steps of the trappa and the
//! national support spent, saves, and sees the förbund assessed and the ledger's figures as the
//! table API gives them; a step that rises is refused at its field. An analyst reads the tables
//! without the form; a registrar sees nothing.

use reqwest::Method;
use serde_json::{Value, json};

use crate::browser::axe::assert_no_violations;
use crate::browser::harness::{
    api_get, assert_contrast, assert_labelled, assert_same_origin, normalize, open, page_message, screenshots, sign_in,
    start, table_value,
};
use crate::browser::webdriver::Browser;
use crate::e2e::money::reference_statistics::{csv, members, put_csv};
use crate::e2e::support::{OWN, TestApp, finances, parts, token};

const YEAR: i32 = 2024;
const STATISTICS: i32 = 2023;

async fn call(app: &TestApp, method: Method, path: &str, token: &str, body: Option<Value>) -> (u16, Value) {
    let mut request = app.request(method, path, Some(token));
    if let Some(body) = body {
        request = request.json(&body);
    }
    let (status, _, body) = parts(request.send().await.unwrap()).await;
    (status, body)
}

/// Whole kronor as the page shows them ("1 930 000 kr"); `None` for anything else.
fn shown_kronor(text: &str) -> Option<f64> {
    let digits = normalize(text).strip_suffix(" kr")?.replace(' ', "");
    digits.parse().ok()
}

async fn text_of(browser: &Browser, css: &str) -> String {
    let element = browser.find(css).await;
    normalize(&browser.text(&element).await)
}

async fn set_field(browser: &Browser, id: &str, value: &str) {
    let field = browser.find(&format!("#{id}")).await;
    browser.clear(&field).await;
    browser.type_into(&field, value).await;
}

async fn save(browser: &Browser) {
    browser.script("document.querySelector('#ekonomi-form .formstatus').replaceChildren()", json!([])).await;
    let button = browser.find("#ekonomi-form button[type='submit']").await;
    browser.click(&button).await;
    browser
        .wait_until("document.querySelector('#ekonomi-form .formstatus .meddelande.ok, #ekonomi-form .formstatus .meddelande.fel')")
        .await;
}

#[actix_rt::test]
async fn an_admin_sets_the_trappa_and_sees_the_forbund_assessed_and_the_ledger() {
    let Some((app, browser)) = start().await else { return };
    let shots = screenshots();
    let admin = token("admin", None);
    let codes = members(&app, STATISTICS).await;
    assert_eq!(put_csv(&app, STATISTICS, "admin", csv(&codes)).await.0, 201);
    let decision = json!({"frame": "339000000", "national_support": "3000000", "base_amount": "400000",
                          "forsorjningsmatt_weight": "0.75", "population_weight": "0.25",
                          "damping": "none", "equity_rule": "no_effect", "statistics_year": STATISTICS});
    let (status, body) = call(&app, Method::PUT, &format!("/api/v1/allocations/{YEAR}"), &admin, Some(decision)).await;
    assert_eq!(status, 201, "{body}");
    // Contributions 4 000 000 and closing equity 1 100 000: 27,5 % of the contributions.
    let (status, body) =
        call(&app, Method::PUT, &format!("/api/v1/forbund/{OWN}/finances/{YEAR}"), &admin, Some(finances())).await;
    assert!(status == 200 || status == 201, "{body}");

    sign_in(&app, &browser, &admin).await;
    let page = format!("/analys/{YEAR}/ekonomi");
    open(&app, &browser, &page).await;
    browser.wait_until("document.querySelector('main').dataset.klar === 'ja'").await;
    assert_eq!(text_of(&browser, "h1").await, format!("Statens medel och eget kapital {YEAR}"));
    assert_eq!(
        text_of(&browser, "nav.meny a[aria-current='page']").await,
        "Statens medel och eget kapital",
        "the page is in the analysts' menu"
    );

    // Nothing set: no recommendation, so nothing assessed; the ledger says what is not set.
    let said = text_of(&browser, "#rekommendation").await;
    assert!(said.to_lowercase().contains("ingen rekommendation"), "{said}");
    assert_eq!(
        text_of(
            &browser,
            &format!("#tabell-eget-kapital tr[data-forbund='{OWN}'] [data-kolumn='above_recommendation']")
        )
        .await,
        "–"
    );
    assert_eq!(
        text_of(
            &browser,
            &format!("#tabell-eget-kapital tr[data-forbund='{OWN}'] [data-kolumn='share_of_contributions']")
        )
        .await,
        "27,5 %"
    );
    assert_eq!(text_of(&browser, "#tabell-statens-medel tr[data-matt='national_support_spent'] td").await, "Inte satt");
    assert_eq!(text_of(&browser, "#tabell-statens-medel tr[data-matt='frame'] td").await, "339 000 000 kr");
    let steps = browser.find_all("#steg fieldset").await;
    assert!(steps.is_empty(), "no step is invented");
    for id in ["f-admin-limit", "f-national-support-spent"] {
        let value = browser.script(&format!("return document.getElementById('{id}').value"), json!([])).await;
        assert_eq!(value, "", "{id} is not set");
    }
    assert_no_violations(&browser, &format!("{page} not set")).await;

    // Two steps: up to 5 000 000 kr at most 20 %, above that at most 10 %.
    let add = browser.find("#lagg-till-steg").await;
    browser.click(&add).await;
    browser.click(&add).await;
    browser.click(&add).await;
    assert_eq!(browser.find_all("#steg fieldset").await.len(), 3);
    let remove = browser.find("#steg button[data-ta-bort='1']").await;
    assert_eq!(browser.text(&remove).await, "Ta bort steg 2");
    browser.click(&remove).await;
    assert_eq!(browser.find_all("#steg fieldset").await.len(), 2);
    assert!(browser.find_all("#f-steg-1-upp").await.is_empty(), "the last step has no limit");
    set_field(&browser, "f-steg-0-upp", "5 000 000").await;
    set_field(&browser, "f-steg-0-hogst", "20").await;
    set_field(&browser, "f-steg-1-hogst", "25").await;
    set_field(&browser, "f-national-support-spent", "1 930 000").await;

    // A step whose percentage rises is refused at its field, and nothing is stored.
    save(&browser).await;
    let css = "#ekonomi-form [data-path='/equity_recommendation/1'] > .falt-fel";
    browser.find(css).await;
    let error = browser.script("return document.querySelector(arguments[0]).textContent", json!([css])).await;
    assert_eq!(
        error.as_str().unwrap().trim_start_matches("Fel: "),
        "Trappans steg ska stiga i medlemsbidrag, bara det sista steget får sakna övre gräns, och procentsatserna får inte öka."
    );
    let invalid = browser.find("#f-steg-1-hogst").await;
    assert_eq!(browser.attribute(&invalid, "aria-invalid").await.as_deref(), Some("true"));
    assert!(text_of(&browser, "#ekonomi-form .fel-sammanfattning a").await.starts_with("Steg 2:"));
    let stored = api_get(&app, &format!("/api/v1/money-settings/{YEAR}"), &admin).await;
    assert_eq!(stored["version"], 0, "refused: nothing stored");
    assert_no_violations(&browser, &format!("{page} with errors")).await;
    browser.screenshot(&shots, "22-ekonomi-fel.png").await;

    set_field(&browser, "f-steg-1-hogst", "10").await;
    save(&browser).await;
    let status = text_of(&browser, "#ekonomi-form .formstatus .meddelande").await;
    assert!(status.contains("sparade"), "{status}");
    let stored = api_get(&app, &format!("/api/v1/money-settings/{YEAR}"), &admin).await;
    assert_eq!(
        stored["equity_recommendation"],
        json!([{"contributions_up_to": "5000000", "max_percent": "20"}, {"contributions_up_to": null, "max_percent": "10"}]),
        "{stored}"
    );
    assert_eq!(stored["administration_share_limit_percent"], Value::Null, "an empty field is not set");

    // The förbund assessed as the table API assesses it: above its 20 %.
    let equity = api_get(&app, &format!("/api/v1/tables/equity-by-forbund?year={YEAR}"), &admin).await;
    let above = table_value(&equity, &[("year", "2024"), ("forbund", OWN), ("measure", "above_recommendation")]);
    assert_eq!(above, Some(1.0), "{equity}");
    let row = format!("#tabell-eget-kapital tbody tr[data-forbund='{OWN}']");
    assert_eq!(text_of(&browser, &format!("{row} [data-kolumn='above_recommendation']")).await, "Över");
    assert_eq!(text_of(&browser, &format!("{row} [data-kolumn='recommended_max_share']")).await, "20,0 %");
    let first = browser
        .script("return document.querySelector('#tabell-eget-kapital tbody tr').dataset.forbund", json!([]))
        .await;
    assert_eq!(first, OWN, "those above are listed first");
    let said = text_of(&browser, "#rekommendation").await;
    assert!(!said.to_lowercase().contains("ingen rekommendation"), "{said}");
    assert!(text_of(&browser, "#tabell-eget-kapital tfoot th").await == "Totalt");

    // The ledger, every figure the table API's.
    let ledger = api_get(&app, &format!("/api/v1/tables/state-funds?year={YEAR}"), &admin).await;
    for measure in ["frame", "national_support", "paid_to_forbund", "national_support_spent", "spent", "unspent"] {
        let expected = table_value(&ledger, &[("year", "2024"), ("measure", measure)]);
        let shown = text_of(&browser, &format!("#tabell-statens-medel tr[data-matt='{measure}'] td")).await;
        assert_eq!(shown_kronor(&shown), expected, "{measure}: {shown}");
    }
    assert_eq!(text_of(&browser, "#tabell-statens-medel tr[data-matt='spent'] td").await, "337 930 000 kr");
    assert_eq!(text_of(&browser, "#tabell-statens-medel tr[data-matt='unspent'] td").await, "1 070 000 kr");

    // Downloads for each table.
    for table in ["state-funds", "equity-by-forbund", "administration-share"] {
        for format in ["csv", "xlsx"] {
            let buttons = browser.find_all(&format!("button[data-tabell='{table}'][data-format='{format}']")).await;
            assert_eq!(buttons.len(), 1, "{table} {format}");
        }
    }
    let csv = browser.find("button[data-tabell='state-funds'][data-format='csv']").await;
    browser.click(&csv).await;
    browser.wait_until("document.querySelector('#statens-medel .nedladdad .meddelande')").await;
    assert!(text_of(&browser, "#statens-medel .nedladdad").await.contains("nedladdad"));

    assert_labelled(&browser).await;
    assert_contrast(&browser).await;
    assert_same_origin(&app, &browser).await;
    assert_no_violations(&browser, &page).await;
    browser.screenshot(&shots, "23-ekonomi.png").await;

    // An analyst reads the same tables, without the form.
    sign_in(&app, &browser, &token("analyst", None)).await;
    open(&app, &browser, &page).await;
    browser.wait_until("document.querySelector('main').dataset.klar === 'ja'").await;
    let hidden = browser.script("return document.getElementById('ekonomi-form').hidden", json!([])).await;
    assert_eq!(hidden, true, "no settings for an analyst");
    assert_eq!(text_of(&browser, &format!("{row} [data-kolumn='above_recommendation']")).await, "Över");
    assert_no_violations(&browser, &format!("{page} as analyst")).await;

    // A registrar sees the API's refusal and no figures.
    sign_in(&app, &browser, &token("registrar", Some(OWN))).await;
    open(&app, &browser, &page).await;
    let message = page_message(&browser).await;
    assert!(message.contains("Du har inte behörighet till de här uppgifterna."), "{message}");
    let rows = browser.script("return document.querySelectorAll('main tbody tr').length", json!([])).await;
    assert_eq!(rows, 0, "no figures for a registrar");

    browser.quit().await;
    app.stop().await;
}

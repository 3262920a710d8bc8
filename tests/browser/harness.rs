//! What every browser test needs: the real service on a fresh database (with the demo data),
//! a headless Chromium, signing in, and checks every page must pass.

use std::path::PathBuf;

use reqwest::Method;
use serde_json::{Value, json};

use crate::browser::webdriver::{Browser, browser_available};
use crate::e2e::support::{TestApp, parts, token};

pub const YEAR: i32 = 2023;

/// The service with the demo's 2023 and a browser; `None` (after a loud message) where no
/// browser is installed and `CI` is unset.
pub async fn start() -> Option<(TestApp, Browser)> {
    if !browser_available() {
        return None;
    }
    let app = TestApp::spawn().await;
    finsam_demo::load(&mut app.db.conn()).expect("the demo loads");
    let browser = Browser::start().await;
    Some((app, browser))
}

/// `target/screenshots` (under `CARGO_TARGET_DIR` when set): kept after the run, not committed.
pub fn screenshots() -> PathBuf {
    let workspace = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    let target = match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) => {
            let dir = PathBuf::from(dir);
            if dir.is_absolute() { dir } else { workspace.join(dir) }
        }
        None => workspace.join("target"),
    };
    target.join("screenshots")
}

/// Signs in as a person would: the token pasted into the form, submitted from the keyboard.
/// Returns where the service sent the browser.
pub async fn sign_in_with_form(app: &TestApp, browser: &Browser, token: &str) -> String {
    browser.goto(&format!("{}/logga-in", app.base)).await;
    let field = browser.find("#f-token").await;
    browser.click(&field).await;
    browser.type_into(&field, token).await;
    browser.press(crate::browser::webdriver::TAB).await;
    let focused = browser.script("return document.activeElement.textContent.trim()", json!([])).await;
    assert_eq!(focused, "Logga in", "Tab leads from the token to the button");
    browser.press(crate::browser::webdriver::ENTER).await;
    browser.wait_until("location.pathname !== '/logga-in'").await;
    browser.url().await
}

/// Signs in without the form: the token where the form would have put it.
pub async fn sign_in(app: &TestApp, browser: &Browser, token: &str) {
    browser.goto(&format!("{}/logga-in", app.base)).await;
    browser.script("sessionStorage.setItem('finsam.token', arguments[0])", json!([token])).await;
}

/// Opens a page and waits until its script has shown its data (`data-klar`) or a message.
pub async fn open(app: &TestApp, browser: &Browser, path: &str) {
    browser.goto(&format!("{}{path}", app.base)).await;
    browser
        .wait_until("document.querySelector('main').dataset.klar === 'ja' || document.querySelector('#sidmeddelande .meddelande')")
        .await;
}

/// Acceptance 3: nothing the page loaded or refers to is from outside the service.
pub async fn assert_same_origin(app: &TestApp, browser: &Browser) {
    let loaded = browser
        .script(
            "return performance.getEntriesByType('resource').map(e => e.name)
                .concat(performance.getEntriesByType('navigation').map(e => e.name))",
            json!([]),
        )
        .await;
    let loaded: Vec<String> = loaded.as_array().unwrap().iter().map(|v| v.as_str().unwrap().to_owned()).collect();
    assert!(loaded.iter().any(|u| u.contains("/resurser/")), "the page loaded its own assets: {loaded:?}");
    let origin = format!("{}/", app.base);
    for url in &loaded {
        assert!(url.starts_with(&origin), "{url} is not from the service ({origin})");
    }
    let referenced = browser
        .script(
            "return [...document.querySelectorAll('[src], link[href], script[src], img, iframe, object, embed')]
                .map(e => e.src || e.href || e.data || '').filter(Boolean)",
            json!([]),
        )
        .await;
    for url in referenced.as_array().unwrap() {
        let url = url.as_str().unwrap();
        assert!(url.starts_with(&origin), "the page refers to {url}");
    }
}

/// Every form control is labelled (a `<label>`, `aria-label` or `aria-labelledby`).
pub async fn assert_labelled(browser: &Browser) {
    let unlabelled = browser
        .script(
            "return [...document.querySelectorAll('input, select, textarea')]
                .filter(e => e.type !== 'hidden')
                .filter(e => e.labels.length === 0 && !e.getAttribute('aria-label') && !e.getAttribute('aria-labelledby'))
                .map(e => e.id || e.name || e.outerHTML)",
            json!([]),
        )
        .await;
    assert_eq!(unlabelled, json!([]), "fields without a label");
}

/// The text of the page-level message, once one is shown.
pub async fn page_message(browser: &Browser) -> String {
    let message = browser.find("#sidmeddelande .meddelande").await;
    browser.text(&message).await
}

/// A GET of the API with a token, expecting 200.
pub async fn api_get(app: &TestApp, path: &str, token: &str) -> Value {
    let response = app.request(Method::GET, path, Some(token)).send().await.unwrap();
    let (status, _, body) = parts(response).await;
    assert_eq!(status, 200, "{path}: {body}");
    body
}

/// A förbund the demo registered for but did not submit, and one that submitted.
pub async fn demo_forbund(app: &TestApp) -> (String, String) {
    let report = api_get(app, &format!("/api/v1/years/{YEAR}/completeness"), &token("admin", None)).await;
    let rows = report["forbund"].as_array().unwrap();
    let pick = |state: &str| {
        rows.iter()
            .find(|f| f["state"] == state && f["expected"] == true)
            .unwrap_or_else(|| panic!("the demo has a förbund in state {state}"))["forbund_key"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    (pick("in_progress"), pick("submitted"))
}

/// A value of a table in the API's JSON, by one code per dimension.
pub fn table_value(table: &Value, codes: &[(&str, &str)]) -> Option<f64> {
    let mut index = 0;
    for dimension in table["dimensions"].as_array().unwrap() {
        let id = dimension["id"].as_str().unwrap();
        let code = codes.iter().find(|(d, _)| *d == id).unwrap_or_else(|| panic!("no code for {id}")).1;
        let categories = dimension["categories"].as_array().unwrap();
        let position = categories.iter().position(|c| c["code"] == code).unwrap_or_else(|| panic!("no {code}"));
        index = index * categories.len() + position;
    }
    let value = &table["values"][index];
    value.as_str().map(|s| s.parse().unwrap()).or_else(|| value.as_f64())
}

/// Swedish number formatting uses no-break spaces and a real minus sign; tests compare plain text.
pub fn normalize(text: &str) -> String {
    text.replace(['\u{a0}', '\u{202f}'], " ").replace('\u{2212}', "-")
}

/// Every visible text outside the charts has at least 4.5:1 contrast against the background it
/// is drawn on (WCAG 2.1, 1.4.3).
pub async fn assert_contrast(browser: &Browser) {
    let poor = browser
        .script(
            "const rgb = (s) => s.match(/[\\d.]+/g).map(Number);
             const lum = ([r, g, b]) => [r, g, b].map((c) => { c /= 255; return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; })
               .reduce((sum, c, i) => sum + c * [0.2126, 0.7152, 0.0722][i], 0);
             const background = (e) => {
               for (; e; e = e.parentElement) {
                 const c = rgb(getComputedStyle(e).backgroundColor);
                 if (c.length < 4 || c[3] > 0) return c;
               }
               return [255, 255, 255];
             };
             const poor = [];
             for (const e of document.querySelectorAll('body *')) {
               if (e.closest('svg') || e.offsetParent === null) continue;
               if (![...e.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim())) continue;
               const a = lum(rgb(getComputedStyle(e).color));
               const b = lum(background(e));
               const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
               if (ratio < 4.5) poor.push(`${e.tagName}.${e.className}: ${ratio.toFixed(2)} '${e.textContent.trim().slice(0, 40)}'`);
             }
             return poor;",
            json!([]),
        )
        .await;
    assert_eq!(poor, json!([]), "text below 4.5:1 contrast");
}

//! The vendored Swagger UI still works under the policy the service gives it: it renders the
//! operations and runs one, and the browser reports no violation of the policy on the way.

use serde_json::json;

use crate::browser::harness::start;
use crate::browser::webdriver::Browser;

/// Collects the page's Content-Security-Policy violations; installed ahead of the page's scripts.
const RECORD_VIOLATIONS: &str = "window.cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) =>
      window.cspViolations.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber} ${e.sample}`));";

async fn violations(browser: &Browser) -> serde_json::Value {
    browser.script("return window.cspViolations", json!([])).await
}

#[actix_rt::test]
async fn the_swagger_ui_renders_and_runs_an_operation_under_its_policy() {
    let Some((app, browser)) = start().await else { return };
    browser.on_every_page(RECORD_VIOLATIONS).await;
    browser.goto(&format!("{}/api/v1/docs/", app.base)).await;
    browser.wait_until("document.querySelectorAll('.opblock').length > 10").await;
    browser.wait_until("document.querySelector('.info .title')").await;
    let counties = browser.find("#operations-reference-list_counties .opblock-summary").await;
    browser.click(&counties).await;
    let try_it = browser.find("#operations-reference-list_counties .try-out__btn").await;
    browser.click(&try_it).await;
    let execute = browser.find("#operations-reference-list_counties .execute").await;
    browser.click(&execute).await;
    // The answer, syntax-highlighted: fetched from the service and styled by the UI's own script.
    browser
        .wait_until(
            "document.querySelector('#operations-reference-list_counties .live-responses-table .highlight-code')",
        )
        .await;
    let status = browser
        .script(
            "return document.querySelector('#operations-reference-list_counties .live-responses-table tbody .response-col_status').textContent.trim()",
            json!([]),
        )
        .await;
    assert_eq!(status, "200");
    assert_eq!(violations(&browser).await, json!([]), "the Swagger UI breaks the policy");
    browser.quit().await;
    app.stop().await;
}

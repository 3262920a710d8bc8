//! The annual report in the browser (issue 17): a registrar enters the dates, a member's audit
//! and discharge and the auditors' remarks (a remark naming a person by identity number first,
//! refused at its field, then fixed); an analyst then sees the förbund's annual report on time
//! in the follow-up list, and filters to those missing or late.

use serde_json::json;

use crate::browser::harness::{
    YEAR, api_get, assert_contrast, assert_labelled, assert_same_origin, open, screenshots, sign_in,
};
use crate::browser::webdriver::Browser;
use crate::e2e::support::{OWN, token};

async fn field_error(browser: &Browser, path: &str) -> String {
    let css = format!("[data-path=\"{path}\"] > .falt-fel");
    browser.find(&css).await;
    let text = browser.script("return document.querySelector(arguments[0]).textContent", json!([css])).await;
    text.as_str().unwrap().to_owned()
}

#[actix_rt::test]
async fn a_registrar_enters_the_annual_report_and_an_analyst_sees_it_on_time() {
    let Some((app, browser)) = crate::browser::harness::start().await else { return };
    let shots = screenshots();
    let registrar = token("registrar", Some(OWN));
    sign_in(&app, &browser, &registrar).await;
    open(&app, &browser, &format!("/forbund/{OWN}/arsredovisning/{YEAR}")).await;
    // Blekinge's members in 2023: the state, Region Blekinge and five municipalities.
    assert_eq!(browser.find_all("fieldset.medlem").await.len(), 7);
    let state = browser.find("fieldset.medlem[data-member='state'] legend").await;
    assert_eq!(browser.text(&state).await, "Staten (Försäkringskassan)");
    let karlskrona = browser.find("fieldset.medlem[data-member='municipality:1080']").await;
    let id = browser.attribute(&karlskrona, "data-path").await.unwrap();
    let i = id.trim_start_matches("/members/");
    let menu = browser.find("nav.meny a[aria-current='page']").await;
    assert_eq!(browser.text(&menu).await, "Årsredovisning");
    assert_labelled(&browser).await;

    browser.fill("#f-adopted_on", "2024-03-14").await;
    browser.fill("#f-received_on", "2024-03-28").await;
    browser.fill(&format!("#f-m{i}-revision"), "2024-04-02").await;
    let granted = browser.find(&format!("#f-m{i}-status option[value='granted']")).await;
    browser.click(&granted).await;
    browser.fill(&format!("#f-m{i}-beslut"), "2024-05-13").await;
    browser.fill(&format!("#f-m{i}-dnr"), "KS 2024/117").await;
    let goals = browser.find("#f-anm-goals_unclear").await;
    browser.click(&goals).await;
    browser.fill("#f-annan-1", "Jäv: ledamoten 19121212-1212 deltog").await;
    let save = browser.find("#arsredovisning-form button[type='submit']").await;
    browser.click(&save).await;
    let error = field_error(&browser, "/remarks/1/text").await;
    assert!(error.contains("personnummer"), "{error}");
    let summary = browser.find("#arsredovisning-form .fel-sammanfattning").await;
    assert!(browser.text(&summary).await.contains("Annan anmärkning 1"));
    assert_eq!(
        app.request(reqwest::Method::GET, &format!("/api/v1/forbund/{OWN}/annual-reports/{YEAR}"), Some(&registrar))
            .send()
            .await
            .unwrap()
            .status(),
        404,
        "nothing stored"
    );

    browser.fill("#f-annan-1", "Internkontrollen bör stärkas.").await;
    browser.click(&save).await;
    let saved = browser.find("#arsredovisning-form .formstatus .meddelande.ok").await;
    assert!(browser.text(&saved).await.contains("sparad"));
    let result = browser.find("#arsredovisning-resultat .meddelande").await;
    assert!(browser.text(&result).await.contains("i tid"), "{}", browser.text(&result).await);
    assert_contrast(&browser).await;
    assert_same_origin(&app, &browser).await;
    browser.screenshot_page(&shots, "20-arsredovisning.png", 1280).await;
    let stored = api_get(&app, &format!("/api/v1/forbund/{OWN}/annual-reports/{YEAR}"), &registrar).await;
    assert_eq!(stored["timeliness"], "on_time");
    let member = stored["members"].as_array().unwrap().iter().find(|m| m["member"] == "municipality:1080").unwrap();
    assert_eq!(
        member["discharge"],
        json!({"status": "granted", "decided_on": "2024-05-13", "diary_number": "KS 2024/117"})
    );
    assert_eq!(
        stored["remarks"],
        json!([{"category": "goals_unclear", "text": null},
        {"category": "other", "text": "Internkontrollen bör stärkas."}])
    );

    // Reloaded, the form shows what is stored; saved again, it is the next version.
    open(&app, &browser, &format!("/forbund/{OWN}/arsredovisning/{YEAR}")).await;
    let value = browser.script("return document.getElementById('f-annan-1').value", json!([])).await;
    assert_eq!(value, "Internkontrollen bör stärkas.");
    let save = browser.find("#arsredovisning-form button[type='submit']").await;
    browser.click(&save).await;
    browser.find("#arsredovisning-form .formstatus .meddelande.ok").await;
    let again = api_get(&app, &format!("/api/v1/forbund/{OWN}/annual-reports/{YEAR}"), &registrar).await;
    assert_eq!((again["version"].as_i64(), &again["remarks"]), (Some(2), &stored["remarks"]));

    // The analyst's follow-up: on time here; the filter leaves the missing and late.
    sign_in(&app, &browser, &token("analyst", None)).await;
    open(&app, &browser, &format!("/analys/{YEAR}/arsredovisningar")).await;
    browser.find(&format!("#arsredovisningar tr[data-forbund='{OWN}'][data-lage='on_time']")).await;
    let rows = browser.find_all("#arsredovisningar tbody tr").await.len();
    assert_eq!(rows, 72, "every förbund of the year");
    let only_late = browser.find("#f-bara-ej-i-tid").await;
    browser.click(&only_late).await;
    assert_eq!(browser.find_all("#arsredovisningar tbody tr").await.len(), 71);
    let count = browser.find("#antal").await;
    assert_eq!(browser.text(&count).await, "71 förbund har inte skickat in årsredovisningen i tid.");
    assert_labelled(&browser).await;
    assert_contrast(&browser).await;
    browser.screenshot_page(&shots, "21-arsredovisningar.png", 1280).await;
    browser.quit().await;
    app.stop().await;
}

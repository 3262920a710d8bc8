//! The analysts' commentary on the yearly report in the browser (issue 19): an analyst opens
//! `/analys/{year}/kommentarer`, writes a personnummer into the summary's commentary and is
//! refused at the field with nothing stored, then saves a text that looks like markup and finds
//! it stored as typed. The dashboard offers the year's report in both formats.

use serde_json::json;

use crate::browser::axe::assert_no_violations;
use crate::browser::harness::{YEAR, assert_labelled, normalize, open, sign_in, start};
use crate::browser::webdriver::Browser;
use crate::e2e::support::token;

async fn save(browser: &Browser) {
    let form = "#kommentar-summary";
    browser.script(&format!("document.querySelector('{form} .formstatus').replaceChildren()"), json!([])).await;
    let button = browser.find(&format!("{form} button[type='submit']")).await;
    browser.click(&button).await;
    browser
        .wait_until(&format!(
            "document.querySelector('{form} .formstatus .meddelande.ok, {form} .formstatus .meddelande.fel')"
        ))
        .await;
}

async fn write(browser: &Browser, text: &str) {
    let field = browser.find("#f-kommentar-summary").await;
    browser.clear(&field).await;
    browser.type_into(&field, text).await;
}

#[actix_rt::test]
async fn an_analyst_writes_report_commentary_and_is_refused_at_the_field() {
    let Some((app, browser)) = start().await else { return };
    sign_in(&app, &browser, &token("analyst", None)).await;
    let page = format!("/analys/{YEAR}/kommentarer");
    open(&app, &browser, &page).await;
    let heading = browser.find("h1").await;
    assert_eq!(normalize(&browser.text(&heading).await), format!("Kommentarer till årsrapporten {YEAR}"));
    assert_labelled(&browser).await;
    assert_no_violations(&browser, &page).await;

    write(&browser, "Deltagaren 19811218-9876 slutade.").await;
    save(&browser).await;
    browser.find("#kommentar-summary [data-path='/text'] > .falt-fel").await;
    let field = browser.find("#f-kommentar-summary").await;
    assert_eq!(browser.attribute(&field, "aria-invalid").await.as_deref(), Some("true"));
    assert!(finsam_store::report_commentary::for_year(&mut app.db.conn(), YEAR).unwrap().is_empty());
    assert_no_violations(&browser, &format!("{page} with errors")).await;

    let text = "#set page(width: 1cm) <b>fet</b> *x*";
    write(&browser, text).await;
    save(&browser).await;
    let status = browser.find("#kommentar-summary .formstatus .meddelande").await;
    assert_eq!(normalize(&browser.text(&status).await), "Kommentaren är sparad.");
    let stored = finsam_store::report_commentary::for_year(&mut app.db.conn(), YEAR).unwrap();
    assert_eq!(stored, vec![(finsam_domain::report_section::ReportSection::Summary, text.to_owned())]);

    open(&app, &browser, &format!("/analys/{YEAR}")).await;
    // The dashboard's buttons download the year's report with the page's sign-in; the HTML
    // holds the commentary just written, escaped, in its box.
    for format in ["pdf", "html"] {
        let button = browser.find(&format!("#arsrapport button[data-rapport='{format}']")).await;
        browser.click(&button).await;
        let bytes = browser.downloaded(&format!("finsam-rapport-{YEAR}.{format}")).await;
        match format {
            "pdf" => assert!(bytes.starts_with(b"%PDF-"), "the PDF edition"),
            _ => {
                let html = String::from_utf8(bytes).unwrap();
                assert!(html.contains("#set page(width: 1cm) &lt;b&gt;fet&lt;/b&gt; *x*"), "the commentary, as text");
            }
        }
    }
    app.stop().await;
}

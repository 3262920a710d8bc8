//! A registrar's token reaches its own förbund only: on another förbund's pages, and on the
//! analysts' completeness page, the browser shows a clear Swedish message and no data.

use serde_json::json;

use crate::browser::harness::{YEAR, api_get, demo_forbund, open, page_message, screenshots, sign_in, start};
use crate::browser::webdriver::Browser;
use crate::e2e::support::token;

const FORBIDDEN: &str = "Du har inte behörighet till de här uppgifterna.";

async fn assert_nothing_shown(browser: &Browser, page: &str) {
    let message = page_message(browser).await;
    assert!(message.contains(FORBIDDEN), "{page}: {message}");
    let shown = browser
        .script(
            "return [...document.querySelectorAll('main > *')]
                .filter(e => e.tagName !== 'H1' && e.id !== 'sidmeddelande' && e.offsetParent !== null)
                .map(e => e.id || e.tagName)",
            json!([]),
        )
        .await;
    assert_eq!(shown, json!([]), "{page}: nothing but the heading and the message is visible");
    let rows = browser.script("return document.querySelectorAll('main tbody tr').length", json!([])).await;
    assert_eq!(rows, 0, "{page}: no rows");
    let filled = browser
        .script(
            "return [...document.querySelectorAll('main input[type=text], main textarea')].filter(e => e.value).length",
            json!([]),
        )
        .await;
    assert_eq!(filled, 0, "{page}: no field holds data");
}

#[actix_rt::test]
async fn a_registrar_sees_no_data_on_another_forbunds_pages() {
    let Some((app, browser)) = start().await else { return };
    let (own, other) = demo_forbund(&app).await;
    let registrar = token("registrar", Some(&own));
    let admin = token("admin", None);
    let theirs = api_get(&app, &format!("/api/v1/forbund/{other}/insatser?year={YEAR}"), &admin).await;
    let theirs = theirs.as_array().unwrap();
    assert!(!theirs.is_empty(), "the other förbund has insatser to hide");
    let their_insats = theirs[0]["id"].as_i64().unwrap();
    let their_name = theirs[0]["name"].as_str().unwrap().to_owned();

    sign_in(&app, &browser, &registrar).await;
    // Its own list works: the token is good.
    open(&app, &browser, &format!("/forbund/{own}/insatser?ar={YEAR}")).await;
    assert!(!browser.find_all("#insatser tbody tr").await.is_empty());

    for page in [
        format!("/forbund/{other}/insatser?ar={YEAR}"),
        format!("/forbund/{other}/insatser/{their_insats}?ar={YEAR}"),
        format!("/forbund/{other}/insatser/{their_insats}/historik"),
        format!("/forbund/{other}/ekonomi/{YEAR}"),
        format!("/forbund/{other}/import"),
        format!("/analys/{YEAR}/fullstandighet"),
        format!("/analys/{YEAR}?forbund={other}"),
    ] {
        open(&app, &browser, &page).await;
        assert_nothing_shown(&browser, &page).await;
        let text = browser.script("return document.body.innerText", json!([])).await;
        assert!(!text.as_str().unwrap().contains(&their_name), "{page} shows nothing of theirs");
        if page.ends_with("/insatser?ar=2023") {
            browser.screenshot(&screenshots(), "14-annat-forbund.png").await;
        }
    }

    browser.quit().await;
    app.stop().await;
}

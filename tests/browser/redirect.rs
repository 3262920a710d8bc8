//! Signing in continues to `?tillbaka=`, but only ever to a page of the service itself: every way
//! of writing another site that a browser will still read as one ends on the role's start page.

use std::time::{Duration, Instant};

use serde_json::json;

use crate::browser::harness::{demo_forbund, start};
use crate::browser::webdriver::{Browser, WAIT};
use crate::e2e::support::{TestApp, token};

/// As they stand in the query string. The browser's URL parser drops tabs and newlines anywhere
/// and any leading or trailing spaces, and reads a backslash as a slash.
const OFF_SITE: &[&str] = &[
    "/%09/evil.example",
    "/%0A/evil.example",
    "/%0D/evil.example",
    "/%0D%5Cevil.example",
    "/%09%09/evil.example",
    "/%5C%09evil.example",
    "/%09%0A%0D/evil.example",
    "%09//evil.example",
    "//evil.example",
    "%2F%2Fevil.example",
    "/%2F/evil.example",
    "/%5Cevil.example",
    "%5C%5Cevil.example",
    "%5C/evil.example",
    "%20//evil.example",
    "+//evil.example",
    "//evil.example%20",
    "https://evil.example/",
    "https%3A%2F%2Fevil.example%2F",
    "HTTPS:evil.example",
    "javascript:location.assign(%27https://evil.example/%27)",
    "%20javascript:location.assign(%27https://evil.example/%27)",
    "java%09script:location.assign(%27https://evil.example/%27)",
    "data:text/html,evil",
];

/// Signs in on `/logga-in?tillbaka=<attempt>` through the form and returns where the browser
/// ends up: polled through WebDriver, since another site's (failed) page runs none of ours.
async fn sign_in_returning_to(app: &TestApp, browser: &Browser, attempt: &str, token: &str) -> String {
    let sign_in = format!("{}/logga-in?tillbaka={attempt}", app.base);
    browser.goto(&sign_in).await;
    let field = browser.find("#f-token").await;
    browser.click(&field).await;
    browser.type_into(&field, token).await;
    let submit = browser.find("#inloggning button[type='submit']").await;
    browser.click(&submit).await;
    let started = Instant::now();
    loop {
        let url = browser.url().await;
        if !url.starts_with(&format!("{}/logga-in", app.base)) {
            return url;
        }
        if started.elapsed() > WAIT {
            let page = browser.script("return document.querySelector('main').innerText", json!([])).await;
            panic!("still signing in after {WAIT:?} on {url}; the page says:\n{page}");
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[actix_rt::test]
async fn signing_in_never_leaves_the_service() {
    let Some((app, browser)) = start().await else { return };
    let (forbund, _) = demo_forbund(&app).await;
    let registrar = token("registrar", Some(&forbund));
    let start_page = format!("{}/forbund/{forbund}/insatser?ar=", app.base);
    // A `blob:` address carries the service's origin but is no page of it.
    let blob = format!("blob:{}/0b7e4f52-0000-4000-8000-000000000000", app.base);
    let mut astray = Vec::new();
    for attempt in OFF_SITE.iter().copied().chain([blob.as_str()]) {
        let landed = sign_in_returning_to(&app, &browser, attempt, &registrar).await;
        // Off the service or not, anything but the start page means the attempt was followed.
        if !landed.starts_with(&start_page) {
            astray.push(format!("tillbaka={attempt} → {landed}"));
        }
    }
    assert!(astray.is_empty(), "signing in went elsewhere than {start_page}…:\n{}", astray.join("\n"));
    browser.quit().await;
    app.stop().await;
}

#[actix_rt::test]
async fn signing_in_returns_to_the_page_of_the_service_asked_for() {
    let Some((app, browser)) = start().await else { return };
    let (forbund, _) = demo_forbund(&app).await;
    let registrar = token("registrar", Some(&forbund));
    let base = &app.base;
    let same_site = [
        (format!("/forbund/{forbund}/insatser"), format!("{base}/forbund/{forbund}/insatser")),
        // With its query and fragment, however encoded.
        (
            format!("%2Fforbund%2F{forbund}%2Fekonomi%2F2023%3Fx%3D1%23topp"),
            format!("{base}/forbund/{forbund}/ekonomi/2023?x=1#topp"),
        ),
        // A full address of the service itself.
        (format!("{base}/forbund/{forbund}/import"), format!("{base}/forbund/{forbund}/import")),
        // Paths that come out beginning with `//`: kept as this site's address, never read as `//host`.
        ("/.//evil.example".to_owned(), format!("{base}//evil.example")),
        ("/a/..//evil.example".to_owned(), format!("{base}//evil.example")),
    ];
    for (attempt, expected) in &same_site {
        let landed = sign_in_returning_to(&app, &browser, attempt, &registrar).await;
        assert_eq!(&landed, expected, "tillbaka={attempt}");
    }
    browser.quit().await;
    app.stop().await;
}

//! The pages over plain HTTP (no browser needed): Swedish HTML with a same-origin-only
//! Content-Security-Policy on every page, assets from the service itself with long caching,
//! and the API, /health and /metrics untouched by the pages' paths.

use reqwest::Method;

use crate::e2e::support::{OWN, TestApp};

const PAGES: &[&str] = &[
    "/",
    "/logga-in",
    "/forbund/samordningsforbundet-i-blekinge/insatser",
    "/forbund/samordningsforbundet-i-blekinge/insatser?ar=2023",
    "/forbund/samordningsforbundet-i-blekinge/insatser/ny",
    "/forbund/samordningsforbundet-i-blekinge/insatser/17",
    "/forbund/samordningsforbundet-i-blekinge/insatser/17/historik",
    "/forbund/samordningsforbundet-i-blekinge/ekonomi/2023",
    "/forbund/samordningsforbundet-i-blekinge/import",
    "/forbund/samordningsforbundet-i-blekinge/arsredovisning/2023",
    "/analys/2023",
    "/analys/2023/fullstandighet",
    "/analys/2023/datakvalitet",
    "/analys/2023/arsredovisningar",
    "/analys/2023/fordelning",
    "/analys/2023/ekonomi",
    "/analys/2023/kommentarer",
    "/statistik",
];

fn attribute_values<'a>(html: &'a str, attribute: &str) -> Vec<&'a str> {
    let needle = format!("{attribute}=\"");
    html.match_indices(&needle)
        .map(|(i, _)| {
            let rest = &html[i + needle.len()..];
            &rest[..rest.find('"').unwrap()]
        })
        .collect()
}

#[actix_rt::test]
async fn every_page_is_swedish_html_that_may_load_only_from_the_service() {
    let app = TestApp::spawn().await;
    for page in PAGES {
        let response = app.get(page).await;
        assert_eq!(response.status(), 200, "{page}");
        let headers = response.headers().clone();
        assert_eq!(headers["content-type"], "text/html; charset=utf-8", "{page}");
        let csp = headers["content-security-policy"].to_str().unwrap();
        assert!(csp.starts_with("default-src 'self';"), "{page}: {csp}");
        for directive in [
            "script-src 'self'",
            "style-src 'self'",
            "connect-src 'self'",
            "object-src 'none'",
            "frame-ancestors 'none'",
        ] {
            assert!(csp.contains(directive), "{page}: {csp} lacks {directive}");
        }
        assert!(!csp.contains("unsafe-inline") && !csp.contains("unsafe-eval"), "{page}: {csp}");
        assert_eq!(headers["x-content-type-options"], "nosniff");
        let html = response.text().await.unwrap();
        assert!(html.starts_with("<!DOCTYPE html><html lang=\"sv\">"), "{page}");
        assert!(html.contains("Hoppa till innehållet") && html.contains("<main"), "{page}: skip link and landmark");
        assert!(!html.contains("style=\""), "{page}: no inline style");
        assert!(
            html.match_indices("<script").all(|(i, _)| {
                let tag = &html[i..i + html[i..].find('>').unwrap()];
                tag.contains(" src=\"/resurser/") || tag.contains("type=\"application/json\"")
            }),
            "{page}: scripts come from the service's files only"
        );
        for url in attribute_values(&html, "src").into_iter().chain(attribute_values(&html, "href")) {
            assert!(url.starts_with('/') || url.starts_with('#'), "{page} refers to {url}");
            if url.starts_with("/resurser/") {
                let asset = app.get(url).await;
                assert_eq!(asset.status(), 200, "{url}");
                assert_eq!(asset.headers()["cache-control"], "public, max-age=31536000, immutable", "{url}");
            }
        }
    }
    app.stop().await;
}

#[actix_rt::test]
async fn the_pages_leave_the_api_health_and_metrics_alone() {
    let app = TestApp::spawn().await;
    let forbund = app.get("/api/v1/forbund").await;
    assert_eq!(forbund.status(), 200);
    assert!(forbund.headers()["content-type"].to_str().unwrap().starts_with("application/json"));
    let one = app.get(&format!("/api/v1/forbund/{OWN}")).await;
    assert_eq!(one.status(), 200);
    assert_eq!(app.get("/health").await.status(), 200);
    assert_eq!(app.get("/metrics").await.status(), 200);
    // Registration still needs a token: a page's path is no way around the API's roles.
    let list = app.request(Method::GET, &format!("/api/v1/forbund/{OWN}/insatser"), None).send().await.unwrap();
    assert_eq!(list.status(), 401);
    // An unknown asset or page is the API's problem+json 404.
    let missing = app.get("/resurser/0/finns-inte.js").await;
    assert_eq!(missing.status(), 404);
    let nowhere = app.get("/forbund/x/okand-sida").await;
    assert_eq!(nowhere.status(), 404);
    assert_eq!(nowhere.headers()["content-type"], "application/problem+json");
    let analys = app.get("/analys").await;
    assert_eq!(analys.status(), 200, "redirected to the last year's dashboard (reqwest follows)");
    assert!(analys.url().path().starts_with("/analys/20"));
    app.stop().await;
}

//! The OpenAPI document and the interactive docs, which must work with no network.

use crate::e2e::support::{TestApp, parts, token};

#[actix_rt::test]
async fn the_served_spec_is_the_committed_one() {
    let app = TestApp::spawn().await;
    let (status, _, served) = parts(app.get("/api/v1/openapi.json").await).await;
    assert_eq!(status, 200);
    let committed: serde_json::Value =
        serde_json::from_str(include_str!("../../openapi/openapi.json")).expect("openapi/openapi.json is JSON");
    assert_eq!(served, committed);
    assert!(served["openapi"].as_str().unwrap().starts_with("3.1"));
    app.stop().await;
}

#[actix_rt::test]
async fn the_docs_page_loads_everything_from_the_service() {
    let app = TestApp::spawn().await;
    let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let response = client.get(format!("{}/api/v1/docs", app.base)).send().await.unwrap();
    assert_eq!(response.headers()["location"], "/api/v1/docs/");

    let page = app.get("/api/v1/docs/").await;
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    let assets: Vec<String> = ["src=\"", "href=\""]
        .iter()
        .flat_map(|attr| html.split(attr).skip(1).map(|rest| rest.split('"').next().unwrap().to_owned()))
        .collect();
    assert!(assets.len() >= 3, "{assets:?}");
    for asset in &assets {
        assert!(!asset.contains("://") && !asset.starts_with("//"), "loads {asset} from elsewhere");
        let url = format!("/api/v1/docs/{}", asset.trim_start_matches("./"));
        assert_eq!(app.get(&url).await.status(), 200, "{url}");
    }
    let initializer = app.get("/api/v1/docs/swagger-initializer.js").await.text().await.unwrap();
    assert!(initializer.contains("/api/v1/openapi.json"), "{initializer}");
    assert!(
        initializer.contains("\"validatorUrl\": \"none\"") || initializer.contains("\"validatorUrl\":\"none\""),
        "{initializer}"
    );
    assert!(!initializer.contains("https://") && !initializer.contains("http://"), "{initializer}");
    app.stop().await;
}

/// The policy the docs' files are served with, from the page through to the bundle it loads.
#[actix_rt::test]
async fn the_docs_may_not_be_framed_and_run_only_the_services_own_scripts() {
    let app = TestApp::spawn().await;
    for path in [
        "/api/v1/docs/",
        "/api/v1/docs/index.html",
        "/api/v1/docs/swagger-initializer.js",
        "/api/v1/docs/swagger-ui-bundle.js",
    ] {
        let response = app.get(path).await;
        assert_eq!(response.status(), 200, "{path}");
        let headers = response.headers();
        let csp = headers.get("content-security-policy").unwrap_or_else(|| panic!("{path}: no CSP")).to_str().unwrap();
        let directives: Vec<&str> = csp.split(';').map(str::trim).collect();
        for directive in ["default-src 'none'", "script-src 'self'", "connect-src 'self'", "frame-ancestors 'none'"] {
            assert!(directives.contains(&directive), "{path}: {csp} lacks {directive}");
        }
        assert!(!csp.contains("unsafe-inline") && !csp.contains("unsafe-eval"), "{path}: {csp}");
        assert_eq!(headers["x-content-type-options"], "nosniff", "{path}");
    }
    app.stop().await;
}

/// Nothing the API sends may be sniffed into something else: data, problems (ours and the ones
/// rewritten from plain-text errors), the document, a redirect.
#[actix_rt::test]
async fn every_api_response_forbids_sniffing() {
    let app = TestApp::spawn().await;
    let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let admin = token("admin", None);
    let bad_segment = app.request(reqwest::Method::GET, "/api/v1/years/tjugotjugotre", Some(&admin));
    let responses = [
        ("counties", app.get("/api/v1/counties").await, 200),
        ("no such resource", app.get("/api/v1/no-such-thing").await, 404),
        ("no token", app.get("/api/v1/years/2023").await, 401),
        ("a bad path segment", bad_segment.send().await.unwrap(), 400),
        ("a plain 404 rewritten as a problem", app.get("/api/v1/docs/no-such-file.js").await, 404),
        ("the document", app.get("/api/v1/openapi.json").await, 200),
        ("the docs' redirect", client.get(format!("{}/api/v1/docs", app.base)).send().await.unwrap(), 308),
        ("health", app.get("/health").await, 200),
    ];
    for (what, response, status) in responses {
        assert_eq!(response.status(), status, "{what}");
        assert_eq!(
            response.headers().get("x-content-type-options").map(|v| v.to_str().unwrap()),
            Some("nosniff"),
            "{what}"
        );
    }
    app.stop().await;
}

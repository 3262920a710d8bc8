//! The OpenAPI document and the interactive docs, which must work with no network.

use crate::support::{TestApp, parts};

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

//! The limits: imports are rate limited per client, and a body over the size limit is 413.

use std::time::{Duration, Instant};

use reqwest::Method;

use super::batch::{batch, import, imports_path, rows};
use crate::e2e::support::{OWN, TestApp, parts, token};

#[actix_rt::test]
async fn imports_are_rate_limited_per_client() {
    let app = TestApp::spawn_with_state(|state| state.with_import_limits(2, 5000)).await;
    let body = batch("atomic", rows("rate", 1));
    for _ in 0..2 {
        let got = import(&app, "?dry_run=true", &body, None).await;
        assert_eq!(got.status, 200, "{}", got.body);
    }
    let before = app.snapshot();
    let response = app
        .request(Method::POST, &imports_path(OWN), Some(&token("registrar", Some(OWN))))
        .json(&body)
        .send()
        .await
        .unwrap();
    let retry_after: u64 = response.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=60).contains(&retry_after), "Retry-After {retry_after}");
    let (status, content_type, problem) = parts(response).await;
    assert_eq!(
        (status, content_type.as_str(), problem["code"].as_str()),
        (429, "application/problem+json", Some("rate_limited"))
    );
    assert_eq!(app.snapshot(), before, "a rate-limited import wrote");
    // Another client has its own share.
    let response =
        app.request(Method::POST, &imports_path(OWN), Some(&token("admin", None))).json(&body).send().await.unwrap();
    let (status, _, summary) = parts(response).await;
    assert_eq!((status, summary["created"].as_u64()), (200, Some(1)), "{summary}");
    app.stop().await;
}

#[actix_rt::test]
async fn imports_a_body_over_the_limit_is_413() {
    let app = TestApp::spawn().await;
    let limit = 64 * 1024 * 1024;
    let mut big = Vec::with_capacity(limit + 16);
    big.extend_from_slice(b"{\"insatser\": [], \"pad\": \"");
    big.resize(limit + 1, b'x');
    let started = Instant::now();
    let response = app
        .request(Method::POST, &imports_path(OWN), Some(&token("registrar", Some(OWN))))
        .header("content-type", "application/json")
        .body(big)
        .send()
        .await
        .expect("an answer to an oversized body");
    let (status, content_type, problem) = parts(response).await;
    assert_eq!(
        (status, content_type.as_str(), problem["code"].as_str()),
        (413, "application/problem+json", Some("payload_too_large")),
        "{problem}"
    );
    assert!(started.elapsed() < Duration::from_secs(20), "{:?}", started.elapsed());
    app.stop().await;
}

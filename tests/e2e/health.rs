use diesel::RunQueryDsl;
use serde_json::json;

use crate::e2e::support::{TestApp, parts};

#[actix_rt::test]
async fn health_reports_the_database_and_a_request_id() {
    let app = TestApp::spawn().await;
    let response = app.get("/health").await;
    let request_id = response.headers().get("x-request-id").expect("x-request-id").to_str().unwrap().to_owned();
    assert_eq!(request_id.len(), 36, "a uuid: {request_id}");
    let (status, _, body) = parts(response).await;
    assert_eq!((status, body), (200, json!({"status": "ok", "database": "ok"})));
    app.stop().await;
}

#[actix_rt::test]
async fn health_is_503_when_the_database_is_gone() {
    let app = TestApp::spawn().await;
    assert_eq!(app.get("/health").await.status(), 200);
    // Drop the service's database under it: every connection ends and none can be made again.
    let mut admin = finsam_store::pool::establish(finsam_test_db::admin_url()).unwrap();
    diesel::sql_query(format!("DROP DATABASE {} WITH (FORCE)", app.db.name())).execute(&mut admin).unwrap();

    let response = app.get("/health").await;
    assert_eq!(response.headers().get("retry-after").map(|v| v.to_str().unwrap()), Some("5"));
    let (status, _, body) = parts(response).await;
    assert_eq!((status, body), (503, json!({"status": "unavailable", "database": "unavailable"})));

    let (status, content_type, problem) = parts(app.get("/api/v1/counties").await).await;
    assert_eq!((status, content_type.as_str()), (503, "application/problem+json"));
    assert_eq!(problem["code"], "database_unavailable");
    app.stop().await;
}

/// A documented path asked with a method it does not answer is 405 with `Allow`, as a problem;
/// an undocumented path stays 404. Nothing is written either way.
#[actix_rt::test]
async fn other_methods_on_documented_paths_are_405_with_allow() {
    use reqwest::Method;
    let app = TestApp::spawn().await;
    let admin = crate::e2e::support::token("admin", None);
    let trace = Method::from_bytes(b"TRACE").unwrap();
    for (method, path, allow) in [
        (trace.clone(), "/api/v1/forbund/samordningsforbundet-i-blekinge/insatser", "GET, POST"),
        (Method::PATCH, "/api/v1/forbund/samordningsforbundet-i-blekinge/insatser/1", "DELETE, GET, PUT"),
        (Method::DELETE, "/api/v1/counties", "GET"),
        (trace.clone(), "/health", "GET"),
    ] {
        let response = app.request(method.clone(), path, Some(&admin)).send().await.unwrap();
        assert_eq!(
            response.headers().get("allow").map(|v| v.to_str().unwrap().to_owned()).as_deref(),
            Some(allow),
            "{method} {path}"
        );
        let (status, content_type, problem) = parts(response).await;
        assert_eq!((status, content_type.as_str()), (405, "application/problem+json"), "{method} {path}");
        assert_eq!(problem["code"], "method_not_allowed");
    }
    let (status, _, _) = parts(app.request(trace, "/api/v1/no-such-thing", Some(&admin)).send().await.unwrap()).await;
    assert_eq!(status, 404);
    app.stop().await;
}

use diesel::RunQueryDsl;

use crate::e2e::support::{OWN, TestApp};

async fn scrape(app: &TestApp) -> String {
    let response = app.get("/metrics").await;
    assert_eq!(response.status(), 200);
    let content_type = response.headers().get("content-type").unwrap().to_str().unwrap().to_owned();
    assert_eq!(content_type, "text/plain; version=0.0.4; charset=utf-8");
    response.text().await.unwrap()
}

fn has_line(text: &str, line: &str) -> bool {
    text.lines().any(|l| l == line)
}

#[actix_rt::test]
async fn metrics_count_requests_by_route_pattern_with_no_token() {
    let app = TestApp::spawn().await;
    assert_eq!(app.get("/health").await.status(), 200);
    assert_eq!(app.get("/health").await.status(), 200);
    assert_eq!(app.get(&format!("/no/such/{OWN}")).await.status(), 404);
    assert_eq!(app.get(&format!("/api/v1/forbund/{OWN}/insatser")).await.status(), 401);
    // Publishing protects the year once; open reads serve the release.
    app.publish(2023, "Första publiceringen").await;
    for _ in 0..2 {
        assert_eq!(app.get("/api/v1/open/tables/insatser-by-kind?year=2023").await.status(), 200);
    }
    // An exact table loads the statistics data once.
    let analyst = crate::e2e::support::token("analyst", None);
    let exact = app.request(reqwest::Method::GET, "/api/v1/tables/insatser-by-kind?year=2023", Some(&analyst));
    assert_eq!(exact.send().await.unwrap().status(), 200);

    let text = scrape(&app).await;
    for line in [
        r#"finsam_http_requests_total{method="GET",route="/health",status="200"} 2"#,
        r#"finsam_http_requests_total{method="GET",route="unmatched",status="404"} 1"#,
        r#"finsam_http_requests_total{method="GET",route="/api/v1/forbund/{forbund_key}/insatser",status="401"} 1"#,
        r#"finsam_http_requests_total{method="GET",route="/api/v1/open/tables/{table_id}",status="200"} 2"#,
        r#"finsam_http_request_duration_seconds_count{method="GET",route="/health"} 2"#,
        r#"finsam_http_request_duration_seconds_bucket{method="GET",route="/health",le="+Inf"} 2"#,
        r#"finsam_http_request_duration_seconds_count{method="GET",route="unmatched"} 1"#,
        r#"finsam_table_snapshot_refresh_seconds_count 1"#,
        r#"finsam_open_tables_protect_seconds_count 1"#,
        r#"finsam_import_jobs{state="queued"} 0"#,
        r#"finsam_import_jobs{state="done"} 0"#,
        r#"finsam_import_jobs{state="failed"} 0"#,
    ] {
        assert!(has_line(&text, line), "no line {line} in\n{text}");
    }
    // The raw paths, with a förbund key in them, are never labels.
    assert!(!text.contains(OWN), "{text}");
    for (name, kind) in [
        ("finsam_http_requests_total", "counter"),
        ("finsam_http_request_duration_seconds", "histogram"),
        ("finsam_db_pool_connections", "gauge"),
        ("finsam_db_pool_max_connections", "gauge"),
        ("finsam_import_jobs", "gauge"),
        ("finsam_table_snapshot_refresh_seconds", "histogram"),
        ("finsam_open_tables_protect_seconds", "histogram"),
    ] {
        assert!(has_line(&text, &format!("# TYPE {name} {kind}")), "no TYPE of {name} in\n{text}");
        assert!(text.lines().any(|l| l.starts_with(&format!("# HELP {name} "))), "no HELP of {name} in\n{text}");
    }
    let max = text.lines().find_map(|l| l.strip_prefix("finsam_db_pool_max_connections ")).unwrap();
    assert!(max.parse::<u32>().unwrap() > 0, "{text}");
    assert!(text.lines().any(|l| l.starts_with(r#"finsam_db_pool_connections{state="idle"} "#)), "{text}");
    assert!(text.lines().any(|l| l.starts_with(r#"finsam_db_pool_connections{state="in_use"} "#)), "{text}");

    // Each server counts its own requests, and the scrape itself is counted.
    let other = TestApp::spawn().await;
    let fresh = scrape(&other).await;
    assert!(!fresh.contains("route=\"/health\""), "{fresh}");
    assert!(has_line(
        &scrape(&other).await,
        r#"finsam_http_requests_total{method="GET",route="/metrics",status="200"} 1"#
    ));
    other.stop().await;
    app.stop().await;
}

#[actix_rt::test]
async fn metrics_answer_without_the_database() {
    let app = TestApp::spawn().await;
    assert_eq!(app.get("/health").await.status(), 200);
    let mut admin = finsam_store::pool::establish(finsam_test_db::admin_url()).unwrap();
    diesel::sql_query(format!("DROP DATABASE {} WITH (FORCE)", app.db.name())).execute(&mut admin).unwrap();

    let text = scrape(&app).await;
    assert!(has_line(&text, "# finsam_import_jobs skipped: the database did not answer"), "{text}");
    assert!(!text.contains("finsam_import_jobs{"), "{text}");
    assert!(has_line(&text, r#"finsam_http_requests_total{method="GET",route="/health",status="200"} 1"#), "{text}");
    app.stop().await;
}

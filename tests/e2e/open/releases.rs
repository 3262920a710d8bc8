//! Open statistics are releases: nothing of a year is public before an admin closes it and
//! publishes a release; a release is frozen, byte for byte, whatever is corrected after it, until
//! the next release, and earlier releases stay readable; the database refuses to change one.

use diesel::RunQueryDsl;
use reqwest::Method;
use serde_json::{Value, json};

use super::fetch::{open_json, raw, table_ids};
use crate::e2e::support::{OWN, TestApp, individual_insats, parts, token};

const YEAR: i32 = 2023;

/// Every open answer for the year that a reader can fetch: each table in each format nationally,
/// for a county and for the förbund the test corrects, and the ZIP in each variant.
async fn paths(app: &TestApp) -> Vec<String> {
    let mut paths = Vec::new();
    for id in table_ids(app).await {
        for selection in ["", "&county=10", &format!("&forbund={OWN}")] {
            for format in ["json", "json-stat2", "csv", "xlsx"] {
                paths.push(format!("/api/v1/open/tables/{id}?year={YEAR}{selection}&format={format}"));
            }
        }
    }
    for query in ["", "?csv_separator=%3B", "?lang=en"] {
        paths.push(format!("/api/v1/open/export/{YEAR}.zip{query}"));
    }
    paths
}

/// The bytes of every path, asserting each answered 200.
async fn fetch_all(app: &TestApp, paths: &[String], suffix: &str) -> Vec<Vec<u8>> {
    let mut all = Vec::new();
    for path in paths {
        let path = if suffix.is_empty() {
            path.clone()
        } else if path.contains('?') {
            format!("{path}&{suffix}")
        } else {
            format!("{path}?{suffix}")
        };
        let (status, _, bytes) = raw(app, &path).await;
        assert_eq!(status, 200, "{path}: {}", String::from_utf8_lossy(&bytes));
        all.push(bytes);
    }
    all
}

async fn post(app: &TestApp, path: &str, body: Option<Value>) -> (u16, Value) {
    let mut request = app.request(Method::POST, path, Some(&token("admin", None)));
    if let Some(body) = body {
        request = request.json(&body);
    }
    let (status, _, body) = parts(request.send().await.unwrap()).await;
    (status, body)
}

/// The national participants (women, men) of the exact table, as an analyst reads it.
async fn exact_participants(app: &TestApp) -> Value {
    let path = format!("/api/v1/tables/individual-participants?year={YEAR}&forbund={OWN}");
    let (status, _, body) =
        parts(app.request(Method::GET, &path, Some(&token("analyst", None))).send().await.unwrap()).await;
    assert_eq!(status, 200, "{body}");
    body["values"].clone()
}

#[actix_rt::test]
async fn open_tables_are_frozen_releases_of_closed_years() {
    let app = TestApp::spawn().await;
    finsam_demo::load(&mut app.db.conn()).expect("the demo loads");
    let paths = paths(&app).await;

    // Before a release, every open endpoint for the year answers 404 not_published, also once
    // the year is closed; publishing an open year is refused.
    let (status, refused) = post(&app, &format!("/api/v1/years/{YEAR}/releases"), Some(json!({"note": "Först"}))).await;
    assert_eq!((status, refused["code"].as_str()), (409, Some("year_not_closed")), "{refused}");
    let (status, _) = post(&app, &format!("/api/v1/years/{YEAR}/close"), None).await;
    assert_eq!(status, 200);
    for path in &paths {
        let (status, content_type, body) = raw(&app, path).await;
        let problem: Value = serde_json::from_slice(&body).unwrap_or_else(|_| panic!("{path}: not JSON"));
        assert_eq!((status, content_type.as_str()), (404, "application/problem+json"), "{path}: {problem}");
        assert_eq!(problem["code"], "not_published", "{path}");
        assert!(problem["detail"].as_str().unwrap().contains("published years: none yet"), "{path}: {problem}");
    }
    assert_eq!(open_json(&app, "/api/v1/open/releases").await, json!([]));

    // Release 1.
    let (status, first) =
        post(&app, &format!("/api/v1/years/{YEAR}/releases"), Some(json!({"note": "Första publiceringen"}))).await;
    assert_eq!(status, 201, "{first}");
    assert_eq!(
        (first["year"].as_i64(), first["release"].as_i64(), first["threshold"].as_i64()),
        (Some(2023), Some(1), Some(4))
    );
    assert_eq!(first["note"], "Första publiceringen");
    assert!(first["data_as_of"].is_string() && first["data_version"].as_i64().unwrap() > 0, "{first}");
    assert!(first.get("published_by").is_none(), "who published is in the audit log, not in open data: {first}");
    let listed = open_json(&app, "/api/v1/open/releases").await;
    assert_eq!(listed, json!([first]));
    let before = fetch_all(&app, &paths, "").await;
    let other_years = raw(&app, "/api/v1/open/tables/exits?year=2022").await;
    assert_eq!(other_years.0, 404);
    assert!(String::from_utf8_lossy(&other_years.2).contains("published years: 2023"));

    // An admin corrects the closed year: the exact tables move at once, the release does not.
    let exact_before = exact_participants(&app).await;
    let insats = app.create_insats(OWN, &individual_insats()).await;
    let figures = json!({"participants": {"women": 9, "men": 7}, "budget": "100000.00", "outcome": "90000.00"});
    let path = format!("/api/v1/forbund/{OWN}/insatser/{}/years/{YEAR}", insats["id"]);
    let put = app.request(Method::PUT, &path, Some(&token("admin", None))).json(&figures);
    let (status, _, body) = parts(put.send().await.unwrap()).await;
    assert_eq!(status, 201, "{body}");
    assert_ne!(exact_participants(&app).await, exact_before, "the correction shows in the exact tables");
    let after_correction = fetch_all(&app, &paths, "").await;
    for ((path, old), new) in paths.iter().zip(&before).zip(&after_correction) {
        assert!(old == new, "{path} changed after a correction, before a new release");
    }

    // Release 2 serves the correction; release 1 stays readable, byte for byte.
    let (status, second) =
        post(&app, &format!("/api/v1/years/{YEAR}/releases"), Some(json!({"note": "Rättelse av Blekinge"}))).await;
    assert_eq!((status, second["release"].as_i64()), (201, Some(2)), "{second}");
    let latest = fetch_all(&app, &paths, "").await;
    let changed = paths.iter().zip(&before).zip(&latest).filter(|((_, old), new)| old != new).count();
    assert!(changed > 0, "release 2 differs from release 1");
    let first_again = fetch_all(&app, &paths, "release=1").await;
    for ((path, old), again) in paths.iter().zip(&before).zip(&first_again) {
        assert!(old == again, "{path}?release=1 is not release 1 as first published");
    }
    assert_eq!(fetch_all(&app, &paths, "release=2").await, latest);
    assert_eq!(open_json(&app, "/api/v1/open/releases").await, json!([first, second]));

    // Publishing is audited with its note; the database refuses to rewrite a release.
    let audit: Vec<(String, String)> = diesel::sql_query(
        "SELECT entity_id, reason FROM audit_events WHERE entity = 'open_release' AND action = 'publish' ORDER BY id",
    )
    .load::<AuditRow>(&mut app.db.conn())
    .unwrap()
    .into_iter()
    .map(|row| (row.entity_id, row.reason))
    .collect();
    assert_eq!(
        audit,
        [
            ("2023/1".to_owned(), "Första publiceringen".to_owned()),
            ("2023/2".to_owned(), "Rättelse av Blekinge".to_owned())
        ]
    );
    for statement in [
        "UPDATE open_releases SET note = 'x'",
        "DELETE FROM open_releases",
        "TRUNCATE open_releases CASCADE",
        "UPDATE open_release_tables SET published = '{}'",
        "DELETE FROM open_release_tables",
        "TRUNCATE open_release_tables",
    ] {
        let refused = diesel::sql_query(statement).execute(&mut app.db.conn()).unwrap_err().to_string();
        assert!(refused.contains("is immutable"), "{statement}: {refused}");
    }
    assert_eq!(fetch_all(&app, &paths, "release=1").await, before);
    app.stop().await;
}

#[derive(diesel::QueryableByName)]
struct AuditRow {
    #[diesel(sql_type = diesel::sql_types::Text)]
    entity_id: String,
    #[diesel(sql_type = diesel::sql_types::Text)]
    reason: String,
}

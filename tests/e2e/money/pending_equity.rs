//! Acceptance 4: finances with pending equity are accepted; the equity tables leave them out
//! and say how many.

use reqwest::Method;
use serde_json::{Value, json};

use crate::e2e::support::{OTHER, OWN, TestApp, finances, parts, token, with};

async fn put_finances(app: &TestApp, forbund: &str, body: &Value) -> (u16, Value) {
    let registrar = token("registrar", Some(forbund));
    let path = format!("/api/v1/forbund/{forbund}/finances/2023");
    let (status, _, body) =
        parts(app.request(Method::PUT, &path, Some(&registrar)).json(body).send().await.unwrap()).await;
    (status, body)
}

async fn analyst_get(app: &TestApp, path: &str) -> Value {
    let (status, _, body) =
        parts(app.request(Method::GET, path, Some(&token("analyst", None))).send().await.unwrap()).await;
    assert_eq!(status, 200, "{path}: {body}");
    body
}

#[actix_rt::test]
async fn finances_with_pending_equity_are_accepted_and_the_equity_table_counts_them() {
    let app = TestApp::spawn().await;
    // In January: the annual report is not drawn up, so closing equity and the outcome are pending.
    let pending = with(
        finances(),
        json!({"administration": {"budget": "600000.00", "outcome": null}, "equity": {"opening": "1200000.00", "closing": null}}),
    );
    // A refused body first: nothing is stored.
    let wrong = with(pending.clone(), json!({"equity": {"opening": "1200000.00", "closing": "lots"}}));
    let (status, problem) = put_finances(&app, OWN, &wrong).await;
    assert_eq!(status, 422, "{problem}");
    assert_eq!(problem["errors"][0]["path"], "/equity/closing");
    let path = format!("/api/v1/forbund/{OWN}/finances/2023");
    let read = app.request(Method::GET, &path, Some(&token("registrar", Some(OWN)))).send().await.unwrap();
    assert_eq!(read.status(), 404, "the refused body stored nothing");

    let (status, record) = put_finances(&app, OWN, &pending).await;
    assert_eq!(status, 201, "{record}");
    assert_eq!(record["equity"], json!({"opening": "1200000.00", "closing": null}));
    assert_eq!(record["administration"]["outcome"], Value::Null);
    assert_eq!(record["result"], Value::Null, "no result without closing equity");
    let (status, other) = put_finances(&app, OTHER, &finances()).await;
    assert_eq!(status, 201, "{other}");

    // Opening over both förbund, closing and result over the one that gave it; one pending.
    let table = analyst_get(&app, "/api/v1/tables/equity?year=2023&lang=en").await;
    let values: Vec<f64> =
        table["values"].as_array().unwrap().iter().map(|v| v.as_str().unwrap().parse().unwrap()).collect();
    assert_eq!(values, [2_400_000.0, -100_000.0, 1_100_000.0], "opening, result, closing: {table}");
    assert_eq!(
        table["data_notes"],
        json!([{
            "code": "closing_equity_pending", "year": 2023, "count": 1,
            "text_sv": table["data_notes"][0]["text_sv"], "text_en": table["data_notes"][0]["text_en"],
        }])
    );
    let notes = table["notes"].as_array().unwrap();
    assert!(
        notes.iter().any(|n| n.as_str().unwrap().contains("pending (annual report not yet adopted) for 1 förbund")),
        "{table}"
    );

    // JSON-stat says the same in its notes and extension.
    let stat = analyst_get(&app, "/api/v1/tables/equity?year=2023&format=json-stat2").await;
    assert_eq!(stat["extension"]["data_notes"][0]["count"], 1, "{stat}");
    assert!(stat["note"].as_array().unwrap().iter().any(|n| n.as_str().unwrap().contains("saknas ännu")), "{stat}");

    // The quality flags list the förbund that is pending, and compare no equity of it.
    let flags = analyst_get(&app, "/api/v1/quality?year=2023").await;
    let pending: Vec<&Value> =
        flags.as_array().unwrap().iter().filter(|f| f["code"] == "closing_equity_pending").collect();
    assert_eq!(pending.len(), 1, "{flags}");
    assert_eq!(pending[0]["forbund_key"], OWN);

    // Once the annual report is in, the förbund completes its finances and the note is gone.
    let complete = with(finances(), json!({"version": 1}));
    let (status, record) = put_finances(&app, OWN, &complete).await;
    assert_eq!(status, 200, "{record}");
    assert_eq!(record["result"], "-100000.00");
    let table = analyst_get(&app, "/api/v1/tables/equity?year=2023").await;
    assert_eq!(table["data_notes"], json!([]), "{table}");
    app.stop().await;
}

//! The state's allocation through the API (issue 17): calculate with a body (a what-if that
//! stores nothing), decide, calculate again; the totals sum exactly to the frame less the
//! national support; missing parameters are named; refused requests change nothing.

use reqwest::Method;
use serde_json::{Value, json};

use super::reference_statistics::{csv, members, put_csv};
use crate::e2e::support::{TestApp, parts, token_as, with};

async fn call(app: &TestApp, method: Method, path: &str, role: &str, body: Option<Value>) -> (u16, Value) {
    let mut request = app.request(method, path, Some(&token_as(role)));
    if let Some(body) = body {
        request = request.json(&body);
    }
    let (status, _, body) = parts(request.send().await.unwrap()).await;
    (status, body)
}

fn kronor(value: &Value) -> i64 {
    let text = value.as_str().unwrap_or_else(|| panic!("an amount: {value}"));
    let (whole, fraction) = text.split_once('.').unwrap_or((text, "0"));
    assert!(fraction.bytes().all(|b| b == b'0'), "whole kronor: {text}");
    whole.parse().unwrap()
}

fn totals(allocation: &Value) -> Vec<i64> {
    allocation["forbund"].as_array().unwrap().iter().map(|f| kronor(&f["total"])).collect()
}

fn parameters(frame: &str) -> Value {
    json!({"frame": frame, "national_support": "3000000", "base_amount": "400000",
           "forsorjningsmatt_weight": "0.75", "population_weight": "0.25",
           "damping": {"max_fall": "0.10"}, "equity_rule": "no_effect", "statistics_year": 2023})
}

#[actix_rt::test]
async fn calculate_decide_and_calculate_again_sum_exactly_to_what_is_distributed() {
    let app = TestApp::spawn().await;
    let codes = members(&app, 2023).await;
    assert_eq!(put_csv(&app, 2023, "admin", csv(&codes)).await.0, 201);
    let calculate = "/api/v1/allocations/2024/calculate";

    // Nothing set and nothing decided: every parameter named.
    let (status, problem) = call(&app, Method::POST, calculate, "analyst", Some(json!({}))).await;
    assert_eq!(status, 422, "{problem}");
    let mut named: Vec<&str> =
        problem["errors"].as_array().unwrap().iter().map(|e| e["path"].as_str().unwrap()).collect();
    named.sort();
    assert_eq!(
        named,
        [
            "/base_amount",
            "/damping",
            "/equity_rule",
            "/forsorjningsmatt_weight",
            "/frame",
            "/national_support",
            "/population_weight",
            "/statistics_year"
        ]
    );
    assert!(problem["errors"].as_array().unwrap().iter().all(|e| e["code"] == "required"), "{problem}");
    // Statistics of a year never imported: said once.
    let (status, problem) = call(
        &app,
        Method::POST,
        calculate,
        "admin",
        Some(with(parameters("339000000"), json!({"statistics_year": 2019}))),
    )
    .await;
    assert_eq!(status, 422);
    assert!(
        problem["errors"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["path"] == "/statistics_year" && e["code"] == "statistics_missing"),
        "{problem}"
    );

    // A what-if with every parameter: per förbund, summing exactly to 339 000 000 − 3 000 000.
    let (status, what_if) = call(&app, Method::POST, calculate, "analyst", Some(parameters("339000000"))).await;
    assert_eq!(status, 200, "{what_if}");
    let allocation = &what_if["allocation"];
    assert_eq!(kronor(&allocation["distributed"]), 336_000_000);
    assert_eq!(totals(allocation).iter().sum::<i64>(), 336_000_000);
    let first = &allocation["forbund"][0];
    assert_eq!(kronor(&first["base"]), 400_000);
    assert_eq!(first["explanation"]["damping"]["status"], "no_previous_allocation");
    assert!(!first["explanation"]["municipalities"].as_array().unwrap().is_empty());
    assert!(what_if["rounding"].as_str().unwrap().contains("largest remainder"));
    let forbund_count = allocation["forbund"].as_array().unwrap().len();
    assert!(forbund_count > 50, "every förbund with members: {forbund_count}");

    // It stored nothing; neither do the refused requests below.
    assert_eq!(call(&app, Method::GET, "/api/v1/allocations/2024", "analyst", None).await.0, 404);
    assert_eq!(call(&app, Method::POST, calculate, "registrar", Some(parameters("339000000"))).await.0, 403);
    assert_eq!(
        call(&app, Method::PUT, "/api/v1/allocations/2024", "analyst", Some(parameters("339000000"))).await.0,
        403
    );
    let mut incomplete = parameters("339000000");
    incomplete.as_object_mut().unwrap().remove("base_amount");
    let (status, problem) = call(&app, Method::PUT, "/api/v1/allocations/2024", "admin", Some(incomplete)).await;
    assert_eq!(status, 422, "{problem}");
    assert_eq!(problem["errors"][0]["path"], "/base_amount");
    assert_eq!(call(&app, Method::GET, "/api/v1/allocations/2024", "analyst", None).await.0, 404);
    assert!(finsam_store::audit::for_entity(&mut app.db.conn(), "allocation", "2024").unwrap().is_empty());

    // Decide 2024: stored, audited, the same numbers as the what-if.
    let (status, decided) =
        call(&app, Method::PUT, "/api/v1/allocations/2024", "admin", Some(parameters("339000000"))).await;
    assert_eq!(status, 201, "{decided}");
    assert_eq!(totals(&decided["allocation"]), totals(allocation));
    let (status, read) = call(&app, Method::GET, "/api/v1/allocations/2024", "analyst", None).await;
    assert_eq!(status, 200);
    assert_eq!(read["totals"].as_array().unwrap().len(), forbund_count);
    let audited = finsam_store::audit::for_entity(&mut app.db.conn(), "allocation", "2024").unwrap();
    assert_eq!(audited.iter().map(|e| e.action.as_str()).collect::<Vec<_>>(), ["create"]);

    // Calculate again with only another frame: the rest falls back to the decided parameters.
    let (status, again) = call(&app, Method::POST, calculate, "analyst", Some(json!({"frame": "350000000"}))).await;
    assert_eq!(status, 200, "{again}");
    assert_eq!(totals(&again["allocation"]).iter().sum::<i64>(), 347_000_000);
    assert_eq!(kronor(&again["allocation"]["parameters"]["base_amount"]), 400_000);

    // 2025 with a smaller frame: 2024's decision is the previous allocation, damping floors bind.
    let (status, next) =
        call(&app, Method::POST, "/api/v1/allocations/2025/calculate", "admin", Some(parameters("320000000"))).await;
    assert_eq!(status, 200, "{next}");
    let rows = next["allocation"]["forbund"].as_array().unwrap();
    assert_eq!(totals(&next["allocation"]).iter().sum::<i64>(), 317_000_000);
    for row in rows {
        let previous = kronor(&row["previous_allocation"]);
        let total = kronor(&row["total"]);
        assert_eq!(kronor(&row["change"]), total - previous);
        assert!(total * 10 >= previous * 9, "no förbund falls by more than 10 %: {row}");
    }
    app.stop().await;
}

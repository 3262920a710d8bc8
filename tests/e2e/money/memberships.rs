//! A municipality split between förbund (issue 17): an admin halves Göteborg's membership and
//! gives the other half to a second förbund; the shares may never exceed 1, refused requests
//! store nothing, and the allocation counts the municipality once.

use reqwest::Method;
use rust_decimal::Decimal;
use serde_json::{Value, json};

use super::reference_statistics::{csv, members, put_csv};
use crate::e2e::support::{OWN, TestApp, parts, token_as};

const GOTEBORG: &str = "samordningsforbundet-goteborg";

async fn call(app: &TestApp, method: Method, path: &str, role: &str, body: Option<Value>) -> (u16, Value) {
    let mut request = app.request(method, path, Some(&token_as(role)));
    if let Some(body) = body {
        request = request.json(&body);
    }
    let (status, _, body) = parts(request.send().await.unwrap()).await;
    (status, body)
}

async fn municipalities_of(app: &TestApp, key: &str) -> Vec<(String, String)> {
    let (status, _, body) = parts(app.get(&format!("/api/v1/forbund/{key}/memberships")).await).await;
    assert_eq!(status, 200, "{body}");
    body.as_array()
        .unwrap()
        .iter()
        .map(|m| (m["municipality_code"].as_str().unwrap().to_owned(), m["share"].as_str().unwrap().to_owned()))
        .collect()
}

fn decimal(value: &Value) -> Decimal {
    match value {
        Value::Number(n) => n.to_string().parse().unwrap(),
        _ => value.as_str().unwrap_or_else(|| panic!("a decimal: {value}")).parse().unwrap(),
    }
}

#[actix_rt::test]
async fn a_split_municipality_shares_at_most_one_and_counts_once_in_the_allocation() {
    let app = TestApp::spawn().await;
    let own = format!("/api/v1/forbund/{OWN}/memberships");
    let half = json!({"municipality_code": "1480", "valid_from": "2024-01-01", "share": "0.5"});

    // Göteborg is wholly in its förbund: another half would make 1.5.
    let (status, problem) = call(&app, Method::POST, &own, "admin", Some(half.clone())).await;
    assert_eq!(status, 422, "{problem}");
    assert_eq!(
        (&problem["errors"][0]["path"], &problem["errors"][0]["code"]),
        (&json!("/share"), &json!("shares_exceed_one"))
    );
    assert_eq!(call(&app, Method::POST, &own, "registrar", Some(half.clone())).await.0, 403);
    assert!(!municipalities_of(&app, OWN).await.iter().any(|(code, _)| code == "1480"), "nothing stored");
    let audited =
        |app: &TestApp, id: &str| finsam_store::audit::for_entity(&mut app.db.conn(), "membership", id).unwrap();
    assert!(audited(&app, &format!("{OWN}/1480/2024-01-01")).is_empty());

    // Halve Göteborg's own membership, then the other half fits.
    let whole = format!("/api/v1/forbund/{GOTEBORG}/memberships/1480/2023-01-01");
    let (status, changed) =
        call(&app, Method::PUT, &whole, "admin", Some(json!({"valid_to": null, "share": "0.5"}))).await;
    assert_eq!(status, 200, "{changed}");
    assert_eq!(decimal(&changed["share"]), Decimal::new(5, 1));
    let (status, added) = call(&app, Method::POST, &own, "admin", Some(half)).await;
    assert_eq!(status, 201, "{added}");
    assert_eq!(audited(&app, &format!("{GOTEBORG}/1480/2023-01-01")).len(), 1);
    assert_eq!(audited(&app, &format!("{OWN}/1480/2024-01-01")).len(), 1);

    // Not a ten-thousandth more, anywhere; nor the same förbund twice at once.
    let third = "/api/v1/forbund/finsam-i-malmo/memberships";
    let sliver = json!({"municipality_code": "1480", "valid_from": "2025-06-01", "share": "0.0001"});
    let (status, problem) = call(&app, Method::POST, third, "admin", Some(sliver)).await;
    assert_eq!((status, &problem["errors"][0]["code"]), (422, &json!("shares_exceed_one")), "{problem}");
    let again = json!({"municipality_code": "1480", "valid_from": "2025-01-01", "share": "0.1"});
    let (status, problem) = call(&app, Method::POST, &own, "admin", Some(again)).await;
    assert_eq!(status, 422, "{problem}");

    // The allocation of 2024 counts Göteborg once: half in each förbund.
    let codes = members(&app, 2023).await;
    let statistics = csv(&codes);
    assert_eq!(put_csv(&app, 2023, "admin", statistics.clone()).await.0, 201);
    let parameters = json!({"frame": "339000000", "national_support": "3000000", "base_amount": "400000",
                            "forsorjningsmatt_weight": "0.75", "population_weight": "0.25",
                            "damping": "none", "equity_rule": "no_effect", "statistics_year": 2023});
    let (status, what_if) =
        call(&app, Method::POST, "/api/v1/allocations/2024/calculate", "analyst", Some(parameters)).await;
    assert_eq!(status, 200, "{what_if}");
    let allocation = &what_if["allocation"];
    let in_file: Decimal =
        statistics.lines().skip(1).map(|l| l.split(',').nth(2).unwrap().parse::<Decimal>().unwrap()).sum();
    assert_eq!(decimal(&allocation["forsorjningsmatt_total"]), in_file, "every municipality counted exactly once");
    let shares_of_1480: Vec<Decimal> = allocation["forbund"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|f| f["explanation"]["municipalities"].as_array().unwrap().iter())
        .filter(|m| m["municipality_code"] == "1480")
        .map(|m| decimal(&m["share"]))
        .collect();
    assert_eq!(shares_of_1480, [Decimal::new(5, 1), Decimal::new(5, 1)]);
    app.stop().await;
}

//! The money tables through the API (issue 17): `allocation` from a decision, in every format;
//! the year's money settings (set by an admin, audited, refused whole when wrong) driving
//! `equity-by-forbund`, its quality flag, the administration share and the state's ledger; none
//! of them in the open releases.

use reqwest::Method;
use serde_json::{Value, json};

use super::reference_statistics::{csv, members, put_csv};
use crate::e2e::support::{OWN, TestApp, finances, parts, token_as};

async fn call(app: &TestApp, method: Method, path: &str, role: &str, body: Option<Value>) -> (u16, String, Value) {
    let mut request = app.request(method, path, Some(&token_as(role)));
    if let Some(body) = body {
        request = request.json(&body);
    }
    parts(request.send().await.unwrap()).await
}

fn decision() -> Value {
    json!({"frame": "339000000", "national_support": "3000000", "base_amount": "400000",
           "forsorjningsmatt_weight": "0.75", "population_weight": "0.25",
           "damping": "none", "equity_rule": "no_effect", "statistics_year": 2023})
}

/// The value of a plain-JSON table at one category code per dimension.
fn cell(table: &Value, codes: &[&str]) -> Value {
    let dimensions = table["dimensions"].as_array().unwrap();
    let mut index = 0;
    for (dimension, code) in dimensions.iter().zip(codes) {
        let categories = dimension["categories"].as_array().unwrap();
        let position = categories.iter().position(|c| c["code"] == *code).unwrap_or_else(|| panic!("no {code}"));
        index = index * categories.len() + position;
    }
    table["values"][index].clone()
}

fn number(value: &Value) -> f64 {
    value.as_f64().or_else(|| value.as_str()?.parse().ok()).unwrap_or_else(|| panic!("a number: {value}"))
}

async fn decided(app: &TestApp) -> Value {
    let codes = members(app, 2023).await;
    assert_eq!(put_csv(app, 2023, "admin", csv(&codes)).await.0, 201);
    let (status, _, decided) = call(app, Method::PUT, "/api/v1/allocations/2024", "admin", Some(decision())).await;
    assert_eq!(status, 201, "{decided}");
    decided
}

#[actix_rt::test]
async fn the_allocation_table_shows_the_decision_in_every_format() {
    let app = TestApp::spawn().await;
    let decided = decided(&app).await;
    let totals = decided["totals"].as_array().unwrap();
    let (status, _, table) = call(&app, Method::GET, "/api/v1/tables/allocation?year=2024", "analyst", None).await;
    assert_eq!(status, 200, "{table}");
    let forbund = table["dimensions"][1]["categories"].as_array().unwrap();
    assert_eq!(forbund.len(), totals.len() + 1, "every förbund decided, then the total");
    for decided in totals {
        let key = decided["forbund_key"].as_str().unwrap();
        assert_eq!(number(&cell(&table, &["2024", key, "total"])), number(&decided["total"]), "{key}");
        let parts: f64 = ["base", "by_forsorjningsmatt", "by_population", "damping_adjustment"]
            .iter()
            .map(|m| number(&cell(&table, &["2024", key, m])))
            .sum();
        assert_eq!(parts, number(&decided["total"]), "{key}: the parts make the total");
    }
    assert_eq!(number(&cell(&table, &["2024", "total", "total"])), 336_000_000.0);
    assert_eq!(number(&cell(&table, &["2024", "total", "share"])), 100.0);
    assert!(forbund.iter().any(|c| c["label_sv"].as_str().unwrap().contains("Blekinge")), "labelled by name");
    // Each förbund's computation as decided, explained.
    let (status, _, read) = call(&app, Method::GET, "/api/v1/allocations/2024", "analyst", None).await;
    assert_eq!(status, 200);
    let first = &read["forbund"][0];
    assert_eq!(
        number(&first["total"]),
        number(&cell(&table, &["2024", first["forbund_key"].as_str().unwrap(), "total"]))
    );
    assert!(!first["explanation"]["municipalities"].as_array().unwrap().is_empty(), "{first}");

    for (format, content_type) in
        [("json-stat2", "application/json"), ("csv", "text/csv"), ("xlsx", "application/vnd.openxmlformats")]
    {
        let path = format!("/api/v1/tables/allocation?year=2024&format={format}");
        let (status, got, _) = call(&app, Method::GET, &path, "analyst", None).await;
        assert_eq!(status, 200, "{format}");
        assert!(got.starts_with(content_type), "{format}: {got}");
    }
    let (_, _, stat) =
        call(&app, Method::GET, "/api/v1/tables/allocation?year=2024&format=json-stat2", "admin", None).await;
    assert_eq!(stat["id"], json!(["year", "forbund", "measure"]));

    // A year not decided says so; the open releases do not hold the money tables.
    let (_, _, undecided) = call(&app, Method::GET, "/api/v1/tables/allocation?year=2023", "analyst", None).await;
    assert_eq!(undecided["data_notes"][0]["code"], "allocation_not_decided", "{undecided}");
    let (status, _, listed) = parts(app.get("/api/v1/open/tables").await).await;
    assert_eq!(status, 200);
    assert!(listed.as_array().unwrap().iter().all(|t| t["id"] != "allocation"));
    assert_eq!(parts(app.get("/api/v1/open/tables/allocation").await).await.0, 404);
    let (_, _, exact) = call(&app, Method::GET, "/api/v1/tables", "analyst", None).await;
    let ids: Vec<&str> = exact.as_array().unwrap().iter().map(|t| t["id"].as_str().unwrap()).collect();
    for id in ["allocation", "equity-by-forbund", "administration-share", "state-funds"] {
        assert!(ids.contains(&id), "{id} in {ids:?}");
    }
    app.stop().await;
}

#[actix_rt::test]
async fn money_settings_drive_the_equity_assessment_the_flags_and_the_ledger() {
    let app = TestApp::spawn().await;
    decided(&app).await;
    let settings = "/api/v1/money-settings/2024";
    let (status, _, unset) = call(&app, Method::GET, settings, "analyst", None).await;
    assert_eq!(status, 200);
    assert_eq!(
        unset,
        json!({"year": 2024, "equity_recommendation": null, "administration_share_limit_percent": null,
                             "national_support_spent": null, "version": 0})
    );

    // The finances of the own förbund: closing 1 100 000 of contributions 4 000 000 = 27.5 %;
    // administration 600 000 and no insatser.
    let path = format!("/api/v1/forbund/{OWN}/finances/2024");
    let (status, _, body) = call(&app, Method::PUT, &path, "admin", Some(finances())).await;
    assert!(status == 200 || status == 201, "{body}");
    let equity = format!("/api/v1/tables/equity-by-forbund?year=2024&forbund={OWN}");
    let (_, _, before) = call(&app, Method::GET, &equity, "analyst", None).await;
    assert_eq!(number(&cell(&before, &["2024", OWN, "share_of_contributions"])), 27.5);
    assert_eq!(cell(&before, &["2024", OWN, "above_recommendation"]), Value::Null, "no steps: no assessment");
    assert_eq!(before["data_notes"][0]["code"], "equity_recommendation_not_set");

    let body = json!({
        "equity_recommendation": [{"contributions_up_to": "5000000", "max_percent": "20"},
                                  {"contributions_up_to": null, "max_percent": "10"}],
        "administration_share_limit_percent": "30",
        "national_support_spent": "1930000.00"
    });
    // Refused whole, nothing stored: an analyst; a step that rises; a percentage out of range.
    assert_eq!(call(&app, Method::PUT, settings, "analyst", Some(body.clone())).await.0, 403);
    let mut wrong = body.clone();
    wrong["equity_recommendation"][1]["max_percent"] = json!("25");
    wrong["administration_share_limit_percent"] = json!("130");
    let (status, _, problem) = call(&app, Method::PUT, settings, "admin", Some(wrong)).await;
    assert_eq!(status, 422, "{problem}");
    let named: Vec<(&str, &str)> = problem["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["path"].as_str().unwrap(), e["code"].as_str().unwrap()))
        .collect();
    assert_eq!(
        named,
        [("/equity_recommendation/1", "steps_out_of_order"), ("/administration_share_limit_percent", "out_of_range")]
    );
    assert_eq!(call(&app, Method::GET, settings, "admin", None).await.2["version"], 0);
    assert!(finsam_store::audit::for_entity(&mut app.db.conn(), "money_settings", "2024").unwrap().is_empty());

    let (status, _, stored) = call(&app, Method::PUT, settings, "admin", Some(body)).await;
    assert_eq!(status, 201, "{stored}");
    assert_eq!(stored["version"], 1);
    let audited = finsam_store::audit::for_entity(&mut app.db.conn(), "money_settings", "2024").unwrap();
    assert_eq!(audited.len(), 1);

    let (_, _, after) = call(&app, Method::GET, &equity, "analyst", None).await;
    assert_eq!(number(&cell(&after, &["2024", OWN, "recommended_max_share"])), 20.0);
    assert_eq!(number(&cell(&after, &["2024", OWN, "above_recommendation"])), 1.0);
    assert!(after["data_notes"].as_array().is_none_or(|n| n.is_empty()), "{after}");

    let (status, _, flags) = call(&app, Method::GET, "/api/v1/quality?year=2024", "analyst", None).await;
    assert_eq!(status, 200, "{flags}");
    let own: Vec<&str> = flags
        .as_array()
        .or_else(|| flags["flags"].as_array())
        .unwrap()
        .iter()
        .filter(|f| f["forbund_key"] == OWN)
        .map(|f| f["code"].as_str().unwrap())
        .collect();
    assert!(own.contains(&"equity_above_recommendation"), "{own:?}");
    assert!(own.contains(&"administration_share_above_limit"), "{own:?}");
    assert!(!own.contains(&"equity_above_contributions"), "the old flag is gone");

    let share = format!("/api/v1/tables/administration-share?year=2024&forbund={OWN}");
    let (_, _, share) = call(&app, Method::GET, &share, "analyst", None).await;
    assert_eq!(number(&cell(&share, &["2024", "share_of_budget"])), 100.0);

    // The report's ledger: 339 allocated, 337.93 spent, 1.07 MSEK unspent.
    let (_, _, ledger) = call(&app, Method::GET, "/api/v1/tables/state-funds?year=2024", "analyst", None).await;
    for (measure, expected) in [
        ("frame", 339_000_000.0),
        ("national_support", 3_000_000.0),
        ("paid_to_forbund", 336_000_000.0),
        ("national_support_spent", 1_930_000.0),
        ("spent", 337_930_000.0),
        ("unspent", 1_070_000.0),
    ] {
        assert_eq!(number(&cell(&ledger, &["2024", measure])), expected, "{measure}");
    }
    app.stop().await;
}

//! Reference statistics imported as CSV by an admin (issue 17, acceptance 3's first half): one
//! bad line and nothing is stored, the line named; a good file is stored, audited and listed.

use reqwest::Method;
use serde_json::Value;

use crate::e2e::support::{OWN, TestApp, parts, token, token_as};

const HEADER: &str = "municipality_code,inhabitants_16_64,forsorjningsmatt_tkr,source,age_band,extract_date\n";

/// The municipalities that are members of a förbund during `year`, sorted.
pub(crate) async fn members(app: &TestApp, year: i32) -> Vec<String> {
    let (status, _, forbund) = parts(app.get(&format!("/api/v1/forbund?year={year}")).await).await;
    assert_eq!(status, 200, "{forbund}");
    let mut codes: Vec<String> = forbund
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|f| f["municipality_codes"].as_array().unwrap().iter().map(|c| c.as_str().unwrap().to_owned()))
        .collect();
    codes.sort();
    codes.dedup();
    codes
}

/// A line per municipality: inhabitants 1000 + its index, försörjningsmått 500.5 + its index.
pub(crate) fn csv(codes: &[String]) -> String {
    let mut file = HEADER.to_owned();
    for (i, code) in codes.iter().enumerate() {
        file.push_str(&format!("{code},{},{}.5,SCB,16-64,2024-01-22\n", 1000 + i, 500 + i));
    }
    file
}

pub(crate) async fn put_csv(app: &TestApp, year: i32, role: &str, body: String) -> (u16, Value) {
    let (status, _, body) = parts(
        app.request(Method::PUT, &format!("/api/v1/reference-statistics/{year}"), Some(&token_as(role)))
            .header("content-type", "text/csv")
            .body(body)
            .send()
            .await
            .unwrap(),
    )
    .await;
    (status, body)
}

async fn listed(app: &TestApp, year: i32) -> Vec<Value> {
    let path = format!("/api/v1/reference-statistics/{year}");
    let (status, _, body) =
        parts(app.request(Method::GET, &path, Some(&token("analyst", None))).send().await.unwrap()).await;
    assert_eq!(status, 200, "{body}");
    body["municipalities"].as_array().unwrap().clone()
}

#[actix_rt::test]
async fn a_csv_with_one_bad_line_stores_nothing_and_a_good_one_is_listed() {
    let app = TestApp::spawn().await;
    let codes = members(&app, 2023).await;
    assert!(codes.len() > 100, "the 2023 membership: {}", codes.len());
    let good = csv(&codes);

    // Line 3 (the second municipality) with a negative count: refused, that line and column named.
    let bad: String = good
        .lines()
        .enumerate()
        .map(|(i, line)| if i == 2 { line.replacen(",1001,", ",-1001,", 1) } else { line.to_owned() } + "\n")
        .collect();
    let (status, problem) = put_csv(&app, 2023, "admin", bad).await;
    assert_eq!(status, 422, "{problem}");
    assert_eq!(problem["code"], "validation_failed");
    let errors = problem["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 1, "{problem}");
    assert_eq!(errors[0]["path"], "line 3/inhabitants_16_64");
    assert_eq!(errors[0]["code"], "negative_count");
    assert!(listed(&app, 2023).await.is_empty(), "nothing stored");

    // A member municipality left out, or a duplicate: refused too, nothing stored.
    let (status, problem) = put_csv(&app, 2023, "admin", csv(&codes[1..])).await;
    assert_eq!(status, 422, "{problem}");
    assert_eq!(problem["errors"][0]["code"], "statistics_missing", "{problem}");
    assert!(problem["errors"][0]["message"].as_str().unwrap().contains(&codes[0]), "{problem}");
    let twice = csv(&codes) + &format!("{},1,1,SCB,16-64,2024-01-22\n", codes[0]);
    let (status, problem) = put_csv(&app, 2023, "admin", twice).await;
    assert_eq!(status, 422, "{problem}");
    assert_eq!(problem["errors"][0]["path"], format!("line {}/municipality_code", codes.len() + 2));
    assert_eq!(problem["errors"][0]["code"], "duplicate_municipality");
    // Only an admin imports, and only CSV.
    for role in ["analyst", "registrar"] {
        assert_eq!(put_csv(&app, 2023, role, good.clone()).await.0, 403, "{role}");
    }
    let json = app
        .request(Method::PUT, "/api/v1/reference-statistics/2023", Some(&token("admin", None)))
        .json(&serde_json::json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(json.status(), 415);
    assert!(listed(&app, 2023).await.is_empty(), "no refused request stored anything");
    let audited = finsam_store::audit::for_entity(&mut app.db.conn(), "reference_statistics", "2023").unwrap();
    assert!(audited.is_empty(), "nor audited anything");

    // The good file: created, listed with every field, audited; a second import replaces it.
    let (status, body) = put_csv(&app, 2023, "admin", good.clone()).await;
    assert_eq!(status, 201, "{body}");
    let rows = listed(&app, 2023).await;
    assert_eq!(rows.len(), codes.len());
    assert_eq!(
        rows[1],
        serde_json::json!({"municipality_code": codes[1], "inhabitants_16_64": 1001, "forsorjningsmatt_tkr": "501.50",
                           "source": "SCB", "age_band": "16-64", "extract_date": "2024-01-22"})
    );
    let (status, _) = put_csv(&app, 2023, "admin", good.replace("16-64", "16-65")).await;
    assert_eq!(status, 200);
    assert_eq!(listed(&app, 2023).await[0]["age_band"], "16-65");
    let audited = finsam_store::audit::for_entity(&mut app.db.conn(), "reference_statistics", "2023").unwrap();
    let actions: Vec<&str> = audited.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(actions, ["create", "replace"]);
    let registrar = app
        .request(Method::GET, "/api/v1/reference-statistics/2023", Some(&token("registrar", Some(OWN))))
        .send()
        .await
        .unwrap();
    assert_eq!(registrar.status(), 403);
    app.stop().await;
}

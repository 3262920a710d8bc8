//! PxWeb API 2 under /api/v2 over HTTP: every bad request is the specified status with a problem
//! naming the field and the rule, and changes nothing; selections and expressions against the
//! v1 tables; open without a token, exact with an analyst's; the rate limit and its headers.

use reqwest::Method;
use serde_json::{Value, json};

use crate::e2e::support::{OWN, TestApp, parts, token};

const YEAR: &str = "2023";
/// A demo förbund with suppressed cells in its open participants table.
const SMALL: &str = "sodra-dalarnas-samordningsforbund";

async fn demo_with_release(calls: u32) -> TestApp {
    let app = TestApp::spawn_with_state(|state| state.with_pxweb(500, calls, 60, None)).await;
    finsam_demo::load(&mut app.db.conn()).expect("the demo loads");
    app.publish(2023, "Första publiceringen").await;
    app
}

async fn get(app: &TestApp, path: &str, bearer: Option<&str>) -> (u16, String, Value) {
    parts(app.request(Method::GET, path, bearer).send().await.unwrap()).await
}

async fn post(app: &TestApp, path: &str, body: &Value) -> (u16, String, Value) {
    parts(app.request(Method::POST, path, None).json(body).send().await.unwrap()).await
}

#[actix_rt::test]
async fn every_bad_request_is_the_specified_problem_naming_field_and_rule_and_changes_nothing() {
    let app = demo_with_release(10_000).await;
    let before = app.snapshot();
    let data = "/api/v2/tables/individual-participants/data";
    let all =
        "valuecodes[year]=*&valuecodes[region]=*&valuecodes[orientation]=*&valuecodes[gender]=*&valuecodes[measure]=*";
    for (path, status, field, code) in [
        ("/api/v2/tables/no-such-table", 404, "id", "not_found"),
        ("/api/v2/tables/no-such-table/metadata", 404, "id", "not_found"),
        ("/api/v2/tables/no-such-table/data?valuecodes[year]=2023", 404, "id", "not_found"),
        ("/api/v2/codelists/no_such_list", 404, "id", "unknown_codelist"),
        (
            &format!("{data}?valuecodes[colour]=red&valuecodes[measure]=*&valuecodes[year]=2023"),
            400,
            "valuecodes[colour]",
            "unknown_variable",
        ),
        (&format!("{data}?valuecodes[year]=1999&valuecodes[measure]=*"), 400, "valuecodes[year]", "unknown_value"),
        (
            &format!("{data}?valuecodes[year]=2023&valuecodes[region]=no-such-forbund&valuecodes[measure]=*"),
            400,
            "valuecodes[region]",
            "unknown_value",
        ),
        (&format!("{data}?valuecodes[year]=2023"), 400, "valuecodes[measure]", "mandatory_variable"),
        (&format!("{data}?valuecodes[measure]=*"), 400, "valuecodes[year]", "mandatory_variable"),
        (&format!("{data}?{all}"), 400, "valuecodes", "too_many_cells"),
        (&format!("{data}?valuecodes[year]=top(x)&valuecodes[measure]=*"), 400, "valuecodes[year]", "bad_expression"),
        (
            &format!("{data}?valuecodes[year]=latest(2)&valuecodes[measure]=*"),
            400,
            "valuecodes[year]",
            "bad_expression",
        ),
        (
            &format!("{data}?valuecodes[year]=range(2023&valuecodes[measure]=*"),
            400,
            "valuecodes[year]",
            "bad_expression",
        ),
        (
            &format!("{data}?valuecodes[year]=2023&valuecodes[measure]=*&codelist[region]=nuts2"),
            400,
            "codelist[region]",
            "unknown_codelist",
        ),
        (
            &format!("{data}?valuecodes[year]=2023&valuecodes[measure]=*&outputFormat=pdf"),
            400,
            "outputFormat",
            "unknown_format",
        ),
        (
            &format!("{data}?valuecodes[year]=2023&valuecodes[measure]=*&outputFormatParams=SeparatorTab"),
            400,
            "outputFormatParams",
            "bad_output_format_params",
        ),
        (
            &format!(
                "{data}?valuecodes[year]=2023&valuecodes[measure]=*&outputFormat=csv&outputFormatParams=UseCodes,UseTexts"
            ),
            400,
            "outputFormatParams",
            "bad_output_format_params",
        ),
        (&format!("{data}?valuecodes[year]=2023&valuecodes[measure]=*&lang=de"), 400, "lang", "unknown_lang"),
        (&format!("{data}?valuecodes[year]=2023&valuecodes[measure]=*&yaer=1"), 400, "yaer", "unknown_parameter"),
    ] {
        let (got, content_type, problem) = get(&app, path, None).await;
        assert_eq!((got, content_type.as_str()), (status, "application/problem+json"), "{path}: {problem}");
        assert_eq!(problem["status"], status, "{path}: {problem}");
        assert_eq!(problem["errors"][0]["path"], field, "{path}: {problem}");
        assert_eq!(problem["errors"][0]["code"], code, "{path}: {problem}");
        assert!(problem["detail"].as_str().is_some_and(|d| !d.is_empty()), "{path}: {problem}");
    }
    for (body, field, code) in [
        (json!({"selection": [{"variableCode": "year", "valueCodes": ["2023"]}]}), "selection", "mandatory_variable"),
        (
            json!({"selection": [{"variableCode": "colour", "valueCodes": ["red"]}]}),
            "selection[0].variableCode",
            "unknown_variable",
        ),
        (
            json!({"selection": [{"variableCode": "year", "valueCodes": ["bottom(1,x)"]}, {"variableCode": "measure", "valueCodes": ["*"]}]}),
            "selection[0].valueCodes",
            "bad_expression",
        ),
        (
            json!({"selection": [{"variableCode": "year", "valueCodes": ["2023"]}, {"variableCode": "year", "valueCodes": ["2023"]}]}),
            "selection[1].variableCode",
            "duplicate",
        ),
        (json!({"selection": [{"variable": "year"}]}), "body", "bad_body"),
    ] {
        let (got, content_type, problem) = post(&app, "/api/v2/tables/exits/data", &body).await;
        assert_eq!((got, content_type.as_str()), (400, "application/problem+json"), "{body}: {problem}");
        assert_eq!(
            (problem["errors"][0]["path"].as_str(), problem["errors"][0]["code"].as_str()),
            (Some(field), Some(code)),
            "{body}: {problem}"
        );
    }
    // A token that does not verify is refused, never quietly served the open tables.
    let (got, _, problem) = get(&app, "/api/v2/tables", Some("not-a-token")).await;
    assert_eq!(got, 401, "{problem}");
    assert_eq!(app.snapshot(), before, "a refused PxWeb request changed nothing");
    app.stop().await;
}

/// The value of `codes` (one per dimension) in a JSON-stat dataset, and its status.
fn cell(dataset: &Value, codes: &[&str]) -> (Value, Option<String>) {
    let ids = dataset["id"].as_array().unwrap();
    let mut index = 0;
    for (id, code) in ids.iter().zip(codes) {
        let dimension = &dataset["dimension"][id.as_str().unwrap()]["category"]["index"];
        let n = dimension.as_object().unwrap().len() as u64;
        index = index * n + dimension[*code].as_u64().unwrap_or_else(|| panic!("{id} has no {code}"));
    }
    let status = dataset["status"][index.to_string()].as_str().map(str::to_owned);
    (dataset["value"][index as usize].clone(), status)
}

#[actix_rt::test]
async fn selections_give_the_v1_tables_values_open_without_a_token_and_exact_with_an_analysts() {
    let app = demo_with_release(10_000).await;
    let analyst = token("analyst", None);
    let (_, _, open_v1) = get(
        &app,
        &format!("/api/v1/open/tables/individual-participants?year={YEAR}&forbund={SMALL}&format=json-stat2"),
        None,
    )
    .await;
    let (_, _, exact_v1) = get(
        &app,
        &format!("/api/v1/tables/individual-participants?year={YEAR}&county=10&format=json-stat2"),
        Some(&analyst),
    )
    .await;
    let path = format!(
        "/api/v2/tables/individual-participants/data?valuecodes[year]=top(1)&valuecodes[region]=00,10,{SMALL}&valuecodes[orientation]=*&valuecodes[gender]=women,men,total&valuecodes[measure]=participants"
    );
    let (status, _, open) = get(&app, &path, None).await;
    assert_eq!(status, 200, "{open}");
    let (status, _, exact) = get(&app, &path, Some(&analyst)).await;
    assert_eq!(status, 200, "{exact}");
    let mut suppressed = 0;
    for orientation in ["work_oriented", "preparatory", "identify_needs", "preventive", "total"] {
        for gender in ["women", "men", "total"] {
            let v1 = [YEAR, orientation, gender, "participants"];
            let v2 = |region: &'static str| [YEAR, region, orientation, gender, "participants"];
            let (value, status) = cell(&open, &v2(SMALL));
            assert_eq!((value, status.clone()), cell(&open_v1, &v1), "{orientation} {gender}");
            suppressed += usize::from(status.as_deref() == Some("."));
            assert_eq!(cell(&exact, &v2("10")).0, cell(&exact_v1, &v1).0, "exact {orientation} {gender}");
        }
    }
    assert!(suppressed > 0, "the demo förbund has suppressed cells in the open table, marked '.'");
    // The exact edition has the money tables too; a registrar's token gets the open ones.
    let count = |body: &Value| body["page"]["totalElements"].as_u64();
    assert_eq!(count(&get(&app, "/api/v2/tables", None).await.2), Some(10));
    assert_eq!(count(&get(&app, "/api/v2/tables", Some(&analyst)).await.2), Some(14));
    assert_eq!(count(&get(&app, "/api/v2/tables", Some(&token("registrar", Some(OWN)))).await.2), Some(10));
    assert_eq!(get(&app, "/api/v2/tables/allocation", None).await.0, 404);
    // Elimination: leaving the region and the gender out gives the nation's total.
    let (_, _, eliminated) = get(
        &app,
        "/api/v2/tables/individual-participants/data?valuecodes[year]=2023&valuecodes[orientation]=total&valuecodes[measure]=participants",
        None,
    )
    .await;
    assert_eq!(eliminated["id"], json!(["year", "orientation", "measure"]));
    assert_eq!(eliminated["value"][0], cell(&open, &[YEAR, "00", "total", "total", "participants"]).0);
    // A codelist narrows the regions to the counties; POST gives what GET gives.
    let body = json!({"selection": [
        {"variableCode": "year", "valueCodes": ["2023"]},
        {"variableCode": "region", "codelist": "agg_counties", "valueCodes": ["*"]},
        {"variableCode": "measure", "valueCodes": ["insatser"]},
    ]});
    let (status, _, by_post) = post(&app, "/api/v2/tables/insatser-by-kind/data", &body).await;
    assert_eq!(status, 200, "{by_post}");
    let (_, _, by_get) = get(
        &app,
        "/api/v2/tables/insatser-by-kind/data?valuecodes[year]=2023&codelist[region]=agg_counties&valuecodes[region]=*&valuecodes[measure]=insatser",
        None,
    )
    .await;
    assert_eq!(by_post["value"], by_get["value"]);
    let regions = by_post["dimension"]["region"]["category"]["index"].as_object().unwrap();
    assert_eq!(regions.len(), 21, "the 21 counties");
    assert!(regions.keys().all(|code| code.len() == 2 && code != "00"), "{regions:?}");
    app.stop().await;
}

#[actix_rt::test]
async fn calls_beyond_the_window_get_429_and_every_answer_says_what_is_left() {
    let app = demo_with_release(3).await;
    let (status, _, config) = get(&app, "/api/v2/config", None).await;
    assert_eq!(status, 200);
    assert_eq!((config["maxCallsPerTimeWindow"].as_u64(), config["timeWindow"].as_u64()), (Some(3), Some(60)));
    assert_eq!(config["maxDataCells"].as_u64(), Some(500));
    for required in
        ["apiVersion", "appVersion", "languages", "defaultLanguage", "license", "defaultDataFormat", "dataFormats"]
    {
        assert!(config.get(required).is_some(), "{required}: {config}");
    }
    let mut remaining = Vec::new();
    for _ in 0..3 {
        let response = app.request(Method::GET, "/api/v2/tables", None).send().await.unwrap();
        assert_eq!(response.status(), 200);
        let header = |name: &str| response.headers().get(name).map(|v| v.to_str().unwrap().to_owned());
        assert_eq!(header("x-rate-limit-limit").as_deref(), Some("60s"));
        assert!(header("x-rate-limit-reset").is_some());
        remaining.push(header("x-rate-limit-remaining").unwrap());
    }
    assert_eq!(remaining, ["2", "1", "0"]);
    let refused = app.request(Method::GET, "/api/v2/tables/exits/metadata", None).send().await.unwrap();
    assert_eq!(refused.status(), 429);
    assert!(refused.headers().get("retry-after").is_some());
    // The configuration is not counted, as in PxWeb.
    assert_eq!(get(&app, "/api/v2/config", None).await.0, 200);
    app.stop().await;
}

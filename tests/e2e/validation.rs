//! Each rule, through HTTP: the status, the rule's code and the field's path; and a refused
//! request leaves every table as it was.

use reqwest::Method;
use serde_json::{Value, json};

use crate::e2e::support::{
    OWN, TestApp, finances, individual_insats, parts, structural_insats, token, with, year_figures,
};

/// (what is sent, the expected (path, code) pairs)
type Case = (Value, Vec<(&'static str, &'static str)>);

fn insats_cases() -> Vec<Case> {
    let i = individual_insats;
    vec![
        (with(i(), json!({"orientation": "develop_cooperation"})), vec![("/orientation", "orientation_not_of_kind")]),
        (
            with(structural_insats(), json!({"orientation": "work_oriented"})),
            vec![("/orientation", "orientation_not_of_kind")],
        ),
        (
            with(structural_insats(), json!({"target_groups": ["young"]})),
            vec![("/target_groups", "target_groups_individual_only")],
        ),
        (with(i(), json!({"target_groups": ["elderly"]})), vec![("/target_groups/0", "unknown_code")]),
        (with(i(), json!({"target_groups": ["young", "young"]})), vec![("/target_groups/1", "duplicate")]),
        (with(i(), json!({"kind": "mixed"})), vec![("/kind", "unknown_code")]),
        (with(i(), json!({"start_date": "2023-02-29"})), vec![("/start_date", "not_a_date")]),
        (with(i(), json!({"end_date": "2022-12-31"})), vec![("/end_date", "end_before_start")]),
        (with(i(), json!({"name": ""})), vec![("/name", "blank")]),
        (with(i(), json!({"name": "n".repeat(201)})), vec![("/name", "too_long")]),
        (with(i(), json!({"description": "d".repeat(4001)})), vec![("/description", "too_long")]),
        (with(i(), json!({"external_ref": "r".repeat(101)})), vec![("/external_ref", "too_long")]),
        (with(i(), json!({"owner": "x"})), vec![("/owner", "unknown_field")]),
        (with(i(), json!({"name": "Stöd till 19811218-9876"})), vec![("/name", "personal_identity_number")]),
        (
            with(i(), json!({"description": "Deltagare 811218-9876 har slutat"})),
            vec![("/description", "personal_identity_number")],
        ),
        (with(i(), json!({"external_ref": "811218+9876"})), vec![("/external_ref", "personal_identity_number")]),
        (
            with(i(), json!({"description": "Samordningsnummer 701063-2391"})),
            vec![("/description", "personal_identity_number")],
        ),
        (
            json!({"name": 1, "kind": "individual", "orientation": "preventive", "start_date": "x", "extra": true}),
            vec![("/extra", "unknown_field"), ("/name", "not_a_string"), ("/start_date", "not_a_date")],
        ),
    ]
}

fn year_cases() -> Vec<Case> {
    let y = year_figures;
    vec![
        (with(y(), json!({"participants": null, "exits": null})), vec![("/participants", "participants_required")]),
        (
            with(y(), json!({"participants": null})),
            vec![("/participants", "participants_required"), ("/exits", "exits_without_participants")],
        ),
        (with(y(), json!({"participants": {"women": -1, "men": 0}})), vec![("/participants/women", "negative_count")]),
        (with(y(), json!({"participants": {"women": 1.5, "men": 0}})), vec![("/participants/women", "not_a_count")]),
        (with(y(), json!({"exits": {"work": {"women": 13, "men": 0}}})), vec![("/exits", "exits_exceed_participants")]),
        (with(y(), json!({"budget": "-1.00"})), vec![("/budget", "negative_amount")]),
        (with(y(), json!({"budget": "1.001"})), vec![("/budget", "too_many_decimals")]),
        (with(y(), json!({"outcome": "100 000"})), vec![("/outcome", "not_an_amount")]),
        (with(y(), json!({"spent": 1})), vec![("/spent", "unknown_field")]),
    ]
}

fn finances_cases() -> Vec<Case> {
    let f = finances;
    vec![
        (
            with(f(), json!({"contributions": {"state": "-1", "regions": "1", "municipalities": "1"}})),
            vec![("/contributions/state", "negative_amount")],
        ),
        (
            with(f(), json!({"administration": {"budget": "1.234"}})),
            vec![("/administration/budget", "too_many_decimals")],
        ),
        (with(f(), json!({"equity": {"closing": "1"}})), vec![("/equity/opening", "required")]),
        (with(f(), json!({"equity": {"opening": "1", "closing": "x"}})), vec![("/equity/closing", "not_an_amount")]),
        (with(f(), json!({"result": "0"})), vec![("/result", "unknown_field")]),
    ]
}

async fn expect_problems(app: &TestApp, method: Method, path: &str, cases: Vec<Case>) {
    let token = token("registrar", Some(OWN));
    for (body, expected) in cases {
        let response = app.request(method.clone(), path, Some(&token)).json(&body).send().await.unwrap();
        let (status, content_type, problem) = parts(response).await;
        assert_eq!((status, content_type.as_str()), (422, "application/problem+json"), "{body}: {problem}");
        assert_eq!(problem["code"], "validation_failed");
        let mut found: Vec<(String, String)> = problem["errors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| (e["path"].as_str().unwrap().to_owned(), e["code"].as_str().unwrap().to_owned()))
            .collect();
        found.sort();
        let mut expected: Vec<(String, String)> =
            expected.iter().map(|(p, c)| (p.to_string(), c.to_string())).collect();
        expected.sort();
        assert_eq!(found, expected, "{body}");
    }
}

#[actix_rt::test]
async fn every_rule_is_a_problem_naming_field_and_rule_and_changes_nothing() {
    let app = TestApp::spawn().await;
    let insats = app.create_insats(OWN, &individual_insats()).await;
    let id = insats["id"].as_i64().unwrap();
    let before = app.snapshot();

    let base = format!("/api/v1/forbund/{OWN}");
    expect_problems(&app, Method::POST, &format!("{base}/insatser"), insats_cases()).await;
    expect_problems(&app, Method::PUT, &format!("{base}/insatser/{id}"), insats_cases()).await;
    expect_problems(&app, Method::PUT, &format!("{base}/insatser/{id}/years/2023"), year_cases()).await;
    expect_problems(
        &app,
        Method::PUT,
        &format!("{base}/insatser/{id}/years/2022"),
        vec![(year_figures(), vec![("year", "year_outside_insats")])],
    )
    .await;
    expect_problems(&app, Method::PUT, &format!("{base}/finances/2023"), finances_cases()).await;

    // Malformed requests of other kinds: also problems, also nothing written.
    let registrar = token("registrar", Some(OWN));
    let malformed = [
        (
            app.request(Method::POST, &format!("{base}/insatser"), Some(&registrar))
                .header("content-type", "application/json")
                .body("{\"name\":"),
            400,
            "malformed_json",
        ),
        (
            app.request(Method::POST, &format!("{base}/insatser"), Some(&registrar))
                .header("content-type", "text/plain")
                .body("{}"),
            415,
            "unsupported_media_type",
        ),
        (
            app.request(Method::POST, &format!("{base}/insatser"), Some(&registrar))
                .header("content-type", "application/json")
                .body(format!("{{\"name\":\"{}\"}}", "x".repeat(70_000))),
            413,
            "body_too_large",
        ),
        (
            app.request(Method::PUT, &format!("{base}/insatser/{id}/years/1999"), Some(&registrar))
                .json(&year_figures()),
            400,
            "invalid_request",
        ),
        (
            app.request(Method::PUT, &format!("{base}/insatser/{id}"), Some(&registrar))
                .header("if-match", "\"abc\"")
                .json(&individual_insats()),
            400,
            "invalid_request",
        ),
        (
            app.request(Method::PUT, &format!("{base}/insatser/{id}"), Some(&registrar))
                .header("if-match", "\"1\"")
                .json(&with(individual_insats(), json!({"version": 2}))),
            400,
            "invalid_request",
        ),
        (
            app.request(Method::PUT, &format!("{base}/insatser/{id}"), Some(&registrar)).json(&individual_insats()),
            428,
            "version_required",
        ),
        (
            app.request(Method::PUT, &format!("{base}/insatser/{id}"), Some(&registrar))
                .json(&with(individual_insats(), json!({"version": 7}))),
            409,
            "version_conflict",
        ),
        (app.request(Method::GET, &format!("{base}/insatser/not-a-number"), Some(&registrar)), 404, "not_found"),
    ];
    for (request, status, code) in malformed {
        let (got, content_type, problem) = parts(request.send().await.unwrap()).await;
        assert_eq!(
            (got, content_type.as_str(), problem["code"].as_str()),
            (status, "application/problem+json", Some(code)),
            "{problem}"
        );
    }
    // Refused for who is asking: nothing written either.
    let analyst = token("analyst", None);
    let response = app
        .request(Method::POST, &format!("{base}/insatser"), Some(&analyst))
        .json(&individual_insats())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 403);

    assert_eq!(app.snapshot(), before, "a refused request changed stored data or the audit log");
    app.stop().await;
}

#[actix_rt::test]
async fn a_number_that_only_looks_like_a_personal_identity_number_is_accepted() {
    let app = TestApp::spawn().await;
    // 811218-9875 fails the check digit; the others are not ten or twelve digits in a row.
    let body = with(
        individual_insats(),
        json!({
            "name": "Projekt 811218-9875",
            "description": "Dnr 2023-00412, budget 2500000.00 kr, telefon 070-123 45 67",
            "external_ref": "19811218-9875"
        }),
    );
    let (status, _, record) = parts(
        app.request(Method::POST, &format!("/api/v1/forbund/{OWN}/insatser"), Some(&token("registrar", Some(OWN))))
            .json(&body)
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, 201, "{record}");
    app.stop().await;
}

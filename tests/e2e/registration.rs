//! A förbund's registrar registers a year, as a client would.

use reqwest::Method;
use serde_json::json;

use crate::e2e::support::{
    OWN, TestApp, finances, individual_insats, parts, structural_insats, token, with, year_figures,
};

#[actix_rt::test]
async fn a_registrar_registers_an_insats_its_year_the_finances_and_submits() {
    let app = TestApp::spawn().await;
    let registrar = token("registrar", Some(OWN));
    let base = format!("/api/v1/forbund/{OWN}");

    // Create
    let response = app
        .request(Method::POST, &format!("{base}/insatser"), Some(&registrar))
        .json(&individual_insats())
        .send()
        .await
        .unwrap();
    let location = response.headers()["location"].to_str().unwrap().to_owned();
    let etag = response.headers()["etag"].to_str().unwrap().to_owned();
    let (status, _, created) = parts(response).await;
    assert_eq!(status, 201, "{created}");
    let id = created["id"].as_i64().unwrap();
    assert_eq!(location, format!("{base}/insatser/{id}"));
    assert_eq!((etag.as_str(), created["version"].as_i64()), ("\"1\"", Some(1)));
    assert_eq!(created["target_groups"], json!(["young", "long_term_sick_listed"]));
    assert_eq!(created["years"], json!([]));

    // Its year, then the year again (needs the year's version)
    let year_path = format!("{base}/insatser/{id}/years/2023");
    let (status, _, year) =
        parts(app.request(Method::PUT, &year_path, Some(&registrar)).json(&year_figures()).send().await.unwrap()).await;
    assert_eq!(status, 201, "{year}");
    assert_eq!(year["participants"], json!({"women": 12, "men": 8}));
    assert_eq!((year["budget"].as_str(), year["outcome"].as_str()), (Some("250000.00"), Some("243500.50")));
    let (status, _, problem) =
        parts(app.request(Method::PUT, &year_path, Some(&registrar)).json(&year_figures()).send().await.unwrap()).await;
    assert_eq!((status, problem["code"].as_str()), (428, Some("version_required")));
    let changed = with(year_figures(), json!({"budget": 260000, "version": 1}));
    let (status, _, year) =
        parts(app.request(Method::PUT, &year_path, Some(&registrar)).json(&changed).send().await.unwrap()).await;
    assert_eq!((status, year["budget"].as_str(), year["version"].as_i64()), (200, Some("260000.00"), Some(2)));

    // Read it back with its year; list it for 2023 but not for 2022
    let (status, _, read) = parts(app.request(Method::GET, &location, Some(&registrar)).send().await.unwrap()).await;
    assert_eq!(status, 200);
    assert_eq!(read["years"][0]["year"], 2023);
    let (_, _, listed) =
        parts(app.request(Method::GET, &format!("{base}/insatser?year=2023"), Some(&registrar)).send().await.unwrap())
            .await;
    assert_eq!(listed.as_array().unwrap().len(), 1);
    let (_, _, listed) =
        parts(app.request(Method::GET, &format!("{base}/insatser?year=2022"), Some(&registrar)).send().await.unwrap())
            .await;
    assert_eq!(listed, json!([]));

    // Replace with If-Match
    let renamed = with(individual_insats(), json!({"name": "Arbetsträning Nord", "target_groups": []}));
    let response = app
        .request(Method::PUT, &location, Some(&registrar))
        .header("if-match", "\"1\"")
        .json(&renamed)
        .send()
        .await
        .unwrap();
    assert_eq!(response.headers()["etag"], "\"2\"");
    let (status, _, replaced) = parts(response).await;
    assert_eq!(
        (status, replaced["name"].as_str(), replaced["target_groups"].clone()),
        (200, Some("Arbetsträning Nord"), json!([]))
    );

    // Finances, off 2:1:1: stored, with a warning
    let lopsided = with(
        finances(),
        json!({"contributions": {"state": "2000000.00", "regions": "1500000.00", "municipalities": "500000.00"}}),
    );
    let (status, _, stored) = parts(
        app.request(Method::PUT, &format!("{base}/finances/2023"), Some(&registrar))
            .json(&lopsided)
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, 201, "{stored}");
    assert_eq!(stored["result"], "-100000.00");
    assert_eq!(stored["warnings"][0]["code"], "contributions_off_2_1_1");
    let (_, _, read) =
        parts(app.request(Method::GET, &format!("{base}/finances/2023"), Some(&registrar)).send().await.unwrap()).await;
    assert_eq!(read["contributions"]["regions"], "1500000.00");
    assert_eq!(read["warnings"][0]["code"], "contributions_off_2_1_1");

    // Submit, twice: the second changes nothing
    let submit = format!("{base}/years/2023/submit");
    let (status, _, first) = parts(app.request(Method::POST, &submit, Some(&registrar)).send().await.unwrap()).await;
    assert_eq!(
        (status, first["status"].as_str(), first["submitted_by"].as_str()),
        (200, Some("submitted"), Some("registrar-tester"))
    );
    let (_, _, second) = parts(app.request(Method::POST, &submit, Some(&registrar)).send().await.unwrap()).await;
    assert_eq!(second["submitted_at"], first["submitted_at"]);

    // Delete needs the current version; afterwards the insats is gone from reads
    let (status, _, problem) = parts(
        app.request(Method::DELETE, &location, Some(&registrar)).header("if-match", "\"1\"").send().await.unwrap(),
    )
    .await;
    assert_eq!((status, problem["code"].as_str()), (412, Some("precondition_failed")));
    let response =
        app.request(Method::DELETE, &location, Some(&registrar)).header("if-match", "\"2\"").send().await.unwrap();
    assert_eq!(response.status(), 204);
    assert_eq!(app.request(Method::GET, &location, Some(&registrar)).send().await.unwrap().status(), 404);

    // The history: every change, with who, what, before and after
    let (_, _, audit) =
        parts(app.request(Method::GET, &format!("{base}/audit"), Some(&registrar)).send().await.unwrap()).await;
    let actions: Vec<(String, String)> = audit
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["entity"].as_str().unwrap().to_owned(), e["action"].as_str().unwrap().to_owned()))
        .collect();
    let expected = [
        ("insats", "create"),
        ("insats_year", "create"),
        ("insats_year", "replace"),
        ("insats", "replace"),
        ("finances", "create"),
        ("forbund_year", "submit"),
        ("insats", "delete"),
    ];
    assert_eq!(actions, expected.map(|(e, a)| (e.to_owned(), a.to_owned())));
    let rename = &audit[3];
    assert_eq!(
        (rename["before"]["name"].as_str(), rename["after"]["name"].as_str()),
        (Some("Arbetsträning Norr"), Some("Arbetsträning Nord"))
    );
    assert_eq!(
        (rename["actor"].as_str(), rename["actor_role"].as_str()),
        (Some("registrar-tester"), Some("registrar"))
    );
    assert!(rename["request_id"].as_str().is_some_and(|id| id.len() == 36));
    let (_, _, page) = parts(
        app.request(Method::GET, &format!("{base}/audit?after_id={}&limit=2", audit[0]["id"]), Some(&registrar))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(page.as_array().unwrap().len(), 2);
    assert_eq!(page[0]["id"], audit[1]["id"]);
    app.stop().await;
}

#[actix_rt::test]
async fn a_structural_insats_may_leave_participants_untracked() {
    let app = TestApp::spawn().await;
    let insats = app.create_insats(OWN, &structural_insats()).await;
    let path = format!("/api/v1/forbund/{OWN}/insatser/{}/years/2023", insats["id"]);
    let body = json!({"participants": null, "budget": "100000.00", "outcome": null});
    let (status, _, year) = parts(
        app.request(Method::PUT, &path, Some(&token("integration", Some(OWN)))).json(&body).send().await.unwrap(),
    )
    .await;
    assert_eq!(status, 201, "{year}");
    assert_eq!(year["participants"], serde_json::Value::Null);

    // It cannot now become individual: its 2023 has no participants.
    let individual =
        with(structural_insats(), json!({"kind": "individual", "orientation": "preparatory", "version": 1}));
    let path = format!("/api/v1/forbund/{OWN}/insatser/{}", insats["id"]);
    let (status, _, problem) =
        parts(app.request(Method::PUT, &path, Some(&token("admin", None))).json(&individual).send().await.unwrap())
            .await;
    assert_eq!((status, problem["code"].as_str()), (409, Some("untracked_years_for_individual")), "{problem}");
    // Nor shrink so that 2023 falls outside.
    let shorter = with(structural_insats(), json!({"end_date": "2022-12-31", "version": 1}));
    let (status, _, problem) =
        parts(app.request(Method::PUT, &path, Some(&token("admin", None))).json(&shorter).send().await.unwrap()).await;
    assert_eq!((status, problem["code"].as_str()), (409, Some("years_outside_span")), "{problem}");
    app.stop().await;
}

#[actix_rt::test]
async fn external_ref_is_unique_within_a_forbund_and_freed_by_delete() {
    let app = TestApp::spawn().await;
    let first = app.create_insats(OWN, &individual_insats()).await;
    let admin = token("admin", None);
    let create = format!("/api/v1/forbund/{OWN}/insatser");
    let (status, _, problem) =
        parts(app.request(Method::POST, &create, Some(&admin)).json(&individual_insats()).send().await.unwrap()).await;
    assert_eq!(
        (status, problem["code"].as_str(), problem["errors"][0]["path"].as_str()),
        (409, Some("external_ref_taken"), Some("/external_ref"))
    );
    // Another förbund may use the same reference.
    app.create_insats(crate::e2e::support::OTHER, &individual_insats()).await;
    let path = format!("{create}/{}", first["id"]);
    assert_eq!(
        app.request(Method::DELETE, &path, Some(&admin)).header("if-match", "1").send().await.unwrap().status(),
        204
    );
    app.create_insats(OWN, &individual_insats()).await;
    app.stop().await;
}

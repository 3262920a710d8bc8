//! Reporting years over HTTP: an admin closes and reopens a year and sets its deadline; the
//! year's data follows (409 `year_closed` / `deadline_passed`); analysts follow completeness.

use diesel::RunQueryDsl;
use reqwest::Method;
use serde_json::{Value, json};

use crate::e2e::support::{
    OTHER, OWN, TestApp, finances, individual_insats, parts, structural_insats, token, with, year_figures,
};

fn admin() -> String {
    token("admin", None)
}

fn registrar() -> String {
    token("registrar", Some(OWN))
}

fn integration() -> String {
    token("integration", Some(OWN))
}

/// Sends a request with an optional JSON body and `If-Match`; returns status, content type, body.
async fn send(
    app: &TestApp,
    method: Method,
    path: &str,
    token: &str,
    body: Option<&Value>,
    if_match: Option<i64>,
) -> (u16, String, Value) {
    let mut request = app.request(method, path, Some(token));
    if let Some(version) = if_match {
        request = request.header("if-match", format!("\"{version}\""));
    }
    if let Some(body) = body {
        request = request.json(body);
    }
    parts(request.send().await.unwrap()).await
}

async fn close(app: &TestApp, year: i32) -> Value {
    let (status, _, body) = send(app, Method::POST, &format!("/api/v1/years/{year}/close"), &admin(), None, None).await;
    assert_eq!((status, body["state"].as_str()), (200, Some("closed")), "{body}");
    body
}

async fn reopen(app: &TestApp, year: i32, reason: &str) -> Value {
    let body = json!({ "reason": reason });
    let (status, _, body) =
        send(app, Method::POST, &format!("/api/v1/years/{year}/reopen"), &admin(), Some(&body), None).await;
    assert_eq!((status, body["state"].as_str()), (200, Some("open")), "{body}");
    body
}

async fn set_deadline(app: &TestApp, year: i32, deadline: &str) -> Value {
    let body = json!({ "deadline": deadline });
    let (status, _, body) =
        send(app, Method::PUT, &format!("/api/v1/years/{year}/deadline"), &admin(), Some(&body), None).await;
    assert_eq!((status, body["deadline"].as_str()), (200, Some(deadline)), "{body}");
    body
}

/// An insats of OWN running from 2023 with figures for 2023: (id, insats version, year version).
async fn insats_with_2023(app: &TestApp, external_ref: &str) -> (i64, i64, i64) {
    let insats = app.create_insats(OWN, &with(individual_insats(), json!({"external_ref": external_ref}))).await;
    let id = insats["id"].as_i64().unwrap();
    let path = format!("/api/v1/forbund/{OWN}/insatser/{id}/years/2023");
    let (status, _, year) = send(app, Method::PUT, &path, &admin(), Some(&year_figures()), None).await;
    assert_eq!(status, 201, "{year}");
    (id, insats["version"].as_i64().unwrap(), year["version"].as_i64().unwrap())
}

/// The reporting-year events of the audit log for `year`: (action, actor, reason, after).
fn year_events(app: &TestApp, year: i32) -> Vec<(String, String, Option<String>, Value)> {
    #[derive(diesel::QueryableByName)]
    struct Event {
        #[diesel(sql_type = diesel::sql_types::Text)]
        action: String,
        #[diesel(sql_type = diesel::sql_types::Text)]
        actor: String,
        #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
        reason: Option<String>,
        #[diesel(sql_type = diesel::sql_types::Text)]
        after: String,
    }
    let query = format!(
        "SELECT action, actor, reason, after::text AS after FROM audit_events
          WHERE entity = 'reporting_year' AND entity_id = '{year}' AND forbund_key IS NULL ORDER BY id"
    );
    diesel::sql_query(query)
        .load::<Event>(&mut app.db.conn())
        .unwrap()
        .into_iter()
        .map(|e| (e.action, e.actor, e.reason, serde_json::from_str(&e.after).unwrap()))
        .collect()
}

/// A refusal because of the year: 409 problem+json with the code, naming the year.
fn assert_refused(what: &str, (status, content_type, body): &(u16, String, Value), code: &str, path: &str) {
    assert_eq!((*status, body["code"].as_str()), (409, Some(code)), "{what}: {body}");
    assert_eq!(content_type, "application/problem+json", "{what}");
    assert!(body["detail"].as_str().unwrap().contains("2023"), "{what}: the year is not named: {body}");
    assert_eq!((body["errors"][0]["path"].as_str(), body["errors"][0]["code"].as_str()), (Some(path), Some(code)));
}

#[actix_rt::test]
async fn a_closed_year_refuses_every_write_but_an_admins_and_changes_nothing() {
    let app = TestApp::spawn().await;
    let base = format!("/api/v1/forbund/{OWN}");
    let (id, _, year_version) = insats_with_2023(&app, "closed-1").await;
    let (status, _, _) =
        send(&app, Method::PUT, &format!("{base}/finances/2023"), &admin(), Some(&finances()), None).await;
    assert_eq!(status, 201);

    let closed = close(&app, 2023).await;
    assert_eq!(closed["closed_by"], "admin-tester");
    assert!(closed["closed_at"].is_string());
    // Closing again is harmless: the same year, and nothing more in the history.
    let again = close(&app, 2023).await;
    assert_eq!(again["closed_at"], closed["closed_at"]);
    assert_eq!(year_events(&app, 2023).len(), 1);
    // Anyone with a token reads the state.
    let (status, _, read) = send(&app, Method::GET, "/api/v1/years/2023", &integration(), None, None).await;
    assert_eq!((status, read["state"].as_str()), (200, Some("closed")));

    let before = app.snapshot();
    for (role, token) in [("registrar", registrar()), ("integration", integration())] {
        let year_path = format!("{base}/insatser/{id}/years/2023");
        let changed = with(year_figures(), json!({"budget": "1.00"}));
        let refused = send(&app, Method::PUT, &year_path, &token, Some(&changed), Some(year_version)).await;
        assert_refused(&format!("{role}: insats year"), &refused, "year_closed", "year");
        let refused =
            send(&app, Method::PUT, &format!("{base}/finances/2023"), &token, Some(&finances()), Some(1)).await;
        assert_refused(&format!("{role}: finances"), &refused, "year_closed", "year");
        if role != "integration" {
            let refused = send(&app, Method::POST, &format!("{base}/years/2023/submit"), &token, None, None).await;
            assert_refused(&format!("{role}: submit"), &refused, "year_closed", "year");
        }
    }
    assert_eq!(app.snapshot(), before, "a refused write changed something");
    // An admin corrects the closed year, on the record.
    let (status, _, body) =
        send(&app, Method::PUT, &format!("{base}/finances/2023"), &admin(), Some(&finances()), Some(1)).await;
    assert_eq!(status, 200, "an admin writes a closed year: {body}");
    assert_eq!(body["version"], 2);

    // Other years of the same insats and förbund are open.
    let (status, _, body) =
        send(&app, Method::PUT, &format!("{base}/insatser/{id}/years/2024"), &registrar(), Some(&year_figures()), None)
            .await;
    assert_eq!(status, 201, "{body}");
    app.stop().await;
}

#[actix_rt::test]
async fn reopening_needs_a_reason_is_audited_with_it_and_opens_the_year_again() {
    let app = TestApp::spawn().await;
    close(&app, 2023).await;
    let path = "/api/v1/years/2023/reopen";

    let before = app.snapshot();
    let no_body = parts(app.request(Method::POST, path, Some(&admin())).send().await.unwrap()).await;
    let cases = [
        (no_body, "required"),
        (send(&app, Method::POST, path, &admin(), Some(&json!({})), None).await, "required"),
        (send(&app, Method::POST, path, &admin(), Some(&json!({"reason": "  "})), None).await, "blank"),
        (send(&app, Method::POST, path, &admin(), Some(&json!({"reason": "x".repeat(1001)})), None).await, "too_long"),
        (send(&app, Method::POST, path, &admin(), Some(&json!({"reason": 3})), None).await, "not_a_string"),
    ];
    for (i, ((status, content_type, body), want)) in cases.into_iter().enumerate() {
        assert_eq!((status, body["code"].as_str()), (422, Some("validation_failed")), "case {i}: {body}");
        assert_eq!(content_type, "application/problem+json");
        assert_eq!((body["errors"].as_array().unwrap().len(), &body["errors"][0]["path"]), (1, &json!("/reason")));
        assert_eq!(body["errors"][0]["code"], want, "case {i}");
    }
    for token in [registrar(), integration(), token("analyst", None)] {
        let (status, _, body) = send(&app, Method::POST, path, &token, Some(&json!({"reason": "x"})), None).await;
        assert_eq!((status, body["code"].as_str()), (403, Some("forbidden")), "{body}");
    }
    assert_eq!(app.snapshot(), before, "a refused reopen changed something");

    let reason = "Försäkringskassan bad om rättade siffror för 2023";
    let reopened = reopen(&app, 2023, reason).await;
    assert_eq!((reopened["closed_at"].clone(), reopened["closed_by"].clone()), (Value::Null, Value::Null));
    let events = year_events(&app, 2023);
    assert_eq!(events.len(), 2, "{events:?}");
    let (action, actor, stored_reason, after) = &events[1];
    assert_eq!((action.as_str(), actor.as_str(), stored_reason.as_deref()), ("reopen", "admin-tester", Some(reason)));
    assert_eq!((after["reason"].as_str(), after["state"].as_str()), (Some(reason), Some("open")));
    // Reopening an open year changes nothing and records nothing.
    reopen(&app, 2023, "igen").await;
    assert_eq!(year_events(&app, 2023).len(), 2);

    let (status, _, body) =
        send(&app, Method::PUT, &format!("/api/v1/forbund/{OWN}/finances/2023"), &registrar(), Some(&finances()), None)
            .await;
    assert_eq!(status, 201, "{body}");
    app.stop().await;
}

#[actix_rt::test]
async fn after_the_deadline_only_admins_write() {
    let app = TestApp::spawn().await;
    let base = format!("/api/v1/forbund/{OWN}");
    let (id, _, year_version) = insats_with_2023(&app, "deadline-1").await;

    // Bad deadlines change nothing.
    let before = app.snapshot();
    let path = "/api/v1/years/2023/deadline";
    for (body, code) in [
        (json!({"deadline": "2022-12-31"}), "deadline_before_year"),
        (json!({"deadline": "2034-01-01"}), "deadline_too_late"),
        (json!({"deadline": "snart"}), "not_a_date"),
        (json!({}), "required"),
    ] {
        let (status, _, problem) = send(&app, Method::PUT, path, &admin(), Some(&body), None).await;
        assert_eq!((status, problem["errors"][0]["path"].as_str()), (422, Some("/deadline")), "{problem}");
        assert_eq!(problem["errors"][0]["code"], code);
    }
    let (status, _, _) =
        send(&app, Method::PUT, path, &registrar(), Some(&json!({"deadline": "2023-06-30"})), None).await;
    assert_eq!(status, 403);
    assert_eq!(app.snapshot(), before);

    let year = set_deadline(&app, 2023, "2023-06-30").await;
    assert_eq!((year["state"].as_str(), year["deadline_passed"].as_bool()), (Some("open"), Some(true)));
    let events = year_events(&app, 2023);
    assert_eq!(
        (events.len(), events[0].0.as_str(), events[0].3["deadline"].as_str()),
        (1, "set_deadline", Some("2023-06-30"))
    );

    let before = app.snapshot();
    let refused =
        send(&app, Method::PUT, &format!("{base}/finances/2023"), &registrar(), Some(&finances()), None).await;
    assert_refused("registrar: finances", &refused, "deadline_passed", "year");
    assert!(refused.2["detail"].as_str().unwrap().contains("2023-06-30"), "{}", refused.2);
    let refused = send(
        &app,
        Method::PUT,
        &format!("{base}/insatser/{id}/years/2023"),
        &integration(),
        Some(&year_figures()),
        Some(year_version),
    )
    .await;
    assert_refused("integration: insats year", &refused, "deadline_passed", "year");
    let refused = send(&app, Method::POST, &format!("{base}/years/2023/submit"), &registrar(), None, None).await;
    assert_refused("registrar: submit", &refused, "deadline_passed", "year");
    assert_eq!(app.snapshot(), before);

    let (status, _, body) =
        send(&app, Method::PUT, &format!("{base}/finances/2023"), &admin(), Some(&finances()), None).await;
    assert_eq!(status, 201, "an admin writes after the deadline: {body}");

    // A later deadline lets the registrar in again.
    set_deadline(&app, 2023, "2033-12-31").await;
    let (status, _, body) =
        send(&app, Method::POST, &format!("{base}/years/2023/submit"), &registrar(), None, None).await;
    assert_eq!(status, 200, "{body}");
    app.stop().await;
}

#[actix_rt::test]
async fn without_a_deadline_of_its_own_a_year_ends_on_31_march_of_the_next() {
    let app = TestApp::spawn().await;
    // The test app gives every year a far deadline; these two get none.
    diesel::sql_query("DELETE FROM reporting_years WHERE year IN (2020, 2090)").execute(&mut app.db.conn()).unwrap();

    let (status, _, past) = send(&app, Method::GET, "/api/v1/years/2020", &registrar(), None, None).await;
    assert_eq!(status, 200);
    assert_eq!(
        past,
        json!({"year": 2020, "state": "open", "deadline": "2021-03-31", "deadline_passed": true,
               "closed_at": null, "closed_by": null})
    );
    let path = format!("/api/v1/forbund/{OWN}/finances/2020");
    let (status, _, body) = send(&app, Method::PUT, &path, &registrar(), Some(&finances()), None).await;
    assert_eq!((status, body["code"].as_str()), (409, Some("deadline_passed")), "{body}");

    let (_, _, future) = send(&app, Method::GET, "/api/v1/years/2090", &registrar(), None, None).await;
    assert_eq!((future["deadline"].as_str(), future["deadline_passed"].as_bool()), (Some("2091-03-31"), Some(false)));
    let path = format!("/api/v1/forbund/{OWN}/finances/2090");
    let (status, _, body) = send(&app, Method::PUT, &path, &registrar(), Some(&finances()), None).await;
    assert_eq!(status, 201, "{body}");

    let (status, _, body) = send(&app, Method::GET, "/api/v1/years/1999", &registrar(), None, None).await;
    assert_eq!((status, body["errors"][0]["path"].as_str()), (400, Some("year")), "{body}");
    app.stop().await;
}

#[actix_rt::test]
async fn an_insats_with_figures_in_a_locked_year_keeps_its_classification() {
    let app = TestApp::spawn().await;
    let base = format!("/api/v1/forbund/{OWN}");
    let (id, mut version, _) = insats_with_2023(&app, "locked-1").await;
    let loose = app.create_insats(OWN, &with(individual_insats(), json!({"external_ref": "no-figures"}))).await;
    close(&app, 2023).await;
    let path = format!("{base}/insatser/{id}");

    // Name, description and end date may still change, for anyone who writes.
    let renamed = with(
        individual_insats(),
        json!({"external_ref": "locked-1", "name": "Nytt namn", "description": null, "end_date": "2024-06-30"}),
    );
    let (status, _, body) = send(&app, Method::PUT, &path, &registrar(), Some(&renamed), Some(version)).await;
    assert_eq!(status, 200, "{body}");
    version = body["version"].as_i64().unwrap();

    let before = app.snapshot();
    let reclassified = [
        (with(renamed.clone(), json!({"orientation": "preparatory"})), "/orientation"),
        (with(renamed.clone(), json!({"target_groups": ["young"]})), "/target_groups"),
        (
            with(
                renamed.clone(),
                json!({"kind": "structural", "orientation": "develop_cooperation", "target_groups": []}),
            ),
            "/kind",
        ),
    ];
    for token in [registrar(), integration()] {
        for (body, field) in &reclassified {
            let refused = send(&app, Method::PUT, &path, &token, Some(body), Some(version)).await;
            assert_refused(field, &refused, "year_closed", field);
        }
        let refused = send(&app, Method::DELETE, &path, &token, None, Some(version)).await;
        assert_refused("delete", &refused, "year_closed", "id");
    }
    assert_eq!(app.snapshot(), before);

    // An insats without figures in the closed year is free to change.
    let loose_path = format!("{base}/insatser/{}", loose["id"]);
    let preparatory = with(individual_insats(), json!({"external_ref": "no-figures", "orientation": "preparatory"}));
    let (status, _, body) = send(&app, Method::PUT, &loose_path, &registrar(), Some(&preparatory), Some(1)).await;
    assert_eq!(status, 200, "{body}");
    let (status, _, _) = send(&app, Method::DELETE, &loose_path, &registrar(), None, Some(2)).await;
    assert_eq!(status, 204);

    // Past the deadline instead: registrars are refused, an admin may.
    reopen(&app, 2023, "Rättelse").await;
    set_deadline(&app, 2023, "2023-06-30").await;
    let (body, field) = &reclassified[0];
    let refused = send(&app, Method::PUT, &path, &registrar(), Some(body), Some(version)).await;
    assert_refused(field, &refused, "deadline_passed", field);
    let refused = send(&app, Method::DELETE, &path, &integration(), None, Some(version)).await;
    assert_refused("delete", &refused, "deadline_passed", "id");
    let (status, _, body) = send(&app, Method::PUT, &path, &admin(), Some(body), Some(version)).await;
    assert_eq!((status, body["orientation"].as_str()), (200, Some("preparatory")), "{body}");
    let (status, _, _) = send(&app, Method::DELETE, &path, &admin(), None, Some(version + 1)).await;
    assert_eq!(status, 204);
    app.stop().await;
}

async fn completeness(app: &TestApp, year: i32) -> Value {
    let path = format!("/api/v1/years/{year}/completeness");
    let (status, _, body) = send(app, Method::GET, &path, &token("analyst", None), None, None).await;
    assert_eq!(status, 200, "{body}");
    body
}

fn entry<'a>(report: &'a Value, key: &str) -> &'a Value {
    report["forbund"].as_array().unwrap().iter().find(|f| f["forbund_key"] == key).unwrap()
}

/// The completeness table's measure for one year, from the table API.
async fn table_measure(app: &TestApp, year: i32, measure: &str) -> i64 {
    let path = format!("/api/v1/tables/completeness?year={year}");
    let (status, _, table) = send(app, Method::GET, &path, &token("analyst", None), None, None).await;
    assert_eq!(status, 200, "{table}");
    let measures = table["dimensions"][1]["categories"].as_array().unwrap();
    let index = measures.iter().position(|c| c["code"] == measure).unwrap();
    let value = &table["values"][index];
    value.as_str().map(|s| s.parse().unwrap()).or_else(|| value.as_i64()).unwrap()
}

async fn assert_agrees_with_the_table(app: &TestApp, report: &Value) {
    let year = report["year"].as_i64().unwrap() as i32;
    let totals = &report["totals"];
    let table = [
        table_measure(app, year, "forbund").await,
        table_measure(app, year, "forbund_registered").await,
        table_measure(app, year, "forbund_submitted").await,
    ];
    let ours = [&totals["expected"], &totals["registered"], &totals["submitted"]].map(|v| v.as_i64().unwrap());
    assert_eq!(ours, table, "completeness totals against the completeness table: {totals}");
}

#[actix_rt::test]
async fn completeness_follows_each_forbund_through_the_year() {
    let app = TestApp::spawn().await;
    // OWN: one insats with figures, one running without, no finances: in progress.
    insats_with_2023(&app, "c-1").await;
    let without = app.create_insats(OWN, &with(individual_insats(), json!({"external_ref": "c-2"}))).await;
    // One that starts in 2024 is not missing in 2023.
    app.create_insats(OWN, &with(structural_insats(), json!({"start_date": "2024-01-01", "end_date": null}))).await;
    // OTHER: finances, then submitted.
    let other = format!("/api/v1/forbund/{OTHER}");
    let other_registrar = token("registrar", Some(OTHER));
    let (status, _, _) =
        send(&app, Method::PUT, &format!("{other}/finances/2023"), &other_registrar, Some(&finances()), None).await;
    assert_eq!(status, 201);
    let (status, _, _) =
        send(&app, Method::POST, &format!("{other}/years/2023/submit"), &other_registrar, None, None).await;
    assert_eq!(status, 200);

    let report = completeness(&app, 2023).await;
    assert_eq!(report["forbund"].as_array().unwrap().len(), 72);
    assert_eq!(report["state"], "open");
    let own = entry(&report, OWN);
    assert_eq!((own["state"].as_str(), own["registered"].as_bool()), (Some("in_progress"), Some(true)));
    assert_eq!(own["missing"], json!({"finances": true, "insatser_without_figures": [without["id"]]}));
    assert!(own["last_change"].is_string(), "{own}");
    let submitted = entry(&report, OTHER);
    assert_eq!(submitted["state"], "submitted");
    assert!(submitted["submitted_at"].is_string() && submitted["last_change"].is_string(), "{submitted}");
    assert_eq!(submitted["missing"], json!({"finances": false, "insatser_without_figures": []}));
    let idle = entry(&report, "samordningsforbundet-finsam-gotland");
    assert_eq!((idle["state"].as_str(), idle["last_change"].clone()), (Some("nothing_registered"), Value::Null));
    assert_eq!(
        report["totals"]["by_state"],
        json!({"nothing_registered": 70, "in_progress": 1, "submitted": 1, "closed": 0})
    );
    assert_eq!((report["totals"]["registered"].as_i64(), report["totals"]["submitted"].as_i64()), (Some(2), Some(1)));
    assert_agrees_with_the_table(&app, &report).await;

    // A deleted insats leaves the list.
    let path = format!("/api/v1/forbund/{OWN}/insatser/{}", without["id"]);
    let (status, _, _) = send(&app, Method::DELETE, &path, &admin(), None, Some(1)).await;
    assert_eq!(status, 204);
    let report = completeness(&app, 2023).await;
    assert_eq!(entry(&report, OWN)["missing"]["insatser_without_figures"], json!([]));

    close(&app, 2023).await;
    let report = completeness(&app, 2023).await;
    assert_eq!(
        report["totals"]["by_state"],
        json!({"nothing_registered": 0, "in_progress": 0, "submitted": 0, "closed": 72})
    );
    assert_eq!((entry(&report, OWN)["state"].as_str(), report["state"].as_str()), (Some("closed"), Some("closed")));
    assert_agrees_with_the_table(&app, &report).await;

    for token in [registrar(), integration()] {
        let (status, _, _) = send(&app, Method::GET, "/api/v1/years/2023/completeness", &token, None, None).await;
        assert_eq!(status, 403);
    }
    app.stop().await;
}

#[actix_rt::test]
async fn completeness_of_the_demo_year_agrees_with_the_table() {
    let app = TestApp::spawn().await;
    finsam_demo::load(&mut app.db.conn()).expect("the demo loads");
    let report = completeness(&app, 2023).await;
    assert_eq!(report["totals"]["registered"], 65, "{}", report["totals"]);
    assert_agrees_with_the_table(&app, &report).await;
    app.stop().await;
}

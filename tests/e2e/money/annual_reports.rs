//! Annual report, audit and discharge per förbund and year (issue 17): a registrar enters its
//! own förbund's (audited) and no other's, analysts read them and follow who sent the annual
//! report within three months of the year's end; refusals name the field and the rule and
//! change nothing; replacing needs the version last read, as finances do.

use reqwest::Method;
use serde_json::{Value, json};

use crate::e2e::support::{OTHER, OWN, TestApp, parts, token};

/// A third förbund, that sends nothing.
const SILENT: &str = "finsam-i-vasterdalarna";

fn path(forbund: &str) -> String {
    format!("/api/v1/forbund/{forbund}/annual-reports/2023")
}

async fn send(app: &TestApp, method: Method, path: &str, token: &str, body: Option<&Value>) -> (u16, Value) {
    let (status, _, body) = send_with(app, method, path, token, body, None).await;
    (status, body)
}

async fn send_with(
    app: &TestApp,
    method: Method,
    path: &str,
    token: &str,
    body: Option<&Value>,
    if_match: Option<&str>,
) -> (u16, Option<String>, Value) {
    let mut request = app.request(method, path, Some(token));
    if let Some(body) = body {
        request = request.json(body);
    }
    if let Some(version) = if_match {
        request = request.header("If-Match", version);
    }
    let response = request.send().await.unwrap();
    let etag = response.headers().get("etag").map(|v| v.to_str().unwrap().to_owned());
    let (status, _, body) = parts(response).await;
    (status, etag, body)
}

fn registrar(forbund: &str) -> String {
    token("registrar", Some(forbund))
}

/// Blekinge's year 2023: members the state, Region Blekinge (county 10) and five municipalities.
fn report() -> Value {
    json!({
        "adopted_on": "2024-03-14", "received_on": "2024-03-28",
        "members": [
            {"member": "municipality:1080", "auditors_report_received_on": "2024-04-02",
             "discharge": {"status": "granted", "decided_on": "2024-05-13", "diary_number": "KS 2024/117"}},
            {"member": "region:10", "auditors_report_received_on": "2024-04-05",
             "discharge": {"status": "refused", "decided_on": "2024-06-10", "diary_number": "RB 2024/88"}},
            {"member": "state", "discharge": {"status": "pending"}}
        ],
        "remarks": [
            {"category": "goals_unclear"},
            {"category": "result_not_consistent_with_equity_goal", "text": "Eget kapital över målet tre år i rad."},
            {"category": "other", "text": "Internkontrollplanen saknas (dnr 2024/45)."}
        ]
    })
}

/// The annual-report rows and their audit events, to show that a refusal changed nothing.
fn stored(app: &TestApp) -> Vec<String> {
    #[derive(diesel::QueryableByName)]
    struct Row {
        #[diesel(sql_type = diesel::sql_types::Text)]
        row: String,
    }
    let mut conn = app.db.conn();
    let mut rows = Vec::new();
    for query in [
        "SELECT row_to_json(t)::text AS row FROM annual_reports t",
        "SELECT row_to_json(t)::text AS row FROM annual_report_members t",
        "SELECT row_to_json(t)::text AS row FROM annual_report_remarks t",
        "SELECT row_to_json(t)::text AS row FROM audit_events t WHERE entity = 'annual_report'",
    ] {
        use diesel::RunQueryDsl;
        rows.extend(diesel::sql_query(query).load::<Row>(&mut conn).unwrap().into_iter().map(|r| r.row));
    }
    rows.sort();
    rows
}

#[actix_rt::test]
async fn a_registrar_enters_its_own_annual_report_audited_and_an_analyst_reads_it() {
    let app = TestApp::spawn().await;
    let (status, etag, record) = send_with(&app, Method::PUT, &path(OWN), &registrar(OWN), Some(&report()), None).await;
    assert_eq!(status, 201, "{record}");
    assert_eq!(etag.as_deref(), Some("\"1\""));
    assert_eq!(record["deadline"], "2024-03-31");
    assert_eq!(record["timeliness"], "on_time");
    assert_eq!(record["members"][1]["discharge"]["status"], "refused");
    assert_eq!(record["members"][2]["auditors_report_received_on"], Value::Null);
    assert_eq!(record["remarks"][2]["text"], "Internkontrollplanen saknas (dnr 2024/45).");

    // Audited in the same transaction: who, what, after.
    let events = finsam_store::audit::for_entity(&mut app.db.conn(), "annual_report", &format!("{OWN}/2023")).unwrap();
    assert_eq!(events.len(), 1);
    assert_eq!((events[0].action.as_str(), events[0].actor_role.as_str()), ("create", "registrar"));
    assert_eq!(events[0].forbund_key.as_deref(), Some(OWN));
    assert_eq!(events[0].after.as_ref().unwrap()["members"], record["members"]);

    // Analysts and the registrar read it back; an integration and another förbund's registrar may not.
    for reader in [token("analyst", None), registrar(OWN), token("admin", None)] {
        let (status, read) = send(&app, Method::GET, &path(OWN), &reader, None).await;
        assert_eq!(status, 200, "{read}");
        assert_eq!(read, record);
    }
    assert_eq!(send(&app, Method::GET, &path(OWN), &registrar(OTHER), None).await.0, 403);
    assert_eq!(send(&app, Method::GET, &path(OWN), &token("integration", Some(OWN)), None).await.0, 403);

    // Another förbund's: 403 for the registrar, and for an analyst writing; nothing stored.
    let before = stored(&app);
    let mut malmo = report();
    malmo["members"] = json!([{"member": "municipality:1280"}]);
    let (status, problem) = send(&app, Method::PUT, &path(OTHER), &registrar(OWN), Some(&malmo)).await;
    assert_eq!(status, 403, "{problem}");
    assert_eq!(problem["code"], "forbidden");
    assert_eq!(send(&app, Method::PUT, &path(OTHER), &token("analyst", None), Some(&malmo)).await.0, 403);
    assert_eq!(send(&app, Method::GET, &path(OTHER), &token("admin", None), None).await.0, 404);
    assert_eq!(stored(&app), before);
    // Its own registrar may.
    assert_eq!(send(&app, Method::PUT, &path(OTHER), &registrar(OTHER), Some(&malmo)).await.0, 201);
    assert_eq!(
        send(&app, Method::GET, "/api/v1/forbund/no-such-forbund/annual-reports/2023", &token("admin", None), None)
            .await
            .0,
        404
    );
    app.stop().await;
}

#[actix_rt::test]
async fn refusals_name_the_field_and_the_rule_and_change_nothing() {
    let app = TestApp::spawn().await;
    let before = stored(&app);
    let refused = |problem: &Value| -> Vec<(String, String)> {
        let mut found: Vec<(String, String)> = problem["errors"]
            .as_array()
            .unwrap_or_else(|| panic!("errors: {problem}"))
            .iter()
            .map(|e| (e["path"].as_str().unwrap().to_owned(), e["code"].as_str().unwrap().to_owned()))
            .collect();
        found.sort();
        found
    };

    // A remark naming a person by identity number: refused at its field, the number not repeated.
    let mut body = report();
    body["remarks"][2]["text"] = json!("Jäv: ledamoten 19121212-1212 deltog i beslutet");
    let (status, problem) = send(&app, Method::PUT, &path(OWN), &registrar(OWN), Some(&body)).await;
    assert_eq!(status, 422, "{problem}");
    assert_eq!(problem["code"], "validation_failed");
    assert_eq!(refused(&problem), [("/remarks/2/text".to_owned(), "personal_identity_number".to_owned())]);
    assert!(!problem.to_string().contains("1212"), "{problem}");

    // Members that are not members of the förbund during 2023 (Malmö, Region Skåne).
    let mut body = report();
    body["members"][0]["member"] = json!("municipality:1280");
    body["members"][1]["member"] = json!("region:12");
    let (status, problem) = send(&app, Method::PUT, &path(OWN), &registrar(OWN), Some(&body)).await;
    assert_eq!(status, 422, "{problem}");
    assert_eq!(
        refused(&problem),
        [("/members/0/member", "not_a_member"), ("/members/1/member", "not_a_member")]
            .map(|(p, c)| (p.to_owned(), c.to_owned()))
    );
    assert!(problem["errors"][0]["message"].as_str().unwrap().contains("municipality:1080"), "{problem}");

    // Dates: before the year's end, out of order, ahead of today; the state deciding too early.
    let mut body = report();
    body["adopted_on"] = json!("2023-12-20");
    body["members"][0]["discharge"]["decided_on"] = json!("2024-03-01");
    body["members"][1]["auditors_report_received_on"] = json!("2099-01-01");
    body["members"][1]["discharge"]["decided_on"] = json!("2099-02-01");
    body["members"][2] = json!({"member": "state", "auditors_report_received_on": "2024-04-01",
        "discharge": {"status": "granted", "decided_on": "2024-06-01", "diary_number": "FK 2024/1"}});
    let (status, problem) = send(&app, Method::PUT, &path(OWN), &registrar(OWN), Some(&body)).await;
    assert_eq!(status, 422, "{problem}");
    assert_eq!(
        refused(&problem),
        [("/adopted_on", "before_year_end"), ("/members/0/discharge/decided_on", "dates_out_of_order")]
            .map(|(p, c)| (p.to_owned(), c.to_owned())),
        "the body's own problems come first, alone"
    );
    body["adopted_on"] = json!("2024-03-14");
    body["members"][0]["discharge"]["decided_on"] = json!("2024-05-13");
    let (status, problem) = send(&app, Method::PUT, &path(OWN), &registrar(OWN), Some(&body)).await;
    assert_eq!(status, 422, "{problem}");
    assert_eq!(
        refused(&problem),
        [
            ("/members/1/auditors_report_received_on", "date_in_future"),
            ("/members/1/discharge/decided_on", "date_in_future"),
            ("/members/2/discharge/status", "auditors_report_missing"),
        ]
        .map(|(p, c)| (p.to_owned(), c.to_owned()))
    );
    assert_eq!(stored(&app), before, "nothing stored, nothing audited");
    assert_eq!(send(&app, Method::GET, &path(OWN), &registrar(OWN), None).await.0, 404);
    app.stop().await;
}

#[actix_rt::test]
async fn replacing_needs_the_version_last_read_as_finances_do() {
    let app = TestApp::spawn().await;
    let own = registrar(OWN);
    let first = report();
    assert_eq!(send(&app, Method::PUT, &path(OWN), &own, Some(&first)).await.0, 201);
    let mut second = report();
    second["members"][2] = json!({"member": "municipality:1082", "auditors_report_received_on": "2024-04-03"});
    second["remarks"] = json!([]);

    // Without a version: 428; with If-Match "1": replaced, version 2.
    assert_eq!(send(&app, Method::PUT, &path(OWN), &own, Some(&second)).await.0, 428);
    let (status, etag, replaced) = send_with(&app, Method::PUT, &path(OWN), &own, Some(&second), Some("\"1\"")).await;
    assert_eq!(status, 200, "{replaced}");
    assert_eq!((etag.as_deref(), &replaced["version"]), (Some("\"2\""), &json!(2)));
    assert_eq!(replaced["remarks"], json!([]));
    assert_eq!(replaced["members"][2]["member"], "municipality:1082");

    // Stale: If-Match 412, body version 409; what is stored stays the second.
    let before = stored(&app);
    let (status, _, problem) = send_with(&app, Method::PUT, &path(OWN), &own, Some(&first), Some("\"1\"")).await;
    assert_eq!((status, problem["code"].as_str()), (412, Some("precondition_failed")), "{problem}");
    let mut stale = first.clone();
    stale["version"] = json!(1);
    let (status, problem) = send(&app, Method::PUT, &path(OWN), &own, Some(&stale)).await;
    assert_eq!((status, problem["code"].as_str()), (409, Some("version_conflict")), "{problem}");
    assert_eq!(stored(&app), before);
    let (_, read) = send(&app, Method::GET, &path(OWN), &own, None).await;
    assert_eq!(read, replaced);
    let events = finsam_store::audit::for_entity(&mut app.db.conn(), "annual_report", &format!("{OWN}/2023")).unwrap();
    assert_eq!(events.iter().map(|e| e.action.as_str()).collect::<Vec<_>>(), ["create", "replace"]);
    assert_eq!(events[1].before.as_ref().unwrap()["remarks"].as_array().unwrap().len(), 3);
    app.stop().await;
}

#[actix_rt::test]
async fn the_follow_up_shows_who_sent_the_annual_report_within_three_months() {
    let app = TestApp::spawn().await;
    let admin = token("admin", None);
    // On the deadline, 31 March: on time. A day later: late. Adopted but not sent: missing.
    let mut on_time = report();
    on_time["received_on"] = json!("2024-03-31");
    assert_eq!(send(&app, Method::PUT, &path(OWN), &registrar(OWN), Some(&on_time)).await.0, 201);
    let late = json!({"adopted_on": "2024-03-25", "received_on": "2024-04-01"});
    assert_eq!(send(&app, Method::PUT, &path(OTHER), &admin, Some(&late)).await.0, 201);
    let unsent = json!({"adopted_on": "2024-03-30", "received_on": null});
    assert_eq!(send(&app, Method::PUT, &path(SILENT), &registrar(SILENT), Some(&unsent)).await.0, 201);

    let (status, list) = send(&app, Method::GET, "/api/v1/annual-reports/2023", &token("analyst", None), None).await;
    assert_eq!(status, 200, "{list}");
    assert_eq!(list["deadline"], "2024-03-31");
    let rows = list["forbund"].as_array().unwrap();
    assert_eq!(rows.len(), 72, "every förbund with members in 2023");
    assert_eq!(list["totals"], json!({"forbund": 72, "on_time": 1, "late": 1, "missing": 70}));
    let row = |key: &str| rows.iter().find(|r| r["forbund_key"] == key).unwrap_or_else(|| panic!("{key}"));
    assert_eq!(row(OWN)["timeliness"], "on_time");
    assert_eq!(row(OWN)["name"], "Samordningsförbundet i Blekinge");
    // Blekinge: the state, Region Blekinge and five municipalities; two reports in, one granted, one refused.
    assert_eq!((row(OWN)["members"].as_u64(), row(OWN)["auditors_reports_received"].as_u64()), (Some(7), Some(2)));
    assert_eq!(row(OWN)["discharge"], json!({"granted": 1, "refused": 1, "pending": 5}));
    assert_eq!(row(OWN)["remarks"], json!(["goals_unclear", "result_not_consistent_with_equity_goal", "other"]));
    assert_eq!(row(OTHER)["timeliness"], "late");
    assert_eq!(row(OTHER)["received_on"], "2024-04-01");
    assert_eq!(row(SILENT)["timeliness"], "missing");
    assert_eq!(row(SILENT)["adopted_on"], "2024-03-30");
    assert_eq!(row("norra-dalarnas-samordningsforbund")["timeliness"], "missing");
    let keys: Vec<&str> = rows.iter().map(|r| r["forbund_key"].as_str().unwrap()).collect();
    assert!(keys.windows(2).all(|w| w[0] < w[1]), "by key");

    assert_eq!(send(&app, Method::GET, "/api/v1/annual-reports/2023", &admin, None).await.0, 200);
    assert_eq!(send(&app, Method::GET, "/api/v1/annual-reports/2023", &registrar(OWN), None).await.0, 403);
    // A year before the membership begins has no förbund.
    let (status, empty) = send(&app, Method::GET, "/api/v1/annual-reports/2022", &admin, None).await;
    assert_eq!(status, 200);
    assert_eq!(empty["totals"], json!({"forbund": 0, "on_time": 0, "late": 0, "missing": 0}));
    assert_eq!(send(&app, Method::GET, "/api/v1/annual-reports/20x3", &admin, None).await.0, 400);
    app.stop().await;
}

//! Bulk imports (`POST /api/v1/forbund/{key}/imports`) over HTTP: dry runs, atomic and partial
//! batches, Idempotency-Key replays (also concurrent ones), upserts by external_ref, CSV, jobs
//! for large batches, and the limits.

use std::time::{Duration, Instant};

use diesel::RunQueryDsl;
use reqwest::Method;
use reqwest::header::HeaderMap;
use serde_json::{Value, json};

use crate::support::{OTHER, OWN, TestApp, individual_insats, parts, token};

fn imports_path(forbund: &str) -> String {
    format!("/api/v1/forbund/{forbund}/imports")
}

/// An individual insats of a batch with one year, 2023.
fn row(external_ref: &str, name: &str) -> Value {
    json!({
        "external_ref": external_ref, "name": name, "description": "Stöd mot arbete",
        "kind": "individual", "orientation": "work_oriented",
        "target_groups": ["young", "long_term_sick_listed"],
        "start_date": "2023-01-01", "end_date": null,
        "years": {"2023": {"participants": {"women": 12, "men": 8}, "budget": "250000.00"}}
    })
}

fn rows(prefix: &str, n: usize) -> Vec<Value> {
    (0..n).map(|i| row(&format!("{prefix}-{i}"), &format!("Insats {prefix} {i}"))).collect()
}

fn batch(mode: &str, insatser: Vec<Value>) -> Value {
    json!({"mode": mode, "insatser": insatser})
}

struct Answer {
    status: u16,
    headers: HeaderMap,
    body: Value,
}

impl Answer {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).map(|v| v.to_str().unwrap())
    }

    fn replayed(&self) -> bool {
        self.header("idempotent-replayed") == Some("true")
    }
}

async fn answer(response: reqwest::Response) -> Answer {
    let headers = response.headers().clone();
    let (status, _, body) = parts(response).await;
    Answer { status, headers, body }
}

/// POSTs a JSON batch as the own förbund's registrar, with an optional Idempotency-Key.
async fn import(app: &TestApp, query: &str, body: &Value, key: Option<&str>) -> Answer {
    let mut request =
        app.request(Method::POST, &format!("{}{query}", imports_path(OWN)), Some(&token("registrar", Some(OWN))));
    if let Some(key) = key {
        request = request.header("idempotency-key", key);
    }
    answer(request.json(body).send().await.unwrap()).await
}

async fn import_csv(app: &TestApp, query: &str, csv: &str) -> Answer {
    let request = app
        .request(Method::POST, &format!("{}{query}", imports_path(OWN)), Some(&token("registrar", Some(OWN))))
        .header("content-type", "text/csv; charset=utf-8")
        .body(csv.to_owned());
    answer(request.send().await.unwrap()).await
}

/// The förbund's live insatser (all years), keyed by external_ref.
async fn insatser(app: &TestApp, forbund: &str) -> Vec<Value> {
    let path = format!("/api/v1/forbund/{forbund}/insatser");
    let (status, _, list) =
        parts(app.request(Method::GET, &path, Some(&token("admin", None))).send().await.unwrap()).await;
    assert_eq!(status, 200, "{list}");
    list.as_array().unwrap().clone()
}

fn by_ref<'a>(list: &'a [Value], external_ref: &str) -> &'a Value {
    let found: Vec<&Value> = list.iter().filter(|i| i["external_ref"] == external_ref).collect();
    assert_eq!(found.len(), 1, "{external_ref} once in {list:?}");
    found[0]
}

fn refs(list: &[Value]) -> Vec<String> {
    let mut refs: Vec<String> = list.iter().map(|i| i["external_ref"].as_str().unwrap().to_owned()).collect();
    refs.sort();
    refs
}

/// The audit log of the förbund as (entity, entity_id, action) with the whole events.
async fn audit(app: &TestApp) -> Vec<Value> {
    let path = format!("/api/v1/forbund/{OWN}/audit?limit=1000");
    let (status, _, events) =
        parts(app.request(Method::GET, &path, Some(&token("admin", None))).send().await.unwrap()).await;
    assert_eq!(status, 200, "{events}");
    events.as_array().unwrap().clone()
}

fn actions(events: &[Value]) -> Vec<(String, String)> {
    events
        .iter()
        .map(|e| (e["entity"].as_str().unwrap().to_owned(), e["action"].as_str().unwrap().to_owned()))
        .collect()
}

fn count(events: &[Value], entity: &str, action: &str) -> usize {
    events.iter().filter(|e| e["entity"] == entity && e["action"] == action).count()
}

fn import_requests(app: &TestApp) -> i64 {
    #[derive(diesel::QueryableByName)]
    struct Count {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
    }
    diesel::sql_query("SELECT count(*) AS n FROM import_requests").get_result::<Count>(&mut app.db.conn()).unwrap().n
}

/// The summary's counts, for one comparison that shows them all.
fn counts(summary: &Value) -> Value {
    json!({
        "status": summary["status"], "mode": summary["mode"], "total": summary["total"],
        "created": summary["created"], "updated": summary["updated"], "unchanged": summary["unchanged"],
        "rejected": summary["rejected"],
    })
}

fn summary_counts(
    status: &str,
    mode: &str,
    total: usize,
    created: usize,
    updated: usize,
    unchanged: usize,
    rejected: usize,
) -> Value {
    json!({
        "status": status, "mode": mode, "total": total, "created": created, "updated": updated,
        "unchanged": unchanged, "rejected": rejected,
    })
}

/// (index, line, field, code) of every error.
fn errors(summary: &Value) -> Vec<(u64, Option<u64>, String, String)> {
    summary["errors"]
        .as_array()
        .unwrap_or_else(|| panic!("errors in {summary}"))
        .iter()
        .map(|e| {
            (
                e["index"].as_u64().unwrap(),
                e["line"].as_u64(),
                e["field"].as_str().unwrap().to_owned(),
                e["code"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

#[actix_rt::test]
async fn imports_a_dry_run_reports_what_it_would_do_and_writes_nothing() {
    let app = TestApp::spawn().await;
    let existing = app.create_insats(OWN, &individual_insats()).await;
    let before = app.snapshot();

    let mut changed = row("case-system-4711", "Arbetsträning Nord");
    changed["years"]["2023"]["budget"] = json!("1000.00");
    let mut bad = row("bad", "Felaktig");
    bad["orientation"] = json!("develop_cooperation");
    let body = batch("partial", vec![changed, row("new-1", "Ny ett"), row("new-2", "Ny två"), bad]);
    let got = import(&app, "?dry_run=true", &body, None).await;
    assert_eq!(got.status, 200, "{}", got.body);
    assert_eq!(counts(&got.body), summary_counts("dry_run", "partial", 4, 2, 1, 0, 1), "{}", got.body);
    assert_eq!(
        errors(&got.body),
        [(3, None, "/insatser/3/orientation".to_owned(), "orientation_not_of_kind".to_owned())]
    );

    assert_eq!(app.snapshot(), before, "a dry run wrote");
    let list = insatser(&app, OWN).await;
    assert_eq!(refs(&list), ["case-system-4711"]);
    assert_eq!(
        (by_ref(&list, "case-system-4711")["version"].as_i64(), existing["version"].as_i64()),
        (Some(1), Some(1))
    );
    // A dry run with a key does not use the key up: the real import with it goes ahead.
    let dry = import(&app, "?dry_run=true", &body, Some("dry-then-real")).await;
    assert_eq!((dry.status, dry.body["status"].as_str(), dry.replayed()), (200, Some("dry_run"), false));
    assert_eq!(app.snapshot(), before, "a dry run with a key wrote");
    let real = import(&app, "", &body, Some("dry-then-real")).await;
    assert_eq!((real.status, real.replayed()), (200, false), "{}", real.body);
    assert_eq!(counts(&real.body), summary_counts("applied", "partial", 4, 2, 1, 0, 1), "{}", real.body);
    assert_eq!(refs(&insatser(&app, OWN).await), ["case-system-4711", "new-1", "new-2"]);
    app.stop().await;
}

#[actix_rt::test]
async fn imports_an_atomic_batch_with_one_bad_row_is_refused_naming_row_field_and_rule() {
    let app = TestApp::spawn().await;
    let before = app.snapshot();
    let mut bad = row("b", "Dålig");
    bad["years"]["2023"]["participants"]["women"] = json!(-1);
    // Atomic is the default mode.
    let body = json!({"insatser": [row("a", "Bra"), bad, row("c", "Också bra")]});
    let got = import(&app, "", &body, None).await;
    assert_eq!(got.status, 200, "{}", got.body);
    assert_eq!(counts(&got.body), summary_counts("refused", "atomic", 3, 2, 0, 0, 1), "{}", got.body);
    assert_eq!(
        errors(&got.body),
        [(1, None, "/insatser/1/years/2023/participants/women".to_owned(), "negative_count".to_owned())]
    );
    assert!(got.body["errors"][0]["detail"].as_str().is_some_and(|d| !d.is_empty()), "{}", got.body);
    assert_eq!(app.snapshot(), before, "a refused batch wrote");
    assert_eq!(insatser(&app, OWN).await, Vec::<Value>::new());

    // `mode` in the body wins over ?mode=.
    let explicit = batch("atomic", body["insatser"].as_array().unwrap().clone());
    let got = import(&app, "?mode=partial", &explicit, None).await;
    assert_eq!(got.body["status"], "refused", "{}", got.body);
    assert_eq!(app.snapshot(), before, "a refused batch wrote");
    app.stop().await;
}

#[actix_rt::test]
async fn imports_a_partial_batch_writes_the_good_rows_and_reports_the_bad() {
    let app = TestApp::spawn().await;
    let mut wrong_kind = row("b", "Fel inriktning");
    wrong_kind["orientation"] = json!("develop_cooperation");
    let mut no_ref = row("x", "Utan referens");
    no_ref.as_object_mut().unwrap().remove("external_ref");
    let mut later = row("c", "Två år");
    later["years"]["2024"] = json!({"participants": {"women": 3, "men": 4}, "budget": "1000.50"});
    // No mode in the body: ?mode=partial decides.
    let body = json!({"insatser": [row("a", "Bra"), wrong_kind, later, no_ref, row("a", "Dubblett")]});
    let got = import(&app, "?mode=partial", &body, None).await;
    assert_eq!(got.status, 200, "{}", got.body);
    assert_eq!(counts(&got.body), summary_counts("applied", "partial", 5, 2, 0, 0, 3), "{}", got.body);
    assert_eq!(
        errors(&got.body),
        [
            (1, None, "/insatser/1/orientation".to_owned(), "orientation_not_of_kind".to_owned()),
            (3, None, "/insatser/3/external_ref".to_owned(), "required".to_owned()),
            (4, None, "/insatser/4/external_ref".to_owned(), "duplicate_in_batch".to_owned()),
        ]
    );

    let list = insatser(&app, OWN).await;
    assert_eq!(refs(&list), ["a", "c"]);
    let a = by_ref(&list, "a");
    assert_eq!((a["name"].as_str(), a["version"].as_i64()), (Some("Bra"), Some(1)));
    assert_eq!(a["target_groups"], json!(["young", "long_term_sick_listed"]));
    assert_eq!(a["years"].as_array().unwrap().len(), 1);
    assert_eq!(a["years"][0]["participants"], json!({"women": 12, "men": 8}));
    let c = by_ref(&list, "c");
    let years: Vec<(i64, String)> = c["years"]
        .as_array()
        .unwrap()
        .iter()
        .map(|y| (y["year"].as_i64().unwrap(), y["budget"].as_str().unwrap().to_owned()))
        .collect();
    assert_eq!(years, [(2023, "250000.00".to_owned()), (2024, "1000.50".to_owned())]);

    // Audited as the single registrations are, with who imported.
    let events = audit(&app).await;
    assert_eq!((count(&events, "insats", "create"), count(&events, "insats_year", "create")), (2, 3), "{events:?}");
    assert_eq!(events.len(), 5, "{:?}", actions(&events));
    assert!(events.iter().all(|e| e["actor"] == "registrar-tester" && e["actor_role"] == "registrar"));
    let a_id = a["id"].to_string();
    let created_a =
        events.iter().find(|e| e["entity"] == "insats" && e["entity_id"] == a_id.as_str()).expect("a's create");
    assert_eq!(created_a["after"]["name"], "Bra");
    app.stop().await;
}

#[actix_rt::test]
async fn imports_a_batch_replayed_ten_times_with_one_key_is_stored_once() {
    let app = TestApp::spawn().await;
    let body = batch("atomic", rows("idem", 3));
    let first = import(&app, "", &body, Some("batch-2024-01-15")).await;
    assert_eq!((first.status, first.replayed()), (200, false), "{}", first.body);
    assert_eq!(counts(&first.body), summary_counts("applied", "atomic", 3, 3, 0, 0, 0), "{}", first.body);
    let after_first = app.snapshot();
    for replay in 1..10 {
        let again = import(&app, "", &body, Some("batch-2024-01-15")).await;
        assert_eq!((again.status, again.replayed()), (200, true), "replay {replay}: {}", again.body);
        assert_eq!(again.body, first.body, "replay {replay}");
    }
    assert_eq!(app.snapshot(), after_first, "a replay wrote");
    let list = insatser(&app, OWN).await;
    assert_eq!(refs(&list), ["idem-0", "idem-1", "idem-2"]);
    let events = audit(&app).await;
    assert_eq!(count(&events, "insats", "create"), 3, "{:?}", actions(&events));
    assert_eq!(count(&events, "insats_year", "create"), 3, "{:?}", actions(&events));
    assert_eq!(events.len(), 6, "{:?}", actions(&events));
    let mut ids: Vec<String> = events
        .iter()
        .filter(|e| e["entity"] == "insats")
        .map(|e| e["entity_id"].as_str().unwrap().to_owned())
        .collect();
    ids.sort();
    let mut listed: Vec<String> = list.iter().map(|i| i["id"].to_string()).collect();
    listed.sort();
    assert_eq!(ids, listed, "one create per insats");
    assert_eq!(import_requests(&app), 1);

    // A refused atomic batch is remembered too: its retry gets the same refusal.
    let mut bad = row("idem-9", "Dålig");
    bad["start_date"] = json!("2023-02-30");
    let refused_body = batch("atomic", vec![row("idem-8", "Bra"), bad]);
    let refused = import(&app, "", &refused_body, Some("refused-key")).await;
    assert_eq!((refused.status, refused.body["status"].as_str(), refused.replayed()), (200, Some("refused"), false));
    let again = import(&app, "", &refused_body, Some("refused-key")).await;
    assert_eq!((again.status, again.replayed()), (200, true));
    assert_eq!(again.body, refused.body);
    assert_eq!(app.snapshot(), after_first, "a refused batch wrote");
    app.stop().await;
}

#[actix_rt::test]
async fn imports_the_same_key_with_another_body_is_refused_and_writes_nothing() {
    let app = TestApp::spawn().await;
    let body = batch("atomic", rows("k", 2));
    let first = import(&app, "", &body, Some("key-1")).await;
    assert_eq!(first.body["created"], 2, "{}", first.body);
    let before = app.snapshot();

    let other_bodies = [
        batch("atomic", rows("other", 2)),
        // The same rows in the other mode are another import too.
        batch("partial", rows("k", 2)),
    ];
    for other in other_bodies {
        let response = app
            .request(Method::POST, &imports_path(OWN), Some(&token("registrar", Some(OWN))))
            .header("idempotency-key", "key-1")
            .json(&other)
            .send()
            .await
            .unwrap();
        let (status, content_type, problem) = parts(response).await;
        assert_eq!((status, content_type.as_str()), (422, "application/problem+json"), "{problem}");
        assert_eq!(problem["code"], "validation_failed", "{problem}");
        assert_eq!(
            (problem["errors"][0]["path"].as_str(), problem["errors"][0]["code"].as_str()),
            (Some("Idempotency-Key"), Some("idempotency_key_reused")),
            "{problem}"
        );
    }
    assert_eq!(app.snapshot(), before, "a reused key wrote");
    assert_eq!(refs(&insatser(&app, OWN).await), ["k-0", "k-1"]);

    // Keys belong to a förbund: another förbund's registrar may use the same key for its own batch.
    let response = app
        .request(Method::POST, &imports_path(OTHER), Some(&token("registrar", Some(OTHER))))
        .header("idempotency-key", "key-1")
        .json(&batch("atomic", rows("other", 1)))
        .send()
        .await
        .unwrap();
    let got = answer(response).await;
    assert_eq!((got.status, got.replayed(), got.body["created"].as_u64()), (200, false, Some(1)), "{}", got.body);
    assert_eq!(refs(&insatser(&app, OTHER).await), ["other-0"]);

    // A key that is not 1–200 visible ASCII characters is refused, naming the header.
    let got = import(&app, "", &body, Some(&"k".repeat(201))).await;
    assert_eq!(
        (got.status, got.body["errors"][0]["path"].as_str(), got.body["errors"][0]["code"].as_str()),
        (400, Some("Idempotency-Key"), Some("bad_idempotency_key")),
        "{}",
        got.body
    );
    app.stop().await;
}

#[actix_rt::test]
async fn imports_concurrent_identical_requests_with_one_key_import_once() {
    let app = TestApp::spawn().await;
    let registrar = token("registrar", Some(OWN));
    for round in 0..4 {
        let body = batch("atomic", rows(&format!("round{round}"), 40));
        let key = format!("concurrent-{round}");
        let send = |_| {
            app.request(Method::POST, &imports_path(OWN), Some(&registrar))
                .header("idempotency-key", &key)
                .json(&body)
                .send()
        };
        let handles: Vec<_> = (0..3).map(send).map(actix_rt::spawn).collect();
        let mut answers = Vec::new();
        for handle in handles {
            answers.push(answer(handle.await.unwrap().unwrap()).await);
        }
        for got in &answers {
            assert_eq!(got.status, 200, "round {round}: {}", got.body);
            assert_eq!(got.body, answers[0].body, "round {round}: every answer carries the same summary");
        }
        assert_eq!(answers[0].body["created"], 40, "round {round}: {}", answers[0].body);
        let fresh = answers.iter().filter(|a| !a.replayed()).count();
        assert_eq!(fresh, 1, "round {round}: exactly one import, the others replays");
    }
    let list = insatser(&app, OWN).await;
    assert_eq!(list.len(), 160);
    let mut unique = refs(&list);
    unique.dedup();
    assert_eq!(unique.len(), 160, "every row once");
    let events = audit(&app).await;
    assert_eq!(count(&events, "insats", "create"), 160);
    assert_eq!(import_requests(&app), 4);
    app.stop().await;
}

#[actix_rt::test]
async fn imports_upsert_by_external_ref_counts_unchanged_and_audits_only_changes() {
    let app = TestApp::spawn().await;
    let body = batch("atomic", vec![row("up-a", "Insats A"), row("up-b", "Insats B")]);
    let first = import(&app, "", &body, None).await;
    assert_eq!(counts(&first.body), summary_counts("applied", "atomic", 2, 2, 0, 0, 0), "{}", first.body);
    let after_first = app.snapshot();

    // The same batch again, without a key: nothing to do, nothing written, nothing audited.
    let again = import(&app, "", &body, None).await;
    assert_eq!(again.status, 200, "{}", again.body);
    assert_eq!(counts(&again.body), summary_counts("applied", "atomic", 2, 0, 0, 2, 0), "{}", again.body);
    assert_eq!(again.body["errors"], json!([]));
    // Equal figures written differently are no change either.
    let mut same = body.clone();
    same["insatser"][0]["years"]["2023"]["budget"] = json!("250000");
    same["insatser"][1]["target_groups"] = json!(["long_term_sick_listed", "young"]);
    let again = import(&app, "", &same, None).await;
    assert_eq!(counts(&again.body), summary_counts("applied", "atomic", 2, 0, 0, 2, 0), "{}", again.body);
    assert_eq!(app.snapshot(), after_first, "an unchanged import wrote");
    let events_before = audit(&app).await;

    // One insats renamed, the other's budget for 2023 changed.
    let mut changed = body.clone();
    changed["insatser"][0]["name"] = json!("Insats A, nytt namn");
    changed["insatser"][1]["years"]["2023"]["budget"] = json!("300000.00");
    let got = import(&app, "", &changed, None).await;
    assert_eq!(counts(&got.body), summary_counts("applied", "atomic", 2, 0, 2, 0, 0), "{}", got.body);

    let list = insatser(&app, OWN).await;
    let (a, b) = (by_ref(&list, "up-a"), by_ref(&list, "up-b"));
    assert_eq!((a["name"].as_str(), a["version"].as_i64()), (Some("Insats A, nytt namn"), Some(2)));
    assert_eq!((a["years"][0]["version"].as_i64(), a["years"][0]["budget"].as_str()), (Some(1), Some("250000.00")));
    assert_eq!((b["name"].as_str(), b["version"].as_i64()), (Some("Insats B"), Some(1)));
    assert_eq!((b["years"][0]["version"].as_i64(), b["years"][0]["budget"].as_str()), (Some(2), Some("300000.00")));

    let events = audit(&app).await;
    let new: Vec<&Value> = events.iter().skip(events_before.len()).collect();
    let got: Vec<(String, String, String)> = new
        .iter()
        .map(|e| {
            (
                e["entity"].as_str().unwrap().to_owned(),
                e["entity_id"].as_str().unwrap().to_owned(),
                e["action"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            ("insats".to_owned(), a["id"].to_string(), "replace".to_owned()),
            ("insats_year".to_owned(), format!("{}/2023", b["id"]), "replace".to_owned()),
        ]
    );
    assert_eq!(
        (new[0]["before"]["name"].as_str(), new[0]["after"]["name"].as_str()),
        (Some("Insats A"), Some("Insats A, nytt namn"))
    );
    assert_eq!(
        (new[1]["before"]["budget"].as_str(), new[1]["after"]["budget"].as_str()),
        (Some("250000.00"), Some("300000.00"))
    );

    // A new year for an existing insats is an update of it, audited as the year's create.
    let mut more = changed.clone();
    more["insatser"][0]["years"]["2024"] = json!({"participants": {"women": 1, "men": 2}, "budget": "5000.00"});
    let got = import(&app, "", &more, None).await;
    assert_eq!(counts(&got.body), summary_counts("applied", "atomic", 2, 0, 1, 1, 0), "{}", got.body);
    let events = audit(&app).await;
    let last = events.last().unwrap();
    assert_eq!(
        (last["entity"].as_str(), last["entity_id"].as_str(), last["action"].as_str()),
        (Some("insats_year"), Some(format!("{}/2024", a["id"]).as_str()), Some("create"))
    );
    assert_eq!(by_ref(&insatser(&app, OWN).await, "up-a")["version"], 2, "a new year leaves the insats' version");
    app.stop().await;
}

const CSV_HEADER: &str = "external_ref,name,description,kind,orientation,target_groups,start_date,end_date,year,participants_women,participants_men,budget,outcome";

#[actix_rt::test]
async fn imports_csv_groups_lines_by_external_ref_and_errors_name_line_and_column() {
    let app = TestApp::spawn().await;
    let csv = format!(
        "{CSV_HEADER}\n\
         csv-1,Arbetsträning,\"Stöd, mot arbete\",individual,work_oriented,young|long_term_sick_listed,2023-01-01,,2023,12,8,250000.00,243500.50\n\
         csv-2,Samverkan,,structural,develop_cooperation,,2022-03-01,2024-12-31,2023,,,100000.00,\n\
         csv-1,Arbetsträning,\"Stöd, mot arbete\",individual,work_oriented,young|long_term_sick_listed,2023-01-01,,2024,10,9,260000.00,\n"
    );
    let got = import_csv(&app, "", &csv).await;
    assert_eq!(got.status, 200, "{}", got.body);
    assert_eq!(counts(&got.body), summary_counts("applied", "atomic", 2, 2, 0, 0, 0), "{}", got.body);

    let list = insatser(&app, OWN).await;
    assert_eq!(refs(&list), ["csv-1", "csv-2"]);
    let one = by_ref(&list, "csv-1");
    assert_eq!(
        (one["name"].as_str(), one["description"].as_str(), one["kind"].as_str(), one["end_date"].clone()),
        (Some("Arbetsträning"), Some("Stöd, mot arbete"), Some("individual"), Value::Null)
    );
    assert_eq!(one["target_groups"], json!(["young", "long_term_sick_listed"]));
    let years: Vec<(i64, Value, String, Value)> = one["years"]
        .as_array()
        .unwrap()
        .iter()
        .map(|y| {
            (
                y["year"].as_i64().unwrap(),
                y["participants"].clone(),
                y["budget"].as_str().unwrap().to_owned(),
                y["outcome"].clone(),
            )
        })
        .collect();
    assert_eq!(
        years,
        [
            (2023, json!({"women": 12, "men": 8}), "250000.00".to_owned(), json!("243500.50")),
            (2024, json!({"women": 10, "men": 9}), "260000.00".to_owned(), Value::Null),
        ]
    );
    let two = by_ref(&list, "csv-2");
    assert_eq!(
        (two["kind"].as_str(), two["end_date"].as_str(), two["target_groups"].clone()),
        (Some("structural"), Some("2024-12-31"), json!([]))
    );
    assert_eq!(two["years"].as_array().unwrap().len(), 1);
    assert_eq!((two["years"][0]["year"].as_i64(), two["years"][0]["participants"].clone()), (Some(2023), Value::Null));
    assert_eq!(two["years"][0]["budget"], "100000.00");

    // The same CSV again: unchanged.
    let again = import_csv(&app, "", &csv).await;
    assert_eq!(counts(&again.body), summary_counts("applied", "atomic", 2, 0, 0, 2, 0), "{}", again.body);
    let before = app.snapshot();

    // Errors name the CSV line and column: a bad count on the second line of an insats (line 3),
    // and a bad date on the only line of another (line 4).
    let bad = format!(
        "{CSV_HEADER}\n\
         csv-3,Ny,,individual,work_oriented,young,2023-01-01,,2023,1,1,1000.00,\n\
         csv-3,Ny,,individual,work_oriented,young,2023-01-01,,2024,1,x,1000.00,\n\
         csv-4,Annan,,individual,work_oriented,,2023-13-01,,2023,1,1,1000.00,\n\
         csv-5,Bra,,individual,work_oriented,,2023-01-01,,2023,1,1,1000.00,\n"
    );
    let got = import_csv(&app, "", &bad).await;
    assert_eq!(got.status, 200, "{}", got.body);
    assert_eq!(counts(&got.body), summary_counts("refused", "atomic", 3, 1, 0, 0, 2), "{}", got.body);
    assert_eq!(
        errors(&got.body),
        [
            (0, Some(3), "participants_men".to_owned(), "not_a_count".to_owned()),
            (1, Some(4), "start_date".to_owned(), "not_a_date".to_owned()),
        ],
        "{}",
        got.body
    );
    assert_eq!(app.snapshot(), before, "a refused CSV batch wrote");

    // ?mode=partial on CSV: the good row is written.
    let got = import_csv(&app, "?mode=partial", &bad).await;
    assert_eq!(counts(&got.body), summary_counts("applied", "partial", 3, 1, 0, 0, 2), "{}", got.body);
    assert_eq!(refs(&insatser(&app, OWN).await), ["csv-1", "csv-2", "csv-5"]);

    // Lines of one external_ref that disagree on the insats are named by line and column.
    let conflicting = format!(
        "{CSV_HEADER}\n\
         csv-6,Namn,,individual,work_oriented,,2023-01-01,,2023,1,1,1000.00,\n\
         csv-6,Annat namn,,individual,work_oriented,,2023-01-01,,2024,1,1,1000.00,\n"
    );
    let got = import_csv(&app, "", &conflicting).await;
    assert_eq!(errors(&got.body), [(0, Some(3), "name".to_owned(), "conflicting_lines".to_owned())], "{}", got.body);

    // A header with an unknown column refuses the whole batch.
    let got = import_csv(&app, "", "external_ref,name,colour\nx,y,z\n").await;
    assert_eq!(
        (got.status, got.body["errors"][0]["path"].as_str(), got.body["errors"][0]["code"].as_str()),
        (422, Some("column colour"), Some("unknown_column")),
        "{}",
        got.body
    );
    app.stop().await;
}

#[actix_rt::test]
async fn imports_a_large_batch_becomes_a_job_that_is_polled_to_done() {
    let app = TestApp::spawn_with_state(|state| state.with_import_limits(1000, 3)).await;
    let registrar = token("registrar", Some(OWN));

    // At the threshold: still answered at once.
    let small = import(&app, "", &batch("atomic", rows("small", 3)), None).await;
    assert_eq!((small.status, small.body["created"].as_u64()), (200, Some(3)), "{}", small.body);

    let body = batch("atomic", rows("job", 5));
    let queued = import(&app, "", &body, Some("job-key")).await;
    assert_eq!(queued.status, 202, "{}", queued.body);
    let location = queued.header("location").expect("a Location").to_owned();
    let id = queued.body["id"].as_i64().expect("the job's id");
    assert_eq!(location, format!("/api/v1/forbund/{OWN}/imports/{id}"));
    assert_eq!(
        (queued.body["rows_total"].as_i64(), queued.body["idempotency_key"].as_str()),
        (Some(5), Some("job-key"))
    );
    assert!(matches!(queued.body["state"].as_str(), Some("queued" | "done")), "{}", queued.body);

    let started = Instant::now();
    let job = loop {
        let (status, _, job) = parts(app.request(Method::GET, &location, Some(&registrar)).send().await.unwrap()).await;
        assert_eq!(status, 200, "{job}");
        assert_eq!(job["id"], id);
        match job["state"].as_str() {
            Some("done") => break job,
            Some("queued") => {}
            other => panic!("job state {other:?}: {job}"),
        }
        assert!(started.elapsed() < Duration::from_secs(10), "the job is not done after 10 s: {job}");
        actix_rt::time::sleep(Duration::from_millis(100)).await;
    };
    assert_eq!(counts(&job["summary"]), summary_counts("applied", "atomic", 5, 5, 0, 0, 0), "{job}");
    assert_eq!((job["rows_total"].as_i64(), job["rows_done"].as_i64()), (Some(5), Some(5)), "{job}");
    assert!(job["finished_at"].is_string(), "{job}");
    let list = insatser(&app, OWN).await;
    assert_eq!(list.len(), 8);
    let events = audit(&app).await;
    assert_eq!(count(&events, "insats", "create"), 8);
    let after_job = app.snapshot();

    // The same key again: the job's stored summary, not a second import.
    let replay = import(&app, "", &body, Some("job-key")).await;
    assert_eq!((replay.status, replay.replayed()), (200, true), "{}", replay.body);
    assert_eq!(replay.body, job["summary"]);
    assert_eq!(app.snapshot(), after_job, "a replayed job wrote");
    assert_eq!(import_requests(&app), 1, "one for the job; none for the import without a key");

    // Jobs are the förbund's: others cannot read them; unknown ids are 404.
    let other = token("registrar", Some(OTHER));
    assert_eq!(app.request(Method::GET, &location, Some(&other)).send().await.unwrap().status(), 403);
    let missing = format!("{}/{}", imports_path(OWN), id + 100);
    assert_eq!(app.request(Method::GET, &missing, Some(&registrar)).send().await.unwrap().status(), 404);
    let elsewhere = format!("{}/{id}", imports_path(OTHER));
    assert_eq!(app.request(Method::GET, &elsewhere, Some(&token("admin", None))).send().await.unwrap().status(), 404);
    app.stop().await;
}

#[actix_rt::test]
async fn imports_are_rate_limited_per_client() {
    let app = TestApp::spawn_with_state(|state| state.with_import_limits(2, 5000)).await;
    let body = batch("atomic", rows("rate", 1));
    for _ in 0..2 {
        let got = import(&app, "?dry_run=true", &body, None).await;
        assert_eq!(got.status, 200, "{}", got.body);
    }
    let before = app.snapshot();
    let response = app
        .request(Method::POST, &imports_path(OWN), Some(&token("registrar", Some(OWN))))
        .json(&body)
        .send()
        .await
        .unwrap();
    let retry_after: u64 = response.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=60).contains(&retry_after), "Retry-After {retry_after}");
    let (status, content_type, problem) = parts(response).await;
    assert_eq!(
        (status, content_type.as_str(), problem["code"].as_str()),
        (429, "application/problem+json", Some("rate_limited"))
    );
    assert_eq!(app.snapshot(), before, "a rate-limited import wrote");
    // Another client has its own share.
    let response =
        app.request(Method::POST, &imports_path(OWN), Some(&token("admin", None))).json(&body).send().await.unwrap();
    let (status, _, summary) = parts(response).await;
    assert_eq!((status, summary["created"].as_u64()), (200, Some(1)), "{summary}");
    app.stop().await;
}

#[actix_rt::test]
async fn imports_refuse_bad_requests_and_other_clients_and_write_nothing() {
    let app = TestApp::spawn().await;
    let registrar = token("registrar", Some(OWN));
    let body = batch("atomic", rows("bad", 1));
    let path = imports_path(OWN);
    let before = app.snapshot();

    let cases = [
        (
            "text/plain",
            app.request(Method::POST, &path, Some(&registrar))
                .header("content-type", "text/plain")
                .body(body.to_string()),
            415,
            "unsupported_media_type",
            None,
        ),
        (
            "no content type",
            app.request(Method::POST, &path, Some(&registrar)).body(body.to_string()),
            415,
            "unsupported_media_type",
            None,
        ),
        (
            "another förbund's registrar",
            app.request(Method::POST, &path, Some(&token("registrar", Some(OTHER)))).json(&body),
            403,
            "forbidden",
            None,
        ),
        (
            "analyst",
            app.request(Method::POST, &path, Some(&token("analyst", None))).json(&body),
            403,
            "forbidden",
            None,
        ),
        ("no token", app.request(Method::POST, &path, None).json(&body), 401, "unauthorized", None),
        (
            "dry_run=maybe",
            app.request(Method::POST, &format!("{path}?dry_run=maybe"), Some(&registrar)).json(&body),
            400,
            "invalid_request",
            Some(("dry_run", "not_a_boolean")),
        ),
        (
            "mode=sometimes",
            app.request(Method::POST, &format!("{path}?mode=sometimes"), Some(&registrar)).json(&body),
            400,
            "invalid_request",
            Some(("mode", "unknown_code")),
        ),
        (
            "unknown parameter",
            app.request(Method::POST, &format!("{path}?dryrun=true"), Some(&registrar)).json(&body),
            400,
            "invalid_request",
            Some(("dryrun", "unknown_parameter")),
        ),
        (
            "malformed JSON",
            app.request(Method::POST, &path, Some(&registrar))
                .header("content-type", "application/json")
                .body("{\"insatser\": [")
                .header("idempotency-key", "malformed"),
            422,
            "validation_failed",
            Some(("", "not_json")),
        ),
        (
            "not a batch",
            app.request(Method::POST, &path, Some(&registrar)).json(&json!([row("a", "b")])),
            422,
            "validation_failed",
            Some(("", "not_an_object")),
        ),
        (
            "unknown mode in the body",
            app.request(Method::POST, &path, Some(&registrar)).json(&json!({"mode": "sometimes", "insatser": []})),
            422,
            "validation_failed",
            Some(("/mode", "unknown_code")),
        ),
        (
            "no such förbund",
            app.request(Method::POST, &imports_path("no-such-forbund"), Some(&token("admin", None))).json(&body),
            404,
            "not_found",
            None,
        ),
    ];
    for (what, request, status, code, field) in cases {
        let (got, content_type, problem) = parts(request.send().await.unwrap()).await;
        assert_eq!(
            (got, content_type.as_str(), problem["code"].as_str()),
            (status, "application/problem+json", Some(code)),
            "{what}: {problem}"
        );
        if let Some((path, code)) = field {
            assert_eq!(
                (problem["errors"][0]["path"].as_str(), problem["errors"][0]["code"].as_str()),
                (Some(path), Some(code)),
                "{what}: {problem}"
            );
        }
    }
    assert_eq!(app.snapshot(), before, "a refused import wrote");
    assert_eq!(import_requests(&app), 0, "a refused request used its key");
    // The key of the malformed request was not used up.
    let got = import(&app, "", &body, Some("malformed")).await;
    assert_eq!((got.status, got.replayed(), got.body["created"].as_u64()), (200, false, Some(1)), "{}", got.body);
    app.stop().await;
}

#[actix_rt::test]
async fn imports_a_body_over_the_limit_is_413() {
    let app = TestApp::spawn().await;
    let limit = 64 * 1024 * 1024;
    let mut big = Vec::with_capacity(limit + 16);
    big.extend_from_slice(b"{\"insatser\": [], \"pad\": \"");
    big.resize(limit + 1, b'x');
    let started = Instant::now();
    let response = app
        .request(Method::POST, &imports_path(OWN), Some(&token("registrar", Some(OWN))))
        .header("content-type", "application/json")
        .body(big)
        .send()
        .await
        .expect("an answer to an oversized body");
    let (status, content_type, problem) = parts(response).await;
    assert_eq!(
        (status, content_type.as_str(), problem["code"].as_str()),
        (413, "application/problem+json", Some("payload_too_large")),
        "{problem}"
    );
    assert!(started.elapsed() < Duration::from_secs(20), "{:?}", started.elapsed());
    app.stop().await;
}

#[actix_rt::test]
async fn imports_respect_closed_years_as_single_registrations_do() {
    let app = TestApp::spawn().await;
    let first = import(&app, "", &batch("atomic", vec![row("open-a", "A")]), None).await;
    assert_eq!(first.body["created"], 1, "{}", first.body);
    let response =
        app.request(Method::POST, "/api/v1/years/2023/close", Some(&token("admin", None))).send().await.unwrap();
    assert_eq!(response.status(), 200);
    let before = app.snapshot();

    // New figures for a closed year are refused by row, naming the year; unchanged ones are fine.
    let mut only_2024 = row("open-c", "C");
    only_2024["years"] = json!({"2024": {"participants": {"women": 1, "men": 1}, "budget": "10.00"}});
    let got =
        import(&app, "", &batch("partial", vec![row("open-a", "A"), row("closed-b", "B"), only_2024]), None).await;
    assert_eq!(counts(&got.body), summary_counts("applied", "partial", 3, 1, 0, 1, 1), "{}", got.body);
    assert_eq!(errors(&got.body), [(1, None, "/insatser/1/years/2023".to_owned(), "year_closed".to_owned())]);
    assert_eq!(refs(&insatser(&app, OWN).await), ["open-a", "open-c"]);
    let before_changes = app.snapshot();
    assert_ne!(before_changes, before);

    // Changing a closed year's figures, or what decides where the insats counts in it: refused.
    let mut budget = row("open-a", "A");
    budget["years"]["2023"]["budget"] = json!("1.00");
    let mut groups = row("open-a", "A");
    groups["target_groups"] = json!(["young"]);
    for (changed, field) in [(budget, "/insatser/0/years/2023"), (groups, "/insatser/0/target_groups")] {
        let got = import(&app, "", &batch("atomic", vec![changed]), None).await;
        assert_eq!(counts(&got.body), summary_counts("refused", "atomic", 1, 0, 0, 0, 1), "{}", got.body);
        assert_eq!(errors(&got.body), [(0, None, field.to_owned(), "year_closed".to_owned())], "{}", got.body);
    }
    assert_eq!(app.snapshot(), before_changes, "a write to a closed year got through");
    // Its name may change, as with PUT.
    let got = import(&app, "", &batch("atomic", vec![row("open-a", "A, nytt namn")]), None).await;
    assert_eq!(counts(&got.body), summary_counts("applied", "atomic", 1, 0, 1, 0, 0), "{}", got.body);
    app.stop().await;
}

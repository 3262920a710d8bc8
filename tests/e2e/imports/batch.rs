//! Building import batches and sending them, and reading back what they did: the summaries, the
//! insatser, the audit log and the stored Idempotency-Keys.

use diesel::RunQueryDsl;
use reqwest::Method;
use reqwest::header::HeaderMap;
use serde_json::{Value, json};

use crate::e2e::support::{OWN, TestApp, parts, token};

pub(super) fn imports_path(forbund: &str) -> String {
    format!("/api/v1/forbund/{forbund}/imports")
}

/// An individual insats of a batch with one year, 2023.
pub(super) fn row(external_ref: &str, name: &str) -> Value {
    json!({
        "external_ref": external_ref, "name": name, "description": "Stöd mot arbete",
        "kind": "individual", "orientation": "work_oriented",
        "target_groups": ["young", "long_term_sick_listed"],
        "start_date": "2023-01-01", "end_date": null,
        "years": {"2023": {"participants": {"women": 12, "men": 8}, "budget": "250000.00"}}
    })
}

pub(super) fn rows(prefix: &str, n: usize) -> Vec<Value> {
    (0..n).map(|i| row(&format!("{prefix}-{i}"), &format!("Insats {prefix} {i}"))).collect()
}

pub(super) fn batch(mode: &str, insatser: Vec<Value>) -> Value {
    json!({"mode": mode, "insatser": insatser})
}

pub(super) struct Answer {
    pub(super) status: u16,
    headers: HeaderMap,
    pub(super) body: Value,
}

impl Answer {
    pub(super) fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).map(|v| v.to_str().unwrap())
    }

    pub(super) fn replayed(&self) -> bool {
        self.header("idempotent-replayed") == Some("true")
    }
}

pub(super) async fn answer(response: reqwest::Response) -> Answer {
    let headers = response.headers().clone();
    let (status, _, body) = parts(response).await;
    Answer { status, headers, body }
}

/// POSTs a JSON batch as the own förbund's registrar, with an optional Idempotency-Key.
pub(super) async fn import(app: &TestApp, query: &str, body: &Value, key: Option<&str>) -> Answer {
    let mut request =
        app.request(Method::POST, &format!("{}{query}", imports_path(OWN)), Some(&token("registrar", Some(OWN))));
    if let Some(key) = key {
        request = request.header("idempotency-key", key);
    }
    answer(request.json(body).send().await.unwrap()).await
}

pub(super) async fn import_csv(app: &TestApp, query: &str, csv: &str) -> Answer {
    let request = app
        .request(Method::POST, &format!("{}{query}", imports_path(OWN)), Some(&token("registrar", Some(OWN))))
        .header("content-type", "text/csv; charset=utf-8")
        .body(csv.to_owned());
    answer(request.send().await.unwrap()).await
}

/// The förbund's live insatser (all years), keyed by external_ref.
pub(super) async fn insatser(app: &TestApp, forbund: &str) -> Vec<Value> {
    let path = format!("/api/v1/forbund/{forbund}/insatser");
    let (status, _, list) =
        parts(app.request(Method::GET, &path, Some(&token("admin", None))).send().await.unwrap()).await;
    assert_eq!(status, 200, "{list}");
    list.as_array().unwrap().clone()
}

pub(super) fn by_ref<'a>(list: &'a [Value], external_ref: &str) -> &'a Value {
    let found: Vec<&Value> = list.iter().filter(|i| i["external_ref"] == external_ref).collect();
    assert_eq!(found.len(), 1, "{external_ref} once in {list:?}");
    found[0]
}

pub(super) fn refs(list: &[Value]) -> Vec<String> {
    let mut refs: Vec<String> = list.iter().map(|i| i["external_ref"].as_str().unwrap().to_owned()).collect();
    refs.sort();
    refs
}

/// The audit log of the förbund as (entity, entity_id, action) with the whole events.
pub(super) async fn audit(app: &TestApp) -> Vec<Value> {
    let path = format!("/api/v1/forbund/{OWN}/audit?limit=1000");
    let (status, _, events) =
        parts(app.request(Method::GET, &path, Some(&token("admin", None))).send().await.unwrap()).await;
    assert_eq!(status, 200, "{events}");
    events.as_array().unwrap().clone()
}

pub(super) fn actions(events: &[Value]) -> Vec<(String, String)> {
    events
        .iter()
        .map(|e| (e["entity"].as_str().unwrap().to_owned(), e["action"].as_str().unwrap().to_owned()))
        .collect()
}

pub(super) fn count(events: &[Value], entity: &str, action: &str) -> usize {
    events.iter().filter(|e| e["entity"] == entity && e["action"] == action).count()
}

pub(super) fn import_requests(app: &TestApp) -> i64 {
    #[derive(diesel::QueryableByName)]
    struct Count {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
    }
    diesel::sql_query("SELECT count(*) AS n FROM import_requests").get_result::<Count>(&mut app.db.conn()).unwrap().n
}

/// The summary's counts, for one comparison that shows them all.
pub(super) fn counts(summary: &Value) -> Value {
    json!({
        "status": summary["status"], "mode": summary["mode"], "total": summary["total"],
        "created": summary["created"], "updated": summary["updated"], "unchanged": summary["unchanged"],
        "rejected": summary["rejected"],
    })
}

pub(super) fn summary_counts(
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
pub(super) fn errors(summary: &Value) -> Vec<(u64, Option<u64>, String, String)> {
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

//! Every way a client's text comes in, each sending one text: bodies, import cells and names,
//! headers, query parameters and path segments.

use reqwest::Method;
use reqwest::header::HeaderValue;
use serde_json::{Value, json};

use crate::e2e::support::{OWN, TestApp, individual_insats, parts, token, with, year_figures};

#[derive(Debug, Clone, Copy)]
pub enum Door {
    InsatsName,
    InsatsDescription,
    InsatsExternalRef,
    InsatsFieldName,
    ImportJsonName,
    ImportJsonFieldName,
    ImportJsonYearKey,
    ImportCsvCell,
    ImportCsvHeader,
    IdempotencyKey,
    ReopenReason,
    ReleaseNote,
    QueryParameterName,
    QueryParameterValue,
    PathSegment,
}

pub const ALL: [Door; 15] = [
    Door::InsatsName,
    Door::InsatsDescription,
    Door::InsatsExternalRef,
    Door::InsatsFieldName,
    Door::ImportJsonName,
    Door::ImportJsonFieldName,
    Door::ImportJsonYearKey,
    Door::ImportCsvCell,
    Door::ImportCsvHeader,
    Door::IdempotencyKey,
    Door::ReopenReason,
    Door::ReleaseNote,
    Door::QueryParameterName,
    Door::QueryParameterValue,
    Door::PathSegment,
];

pub struct Answer {
    pub status: u16,
    pub body: String,
}

/// What a door must answer: its status and whether it names the rule. A path segment or a
/// parameter's value only looks something up: it is not found, and not repeated.
pub struct Expected {
    pub status: u16,
    pub refused_for_it: bool,
}

impl Door {
    pub fn expected(self) -> Expected {
        let (status, refused_for_it) = match self {
            Door::InsatsName | Door::InsatsDescription | Door::InsatsExternalRef | Door::InsatsFieldName => (422, true),
            // A batch is answered with its summary, the row refused in it.
            Door::ImportJsonName | Door::ImportJsonFieldName | Door::ImportJsonYearKey | Door::ImportCsvCell => {
                (200, true)
            }
            Door::ImportCsvHeader | Door::ReopenReason | Door::ReleaseNote => (422, true),
            Door::IdempotencyKey | Door::QueryParameterName => (400, true),
            Door::QueryParameterValue => (400, false),
            Door::PathSegment => (404, false),
        };
        Expected { status, refused_for_it }
    }

    pub async fn send(self, app: &TestApp, text: &str) -> Answer {
        let admin = token("admin", None);
        let request = match self {
            Door::InsatsName => insats(app, with(individual_insats(), json!({"name": format!("Stöd till {text}")}))),
            Door::InsatsDescription => {
                insats(app, with(individual_insats(), json!({"description": format!("Kontakt {text}")})))
            }
            Door::InsatsExternalRef => insats(app, with(individual_insats(), json!({"external_ref": text}))),
            Door::InsatsFieldName => insats(app, with(individual_insats(), json!({text: "x"}))),
            Door::ImportJsonName => import_json(app, with(row(), json!({"name": format!("Stöd till {text}")}))),
            Door::ImportJsonFieldName => import_json(app, with(row(), json!({text: 1}))),
            Door::ImportJsonYearKey => import_json(app, with(row(), json!({"years": {text: year_figures()}}))),
            Door::ImportCsvCell => import_csv(app, CSV_HEADER, &csv_line(&format!("Stöd till {text}"))),
            Door::ImportCsvHeader => {
                import_csv(app, &format!("{CSV_HEADER},{text}"), &format!("{},x", csv_line("Stöd")))
            }
            Door::IdempotencyKey => import_json(app, row())
                .header("idempotency-key", HeaderValue::from_bytes(text.as_bytes()).expect("a header's bytes")),
            Door::ReopenReason => app
                .request(Method::POST, "/api/v1/years/2023/reopen", Some(&admin))
                .json(&json!({"reason": format!("Rättelse för {text}")})),
            Door::ReleaseNote => app
                .request(Method::POST, "/api/v1/years/2023/releases", Some(&admin))
                .json(&json!({"note": format!("Rättelse för {text}")})),
            Door::QueryParameterName => {
                let path = format!("/api/v1/forbund/{OWN}/insatser?{}=2023", encoded(text));
                app.request(Method::GET, &path, Some(&admin))
            }
            Door::QueryParameterValue => {
                let path = format!("/api/v1/tables/insatser-by-kind?year=2023&forbund={}", encoded(text));
                app.request(Method::GET, &path, Some(&admin))
            }
            Door::PathSegment => {
                app.request(Method::GET, &format!("/api/v1/forbund/{}/insatser", encoded(text)), Some(&admin))
            }
        };
        let (status, _, body) = parts(request.send().await.expect("an answer")).await;
        Answer { status, body: body.to_string() }
    }
}

fn insats(app: &TestApp, body: Value) -> reqwest::RequestBuilder {
    app.request(Method::POST, &format!("/api/v1/forbund/{OWN}/insatser"), Some(&token("admin", None))).json(&body)
}

fn imports(app: &TestApp) -> reqwest::RequestBuilder {
    app.request(Method::POST, &format!("/api/v1/forbund/{OWN}/imports"), Some(&token("registrar", Some(OWN))))
}

fn row() -> Value {
    with(individual_insats(), json!({"years": {"2023": year_figures()}}))
}

fn import_json(app: &TestApp, row: Value) -> reqwest::RequestBuilder {
    imports(app).json(&json!({"mode": "atomic", "insatser": [row]}))
}

const CSV_HEADER: &str =
    "external_ref,name,kind,orientation,target_groups,start_date,year,participants_women,participants_men,budget";

fn csv_line(name: &str) -> String {
    format!("ref-1,{name},individual,work_oriented,young,2023-01-01,2023,3,4,1000.00")
}

fn import_csv(app: &TestApp, header: &str, line: &str) -> reqwest::RequestBuilder {
    imports(app).header("content-type", "text/csv").body(format!("{header}\n{line}\n"))
}

/// Every byte but the unreserved ones percent-encoded, as a client's URL library would.
fn encoded(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => char::from(b).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

//! Every registration endpoint against every kind of caller: a table, not a few examples.

use finsam_api::jwt::mint_hs256;
use reqwest::Method;
use serde_json::{Value, json};

use crate::e2e::support::{OTHER, OWN, TestApp, claims, finances, individual_insats, now, parts, token, year_figures};

#[derive(Clone, Copy, Debug)]
enum Endpoint {
    Create,
    List,
    Read,
    Replace,
    Delete,
    PutYear,
    ReadFinances,
    PutFinances,
    Submit,
    Audit,
    ReadYear,
    CloseYear,
    ReopenYear,
    PutDeadline,
    Completeness,
}

const ENDPOINTS: [Endpoint; 15] = [
    Endpoint::Create,
    Endpoint::List,
    Endpoint::Read,
    Endpoint::Replace,
    Endpoint::Delete,
    Endpoint::PutYear,
    Endpoint::ReadFinances,
    Endpoint::PutFinances,
    Endpoint::Submit,
    Endpoint::Audit,
    Endpoint::ReadYear,
    Endpoint::CloseYear,
    Endpoint::ReopenYear,
    Endpoint::PutDeadline,
    Endpoint::Completeness,
];

/// What a caller presents.
#[derive(Clone, Copy, Debug)]
enum Caller {
    RegistrarOwn,
    RegistrarOther,
    IntegrationOwn,
    IntegrationOther,
    Analyst,
    Admin,
    NoToken,
    Expired,
    WrongAudience,
    WrongIssuer,
    AlgNone,
    OtherKey,
    NotBearer,
}

fn present(caller: Caller) -> Option<String> {
    let with = |f: &dyn Fn(&mut finsam_api::jwt::Claims)| {
        let mut c = claims("registrar", Some(OWN));
        f(&mut c);
        mint_hs256(crate::e2e::support::SECRET, &c)
    };
    Some(match caller {
        Caller::RegistrarOwn => token("registrar", Some(OWN)),
        Caller::RegistrarOther => token("registrar", Some(OTHER)),
        Caller::IntegrationOwn => token("integration", Some(OWN)),
        Caller::IntegrationOther => token("integration", Some(OTHER)),
        Caller::Analyst => token("analyst", None),
        Caller::Admin => token("admin", None),
        Caller::NoToken | Caller::NotBearer => return None,
        Caller::Expired => with(&|c| c.exp = now() - 3600),
        Caller::WrongAudience => with(&|c| c.aud = "someone-else".into()),
        Caller::WrongIssuer => with(&|c| c.iss = "https://evil.example".into()),
        Caller::AlgNone => {
            use base64::Engine as _;
            let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
            let header = b64.encode(br#"{"alg":"none","typ":"JWT"}"#);
            let payload = b64.encode(serde_json::to_string(&claims("admin", None)).unwrap().as_bytes());
            format!("{header}.{payload}.")
        }
        Caller::OtherKey => mint_hs256(b"another-secret-that-is-long-enough!!!", &claims("admin", None)),
    })
}

/// The expected status of `endpoint` for `caller`, when the request itself is valid.
fn expected(endpoint: Endpoint, caller: Caller) -> u16 {
    use Endpoint::*;
    let success = match endpoint {
        Create | PutYear | PutFinances => 201,
        Delete => 204,
        List | Read | Replace | ReadFinances | Submit | Audit => 200,
        ReadYear | CloseYear | ReopenYear | PutDeadline | Completeness => 200,
    };
    let read = matches!(endpoint, List | Read | ReadFinances);
    let authenticated = !matches!(
        caller,
        Caller::NoToken
            | Caller::Expired
            | Caller::WrongAudience
            | Caller::WrongIssuer
            | Caller::AlgNone
            | Caller::OtherKey
            | Caller::NotBearer
    );
    // National endpoints: no förbund of the caller's enters into them.
    match endpoint {
        ReadYear if authenticated => return success,
        CloseYear | ReopenYear | PutDeadline if authenticated => {
            return if matches!(caller, Caller::Admin) { success } else { 403 };
        }
        Completeness if authenticated => {
            return if matches!(caller, Caller::Admin | Caller::Analyst) { success } else { 403 };
        }
        _ => {}
    }
    match caller {
        Caller::Admin | Caller::RegistrarOwn => success,
        Caller::IntegrationOwn if matches!(endpoint, Submit) => 403,
        Caller::IntegrationOwn => success,
        Caller::Analyst if read => success,
        Caller::Analyst => 403,
        Caller::RegistrarOther | Caller::IntegrationOther => 403,
        _ => 401,
    }
}

/// A fresh insats (with a year) and the förbund's finances, so each case starts from the same state.
async fn fixture(app: &TestApp, n: usize) -> (i64, i64) {
    let body = crate::e2e::support::with(individual_insats(), json!({"external_ref": format!("ref-{n}")}));
    let insats = app.create_insats(OWN, &body).await;
    (insats["id"].as_i64().unwrap(), insats["version"].as_i64().unwrap())
}

async fn call(
    app: &TestApp,
    endpoint: Endpoint,
    caller: Caller,
    id: i64,
    version: i64,
    n: usize,
) -> (u16, Value, Option<String>) {
    use Endpoint::*;
    let token = present(caller);
    let base = format!("/api/v1/forbund/{OWN}");
    let (method, path, body): (Method, String, Option<Value>) = match endpoint {
        Create => (
            Method::POST,
            format!("{base}/insatser"),
            Some(crate::e2e::support::with(individual_insats(), json!({"external_ref": format!("new-{n}")}))),
        ),
        List => (Method::GET, format!("{base}/insatser?year=2023"), None),
        Read => (Method::GET, format!("{base}/insatser/{id}"), None),
        Replace => (
            Method::PUT,
            format!("{base}/insatser/{id}"),
            Some(crate::e2e::support::with(
                individual_insats(),
                json!({"external_ref": format!("ref-{n}"), "name": "Nytt namn"}),
            )),
        ),
        Delete => (Method::DELETE, format!("{base}/insatser/{id}"), None),
        PutYear => (Method::PUT, format!("{base}/insatser/{id}/years/2023"), Some(year_figures())),
        ReadFinances => (Method::GET, format!("{base}/finances/2023"), None),
        // A year of its own per case, so that each creates.
        PutFinances => (Method::PUT, format!("{base}/finances/{}", 2004 + n % 97), Some(finances())),
        Submit => (Method::POST, format!("{base}/years/2023/submit"), None),
        Audit => (Method::GET, format!("{base}/audit"), None),
        // A year no other case writes, so that closing it gets in nobody's way.
        ReadYear => (Method::GET, "/api/v1/years/2031".to_owned(), None),
        CloseYear => (Method::POST, "/api/v1/years/2031/close".to_owned(), None),
        ReopenYear => (Method::POST, "/api/v1/years/2031/reopen".to_owned(), Some(json!({"reason": "Rättelse"}))),
        PutDeadline => (Method::PUT, "/api/v1/years/2031/deadline".to_owned(), Some(json!({"deadline": "2032-03-31"}))),
        Completeness => (Method::GET, "/api/v1/years/2023/completeness".to_owned(), None),
    };
    let mut request = app.request(method, &path, token.as_deref());
    if matches!(caller, Caller::NotBearer) {
        request = request.header("authorization", "Basic dXNlcjpwYXNz");
    }
    if matches!(endpoint, Replace | Delete) {
        request = request.header("if-match", format!("\"{version}\""));
    }
    if let Some(body) = body {
        request = request.json(&body);
    }
    let response = request.send().await.unwrap();
    let challenge = response.headers().get("www-authenticate").map(|v| v.to_str().unwrap().to_owned());
    let (status, _, body) = parts(response).await;
    (status, body, challenge)
}

#[actix_rt::test]
async fn every_role_and_token_against_every_registration_endpoint() {
    let app = TestApp::spawn().await;
    // Finances exist, so that reading them is a success for those allowed to read.
    let admin = token("admin", None);
    let response = app
        .request(Method::PUT, &format!("/api/v1/forbund/{OWN}/finances/2023"), Some(&admin))
        .json(&finances())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 201);

    let callers = [
        Caller::RegistrarOwn,
        Caller::RegistrarOther,
        Caller::IntegrationOwn,
        Caller::IntegrationOther,
        Caller::Analyst,
        Caller::Admin,
        Caller::NoToken,
        Caller::Expired,
        Caller::WrongAudience,
        Caller::WrongIssuer,
        Caller::AlgNone,
        Caller::OtherKey,
        Caller::NotBearer,
    ];
    let mut failures = Vec::new();
    let mut n = 0;
    for endpoint in ENDPOINTS {
        for caller in callers {
            n += 1;
            let (id, version) = fixture(&app, n).await;
            let (status, body, challenge) = call(&app, endpoint, caller, id, version, n).await;
            let want = expected(endpoint, caller);
            if status != want {
                failures.push(format!("{endpoint:?} as {caller:?}: {status}, expected {want}: {body}"));
            }
            if status == 401 && !challenge.as_deref().is_some_and(|c| c.starts_with("Bearer realm=\"finsam\"")) {
                failures.push(format!("{endpoint:?} as {caller:?}: 401 without a Bearer challenge"));
            }
            if status >= 400 && body["code"].as_str().is_none() {
                failures.push(format!("{endpoint:?} as {caller:?}: {status} is not a problem: {body}"));
            }
        }
    }
    assert!(failures.is_empty(), "{} of {n} cases wrong:\n{}", failures.len(), failures.join("\n"));
    app.stop().await;
}

#[actix_rt::test]
async fn an_unknown_forbund_is_404_for_national_roles() {
    let app = TestApp::spawn().await;
    for role in ["admin", "analyst"] {
        let response = app
            .request(Method::GET, "/api/v1/forbund/no-such-forbund/insatser", Some(&token(role, None)))
            .send()
            .await
            .unwrap();
        let (status, _, body) = parts(response).await;
        assert_eq!((status, body["code"].as_str()), (404, Some("not_found")), "{role}");
    }
    app.stop().await;
}

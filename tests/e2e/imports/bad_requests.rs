//! Bad requests and other clients are refused with a problem, write nothing and use no key.

use reqwest::Method;
use serde_json::json;

use super::batch::{batch, import, import_requests, imports_path, row, rows};
use crate::e2e::support::{OTHER, OWN, TestApp, parts, token};

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

//! The analysts' commentary on the yearly report (issue 19): written and read back verbatim,
//! refused whole when wrong (nothing stored, nothing audited), audited with its actor, and
//! closed to registrars.

use reqwest::Method;
use serde_json::{Value, json};

use crate::e2e::support::{TestApp, parts, token_as};

const SUMMARY: &str = "/api/v1/reports/2024/commentary/summary";

async fn call(app: &TestApp, method: Method, path: &str, role: &str, body: Option<Value>) -> (u16, String, Value) {
    let mut request = app.request(method, path, Some(&token_as(role)));
    if let Some(body) = body {
        request = request.json(&body);
    }
    parts(request.send().await.unwrap()).await
}

fn audited(app: &TestApp, id: &str) -> Vec<finsam_store::audit::AuditEvent> {
    finsam_store::audit::for_entity(&mut app.db.conn(), "report_commentary", id).unwrap()
}

/// `(path, code)` of each field error of a problem.
fn named(problem: &Value) -> Vec<(String, String)> {
    problem["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["path"].as_str().unwrap().to_owned(), e["code"].as_str().unwrap().to_owned()))
        .collect()
}

#[actix_rt::test]
async fn report_commentary_is_read_back_verbatim_and_audited_with_its_actor() {
    let app = TestApp::spawn().await;
    let (status, _, empty) = call(&app, Method::GET, "/api/v1/reports/2024/commentary", "analyst", None).await;
    assert_eq!(status, 200, "{empty}");
    let sections = empty.as_array().unwrap();
    assert_eq!(sections.len(), finsam_domain::report_section::ReportSection::ALL.len());
    assert_eq!(
        sections[0],
        json!({"section": "summary", "heading_sv": "Sammanfattning", "text": null, "updated_at": null, "updated_by": null})
    );

    // What looks like markup in the report's languages is only text, kept byte for byte.
    let text = "#set page(width: 1cm)\n<script>alert(\"x\")</script>\t*x* _y_ \\ $1$ {{z}} & åäö";
    let (status, _, written) = call(&app, Method::PUT, SUMMARY, "analyst", Some(json!({ "text": text }))).await;
    assert_eq!(status, 201, "{written}");
    assert_eq!(written["text"], text);
    assert_eq!(written["updated_by"], "analyst-tester");
    let (_, _, read) = call(&app, Method::GET, "/api/v1/reports/2024/commentary", "admin", None).await;
    assert_eq!(read[0]["text"].as_str().unwrap().as_bytes(), text.as_bytes());
    assert_eq!(read[1]["text"], Value::Null);
    assert!(read[0]["updated_at"].is_string());
    let stored = finsam_store::report_commentary::for_year(&mut app.db.conn(), 2024).unwrap();
    assert_eq!(stored, vec![(finsam_domain::report_section::ReportSection::Summary, text.to_owned())]);

    let (status, _, replaced) = call(&app, Method::PUT, SUMMARY, "admin", Some(json!({"text": "Ny text"}))).await;
    assert_eq!((status, replaced["updated_by"].as_str()), (200, Some("admin-tester")), "{replaced}");

    let events = audited(&app, "2024/summary");
    let seen: Vec<(&str, &str)> = events.iter().map(|e| (e.action.as_str(), e.actor.as_str())).collect();
    assert_eq!(seen, [("create", "analyst-tester"), ("replace", "admin-tester")]);
    assert_eq!(events[0].after.as_ref().unwrap()["text"], text);

    let (status, _, body) = call(&app, Method::DELETE, SUMMARY, "analyst", None).await;
    assert_eq!(status, 204, "{body}");
    let last = audited(&app, "2024/summary").pop().unwrap();
    assert_eq!((last.action.as_str(), last.actor.as_str()), ("delete", "analyst-tester"));
    assert_eq!(last.before.unwrap()["text"], "Ny text");
    assert!(finsam_store::report_commentary::for_year(&mut app.db.conn(), 2024).unwrap().is_empty());
    // Nothing left to delete: 404, and no event for it.
    assert_eq!(call(&app, Method::DELETE, SUMMARY, "analyst", None).await.0, 404);
    assert_eq!(audited(&app, "2024/summary").len(), 3);
    app.stop().await;
}

#[actix_rt::test]
async fn report_commentary_refused_changes_nothing() {
    let app = TestApp::spawn().await;
    let body = json!({"text": "Förbunden ökade sina insatser."});
    // A registrar (a förbund's staff) and an integration may neither read nor write.
    for role in ["registrar", "integration"] {
        assert_eq!(call(&app, Method::PUT, SUMMARY, role, Some(body.clone())).await.0, 403, "{role}");
        assert_eq!(call(&app, Method::GET, "/api/v1/reports/2024/commentary", role, None).await.0, 403, "{role}");
        assert_eq!(call(&app, Method::DELETE, SUMMARY, role, None).await.0, 403, "{role}");
    }

    let (status, content_type, problem) =
        call(&app, Method::PUT, SUMMARY, "analyst", Some(json!({"text": "Deltagaren 19811218-9876 slutade."}))).await;
    assert_eq!((status, content_type.as_str()), (422, "application/problem+json"), "{problem}");
    assert_eq!(named(&problem), [("/text".to_owned(), "personal_identity_number".to_owned())]);
    assert!(!problem.to_string().contains("9876"), "the number is not repeated: {problem}");

    let long = "x".repeat(finsam_domain::report_section::MAX_COMMENTARY_CHARS + 1);
    let (status, _, problem) = call(&app, Method::PUT, SUMMARY, "analyst", Some(json!({ "text": long }))).await;
    assert_eq!(status, 422);
    assert_eq!(named(&problem), [("/text".to_owned(), "too_long".to_owned())]);
    let (status, _, problem) =
        call(&app, Method::PUT, SUMMARY, "analyst", Some(json!({"text": " ", "heading_sv": "Egen"}))).await;
    assert_eq!(status, 422);
    let problems = named(&problem);
    assert_eq!(
        problems,
        [("/heading_sv", "unknown_field"), ("/text", "blank")].map(|(p, c)| (p.to_owned(), c.to_owned()))
    );

    // An unknown section is not there, as an unknown table is; a number in it is not repeated.
    for section in ["introduction", "19811218-9876"] {
        let path = format!("/api/v1/reports/2024/commentary/{section}");
        let (status, content_type, problem) = call(&app, Method::PUT, &path, "analyst", Some(body.clone())).await;
        assert_eq!((status, content_type.as_str()), (404, "application/problem+json"), "{problem}");
        assert_eq!(problem["code"], "not_found");
        assert!(problem["detail"].as_str().unwrap().contains("section"), "{problem}");
        assert!(!problem.to_string().contains("9876"), "{problem}");
        assert_eq!(call(&app, Method::DELETE, &path, "analyst", None).await.0, 404);
    }
    assert_eq!(call(&app, Method::PUT, "/api/v1/reports/1900/commentary/summary", "analyst", Some(body)).await.0, 400);

    assert!(finsam_store::report_commentary::for_year(&mut app.db.conn(), 2024).unwrap().is_empty());
    assert!(audited(&app, "2024/summary").is_empty());
    app.stop().await;
}

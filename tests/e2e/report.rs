//! The generated report as PDF (issue 19): the demo's 2023, typeset inside the service, its text
//! extracted by poppler's `pdftotext` (a reader no one here wrote), holding every figure of the
//! published national statistics in Swedish form; who may read which edition.

use std::path::Path;
use std::process::Command;

use crate::e2e::support::{TestApp, token};

const PDFTOTEXT: &str = "/usr/bin/pdftotext";

/// The text of a PDF as `pdftotext -layout` reads it, no-break spaces and minus signs made
/// plain; `None` (after a loud message) where poppler-utils is missing and `CI` is unset.
fn pdf_text(pdf: &[u8]) -> Option<String> {
    if !Path::new(PDFTOTEXT).exists() {
        let message = "the PDF report test needs Debian's poppler-utils (apt-get install poppler-utils)";
        assert!(std::env::var_os("CI").is_none(), "CI: {message}");
        eprintln!("\n{}\n!! SKIPPED: {message}.\n{}\n", "!".repeat(78), "!".repeat(78));
        return None;
    }
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("rapport.pdf");
    std::fs::write(&file, pdf).unwrap();
    let out = Command::new(PDFTOTEXT).arg("-layout").arg(&file).arg("-").output().expect("pdftotext runs");
    assert!(out.status.success(), "pdftotext: {}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8(out.stdout).expect("pdftotext writes UTF-8");
    Some(text.replace(['\u{a0}', '\u{202f}'], " ").replace('\u{2212}', "-"))
}

/// `text` with every run of whitespace one space: a sentence may break across lines.
fn flowing(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

async fn get(app: &TestApp, path: &str, token: Option<&str>) -> (u16, String, Vec<u8>) {
    let response = app.request(reqwest::Method::GET, path, token).send().await.unwrap();
    let status = response.status().as_u16();
    let kind = response.headers().get("content-type").map(|v| v.to_str().unwrap().to_owned()).unwrap_or_default();
    (status, kind, response.bytes().await.unwrap().to_vec())
}

#[actix_rt::test]
async fn the_demo_years_pdf_holds_every_published_figure_in_swedish_form() {
    let app = TestApp::spawn().await;
    finsam_demo::load(&mut app.db.conn()).expect("the demo loads");
    let analyst = token("analyst", None);
    let (status, kind, pdf) = get(&app, "/api/v1/reports/2023.pdf", Some(&analyst)).await;
    assert_eq!((status, kind.as_str()), (200, "application/pdf"), "{}", String::from_utf8_lossy(&pdf));
    assert!(pdf.starts_with(b"%PDF-"), "a PDF");
    let Some(text) = pdf_text(&pdf) else { return };
    let flow = flowing(&text);
    let expected = [
        // The insatser, and the split by kind.
        "Förbunden registrerade 571 insatser: 296 individinriktade och 275 strukturövergripande.",
        // Table 1: the orientations' counts and shares, the participants.
        "Arbetslivsinriktad 162 54,7 % 12 608 61,3 %",
        "Förberedande 99 33,4 % 5 863 28,5 %",
        "Identifiera individens behov 29 9,8 % 1 810 8,8 %",
        "Förebyggande 6 2,0 % 272 1,3 %",
        "Totalt 296 100,0 % 20 553 100,0 % 55,0 % 45,0 %",
        "55 % av deltagarna i de individinriktade insatserna var kvinnor och 45 % män.",
        // Target groups and the structural insatser (Table 2).
        "Hälften av de individinriktade insatserna, 148 av 296, hade ingen specifik målgrupp.",
        "Utveckla samverkan 139 50,5 % 69 40 411 63,3 %",
        "Kompetenshöjande 109 39,6 % 70 20 203 31,7 %",
        // Costs, the state's money, registration.
        "Majoriteten av insatsernas budget, 83 %, gick till individinriktade insatser och 17 % till strukturövergripande.",
        "Staten bidrog med 339 miljoner kronor (MSEK)",
        "65 av 72 förbund hade registrerat uppgifter",
        // The equity series, 2016–2023, in MSEK.
        "Årets resultat 29 25 -13 -10 34 -4 -19 -14",
        "Utgående eget kapital 205 230 217 207 241 237 218 204",
    ];
    let missing: Vec<&str> = expected.iter().copied().filter(|e| !flow.contains(e)).collect();
    assert!(missing.is_empty(), "not in the PDF's text: {missing:#?}\n--- the text ---\n{text}");
    assert!(flow.contains("Innehåll"), "a table of contents");
    assert!(text.contains("Diagram 1.") && text.contains("Tabell 1."), "numbered figures and tables");
    app.stop().await;
}

#[actix_rt::test]
async fn the_exact_report_is_for_analysts_and_admins_and_the_open_one_needs_a_release() {
    let app = TestApp::spawn().await;
    finsam_demo::load(&mut app.db.conn()).expect("the demo loads");
    let (status, _, _) = get(&app, "/api/v1/reports/2023.html", None).await;
    assert_eq!(status, 401);
    let registrar = token("registrar", Some(crate::e2e::support::OWN));
    let (status, _, body) = get(&app, "/api/v1/reports/2023.pdf", Some(&registrar)).await;
    assert_eq!(status, 403, "{}", String::from_utf8_lossy(&body));
    let admin = token("admin", None);
    let (status, kind, _) = get(&app, "/api/v1/reports/2023.html", Some(&admin)).await;
    assert_eq!((status, kind.as_str()), (200, "text/html; charset=utf-8"));
    let (status, _, body) = get(&app, "/api/v1/reports/2023.doc", Some(&admin)).await;
    assert_eq!(status, 404, "{}", String::from_utf8_lossy(&body));
    // schemathesis found this one: a year of 2100 with a format of "99999999999999.99".
    let (status, _, body) = get(&app, "/api/v1/reports/2100.99999999999999.99", Some(&admin)).await;
    assert_eq!(status, 404, "{}", String::from_utf8_lossy(&body));
    let (status, kind, body) = get(&app, "/api/v1/reports/99999.html", Some(&admin)).await;
    assert_eq!((status, kind.as_str()), (400, "application/problem+json"));
    let problem: serde_json::Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(problem["errors"][0]["path"], "year", "{problem}");

    // An analyst's commentary is printed verbatim in its box, in both formats: markup of HTML
    // or of Typst in it is text, not code.
    let comment = "Kommentar: #set page(width: 1cm) *inte fet* <b>inte</b> $x$";
    let put = app
        .request(reqwest::Method::PUT, "/api/v1/reports/2023/commentary/exits", Some(&token("analyst", None)))
        .json(&serde_json::json!({ "text": comment }));
    assert_eq!(put.send().await.unwrap().status(), 201, "the first commentary of the section");
    let (_, _, html) = get(&app, "/api/v1/reports/2023.html", Some(&admin)).await;
    let html = String::from_utf8(html).unwrap();
    let boxed =
        "<h3>Analytikerns kommentar</h3><p>Kommentar: #set page(width: 1cm) *inte fet* &lt;b&gt;inte&lt;/b&gt; $x$</p>";
    assert!(html.contains(boxed), "the commentary, escaped, in its box");
    let (status, _, pdf) = get(&app, "/api/v1/reports/2023.pdf", Some(&admin)).await;
    assert_eq!(status, 200);
    if let Some(text) = pdf_text(&pdf) {
        let flow = flowing(&text);
        assert!(flow.contains(&format!("Analytikerns kommentar {comment}")), "verbatim in the PDF:\n{text}");
    }

    let (status, _, body) = get(&app, "/api/v1/open/reports/2023.pdf", None).await;
    assert_eq!(status, 404, "no release yet: {}", String::from_utf8_lossy(&body));
    app.publish(2023, "Första publiceringen").await;
    let (status, kind, pdf) = get(&app, "/api/v1/open/reports/2023.pdf", None).await;
    assert_eq!((status, kind.as_str()), (200, "application/pdf"));
    if let Some(text) = pdf_text(&pdf) {
        let flow = flowing(&text);
        assert!(flow.contains("Öppen version ur publicering 1 av 2023"), "the edition is named");
        assert!(flow.contains("Röjandekontroll"), "the method is stated");
        assert!(flow.contains("ingår inte i den öppna versionen"), "what the open tables lack is said");
    }
    app.stop().await;
}

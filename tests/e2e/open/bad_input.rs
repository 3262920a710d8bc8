//! The open endpoints need no token (the exact tables still do), and refuse bad input.

use reqwest::Method;

use crate::e2e::support::{TestApp, parts};

#[actix_rt::test]
async fn open_endpoints_need_no_token_and_refuse_bad_input() {
    let app = TestApp::spawn().await;
    // Nothing is public before a release: every open endpoint for the year says so.
    for path in [
        "/api/v1/open/tables/individual-participants?year=2023",
        "/api/v1/open/tables/exits?from=2022&to=2023",
        "/api/v1/open/tables/exits",
        "/api/v1/open/export/2023.zip",
    ] {
        let (status, content_type, problem) = parts(app.request(Method::GET, path, None).send().await.unwrap()).await;
        assert_eq!((status, content_type.as_str()), (404, "application/problem+json"), "{path}: {problem}");
        assert_eq!(problem["code"], "not_published", "{path}: {problem}");
    }
    app.publish(2023, "Första publiceringen").await;
    for path in [
        "/api/v1/open/tables",
        "/api/v1/open/tables/individual-participants?year=2023",
        "/api/v1/open/tables/exits?year=2023&format=csv",
        "/api/v1/open/export/2023.zip",
    ] {
        let (status, _, body) = parts(app.request(Method::GET, path, None).send().await.unwrap()).await;
        assert_eq!(status, 200, "{path}: {body}");
    }
    // The exact tables still need a token.
    for path in ["/api/v1/tables/individual-participants?year=2023", "/api/v1/tables"] {
        let (status, content_type, body) = parts(app.request(Method::GET, path, None).send().await.unwrap()).await;
        assert_eq!((status, content_type.as_str()), (401, "application/problem+json"), "{path}: {body}");
    }
    for (path, expected, field, code) in [
        ("/api/v1/open/tables/no-such-table?year=2023", 404, None, Some("not_found")),
        ("/api/v1/open/tables/exits?year=abc", 400, Some("year"), Some("not_a_year")),
        ("/api/v1/open/tables/exits?year=2023&yaer=2022", 400, Some("yaer"), Some("unknown_parameter")),
        ("/api/v1/open/tables/exits?year=2023&county=99", 400, Some("county"), Some("unknown_county")),
        ("/api/v1/open/tables/exits?year=2023&forbund=nope", 400, Some("forbund"), Some("unknown_forbund")),
        ("/api/v1/open/tables/exits?year=2023&format=pdf", 400, Some("format"), None),
        ("/api/v1/open/export/2023.txt", 404, None, Some("not_found")),
        ("/api/v1/open/export/abcd.zip", 400, Some("year"), Some("not_a_year")),
        ("/api/v1/open/export/2023.zip?csv_separator=x", 400, Some("csv_separator"), Some("unknown_separator")),
        ("/api/v1/open/export/2023.zip?separator=%3B", 400, Some("separator"), Some("unknown_parameter")),
        (
            "/api/v1/open/tables/exits?year=2023&format=csv&csv_separator=x",
            400,
            Some("csv_separator"),
            Some("unknown_separator"),
        ),
        (
            "/api/v1/open/tables/exits?year=2023&csv_separator=%3B",
            400,
            Some("csv_separator"),
            Some("separator_needs_csv"),
        ),
        ("/api/v1/open/tables/exits?year=2022", 404, Some("year"), Some("not_published")),
        ("/api/v1/open/tables/exits?year=2023&release=2", 404, Some("release"), Some("not_published")),
        ("/api/v1/open/tables/exits?year=2023&release=0", 400, Some("release"), None),
        ("/api/v1/open/tables/exits?from=2022&to=2023&release=1", 400, Some("release"), Some("release_needs_year")),
        ("/api/v1/open/export/2023.zip?release=2", 404, Some("release"), Some("not_published")),
    ] {
        let (status, content_type, problem) = parts(app.request(Method::GET, path, None).send().await.unwrap()).await;
        assert_eq!((status, content_type.as_str()), (expected, "application/problem+json"), "{path}: {problem}");
        assert_eq!(problem["status"], expected, "{path}");
        if let Some(field) = field {
            assert_eq!(problem["errors"][0]["path"], field, "{path}: {problem}");
        }
        if let Some(code) = code {
            let got = if expected == 404 { &problem["code"] } else { &problem["errors"][0]["code"] };
            assert_eq!(got, code, "{path}: {problem}");
        }
    }
    app.stop().await;
}

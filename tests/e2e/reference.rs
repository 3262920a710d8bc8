use reqwest::Method;
use serde_json::json;

use crate::e2e::support::{TestApp, finances, parts, token};

#[actix_rt::test]
async fn reference_data_is_served() {
    let app = TestApp::spawn().await;

    let (status, _, counties) = parts(app.get("/api/v1/counties").await).await;
    assert_eq!(status, 200);
    assert_eq!(counties.as_array().unwrap().len(), 21);
    assert_eq!(counties[0], json!({"code": "01", "name": "Stockholms län", "name_short": "Stockholm"}));

    let (_, _, municipalities) = parts(app.get("/api/v1/municipalities").await).await;
    assert_eq!(municipalities.as_array().unwrap().len(), 290);
    let (_, _, blekinge) = parts(app.get("/api/v1/municipalities?county=10").await).await;
    let codes: Vec<&str> = blekinge.as_array().unwrap().iter().map(|m| m["code"].as_str().unwrap()).collect();
    assert_eq!(codes, ["1060", "1080", "1081", "1082", "1083"]);

    let (_, _, forbund) = parts(app.get("/api/v1/forbund?year=2023").await).await;
    let forbund = forbund.as_array().unwrap();
    assert_eq!(forbund.len(), 72);
    let members: usize = forbund.iter().map(|f| f["municipality_codes"].as_array().unwrap().len()).sum();
    assert_eq!(members, 274);
    app.stop().await;
}

#[actix_rt::test]
async fn one_forbund_lists_its_members_for_a_year() {
    let app = TestApp::spawn().await;
    let (status, _, body) = parts(app.get("/api/v1/forbund/samordningsforbundet-i-blekinge?year=2023").await).await;
    assert_eq!(status, 200);
    assert_eq!(
        body,
        json!({
            "forbund_key": "samordningsforbundet-i-blekinge",
            "name": "Samordningsförbundet i Blekinge",
            "year": 2023,
            "municipality_codes": ["1060", "1080", "1081", "1082", "1083"],
            "county_codes": ["10"],
        })
    );
    // Membership is recorded from 2023; earlier years have none.
    let (_, _, before) = parts(app.get("/api/v1/forbund/samordningsforbundet-i-blekinge?year=2020").await).await;
    assert_eq!(before["municipality_codes"], json!([]));
    app.stop().await;
}

#[actix_rt::test]
async fn bad_reference_requests_are_problems_naming_the_parameter() {
    let app = TestApp::spawn().await;
    let cases = [
        ("/api/v1/forbund?year=twenty", 400, "year", "not_a_year"),
        ("/api/v1/forbund?year=1999", 400, "year", "year_out_of_range"),
        ("/api/v1/forbund?yaer=2023", 400, "yaer", "unknown_parameter"),
        ("/api/v1/municipalities?county=99", 400, "county", "unknown_county"),
        ("/api/v1/forbund/samordningsforbundet-i-blekinge?year=x", 400, "year", "not_a_year"),
    ];
    for (path, expected_status, field, rule) in cases {
        let (status, content_type, problem) = parts(app.get(path).await).await;
        assert_eq!((status, content_type.as_str()), (expected_status, "application/problem+json"), "{path}");
        assert_eq!(problem["status"], expected_status, "{path}");
        assert_eq!(problem["errors"][0]["path"], field, "{path}");
        assert_eq!(problem["errors"][0]["code"], rule, "{path}");
    }
    for path in ["/api/v1/forbund/no-such-forbund", "/api/v1/nothing-here"] {
        let (status, content_type, problem) = parts(app.get(path).await).await;
        assert_eq!(
            (status, content_type.as_str(), problem["code"].as_str()),
            (404, "application/problem+json", Some("not_found")),
            "{path}"
        );
    }
    app.stop().await;
}

/// A förbund key with a NUL byte reached PostgreSQL, which refuses NUL in text: 500 instead of
/// 404 (found by schemathesis through `?forbund=`). A key that no förbund can have, by the form
/// of the reference data's keys, is now not found without asking the database: 404 in a path,
/// 400 naming `forbund` in a table's query.
#[actix_rt::test]
async fn forbund_keys_no_forbund_can_have_are_not_found_never_a_server_error() {
    let app = TestApp::spawn().await;
    let (admin, analyst) = (token("admin", None), token("analyst", None));
    for key in
        ["a%00b", "%00", "samordningsforbundet-i-blekinge%00", "Finsam-I-Malmo", "%F0%9F%98%80", "finsam_i_malmo"]
    {
        let not_found = [
            (Method::GET, format!("/api/v1/forbund/{key}"), None, None),
            (Method::GET, format!("/api/v1/forbund/{key}/insatser"), Some(&admin), None),
            (Method::GET, format!("/api/v1/forbund/{key}/insatser/1"), Some(&admin), None),
            (Method::GET, format!("/api/v1/forbund/{key}/finances/2023"), Some(&admin), None),
            (Method::PUT, format!("/api/v1/forbund/{key}/finances/2023"), Some(&admin), Some(finances())),
            (Method::GET, format!("/api/v1/forbund/{key}/audit"), Some(&admin), None),
            (Method::POST, format!("/api/v1/forbund/{key}/imports"), Some(&admin), Some(json!({"insatser": []}))),
            (Method::GET, format!("/api/v1/forbund/{key}/imports/1"), Some(&admin), None),
        ];
        for (method, path, token, body) in not_found {
            let mut request = app.request(method.clone(), &path, token.map(String::as_str));
            if let Some(body) = body {
                request = request.json(&body);
            }
            let (status, content_type, problem) = parts(request.send().await.unwrap()).await;
            assert_eq!(
                (status, content_type.as_str(), problem["code"].as_str()),
                (404, "application/problem+json", Some("not_found")),
                "{method} {path}: {problem}"
            );
        }
        for (path, token) in [
            (format!("/api/v1/tables/costs?year=2023&forbund={key}"), Some(&analyst)),
            (format!("/api/v1/quality?year=2023&forbund={key}"), Some(&analyst)),
            (format!("/api/v1/open/tables/costs?year=2023&forbund={key}"), None),
        ] {
            let (status, content_type, problem) =
                parts(app.request(Method::GET, &path, token.map(String::as_str)).send().await.unwrap()).await;
            assert_eq!((status, content_type.as_str()), (400, "application/problem+json"), "{path}: {problem}");
            assert_eq!(problem["errors"][0]["path"], "forbund", "{path}");
            assert_eq!(problem["errors"][0]["code"], "unknown_forbund", "{path}");
        }
    }
    app.stop().await;
}

use serde_json::json;

use crate::support::{TestApp, parts};

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

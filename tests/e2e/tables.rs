//! The demo's 2023 through the table API: every figure of the published national report that
//! registered data can determine.

use reqwest::Method;
use serde_json::Value;

use crate::e2e::support::{OTHER, OWN, TestApp, parts, token};

/// A table in the plain JSON format, read by category codes.
pub(crate) struct Got {
    body: Value,
}

impl Got {
    fn value(&self, codes: &[&str]) -> Option<f64> {
        let dimensions = self.body["dimensions"].as_array().unwrap();
        assert_eq!(codes.len(), dimensions.len(), "{}", self.body["id"]);
        let mut index = 0;
        for (dimension, code) in dimensions.iter().zip(codes) {
            let categories = dimension["categories"].as_array().unwrap();
            let position = categories.iter().position(|c| c["code"] == *code).unwrap_or_else(|| panic!("no {code}"));
            index = index * categories.len() + position;
        }
        let value = &self.body["values"][index];
        value.as_str().map(|s| s.parse().unwrap()).or_else(|| value.as_f64())
    }

    pub(crate) fn at(&self, codes: &[&str]) -> f64 {
        self.value(codes).unwrap_or_else(|| panic!("{codes:?} is empty in {}", self.body["id"]))
    }
}

pub(crate) async fn table(app: &TestApp, path: &str) -> Got {
    let response = app.request(Method::GET, path, Some(&token("analyst", None))).send().await.unwrap();
    let (status, _, body) = parts(response).await;
    assert_eq!(status, 200, "{path}: {body}");
    Got { body }
}

/// The bytes of a CSV answer, asserting it is one.
async fn csv_bytes(app: &TestApp, path: &str, token: Option<&str>) -> Vec<u8> {
    let response = app.request(Method::GET, path, token).send().await.unwrap();
    let status = response.status().as_u16();
    let content_type = response.headers()["content-type"].to_str().unwrap().to_owned();
    let bytes = response.bytes().await.unwrap().to_vec();
    assert_eq!((status, content_type.as_str()), (200, "text/csv; charset=utf-8"), "{path}: {bytes:?}");
    bytes
}

/// Every record of a CSV, the header first, as the csv crate reads it.
fn csv_records(text: &str, separator: u8) -> Vec<Vec<String>> {
    csv::ReaderBuilder::new()
        .delimiter(separator)
        .has_headers(false)
        .from_reader(text.as_bytes())
        .records()
        .map(|r| r.unwrap().iter().map(str::to_owned).collect())
        .collect()
}

/// The table of `path` (a query without `format`) as CSV in both dialects, with `token` (none for
/// open tables). The default `,` file is what programs have always read: no BOM, decimal points,
/// the JSON's values; `csv_separator=,` is the same bytes. The `;` file, for Swedish
/// spreadsheets, starts with a UTF-8 BOM and has the same cells with a decimal comma. Returns
/// both texts (the `;` one without its BOM).
pub(crate) async fn check_csv_dialects(app: &TestApp, path: &str, token: Option<&str>) -> (String, String) {
    let (status, _, json) = parts(app.request(Method::GET, path, token).send().await.unwrap()).await;
    assert_eq!(status, 200, "{path}: {json}");
    let values = json["values"].as_array().unwrap();
    let plain = csv_bytes(app, &format!("{path}&format=csv"), token).await;
    assert_eq!(csv_bytes(app, &format!("{path}&format=csv&csv_separator=%2C"), token).await, plain, "{path}");
    let swedish = csv_bytes(app, &format!("{path}&format=csv&csv_separator=%3B"), token).await;

    assert_ne!(&plain[..3], b"\xEF\xBB\xBF", "{path}: the , file has no BOM");
    assert_eq!(&swedish[..3], b"\xEF\xBB\xBF", "{path}: the ; file starts with the UTF-8 BOM");
    let plain = String::from_utf8(plain).unwrap();
    let swedish = String::from_utf8(swedish[3..].to_vec()).unwrap();
    let (plain_rows, swedish_rows) = (csv_records(&plain, b','), csv_records(&swedish, b';'));
    assert_eq!(plain_rows.len(), values.len() + 1, "{path}: a header and one row per value");
    assert_eq!(swedish_rows.len(), plain_rows.len(), "{path}");
    assert_eq!(swedish_rows[0], plain_rows[0], "{path}: the same header");
    let at = plain_rows[0].iter().position(|h| h == "value").unwrap();
    let mut decimals = 0;
    for (i, (p, s)) in plain_rows[1..].iter().zip(&swedish_rows[1..]).enumerate() {
        let expected = match &values[i] {
            Value::Null => None,
            Value::String(text) => Some(text.parse::<f64>().unwrap()),
            number => number.as_f64(),
        };
        assert_eq!(p[at].parse::<f64>().ok(), expected, "{path}: row {i} of the , file");
        assert!(!s[at].contains('.'), "{path}: {:?} in the ; file", s[at]);
        assert_eq!(s[at].replace(',', "."), p[at], "{path}: row {i}");
        decimals += usize::from(p[at].contains('.'));
        let (mut p, mut s) = (p.clone(), s.clone());
        p.remove(at);
        s.remove(at);
        assert_eq!(s, p, "{path}: row {i} has the same codes, labels and status");
    }
    assert!(decimals > 0, "{path}: no value with decimals to check");
    (plain, swedish)
}

fn whole_percent(share: f64) -> i64 {
    share.round() as i64
}

#[actix_rt::test]
async fn the_demo_reproduces_the_published_national_figures() {
    let app = TestApp::spawn().await;
    finsam_demo::load(&mut app.db.conn()).expect("the demo loads");

    let kinds = table(&app, "/api/v1/tables/insatser-by-kind?year=2023").await;
    let y = "2023";
    assert_eq!(
        [
            kinds.at(&[y, "individual", "insatser"]),
            kinds.at(&[y, "structural", "insatser"]),
            kinds.at(&[y, "total", "insatser"])
        ],
        [296.0, 275.0, 571.0]
    );
    assert_eq!(whole_percent(kinds.at(&[y, "individual", "share"])), 52);

    let individual = table(&app, "/api/v1/tables/individual-insatser?year=2023").await;
    let orientations = ["work_oriented", "preparatory", "identify_needs", "preventive"];
    for (o, (count, share)) in orientations.iter().zip([(162.0, 54.7), (99.0, 33.4), (29.0, 9.8), (6.0, 2.0)]) {
        assert_eq!((individual.at(&[y, o, "insatser"]), individual.at(&[y, o, "share"])), (count, share), "{o}");
    }

    let participants = table(&app, "/api/v1/tables/individual-participants?year=2023").await;
    let published = [
        ("work_oriented", 12_608.0, 61.3, 52, 57, 66),
        ("preparatory", 5_863.0, 28.5, 62, 32, 24),
        ("identify_needs", 1_810.0, 8.8, 57, 9, 9),
        ("preventive", 272.0, 1.3, 57, 1, 1),
    ];
    for (o, total, share, women, of_women, of_men) in published {
        assert_eq!(participants.at(&[y, o, "total", "participants"]), total, "{o}");
        assert_eq!(participants.at(&[y, o, "total", "share_of_gender"]), share, "{o}");
        // The report prints whole percent; rounding the table's one-decimal share again could
        // round twice (48.49 → 48.5 → 49), so whole percent is taken from the exact counts.
        let count = |o: &str, g: &str| participants.at(&[y, o, g, "participants"]);
        let percent = |part: f64, of: f64| whole_percent(100.0 * part / of);
        assert_eq!(percent(count(o, "women"), total), women, "{o}");
        assert_eq!(percent(count(o, "men"), total), 100 - women, "{o}");
        assert!(
            (participants.at(&[y, o, "women", "share_of_orientation"]) - 100.0 * count(o, "women") / total).abs()
                <= 0.05
        );
        if o != "preventive" {
            // The report prints "–" for preventive.
            assert_eq!(percent(count(o, "women"), count("total", "women")), of_women, "{o}");
            assert_eq!(percent(count(o, "men"), count("total", "men")), of_men, "{o}");
        }
    }
    assert_eq!(participants.at(&[y, "total", "total", "participants"]), 20_553.0);
    let all_women = participants.at(&[y, "total", "women", "participants"]);
    assert_eq!(whole_percent(100.0 * all_women / 20_553.0), 55, "55 % women, not men");

    let structural = table(&app, "/api/v1/tables/structural-insatser?year=2023").await;
    let published = [
        ("develop_cooperation", 139.0, 50.5, 69.0, 40_411.0, 63.3),
        ("competence_raising", 109.0, 39.6, 70.0, 20_203.0, 31.7),
        ("needs_analysis", 27.0, 9.8, 9.0, 3_182.0, 5.0),
        ("total", 275.0, 100.0, 148.0, 63_796.0, 100.0),
    ];
    for (o, count, share, tracking, people, people_share) in published {
        let got = ["insatser", "share", "tracking_participants", "participants", "share_of_participants"]
            .map(|m| structural.at(&[y, o, m]));
        assert_eq!(got, [count, share, tracking, people, people_share], "{o}");
    }

    let groups = table(&app, "/api/v1/tables/target-groups?year=2023").await;
    assert_eq!(groups.at(&[y, "none", "insatser"]), 148.0);

    let costs = table(&app, "/api/v1/tables/costs?year=2023").await;
    assert_eq!(whole_percent(costs.at(&[y, "individual", "share_of_insats_budget"])), 83);
    assert_eq!(whole_percent(costs.at(&[y, "structural", "share_of_insats_budget"])), 17);

    let contributions = table(&app, "/api/v1/tables/contributions?year=2023").await;
    assert_eq!(contributions.at(&[y, "state", "amount"]), 339_000_000.0);

    let equity = table(&app, "/api/v1/tables/equity?from=2016&to=2022").await;
    let series = [
        (2016, 29, 205),
        (2017, 25, 230),
        (2018, -13, 217),
        (2019, -10, 207),
        (2020, 34, 241),
        (2021, -4, 237),
        (2022, -19, 218),
    ];
    for (year, result, closing) in series {
        let year = year.to_string();
        assert_eq!(equity.at(&[&year, "result"]), result as f64 * 1e6, "{year}");
        assert_eq!(equity.at(&[&year, "closing"]), closing as f64 * 1e6, "{year}");
    }

    let completeness = table(&app, "/api/v1/tables/completeness?year=2023").await;
    assert_eq!(completeness.at(&[y, "forbund_registered"]), 65.0);
    assert_eq!(completeness.at(&[y, "forbund"]), 72.0);
    assert_eq!(completeness.at(&[y, "municipalities_covered"]), 274.0);
    app.stop().await;
}

#[actix_rt::test]
async fn a_table_reflects_a_write_at_once_and_registrars_see_only_their_own() {
    let app = TestApp::spawn().await;
    finsam_demo::load(&mut app.db.conn()).expect("the demo loads");
    let path = format!("/api/v1/tables/insatser-by-kind?year=2023&forbund={OWN}");
    let before = table(&app, &path).await.at(&["2023", "total", "insatser"]);

    let registrar = token("registrar", Some(OWN));
    let insats = serde_json::json!({"name": "Ny insats", "kind": "structural", "orientation": "needs_analysis", "start_date": "2023-01-01"});
    let (status, _, created) = parts(
        app.request(Method::POST, &format!("/api/v1/forbund/{OWN}/insatser"), Some(&registrar))
            .json(&insats)
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, 201);
    let year = serde_json::json!({"participants": null, "budget": "1000.00"});
    let response = app
        .request(Method::PUT, &format!("/api/v1/forbund/{OWN}/insatser/{}/years/2023", created["id"]), Some(&registrar))
        .json(&year)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 201);
    assert_eq!(table(&app, &path).await.at(&["2023", "total", "insatser"]), before + 1.0, "the write shows at once");

    // A registrar's tables are its own förbund's, by default and by request; nothing else.
    let own =
        app.request(Method::GET, "/api/v1/tables/insatser-by-kind?year=2023", Some(&registrar)).send().await.unwrap();
    let (_, _, body) = parts(own).await;
    assert_eq!(body["selection"], serde_json::json!({"level": "forbund", "code": OWN}));
    for other in [format!("forbund={OTHER}"), "county=10".to_owned()] {
        let response = app
            .request(Method::GET, &format!("/api/v1/tables/insatser-by-kind?year=2023&{other}"), Some(&registrar))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 403, "{other}");
    }
    app.stop().await;
}

#[actix_rt::test]
async fn counties_add_up_to_the_nation() {
    let app = TestApp::spawn().await;
    finsam_demo::load(&mut app.db.conn()).expect("the demo loads");
    let national = table(&app, "/api/v1/tables/insatser-by-kind?year=2023").await.at(&["2023", "total", "insatser"]);
    let mut sum = 0.0;
    for county in [
        "01", "03", "04", "05", "06", "07", "08", "09", "10", "12", "13", "14", "17", "18", "19", "20", "21", "22",
        "23", "24", "25",
    ] {
        sum += table(&app, &format!("/api/v1/tables/insatser-by-kind?year=2023&county={county}"))
            .await
            .at(&["2023", "total", "insatser"]);
    }
    assert_eq!(sum, national);
    app.stop().await;
}

#[actix_rt::test]
async fn the_semicolon_csv_is_for_swedish_spreadsheets_and_the_comma_csv_is_unchanged() {
    let app = TestApp::spawn().await;
    finsam_demo::load(&mut app.db.conn()).expect("the demo loads");
    let analyst = token("analyst", None);
    let path = "/api/v1/tables/individual-participants?year=2023";
    let (plain, swedish) = check_csv_dialects(&app, path, Some(&analyst)).await;
    // Work-oriented insatser hold 61.3 % of the participants (the published report's figure).
    let row = "work_oriented,Arbetslivsinriktad,total,Totalt,share_of_gender";
    assert!(plain.lines().any(|l| l.starts_with(&format!("2023,2023,{row}")) && l.ends_with(",61.3,")), "{plain}");
    let row = row.replace(',', ";");
    assert!(swedish.lines().any(|l| l.starts_with(&format!("2023;2023;{row}")) && l.ends_with(";61,3;")), "{swedish}");
    assert!(swedish.contains(";men;Män;"), "Män in UTF-8: {swedish}");
    app.stop().await;
}

#[actix_rt::test]
async fn bad_table_requests_are_problems() {
    let app = TestApp::spawn().await;
    let analyst = token("analyst", None);
    for (query, status, field) in [
        ("/api/v1/tables/no-such-table", 404, None),
        ("/api/v1/tables/costs?year=2023&from=2020&to=2021", 400, Some("year")),
        ("/api/v1/tables/costs?from=2022&to=2020", 400, Some("to")),
        ("/api/v1/tables/costs?from=2020", 400, Some("to")),
        ("/api/v1/tables/costs?county=99", 400, Some("county")),
        ("/api/v1/tables/costs?forbund=nope", 400, Some("forbund")),
        ("/api/v1/tables/costs?format=pdf", 400, Some("format")),
        ("/api/v1/tables/costs?lang=fi", 400, Some("lang")),
        ("/api/v1/tables/costs?format=csv&csv_separator=%09", 400, Some("csv_separator")),
        ("/api/v1/tables/costs?format=xlsx&csv_separator=%3B", 400, Some("csv_separator")),
    ] {
        let (got, content_type, problem) =
            parts(app.request(Method::GET, query, Some(&analyst)).send().await.unwrap()).await;
        assert_eq!((got, content_type.as_str()), (status, "application/problem+json"), "{query}: {problem}");
        if let Some(field) = field {
            assert_eq!(problem["errors"][0]["path"], field, "{query}");
        }
    }
    assert_eq!(app.request(Method::GET, "/api/v1/tables", None).send().await.unwrap().status(), 401);
    app.stop().await;
}

#[actix_rt::test]
async fn data_quality_flags_point_at_what_to_follow_up() {
    let app = TestApp::spawn().await;
    finsam_demo::load(&mut app.db.conn()).expect("the demo loads");
    let (status, _, flags) = parts(
        app.request(Method::GET, "/api/v1/quality?year=2023", Some(&token("analyst", None))).send().await.unwrap(),
    )
    .await;
    assert_eq!(status, 200, "{flags}");
    let count = |code: &str| flags.as_array().unwrap().iter().filter(|f| f["code"] == code).count();
    // The demo has three förbund off 2:1:1 and seven that registered nothing.
    assert_eq!(count("contributions_off_2_1_1"), 3, "{flags}");
    assert_eq!(count("no_registration"), 7, "{flags}");
    app.stop().await;
}

#[actix_rt::test]
async fn a_snapshot_patched_after_writes_equals_a_fresh_load() {
    use finsam_stats::{Frames, Selection};
    let app = TestApp::spawn().await;
    finsam_demo::load(&mut app.db.conn()).expect("the demo loads");
    let cache = finsam_api::tables_cache::TableCache::default();
    let mut conn = app.db.conn();
    // Polars refuses to run on an async runtime's thread; the server runs it in a blocking pool.
    let first = off_runtime(|| cache.snapshot(&mut conn).unwrap());

    // Writes of every kind the statistics read: create, year, replace, delete, finances, submit.
    let admin = token("admin", None);
    let base = format!("/api/v1/forbund/{OTHER}");
    let insats = serde_json::json!({"name": "Extra", "kind": "individual", "orientation": "preventive",
        "target_groups": ["young"], "start_date": "2023-01-01"});
    let (_, _, created) =
        parts(app.request(Method::POST, &format!("{base}/insatser"), Some(&admin)).json(&insats).send().await.unwrap())
            .await;
    let year = serde_json::json!({"participants": {"women": 3, "men": 4}, "budget": "500.00"});
    let response = app
        .request(Method::PUT, &format!("{base}/insatser/{}/years/2023", created["id"]), Some(&admin))
        .json(&year)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 201);
    let (_, _, listed) =
        parts(app.request(Method::GET, &format!("/api/v1/forbund/{OWN}/insatser"), Some(&admin)).send().await.unwrap())
            .await;
    let victim = &listed[0];
    let path = format!("/api/v1/forbund/{OWN}/insatser/{}", victim["id"]);
    assert_eq!(
        app.request(Method::DELETE, &path, Some(&admin))
            .header("if-match", victim["version"].to_string())
            .send()
            .await
            .unwrap()
            .status(),
        204
    );
    let finances = crate::e2e::support::finances();
    let response =
        app.request(Method::PUT, &format!("{base}/finances/2024"), Some(&admin)).json(&finances).send().await.unwrap();
    assert_eq!(response.status(), 201);

    off_runtime(|| {
        let patched = cache.snapshot(&mut conn).unwrap();
        assert!(patched.version.last_event > first.version.last_event);
        let (version, fresh) = finsam_store::statistics::load_inputs(&mut conn).unwrap();
        // Snapshots name transactions of the whole server (other tests' too): equal data, not
        // equal snapshots.
        assert_eq!(version.last_event, patched.version.last_event);
        assert!(finsam_store::freshness::is_current(&mut conn, &patched.version).unwrap());
        let fresh = Frames::new(&fresh).unwrap();
        for years in [vec![2023], vec![2024], vec![2016, 2017, 2018, 2019, 2020, 2021, 2022, 2023, 2024]] {
            for selection in [
                Selection::National,
                Selection::Forbund(OWN.into()),
                Selection::Forbund(OTHER.into()),
                Selection::County("12".into()),
            ] {
                assert_eq!(
                    patched.frames.compute_all(&years, &selection).unwrap(),
                    fresh.compute_all(&years, &selection).unwrap(),
                    "{years:?} {selection:?}"
                );
            }
        }
    });
    app.stop().await;
}

fn off_runtime<T: Send>(work: impl FnOnce() -> T + Send) -> T {
    std::thread::scope(|scope| scope.spawn(work).join().unwrap())
}

//! Nothing about single insatser: no insats text (name, description, external_ref) in any open
//! output, in any format, language or selection, nor inside the ZIPs; aggregate dimensions only.

use reqwest::Method;
use serde_json::{Value, json};

use super::YEAR;
use super::fetch::{Plain, open_table, raw, table_ids, unzip};
use super::formats::{assert_aggregate_dimensions, check_csv, check_jsonstat};
use crate::e2e::support::{
    OTHER, OWN, TestApp, individual_insats, parts, structural_insats, token, with, year_figures,
};

/// The markers of the test's insatser, and a stem of them all (exact case: binary parts of a
/// ZIP could hold hex digits in either case by chance, never `MARKER`).
const MARKERS: [&str; 5] = ["MARKER-NAME-7f3a", "MARKER-DESC-7f3a", "MARKER-REF-7f3a", "MARKER", "a description only"];

fn assert_no_marker(bytes: &[u8], what: &str) {
    for marker in MARKERS {
        let found = bytes.windows(marker.len()).any(|w| w == marker.as_bytes());
        assert!(!found, "{what} contains {marker:?}");
    }
}

/// Scans a file and, when it is a ZIP (the export, an XLSX), every file inside it, recursively.
fn scan(bytes: &[u8], what: &str) -> usize {
    assert_no_marker(bytes, what);
    if !bytes.starts_with(b"PK\x03\x04") {
        return 1;
    }
    let mut scanned = 1;
    for (name, content) in unzip(bytes, what) {
        scanned += scan(&content, &format!("{what}!{name}"));
    }
    scanned
}

#[actix_rt::test]
async fn no_open_output_contains_insats_text_or_insats_rows() {
    let app = TestApp::spawn().await;
    let admin = token("admin", None);
    let mut registered_participants = 0;
    for forbund in [OWN, OTHER] {
        for (n, base) in [individual_insats(), individual_insats(), structural_insats()].into_iter().enumerate() {
            let insats = with(
                base,
                json!({
                    "name": format!("MARKER-NAME-7f3a {forbund} {n}"),
                    "description": format!("MARKER-DESC-7f3a: a description only the förbund may see ({n})"),
                    "external_ref": format!("MARKER-REF-7f3a-{n}"),
                }),
            );
            let created = app.create_insats(forbund, &insats).await;
            let individual = created["kind"] == "individual";
            let figures = if individual {
                year_figures()
            } else {
                json!({"participants": {"women": 30, "men": 10}, "budget": "90000.00", "outcome": "85000.00"})
            };
            if individual {
                registered_participants += 20;
            }
            let path = format!("/api/v1/forbund/{forbund}/insatser/{}/years/{YEAR}", created["id"]);
            let (status, _, body) =
                parts(app.request(Method::PUT, &path, Some(&admin)).json(&figures).send().await.unwrap()).await;
            assert_eq!(status, 201, "{path}: {body}");
        }
        // The markers are stored, and visible where a token may see them.
        let (status, _, listed) = parts(
            app.request(Method::GET, &format!("/api/v1/forbund/{forbund}/insatser"), Some(&admin))
                .send()
                .await
                .unwrap(),
        )
        .await;
        assert_eq!(status, 200);
        assert!(listed.to_string().contains("MARKER-DESC-7f3a"), "{listed}");
    }

    // The figures reach the open tables once published: the registered participants, all work-oriented.
    app.publish(YEAR.parse().unwrap(), "Första publiceringen").await;
    let national = open_table(&app, &format!("/api/v1/open/tables/individual-participants?year={YEAR}")).await;
    let m = national.dims.len() - 1;
    let at = national.index(&[
        0,
        national.pos(1, "work_oriented").unwrap(),
        national.pos(2, "total").unwrap(),
        national.pos(m, "participants").unwrap(),
    ]);
    assert_eq!(national.values[at], Some(f64::from(registered_participants)));

    let (status, _, list) = raw(&app, "/api/v1/open/tables").await;
    assert_eq!(status, 200);
    assert_no_marker(&list, "the list");
    let ids = table_ids(&app).await;
    assert_eq!(ids.len(), 10);
    let selections = [
        "".to_owned(),
        "&county=10".to_owned(),
        "&county=12".to_owned(),
        format!("&forbund={OWN}"),
        format!("&forbund={OTHER}"),
    ];
    let (mut responses, mut suppressed) = (0, 0);
    for id in &ids {
        for selection in &selections {
            for lang in ["sv", "en"] {
                let query = format!("/api/v1/open/tables/{id}?year={YEAR}{selection}&lang={lang}");
                let mut cells = None;
                for format in ["json", "json-stat2", "csv", "xlsx"] {
                    let path = format!("{query}&format={format}");
                    let (status, content_type, bytes) = raw(&app, &path).await;
                    assert_eq!(status, 200, "{path}: {}", String::from_utf8_lossy(&bytes));
                    responses += scan(&bytes, &path);
                    match format {
                        "json" => {
                            let body: Value = serde_json::from_slice(&bytes).unwrap();
                            let plain = Plain::parse(&body, &path);
                            let ids: Vec<&str> = plain.dims.iter().map(|(d, _)| d.as_str()).collect();
                            assert_aggregate_dimensions(&ids, &path);
                            suppressed += plain.status.iter().flatten().count();
                            cells = Some(plain.values.len());
                        }
                        "json-stat2" => {
                            let dataset: Value = serde_json::from_slice(&bytes).unwrap();
                            assert_eq!(Some(check_jsonstat(&dataset, &path)), cells, "{path}");
                        }
                        "csv" => {
                            assert!(content_type.starts_with("text/csv"), "{path}: {content_type}");
                            let rows = check_csv(std::str::from_utf8(&bytes).unwrap(), ',', &path);
                            assert_eq!(Some(rows), cells, "{path}: one row per value");
                        }
                        _ => {
                            let names: Vec<String> = unzip(&bytes, &path).into_iter().map(|(n, _)| n).collect();
                            assert!(names.iter().any(|n| n == "xl/workbook.xml"), "{path}: {names:?}");
                        }
                    }
                }
            }
        }
    }
    println!("{responses} files scanned; {suppressed} suppressed cells among them");
    assert!(suppressed > 0, "the small exits of two insatser per förbund are suppressed");

    for query in ["", "?csv_separator=,", "?csv_separator=;", "?csv_separator=;&lang=en"] {
        let path = format!("/api/v1/open/export/{YEAR}.zip{query}");
        let (status, content_type, bytes) = raw(&app, &path).await;
        assert_eq!((status, content_type.as_str()), (200, "application/zip"), "{path}");
        let separator = if query.contains(';') { ';' } else { ',' };
        let scanned = scan(&bytes, &path);
        let entries = unzip(&bytes, &path);
        assert!(scanned > entries.len(), "{path}: the XLSX inside were opened too");
        for (name, content) in &entries {
            if name.ends_with(".json") {
                check_jsonstat(&serde_json::from_slice(content).unwrap(), &format!("{path}!{name}"));
            } else if name.ends_with(".csv") {
                check_csv(std::str::from_utf8(content).unwrap(), separator, &format!("{path}!{name}"));
            }
        }
    }
    app.stop().await;
}

//! The yearly ZIP: every table at every level in every format, with the method README.

use std::collections::BTreeSet;

use serde_json::Value;

use super::YEAR;
use super::fetch::{number, open_json, raw, table_ids, unzip};
use super::formats::{check_csv, check_jsonstat};
use crate::e2e::support::TestApp;
use crate::e2e::tables::check_csv_dialects;

#[actix_rt::test]
async fn the_yearly_zip_holds_every_table_in_every_format_with_the_method_readme() {
    let app = TestApp::spawn().await;
    finsam_demo::load(&mut app.db.conn()).expect("the demo loads");
    app.publish(2023, "Första publiceringen").await;
    let ids = table_ids(&app).await;
    assert_eq!(ids.len(), 10, "{ids:?}");
    let root = format!("finsam-open-{YEAR}");
    let mut expected: BTreeSet<String> = BTreeSet::from([format!("{root}/README.md")]);
    for level in ["national", "county", "forbund"] {
        for id in &ids {
            for ext in ["json", "csv", "xlsx"] {
                expected.insert(format!("{root}/{level}/{id}.{ext}"));
            }
        }
    }
    let counties = open_json(&app, "/api/v1/counties").await.as_array().unwrap().len();
    let forbund = open_json(&app, &format!("/api/v1/forbund?year={YEAR}")).await.as_array().unwrap().len();

    for (query, separator) in [("", ','), ("?csv_separator=;", ';')] {
        let path = format!("/api/v1/open/export/{YEAR}.zip{query}");
        let (status, content_type, bytes) = raw(&app, &path).await;
        assert_eq!((status, content_type.as_str()), (200, "application/zip"), "{path}");
        let entries = unzip(&bytes, &path);
        let names: BTreeSet<String> = entries.iter().map(|(n, _)| n.clone()).collect();
        assert_eq!(names.len(), entries.len(), "{path}: no entry twice");
        assert_eq!(names, expected, "{path}");

        let mut suppressed = 0;
        for (name, content) in &entries {
            let what = format!("{path}!{name}");
            if name.ends_with(".json") {
                let dataset: Value = serde_json::from_slice(content).unwrap_or_else(|e| panic!("{what}: {e}"));
                check_jsonstat(&dataset, &what);
                assert_eq!(dataset["extension"]["disclosure"]["threshold"], 4, "{what}");
                suppressed += dataset.get("status").and_then(Value::as_object).map_or(0, |s| s.len());
                let level = name.split('/').nth(1).unwrap();
                let id = name.rsplit('/').next().unwrap().trim_end_matches(".json");
                assert_eq!(dataset["extension"]["table_id"], id, "{what}");
                match level {
                    "county" => assert_eq!(dataset["size"][1], counties, "{what}: every county"),
                    "forbund" => assert_eq!(dataset["size"][1], forbund, "{what}: every förbund"),
                    _ => {
                        // The national file is the open table of the nation.
                        let single = open_json(&app, &format!("/api/v1/open/tables/{id}?year={YEAR}")).await;
                        let values: Vec<Option<f64>> =
                            single["values"].as_array().unwrap().iter().map(number).collect();
                        let in_zip: Vec<Option<f64>> =
                            dataset["value"].as_array().unwrap().iter().map(number).collect();
                        assert_eq!(in_zip, values, "{what}");
                    }
                }
            } else if name.ends_with(".xlsx") {
                let inner: Vec<String> = unzip(content, &what).into_iter().map(|(n, _)| n).collect();
                assert!(inner.iter().any(|n| n == "xl/workbook.xml"), "{what}: {inner:?}");
            } else if name.ends_with(".csv") {
                let text = std::str::from_utf8(content).unwrap();
                let header = text.lines().next().unwrap();
                let other = if separator == ';' { ',' } else { ';' };
                assert!(header.contains(separator) && !header.contains(other), "{what}: header {header:?}");
                check_csv(text, separator, &what);
            } else {
                let readme = std::str::from_utf8(content).unwrap();
                assert!(readme.contains("Röjandekontroll"), "{readme}");
                assert!(readme.contains("1 till 4") && readme.contains("1 to 4"), "the threshold: {readme}");
                for file in expected.iter().filter(|f| !f.ends_with("README.md")) {
                    let listed = file.strip_prefix(&format!("{root}/")).unwrap();
                    assert!(readme.contains(listed), "the README lists {listed}");
                }
            }
        }
        println!("{path}: {} entries, {suppressed} suppressed cells in the JSON-stat files", entries.len());
        assert!(suppressed > 0, "{path}: the demo's förbund tables have suppressed cells");
    }
    // The open tables take the same two dialects as the ZIP.
    let path = format!("/api/v1/open/tables/individual-participants?year={YEAR}");
    let (_, swedish) = check_csv_dialects(&app, &path, None).await;
    assert!(swedish.contains(";men;Män;"), "{swedish}");
    app.stop().await;
}

//! Upserts by external_ref: unchanged rows are counted and not written, only changes audited.

use serde_json::{Value, json};

use super::batch::{audit, batch, by_ref, counts, import, insatser, row, summary_counts};
use crate::e2e::support::{OWN, TestApp};

#[actix_rt::test]
async fn imports_upsert_by_external_ref_counts_unchanged_and_audits_only_changes() {
    let app = TestApp::spawn().await;
    let body = batch("atomic", vec![row("up-a", "Insats A"), row("up-b", "Insats B")]);
    let first = import(&app, "", &body, None).await;
    assert_eq!(counts(&first.body), summary_counts("applied", "atomic", 2, 2, 0, 0, 0), "{}", first.body);
    let after_first = app.snapshot();

    // The same batch again, without a key: nothing to do, nothing written, nothing audited.
    let again = import(&app, "", &body, None).await;
    assert_eq!(again.status, 200, "{}", again.body);
    assert_eq!(counts(&again.body), summary_counts("applied", "atomic", 2, 0, 0, 2, 0), "{}", again.body);
    assert_eq!(again.body["errors"], json!([]));
    // Equal figures written differently are no change either.
    let mut same = body.clone();
    same["insatser"][0]["years"]["2023"]["budget"] = json!("250000");
    same["insatser"][1]["target_groups"] = json!(["long_term_sick_listed", "young"]);
    let again = import(&app, "", &same, None).await;
    assert_eq!(counts(&again.body), summary_counts("applied", "atomic", 2, 0, 0, 2, 0), "{}", again.body);
    assert_eq!(app.snapshot(), after_first, "an unchanged import wrote");
    let events_before = audit(&app).await;

    // One insats renamed, the other's budget for 2023 changed.
    let mut changed = body.clone();
    changed["insatser"][0]["name"] = json!("Insats A, nytt namn");
    changed["insatser"][1]["years"]["2023"]["budget"] = json!("300000.00");
    let got = import(&app, "", &changed, None).await;
    assert_eq!(counts(&got.body), summary_counts("applied", "atomic", 2, 0, 2, 0, 0), "{}", got.body);

    let list = insatser(&app, OWN).await;
    let (a, b) = (by_ref(&list, "up-a"), by_ref(&list, "up-b"));
    assert_eq!((a["name"].as_str(), a["version"].as_i64()), (Some("Insats A, nytt namn"), Some(2)));
    assert_eq!((a["years"][0]["version"].as_i64(), a["years"][0]["budget"].as_str()), (Some(1), Some("250000.00")));
    assert_eq!((b["name"].as_str(), b["version"].as_i64()), (Some("Insats B"), Some(1)));
    assert_eq!((b["years"][0]["version"].as_i64(), b["years"][0]["budget"].as_str()), (Some(2), Some("300000.00")));

    let events = audit(&app).await;
    let new: Vec<&Value> = events.iter().skip(events_before.len()).collect();
    let got: Vec<(String, String, String)> = new
        .iter()
        .map(|e| {
            (
                e["entity"].as_str().unwrap().to_owned(),
                e["entity_id"].as_str().unwrap().to_owned(),
                e["action"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            ("insats".to_owned(), a["id"].to_string(), "replace".to_owned()),
            ("insats_year".to_owned(), format!("{}/2023", b["id"]), "replace".to_owned()),
        ]
    );
    assert_eq!(
        (new[0]["before"]["name"].as_str(), new[0]["after"]["name"].as_str()),
        (Some("Insats A"), Some("Insats A, nytt namn"))
    );
    assert_eq!(
        (new[1]["before"]["budget"].as_str(), new[1]["after"]["budget"].as_str()),
        (Some("250000.00"), Some("300000.00"))
    );

    // A new year for an existing insats is an update of it, audited as the year's create.
    let mut more = changed.clone();
    more["insatser"][0]["years"]["2024"] = json!({"participants": {"women": 1, "men": 2}, "budget": "5000.00"});
    let got = import(&app, "", &more, None).await;
    assert_eq!(counts(&got.body), summary_counts("applied", "atomic", 2, 0, 1, 1, 0), "{}", got.body);
    let events = audit(&app).await;
    let last = events.last().unwrap();
    assert_eq!(
        (last["entity"].as_str(), last["entity_id"].as_str(), last["action"].as_str()),
        (Some("insats_year"), Some(format!("{}/2024", a["id"]).as_str()), Some("create"))
    );
    assert_eq!(by_ref(&insatser(&app, OWN).await, "up-a")["version"], 2, "a new year leaves the insats' version");
    app.stop().await;
}

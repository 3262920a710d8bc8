//! Dry runs, and atomic and partial batches: what is written, what is refused, naming row, field and
//! rule, and how the mode is chosen.

use serde_json::{Value, json};

use super::batch::{actions, audit, batch, by_ref, count, counts, errors, import, insatser, refs, row, summary_counts};
use crate::e2e::support::{OWN, TestApp, individual_insats};

#[actix_rt::test]
async fn imports_a_dry_run_reports_what_it_would_do_and_writes_nothing() {
    let app = TestApp::spawn().await;
    let existing = app.create_insats(OWN, &individual_insats()).await;
    let before = app.snapshot();

    let mut changed = row("case-system-4711", "Arbetsträning Nord");
    changed["years"]["2023"]["budget"] = json!("1000.00");
    let mut bad = row("bad", "Felaktig");
    bad["orientation"] = json!("develop_cooperation");
    let body = batch("partial", vec![changed, row("new-1", "Ny ett"), row("new-2", "Ny två"), bad]);
    let got = import(&app, "?dry_run=true", &body, None).await;
    assert_eq!(got.status, 200, "{}", got.body);
    assert_eq!(counts(&got.body), summary_counts("dry_run", "partial", 4, 2, 1, 0, 1), "{}", got.body);
    assert_eq!(
        errors(&got.body),
        [(3, None, "/insatser/3/orientation".to_owned(), "orientation_not_of_kind".to_owned())]
    );

    assert_eq!(app.snapshot(), before, "a dry run wrote");
    let list = insatser(&app, OWN).await;
    assert_eq!(refs(&list), ["case-system-4711"]);
    assert_eq!(
        (by_ref(&list, "case-system-4711")["version"].as_i64(), existing["version"].as_i64()),
        (Some(1), Some(1))
    );
    // A dry run with a key does not use the key up: the real import with it goes ahead.
    let dry = import(&app, "?dry_run=true", &body, Some("dry-then-real")).await;
    assert_eq!((dry.status, dry.body["status"].as_str(), dry.replayed()), (200, Some("dry_run"), false));
    assert_eq!(app.snapshot(), before, "a dry run with a key wrote");
    let real = import(&app, "", &body, Some("dry-then-real")).await;
    assert_eq!((real.status, real.replayed()), (200, false), "{}", real.body);
    assert_eq!(counts(&real.body), summary_counts("applied", "partial", 4, 2, 1, 0, 1), "{}", real.body);
    assert_eq!(refs(&insatser(&app, OWN).await), ["case-system-4711", "new-1", "new-2"]);
    app.stop().await;
}

#[actix_rt::test]
async fn imports_an_atomic_batch_with_one_bad_row_is_refused_naming_row_field_and_rule() {
    let app = TestApp::spawn().await;
    let before = app.snapshot();
    let mut bad = row("b", "Dålig");
    bad["years"]["2023"]["participants"]["women"] = json!(-1);
    // Atomic is the default mode.
    let body = json!({"insatser": [row("a", "Bra"), bad, row("c", "Också bra")]});
    let got = import(&app, "", &body, None).await;
    assert_eq!(got.status, 200, "{}", got.body);
    assert_eq!(counts(&got.body), summary_counts("refused", "atomic", 3, 2, 0, 0, 1), "{}", got.body);
    assert_eq!(
        errors(&got.body),
        [(1, None, "/insatser/1/years/2023/participants/women".to_owned(), "negative_count".to_owned())]
    );
    assert!(got.body["errors"][0]["detail"].as_str().is_some_and(|d| !d.is_empty()), "{}", got.body);
    assert_eq!(app.snapshot(), before, "a refused batch wrote");
    assert_eq!(insatser(&app, OWN).await, Vec::<Value>::new());

    // `mode` in the body wins over ?mode=.
    let explicit = batch("atomic", body["insatser"].as_array().unwrap().clone());
    let got = import(&app, "?mode=partial", &explicit, None).await;
    assert_eq!(got.body["status"], "refused", "{}", got.body);
    assert_eq!(app.snapshot(), before, "a refused batch wrote");
    app.stop().await;
}

#[actix_rt::test]
async fn imports_a_partial_batch_writes_the_good_rows_and_reports_the_bad() {
    let app = TestApp::spawn().await;
    let mut wrong_kind = row("b", "Fel inriktning");
    wrong_kind["orientation"] = json!("develop_cooperation");
    let mut no_ref = row("x", "Utan referens");
    no_ref.as_object_mut().unwrap().remove("external_ref");
    let mut later = row("c", "Två år");
    later["years"]["2024"] = json!({"participants": {"women": 3, "men": 4}, "budget": "1000.50"});
    // No mode in the body: ?mode=partial decides.
    let body = json!({"insatser": [row("a", "Bra"), wrong_kind, later, no_ref, row("a", "Dubblett")]});
    let got = import(&app, "?mode=partial", &body, None).await;
    assert_eq!(got.status, 200, "{}", got.body);
    assert_eq!(counts(&got.body), summary_counts("applied", "partial", 5, 2, 0, 0, 3), "{}", got.body);
    assert_eq!(
        errors(&got.body),
        [
            (1, None, "/insatser/1/orientation".to_owned(), "orientation_not_of_kind".to_owned()),
            (3, None, "/insatser/3/external_ref".to_owned(), "required".to_owned()),
            (4, None, "/insatser/4/external_ref".to_owned(), "duplicate_in_batch".to_owned()),
        ]
    );

    let list = insatser(&app, OWN).await;
    assert_eq!(refs(&list), ["a", "c"]);
    let a = by_ref(&list, "a");
    assert_eq!((a["name"].as_str(), a["version"].as_i64()), (Some("Bra"), Some(1)));
    assert_eq!(a["target_groups"], json!(["young", "long_term_sick_listed"]));
    assert_eq!(a["years"].as_array().unwrap().len(), 1);
    assert_eq!(a["years"][0]["participants"], json!({"women": 12, "men": 8}));
    let c = by_ref(&list, "c");
    let years: Vec<(i64, String)> = c["years"]
        .as_array()
        .unwrap()
        .iter()
        .map(|y| (y["year"].as_i64().unwrap(), y["budget"].as_str().unwrap().to_owned()))
        .collect();
    assert_eq!(years, [(2023, "250000.00".to_owned()), (2024, "1000.50".to_owned())]);

    // Audited as the single registrations are, with who imported.
    let events = audit(&app).await;
    assert_eq!((count(&events, "insats", "create"), count(&events, "insats_year", "create")), (2, 3), "{events:?}");
    assert_eq!(events.len(), 5, "{:?}", actions(&events));
    assert!(events.iter().all(|e| e["actor"] == "registrar-tester" && e["actor_role"] == "registrar"));
    let a_id = a["id"].to_string();
    let created_a =
        events.iter().find(|e| e["entity"] == "insats" && e["entity_id"] == a_id.as_str()).expect("a's create");
    assert_eq!(created_a["after"]["name"], "Bra");
    app.stop().await;
}

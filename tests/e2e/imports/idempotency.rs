//! Idempotency-Key: replays answer the stored summary and write nothing, a key reused with
//! another body is refused, keys are per förbund, and concurrent identical requests import once.

use reqwest::Method;
use serde_json::json;

use super::batch::{
    actions, answer, audit, batch, count, counts, import, import_requests, imports_path, insatser, refs, row, rows,
    summary_counts,
};
use crate::e2e::support::{OTHER, OWN, TestApp, parts, token};

#[actix_rt::test]
async fn imports_a_batch_replayed_ten_times_with_one_key_is_stored_once() {
    let app = TestApp::spawn().await;
    let body = batch("atomic", rows("idem", 3));
    let first = import(&app, "", &body, Some("batch-2024-01-15")).await;
    assert_eq!((first.status, first.replayed()), (200, false), "{}", first.body);
    assert_eq!(counts(&first.body), summary_counts("applied", "atomic", 3, 3, 0, 0, 0), "{}", first.body);
    let after_first = app.snapshot();
    for replay in 1..10 {
        let again = import(&app, "", &body, Some("batch-2024-01-15")).await;
        assert_eq!((again.status, again.replayed()), (200, true), "replay {replay}: {}", again.body);
        assert_eq!(again.body, first.body, "replay {replay}");
    }
    assert_eq!(app.snapshot(), after_first, "a replay wrote");
    let list = insatser(&app, OWN).await;
    assert_eq!(refs(&list), ["idem-0", "idem-1", "idem-2"]);
    let events = audit(&app).await;
    assert_eq!(count(&events, "insats", "create"), 3, "{:?}", actions(&events));
    assert_eq!(count(&events, "insats_year", "create"), 3, "{:?}", actions(&events));
    assert_eq!(events.len(), 6, "{:?}", actions(&events));
    let mut ids: Vec<String> = events
        .iter()
        .filter(|e| e["entity"] == "insats")
        .map(|e| e["entity_id"].as_str().unwrap().to_owned())
        .collect();
    ids.sort();
    let mut listed: Vec<String> = list.iter().map(|i| i["id"].to_string()).collect();
    listed.sort();
    assert_eq!(ids, listed, "one create per insats");
    assert_eq!(import_requests(&app), 1);

    // A refused atomic batch is remembered too: its retry gets the same refusal.
    let mut bad = row("idem-9", "Dålig");
    bad["start_date"] = json!("2023-02-30");
    let refused_body = batch("atomic", vec![row("idem-8", "Bra"), bad]);
    let refused = import(&app, "", &refused_body, Some("refused-key")).await;
    assert_eq!((refused.status, refused.body["status"].as_str(), refused.replayed()), (200, Some("refused"), false));
    let again = import(&app, "", &refused_body, Some("refused-key")).await;
    assert_eq!((again.status, again.replayed()), (200, true));
    assert_eq!(again.body, refused.body);
    assert_eq!(app.snapshot(), after_first, "a refused batch wrote");
    app.stop().await;
}

#[actix_rt::test]
async fn imports_the_same_key_with_another_body_is_refused_and_writes_nothing() {
    let app = TestApp::spawn().await;
    let body = batch("atomic", rows("k", 2));
    let first = import(&app, "", &body, Some("key-1")).await;
    assert_eq!(first.body["created"], 2, "{}", first.body);
    let before = app.snapshot();

    let other_bodies = [
        batch("atomic", rows("other", 2)),
        // The same rows in the other mode are another import too.
        batch("partial", rows("k", 2)),
    ];
    for other in other_bodies {
        let response = app
            .request(Method::POST, &imports_path(OWN), Some(&token("registrar", Some(OWN))))
            .header("idempotency-key", "key-1")
            .json(&other)
            .send()
            .await
            .unwrap();
        let (status, content_type, problem) = parts(response).await;
        assert_eq!((status, content_type.as_str()), (422, "application/problem+json"), "{problem}");
        assert_eq!(problem["code"], "validation_failed", "{problem}");
        assert_eq!(
            (problem["errors"][0]["path"].as_str(), problem["errors"][0]["code"].as_str()),
            (Some("Idempotency-Key"), Some("idempotency_key_reused")),
            "{problem}"
        );
    }
    assert_eq!(app.snapshot(), before, "a reused key wrote");
    assert_eq!(refs(&insatser(&app, OWN).await), ["k-0", "k-1"]);

    // Keys belong to a förbund: another förbund's registrar may use the same key for its own batch.
    let response = app
        .request(Method::POST, &imports_path(OTHER), Some(&token("registrar", Some(OTHER))))
        .header("idempotency-key", "key-1")
        .json(&batch("atomic", rows("other", 1)))
        .send()
        .await
        .unwrap();
    let got = answer(response).await;
    assert_eq!((got.status, got.replayed(), got.body["created"].as_u64()), (200, false, Some(1)), "{}", got.body);
    assert_eq!(refs(&insatser(&app, OTHER).await), ["other-0"]);

    // A key that is not 1–200 visible ASCII characters is refused, naming the header.
    let got = import(&app, "", &body, Some(&"k".repeat(201))).await;
    assert_eq!(
        (got.status, got.body["errors"][0]["path"].as_str(), got.body["errors"][0]["code"].as_str()),
        (400, Some("Idempotency-Key"), Some("bad_idempotency_key")),
        "{}",
        got.body
    );
    app.stop().await;
}

#[actix_rt::test]
async fn imports_concurrent_identical_requests_with_one_key_import_once() {
    let app = TestApp::spawn().await;
    let registrar = token("registrar", Some(OWN));
    for round in 0..4 {
        let body = batch("atomic", rows(&format!("round{round}"), 40));
        let key = format!("concurrent-{round}");
        let send = |_| {
            app.request(Method::POST, &imports_path(OWN), Some(&registrar))
                .header("idempotency-key", &key)
                .json(&body)
                .send()
        };
        let handles: Vec<_> = (0..3).map(send).map(actix_rt::spawn).collect();
        let mut answers = Vec::new();
        for handle in handles {
            answers.push(answer(handle.await.unwrap().unwrap()).await);
        }
        for got in &answers {
            assert_eq!(got.status, 200, "round {round}: {}", got.body);
            assert_eq!(got.body, answers[0].body, "round {round}: every answer carries the same summary");
        }
        assert_eq!(answers[0].body["created"], 40, "round {round}: {}", answers[0].body);
        let fresh = answers.iter().filter(|a| !a.replayed()).count();
        assert_eq!(fresh, 1, "round {round}: exactly one import, the others replays");
    }
    let list = insatser(&app, OWN).await;
    assert_eq!(list.len(), 160);
    let mut unique = refs(&list);
    unique.dedup();
    assert_eq!(unique.len(), 160, "every row once");
    let events = audit(&app).await;
    assert_eq!(count(&events, "insats", "create"), 160);
    assert_eq!(import_requests(&app), 4);
    app.stop().await;
}

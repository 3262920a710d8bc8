//! Two clerks saving the same version: exactly one wins, the other learns it lost.

use reqwest::Method;
use serde_json::json;

use crate::e2e::support::{OWN, TestApp, individual_insats, token, with};

#[actix_rt::test]
async fn concurrent_updates_of_one_version_have_exactly_one_winner() {
    let app = TestApp::spawn().await;
    let insats = app.create_insats(OWN, &individual_insats()).await;
    let path = format!("/api/v1/forbund/{OWN}/insatser/{}", insats["id"]);
    let registrar = token("registrar", Some(OWN));

    for (round, use_if_match) in [(1, true), (2, false)] {
        let version = round; // each round starts from the winner of the previous one
        let requests = (0..8).map(|clerk| {
            let body = with(individual_insats(), json!({"name": format!("Namn {round}-{clerk}")}));
            let mut request = app.request(Method::PUT, &path, Some(&registrar));
            request = if use_if_match {
                request.header("if-match", format!("\"{version}\"")).json(&body)
            } else {
                request.json(&with(body, json!({"version": version})))
            };
            request.send()
        });
        let statuses: Vec<u16> =
            futures_join_all(requests).await.into_iter().map(|r| r.unwrap().status().as_u16()).collect();
        let losing = if use_if_match { 412 } else { 409 };
        assert_eq!(statuses.iter().filter(|s| **s == 200).count(), 1, "round {round}: {statuses:?}");
        assert_eq!(statuses.iter().filter(|s| **s == losing).count(), 7, "round {round}: {statuses:?}");
    }
    let replaced: Vec<_> = app
        .snapshot()
        .into_iter()
        .filter(|row| row.starts_with("audit_events") && row.contains("\"action\":\"replace\""))
        .collect();
    assert_eq!(replaced.len(), 2, "one audited replace per round");
    app.stop().await;
}

/// Sends all at once and waits for all (no extra crate for one join).
async fn futures_join_all<F>(futures: impl Iterator<Item = F>) -> Vec<F::Output>
where
    F: std::future::Future + 'static,
    F::Output: 'static,
{
    let handles: Vec<_> = futures.map(actix_rt::spawn).collect();
    let mut out = Vec::new();
    for handle in handles {
        out.push(handle.await.unwrap());
    }
    out
}

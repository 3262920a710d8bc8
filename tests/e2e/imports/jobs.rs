//! Large batches become jobs, polled to done; their keys replay, and they are the förbund's.

use std::time::{Duration, Instant};

use reqwest::Method;

use super::batch::{
    audit, batch, count, counts, import, import_requests, imports_path, insatser, rows, summary_counts,
};
use crate::e2e::support::{OTHER, OWN, TestApp, parts, token};

#[actix_rt::test]
async fn imports_a_large_batch_becomes_a_job_that_is_polled_to_done() {
    let app = TestApp::spawn_with_state(|state| state.with_import_limits(1000, 3)).await;
    let registrar = token("registrar", Some(OWN));

    // At the threshold: still answered at once.
    let small = import(&app, "", &batch("atomic", rows("small", 3)), None).await;
    assert_eq!((small.status, small.body["created"].as_u64()), (200, Some(3)), "{}", small.body);

    let body = batch("atomic", rows("job", 5));
    let queued = import(&app, "", &body, Some("job-key")).await;
    assert_eq!(queued.status, 202, "{}", queued.body);
    let location = queued.header("location").expect("a Location").to_owned();
    let id = queued.body["id"].as_i64().expect("the job's id");
    assert_eq!(location, format!("/api/v1/forbund/{OWN}/imports/{id}"));
    assert_eq!(
        (queued.body["rows_total"].as_i64(), queued.body["idempotency_key"].as_str()),
        (Some(5), Some("job-key"))
    );
    assert!(matches!(queued.body["state"].as_str(), Some("queued" | "done")), "{}", queued.body);

    let started = Instant::now();
    let job = loop {
        let (status, _, job) = parts(app.request(Method::GET, &location, Some(&registrar)).send().await.unwrap()).await;
        assert_eq!(status, 200, "{job}");
        assert_eq!(job["id"], id);
        match job["state"].as_str() {
            Some("done") => break job,
            Some("queued") => {}
            other => panic!("job state {other:?}: {job}"),
        }
        assert!(started.elapsed() < Duration::from_secs(10), "the job is not done after 10 s: {job}");
        actix_rt::time::sleep(Duration::from_millis(100)).await;
    };
    assert_eq!(counts(&job["summary"]), summary_counts("applied", "atomic", 5, 5, 0, 0, 0), "{job}");
    assert_eq!((job["rows_total"].as_i64(), job["rows_done"].as_i64()), (Some(5), Some(5)), "{job}");
    assert!(job["finished_at"].is_string(), "{job}");
    let list = insatser(&app, OWN).await;
    assert_eq!(list.len(), 8);
    let events = audit(&app).await;
    assert_eq!(count(&events, "insats", "create"), 8);
    let after_job = app.snapshot();

    // The same key again: the job's stored summary, not a second import.
    let replay = import(&app, "", &body, Some("job-key")).await;
    assert_eq!((replay.status, replay.replayed()), (200, true), "{}", replay.body);
    assert_eq!(replay.body, job["summary"]);
    assert_eq!(app.snapshot(), after_job, "a replayed job wrote");
    assert_eq!(import_requests(&app), 1, "one for the job; none for the import without a key");

    // Jobs are the förbund's: others cannot read them; unknown ids are 404.
    let other = token("registrar", Some(OTHER));
    assert_eq!(app.request(Method::GET, &location, Some(&other)).send().await.unwrap().status(), 403);
    let missing = format!("{}/{}", imports_path(OWN), id + 100);
    assert_eq!(app.request(Method::GET, &missing, Some(&registrar)).send().await.unwrap().status(), 404);
    let elsewhere = format!("{}/{id}", imports_path(OTHER));
    assert_eq!(app.request(Method::GET, &elsewhere, Some(&token("admin", None))).send().await.unwrap().status(), 404);
    app.stop().await;
}

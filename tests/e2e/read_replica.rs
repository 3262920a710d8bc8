//! With a read replica configured (`DATABASE_READ_URL`), the analysts' tables are read from it
//! and everything else from the primary.

use reqwest::Method;

use crate::e2e::support::{OWN, TestApp, parts, token};
use crate::e2e::tables::table;

#[actix_rt::test]
async fn tables_come_from_the_read_pool_and_registrations_from_the_primary() {
    // Two databases stand for the primary (empty) and a replica (the demo's 2023).
    let replica = finsam_test_db::TestDb::new();
    finsam_demo::load(&mut replica.conn()).expect("the demo loads");
    let read_pool = replica.pool();
    let app = TestApp::spawn_with_state(move |state| state.with_read_pool(read_pool)).await;

    let kinds = table(&app, "/api/v1/tables/insatser-by-kind?year=2023").await;
    assert_eq!(kinds.at(&["2023", "total", "insatser"]), 571.0, "the replica's figures");

    let response = app
        .request(Method::GET, &format!("/api/v1/forbund/{OWN}/insatser?year=2023"), Some(&token("analyst", None)))
        .send()
        .await
        .unwrap();
    let (status, _, listed) = parts(response).await;
    assert_eq!((status, listed.as_array().map(Vec::len)), (200, Some(0)), "the primary's (empty) registrations");
}

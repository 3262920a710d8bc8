//! Series against single years: a series repeats each year's values and suppression pattern.

use super::fetch::{open_json, open_table};
use crate::e2e::support::TestApp;

#[actix_rt::test]
async fn a_series_repeats_each_years_pattern() {
    let app = TestApp::spawn().await;
    finsam_demo::load(&mut app.db.conn()).expect("the demo loads");
    for year in 2016..=2023 {
        app.publish(year, "Första publiceringen").await;
    }

    // Which years have exits at all: the demo registers insats figures for 2023 only.
    let national = open_table(&app, "/api/v1/open/tables/exits?from=2016&to=2023").await;
    let block = national.values.len() / national.size[0];
    for (y, year) in national.dims[0].1.iter().enumerate() {
        let exits: f64 = national.values[y * block..(y + 1) * block].iter().flatten().sum();
        println!("{year}: exits (all cells) {exits}");
    }

    // The förbund with the most suppressed exits in 2023, so the pattern is not trivial.
    let forbund: Vec<String> = open_json(&app, "/api/v1/forbund")
        .await
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["forbund_key"].as_str().unwrap().to_owned())
        .collect();
    let mut compared = 0;
    let mut most: Option<(usize, String)> = None;
    for key in &forbund {
        let single = open_table(&app, &format!("/api/v1/open/tables/exits?year=2023&forbund={key}")).await;
        let series = open_table(&app, &format!("/api/v1/open/tables/exits?from=2022&to=2023&forbund={key}")).await;
        assert_eq!(series.dims[0].1, ["2022", "2023"], "{key}");
        assert_eq!(series.dims[1..], single.dims[1..], "{key}");
        let block = single.values.len();
        assert_eq!(series.values.len(), 2 * block, "{key}");
        assert_eq!(series.values[block..], single.values[..], "{key}: 2023 values alone and in the series");
        assert_eq!(series.status[block..], single.status[..], "{key}: 2023 statuses alone and in the series");
        let earlier = open_table(&app, &format!("/api/v1/open/tables/exits?year=2022&forbund={key}")).await;
        assert_eq!(series.values[..block], earlier.values[..], "{key}: 2022 values alone and in the series");
        assert_eq!(series.status[..block], earlier.status[..], "{key}: 2022 statuses alone and in the series");
        let hidden = single.status.iter().flatten().count();
        if most.as_ref().is_none_or(|(n, _)| hidden > *n) {
            most = Some((hidden, key.clone()));
        }
        compared += 1;
    }
    let (hidden, key) = most.unwrap();
    println!("{compared} förbund compared; {key} has {hidden} suppressed exits cells in 2023");
    assert!(hidden > 0, "some förbund has suppressed exits in 2023");

    // And over the whole span of the demo's years, for that förbund.
    let single = open_table(&app, &format!("/api/v1/open/tables/exits?year=2023&forbund={key}")).await;
    let long = open_table(&app, &format!("/api/v1/open/tables/exits?from=2016&to=2023&forbund={key}")).await;
    let block = single.values.len();
    assert_eq!(long.values.len(), 8 * block);
    assert_eq!(long.values[7 * block..], single.values[..], "{key}: 2023 in 2016–2023");
    assert_eq!(long.status[7 * block..], single.status[..], "{key}: 2023 in 2016–2023");
    app.stop().await;
}

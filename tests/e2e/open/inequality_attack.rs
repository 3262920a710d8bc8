//! A year where most participants leave: many small förbund whose exits are some 80 % of their
//! participants, registered through the API. An attacker who also knows that nobody leaves who
//! did not take part (exits ≤ participants, per gender, at every level) recovers no suppressed
//! cell; and that knowledge does narrow the intervals, so the bound is exercised.

use std::time::Instant;

use reqwest::Method;
use serde_json::json;

use super::attacker::{EPS, Model, THRESHOLD, intervals, levels, person_tables};
use super::fetch::open_json;
use crate::e2e::support::{TestApp, parts, structural_insats, token};

const YEAR: i32 = 2023;
/// How many förbund register.
const FORBUND: usize = 30;

/// Four fifths of `n` left, spread over work, studies, job seeking and other.
fn exits(n: i64) -> [i64; 4] {
    let left = (n * 4 + 2) / 5;
    let work = left / 2;
    let studies = (left - work) / 2;
    let job_seeking = (left - work - studies + 1) / 2;
    [work, studies, job_seeking, left - work - studies - job_seeking]
}

#[actix_rt::test]
async fn exits_within_participants_give_no_suppressed_cell_away_and_narrow_the_intervals() {
    let started = Instant::now();
    let app = TestApp::spawn().await;
    let admin = token("admin", None);
    let forbund: Vec<String> = open_json(&app, &format!("/api/v1/forbund?year={YEAR}"))
        .await
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["forbund_key"].as_str().unwrap().to_owned())
        .collect();
    assert!(forbund.len() >= FORBUND);
    let orientations = ["work_oriented", "preparatory", "identify_needs"];
    let mut registered = 0;
    for (k, key) in forbund.iter().take(FORBUND).enumerate() {
        for n in 0..1 + k % 2 {
            let seed = (k * 7 + n * 3) as i64;
            let (women, men) = (5 + seed % 5, 5 + (seed / 5) % 5);
            let insats = app
                .create_insats(
                    key,
                    &json!({
                        "external_ref": format!("ineq-{k}-{n}"), "name": format!("Insats {n}"), "kind": "individual",
                        "orientation": orientations[(k + n) % 3], "target_groups": [],
                        "start_date": "2023-01-01", "end_date": null
                    }),
                )
                .await;
            let (w, m) = (exits(women), exits(men));
            let reason = |r: usize| json!({"women": w[r], "men": m[r]});
            let figures = json!({
                "participants": {"women": women, "men": men}, "budget": "100000.00", "outcome": null,
                "exits": {"work": reason(0), "studies": reason(1), "job_seeking": reason(2), "other": reason(3)}
            });
            put_year(&app, &admin, key, &insats["id"], &figures).await;
            registered += 1;
        }
        if k % 5 == 0 {
            // A few structural insatser that follow participants: in the bound, ungendered.
            let insats = app.create_insats(key, &structural_insats()).await;
            let figures = json!({"participants": {"women": 2, "men": 1}, "budget": "50000.00"});
            put_year(&app, &admin, key, &insats["id"], &figures).await;
        }
    }
    let publishing = Instant::now();
    app.publish(YEAR, "Första publiceringen").await;
    println!("{registered} individual insatser in {FORBUND} förbund; published in {:.2?}", publishing.elapsed());

    let year = YEAR.to_string();
    let levels = levels(&app, &year).await;
    let release = person_tables(&app, &levels, &year, "&release=1", false).await;
    let exact = person_tables(&app, &levels, &year, "", true).await;
    let model = Model::of(&levels, &[&release], |_, _, _, _, _| false);
    let truth = |c: usize| {
        let cell = &model.cells[c];
        exact[cell.table][cell.node].values[cell.index].unwrap()
    };
    let audited = model.audit(true);
    println!(
        "{} cells, {} relations, {} bounds; {} suppressed in {} groups; {} LPs; narrowest {:.3}",
        model.cells.len(),
        model.relations.len(),
        model.bounds.len(),
        audited.suppressed,
        audited.groups,
        audited.lps,
        audited.narrowest
    );
    assert!(audited.suppressed > 0);
    let exposed: Vec<String> = audited
        .exposed
        .iter()
        .map(|&(c, (lo, hi))| format!("{} = {}: [{lo:.3}, {hi:.3}]", model.describe(&levels, c), truth(c)))
        .collect();
    assert!(exposed.is_empty(), "cells pinned down to within {THRESHOLD}:\n{}", exposed.join("\n"));

    // Every interval with and without the bound: the bound only narrows, it narrows some, and
    // the true value is always inside.
    let with = intervals(&model.cells, &model.relations, &model.bounds);
    let without = intervals(&model.cells, &model.relations, &[]);
    let mut narrower = 0;
    for (c, &(lo, hi)) in &with {
        let (wide_lo, wide_hi) = without[c];
        let describe = model.describe(&levels, *c);
        assert!(lo - EPS <= truth(*c) && truth(*c) <= hi + EPS, "{describe} is {}, outside [{lo}, {hi}]", truth(*c));
        assert!(hi - lo > THRESHOLD + EPS, "{describe}: [{lo}, {hi}]");
        assert!(lo >= wide_lo - EPS && hi <= wide_hi + EPS, "{describe}: the bound cannot widen");
        if hi - lo < wide_hi - wide_lo - EPS {
            narrower += 1;
        }
    }
    println!(
        "{narrower} of {} suppressed cells narrower with exits ≤ participants; {:.1?}",
        with.len(),
        started.elapsed()
    );
    assert!(narrower > 0, "the bound must tell the attacker something here");
    app.stop().await;
}

async fn put_year(app: &TestApp, admin: &str, forbund: &str, id: &serde_json::Value, figures: &serde_json::Value) {
    let path = format!("/api/v1/forbund/{forbund}/insatser/{id}/years/{YEAR}");
    let put = app.request(Method::PUT, &path, Some(admin)).json(figures);
    let (status, _, body) = parts(put.send().await.unwrap()).await;
    assert_eq!(status, 201, "{path}: {body}");
}

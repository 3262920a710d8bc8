//! Two releases of the demo year, the second after corrections of small förbund: an attacker
//! holding both, and knowing which cells' true values did not change, recovers no suppressed cell
//! of either. The negative control publishes the corrected data alone (a fresh database where it
//! is release 1): combined with the real release 1, the same attacker does recover cells.

use std::time::Instant;

use reqwest::Method;
use serde_json::{Value, json};

use super::YEAR;
use super::attacker::{EPS, Levels, Model, PERSON_TABLES, THRESHOLD, levels, person_tables};
use super::fetch::Plain;
use crate::e2e::support::{TestApp, parts, token};

/// How many small förbund are corrected.
const CORRECTED: usize = 5;

/// One correction: the förbund, the insats (by its stable external reference) and its new figures.
struct Correction {
    forbund: String,
    external_ref: String,
    figures: Value,
}

#[actix_rt::test]
async fn two_releases_give_no_suppressed_cell_away_and_the_second_alone_would() {
    let started = Instant::now();
    let app = TestApp::spawn().await;
    finsam_demo::load(&mut app.db.conn()).expect("the demo loads");
    let publishing = Instant::now();
    app.publish(2023, "Första publiceringen").await;
    println!("release 1 published in {:.2?}", publishing.elapsed());
    let levels = levels(&app, YEAR).await;
    let exact_1 = person_tables(&app, &levels, YEAR, "", true).await;
    let release_1 = person_tables(&app, &levels, YEAR, "&release=1", false).await;

    let corrections = corrections(&app, &levels, &exact_1).await;
    apply(&app, &corrections).await;
    let publishing = Instant::now();
    let (status, second) = post(&app, &format!("/api/v1/years/{YEAR}/releases"), json!({"note": "Rättelser"})).await;
    assert_eq!((status, second["release"].as_i64()), (201, Some(2)), "{second}");
    println!("release 2 published in {:.2?}", publishing.elapsed());
    let exact_2 = person_tables(&app, &levels, YEAR, "", true).await;
    let release_2 = person_tables(&app, &levels, YEAR, "&release=2", false).await;
    assert!(person_tables(&app, &levels, YEAR, "&release=1", false).await == release_1, "release 1 is frozen");
    let changed = count_changed(&exact_1, &exact_2);
    println!("{} corrections; {changed} person cells changed", corrections.len());
    assert!(changed > 0);

    let exact = [&exact_1, &exact_2];
    let unchanged =
        |a: usize, b: usize, t: usize, n: usize, i: usize| exact[a][t][n].values[i] == exact[b][t][n].values[i];
    let together = Model::of(&levels, &[&release_1, &release_2], unchanged);
    let audited = together.audit(true);
    println!(
        "both releases: {} cells, {} relations, {} bounds, {} suppressed in {} groups; {} LPs; narrowest {:.3}; {:.1?}",
        together.cells.len(),
        together.relations.len(),
        together.bounds.len(),
        audited.suppressed,
        audited.groups,
        audited.lps,
        audited.narrowest,
        started.elapsed()
    );
    let truth = |c: usize| {
        let cell = &together.cells[c];
        exact[together.release[c]][cell.table][cell.node].values[cell.index].unwrap()
    };
    for &(c, (lo, hi)) in &audited.intervals {
        let describe = together.describe(&levels, c);
        assert!(lo - EPS <= truth(c) && truth(c) <= hi + EPS, "{describe} is {}, outside [{lo}, {hi}]", truth(c));
    }
    let exposed: Vec<String> = audited
        .exposed
        .iter()
        .map(|&(c, (lo, hi))| format!("{}: [{lo:.3}, {hi:.3}]", together.describe(&levels, c)))
        .collect();
    assert!(exposed.is_empty(), "cells pinned down to within {THRESHOLD}:\n{}", exposed.join("\n"));

    // Negative control: the corrected data protected alone, as release 1 of a fresh database.
    let fresh = TestApp::spawn().await;
    finsam_demo::load(&mut fresh.db.conn()).expect("the demo loads");
    apply(&fresh, &corrections).await;
    fresh.publish(2023, "Bara de rättade uppgifterna").await;
    assert!(person_tables(&fresh, &levels, YEAR, "", true).await == exact_2, "the same corrected data");
    let alone = person_tables(&fresh, &levels, YEAR, "&release=1", false).await;
    assert!(alone != release_2, "protected alone, the corrected data gets another pattern");
    let control = Model::of(&levels, &[&release_1, &alone], unchanged).audit(true);
    println!("control: release 1 with the corrected data protected alone: {} cells exposed", control.exposed.len());
    for &(c, (lo, hi)) in control.exposed.iter().take(5) {
        println!("  {}: [{lo:.3}, {hi:.3}]", together.describe(&levels, c));
    }
    assert!(!control.exposed.is_empty(), "protected alone, the second release must give cells away");
    fresh.stop().await;
    app.stop().await;
}

/// Small förbund, smallest first, each with a person count from 1 to the threshold: one
/// individual insats of the small cell's orientation gets five more participants of its gender,
/// so the count is no longer small, and one more exit for work.
async fn corrections(app: &TestApp, levels: &Levels, exact: &[Vec<Plain>]) -> Vec<Correction> {
    let participants = &exact[0];
    let first_forbund = 1 + levels.counties.len();
    let mut small: Vec<(f64, usize, String, String)> = Vec::new();
    for (n, plain) in participants.iter().enumerate().skip(first_forbund) {
        let (o, g) = (plain.dim("orientation").unwrap(), plain.dim("gender").unwrap());
        let m = plain.dims.len() - 1;
        let total = plain.index(&[
            0,
            plain.pos(o, "total").unwrap(),
            plain.pos(g, "total").unwrap(),
            plain.pos(m, "participants").unwrap(),
        ]);
        let found = plain.cells_of("participants").into_iter().find(|&i| {
            let coords = plain.coords(i);
            let value = plain.values[i].unwrap();
            coords[o] != plain.pos(o, "total").unwrap()
                && coords[g] != plain.pos(g, "total").unwrap()
                && value > 0.0
                && value <= THRESHOLD
        });
        if let Some(i) = found {
            let coords = plain.coords(i);
            let orientation = plain.dims[o].1[coords[o]].clone();
            let gender = plain.dims[g].1[coords[g]].clone();
            small.push((plain.values[total].unwrap(), n, orientation, gender));
        }
    }
    small.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    let admin = token("admin", None);
    let mut corrections = Vec::new();
    for (_, n, orientation, gender) in small {
        let super::attacker::Node::Forbund(key) = &levels.nodes[n] else { unreachable!("a förbund node") };
        let path = format!("/api/v1/forbund/{key}/insatser?year={YEAR}");
        let (status, _, list) = parts(app.request(Method::GET, &path, Some(&admin)).send().await.unwrap()).await;
        assert_eq!(status, 200, "{path}: {list}");
        let insats = list.as_array().unwrap().iter().find(|i| {
            i["kind"] == "individual"
                && i["orientation"] == orientation.as_str()
                && i["years"].as_array().unwrap().iter().any(|y| y["year"] == 2023)
        });
        let Some(insats) = insats else { continue };
        let year = insats["years"].as_array().unwrap().iter().find(|y| y["year"] == 2023).unwrap();
        let mut figures = json!({
            "participants": year["participants"], "budget": year["budget"], "outcome": year["outcome"],
            "exits": year["exits"], "version": year["version"],
        });
        let took_part = figures["participants"][&gender].as_i64().unwrap();
        figures["participants"][&gender] = json!(took_part + 5);
        if figures["exits"].is_object() {
            let left = figures["exits"]["work"][&gender].as_i64().unwrap();
            figures["exits"]["work"][&gender] = json!(left + 1);
        }
        corrections.push(Correction {
            forbund: key.clone(),
            external_ref: insats["external_ref"].as_str().unwrap().to_owned(),
            figures,
        });
        if corrections.len() == CORRECTED {
            break;
        }
    }
    assert_eq!(corrections.len(), CORRECTED, "the demo has enough small förbund");
    corrections
}

/// Writes the corrections as an admin (the year may be closed), finding each insats by its
/// external reference so that the same corrections apply to another database.
async fn apply(app: &TestApp, corrections: &[Correction]) {
    let admin = token("admin", None);
    for correction in corrections {
        let path = format!("/api/v1/forbund/{}/insatser?year={YEAR}", correction.forbund);
        let (_, _, list) = parts(app.request(Method::GET, &path, Some(&admin)).send().await.unwrap()).await;
        let insats = list
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["external_ref"] == correction.external_ref.as_str())
            .unwrap_or_else(|| panic!("{}: no insats {}", correction.forbund, correction.external_ref));
        let path = format!("/api/v1/forbund/{}/insatser/{}/years/{YEAR}", correction.forbund, insats["id"]);
        let put = app.request(Method::PUT, &path, Some(&admin)).json(&correction.figures);
        let (status, _, body) = parts(put.send().await.unwrap()).await;
        assert_eq!(status, 200, "{path}: {body}");
    }
}

async fn post(app: &TestApp, path: &str, body: Value) -> (u16, Value) {
    let request = app.request(Method::POST, path, Some(&token("admin", None))).json(&body);
    let (status, _, body) = parts(request.send().await.unwrap()).await;
    (status, body)
}

/// Person cells whose exact value differs between the two.
fn count_changed(before: &[Vec<Plain>], after: &[Vec<Plain>]) -> usize {
    let mut changed = 0;
    for (t, (_, measure)) in PERSON_TABLES.iter().enumerate() {
        for (old, new) in before[t].iter().zip(&after[t]) {
            changed += old.cells_of(measure).into_iter().filter(|&i| old.values[i] != new.values[i]).count();
        }
    }
    changed
}

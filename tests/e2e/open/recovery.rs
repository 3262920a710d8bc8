//! Disclosure control checked from the outside: an attacker's own linear program over everything
//! published for the nation, the counties and the förbund recovers no suppressed demo cell.

use std::collections::{BTreeMap, HashMap};
use std::time::Instant;

use super::YEAR;
use super::attacker::{EPS, Levels, Model, PERSON_TABLES, THRESHOLD, audit, levels, person_tables};
use super::fetch::open_table;
use crate::e2e::support::TestApp;
/// (table, share measure, count measure, the dimension whose `total` category holds the denominator)
const SHARES: [(&str, &str, &str, &str); 3] = [
    ("individual-participants", "share_of_orientation", "participants", "gender"),
    ("individual-participants", "share_of_gender", "participants", "orientation"),
    ("structural-insatser", "share_of_participants", "participants", "orientation"),
];

#[actix_rt::test]
async fn demo_forbund_cells_are_suppressed_and_none_can_be_recovered() {
    let started = Instant::now();
    let app = TestApp::spawn().await;
    finsam_demo::load(&mut app.db.conn()).expect("the demo loads");
    app.publish(2023, "Första publiceringen").await;

    // The levels, and which förbund counts in which county, from the reference data only.
    let levels = levels(&app, YEAR).await;
    let Levels { counties, attribution, nodes } = &levels;
    assert_eq!(counties.len(), 21);
    let unattributed = attribution.iter().filter(|c| c.is_none()).count();
    println!("{} förbund, {unattributed} without members in {YEAR}", nodes.len() - 1 - counties.len());

    // Every person-count table at every level, as published, and the exact tables (analyst
    // token) as the ground truth to check them against; the attacker's LP sees the open ones only.
    let tables = person_tables(&app, &levels, YEAR, "", false).await;
    let exact = person_tables(&app, &levels, YEAR, "", true).await;
    for ((table, _), (family, truth)) in PERSON_TABLES.iter().zip(tables.iter().zip(&exact)) {
        for (other, truth) in family.iter().zip(truth) {
            assert_eq!(other.dims, family[0].dims, "{table}: one shape at every level");
            assert_eq!(truth.dims, other.dims, "{table}: the open table is the exact one's shape");
            for (i, value) in other.values.iter().enumerate() {
                if value.is_some() {
                    assert_eq!(*value, truth.values[i], "{table} {}: published as it is", other.label(i));
                }
            }
        }
    }
    // Insatser by orientation, published as they are: what else an attacker knows.
    let mut insatser = Vec::new();
    for node in nodes {
        let path = format!("/api/v1/open/tables/individual-insatser?year={YEAR}{}", node.query());
        let table = open_table(&app, &path).await;
        assert_eq!(table.status.iter().flatten().count(), 0, "{path}: counts of insatser are not suppressed");
        assert_eq!(table.dims[1].0, "orientation");
        insatser.push(table);
    }
    println!("fetched {} tables in {:.1?}", (2 * tables.len() + 1) * nodes.len(), started.elapsed());

    // Primary suppression and shares, table by table.
    for (t, (table, measure)) in PERSON_TABLES.iter().enumerate() {
        // (suppressed, exact counts from 1 to the threshold, all) person cells by level
        let mut suppressed: BTreeMap<&str, (usize, usize, usize)> = BTreeMap::new();
        for (n, node) in nodes.iter().enumerate() {
            let plain = &tables[t][n];
            for i in plain.cells_of(measure) {
                let entry = suppressed.entry(node.level()).or_default();
                entry.2 += 1;
                let truth = exact[t][n].values[i].unwrap_or_else(|| panic!("{table} {node:?}: no exact value"));
                if truth > 0.0 && truth <= THRESHOLD {
                    entry.1 += 1;
                    assert!(plain.suppressed(i), "{table} {node:?} {}: {truth} is not suppressed", plain.label(i));
                }
                if plain.suppressed(i) {
                    entry.0 += 1;
                    continue;
                }
                let value = plain.values[i].unwrap_or_else(|| panic!("{table} {node:?} {}: no value", plain.label(i)));
                assert!(
                    !(value > 0.0 && value <= THRESHOLD),
                    "{table} {node:?} {}: person count {value} is published",
                    plain.label(i)
                );
                assert_eq!(value.fract(), 0.0, "{table} {node:?} {}: a count is whole", plain.label(i));
            }
        }
        for (level, (hidden, small, all)) in &suppressed {
            println!("{table}: {level}: {hidden} of {all} {measure} cells suppressed ({small} from 1 to {THRESHOLD})");
        }
        let (hidden, small, _) = suppressed["forbund"];
        assert!(hidden >= small, "{table}");
        if *table != "structural-insatser" {
            assert!(small > 0 && hidden > small, "{table}: the demo's förbund have small counts, and secondaries");
        } else if hidden == 0 {
            // The demo's structural insatser that follow participants have large groups only.
            println!("{table}: no förbund count from 1 to {THRESHOLD}, so nothing to suppress");
        }
        if suppressed["nation"].0 == 0 {
            println!("{table}: nothing is suppressed at the national level");
        } else {
            println!("{table}: NOTE: {} national cells are suppressed", suppressed["nation"].0);
        }
    }
    let mut shares_checked = 0;
    for (table, share, count, denominator) in SHARES {
        let t = PERSON_TABLES.iter().position(|(id, _)| *id == table).unwrap();
        for (n, node) in nodes.iter().enumerate() {
            let plain = &tables[t][n];
            let m = plain.dims.len() - 1;
            let (count_at, d) = (plain.pos(m, count).unwrap(), plain.dim(denominator).unwrap());
            let total_at = plain.pos(d, "total").unwrap();
            for i in plain.cells_of(share) {
                let mut coords = plain.coords(i);
                coords[m] = count_at;
                let numerator = plain.index(&coords);
                coords[d] = total_at;
                let below = plain.index(&coords);
                if plain.suppressed(numerator) || plain.suppressed(below) {
                    shares_checked += 1;
                    assert!(
                        plain.suppressed(i),
                        "{table} {node:?} {}: a share of a suppressed count is published ({:?})",
                        plain.label(i),
                        plain.values[i]
                    );
                }
            }
        }
    }
    println!("{shares_checked} shares of suppressed counts, all suppressed");
    assert!(shares_checked > 0);

    // The attacker's view: every person count a cell, suppressed ones unknown; the sums within
    // each table and across the levels, and exits ≤ participants.
    let Model { cells, relations, bounds, .. } = Model::of(&levels, &[&tables], |_, _, _, _, _| false);
    let cell_at: HashMap<(usize, usize, usize), usize> =
        cells.iter().enumerate().map(|(c, cell)| ((cell.table, cell.node, cell.index), c)).collect();
    let truth = |c: usize| exact[cells[c].table][cells[c].node].values[cells[c].index].unwrap();
    let describe = |c: usize| {
        let cell = &cells[c];
        let plain = &tables[cell.table][cell.node];
        format!("{} {:?} {}", PERSON_TABLES[cell.table].0, nodes[cell.node], plain.label(cell.index))
    };
    // Relations wholly published must hold, or the attacker's model (and attribution) is wrong.
    for relation in &relations {
        let values: Option<Vec<f64>> = relation.members().map(|c| cells[c].published).collect();
        if let Some(values) = values {
            let parts: f64 = values[1..].iter().sum();
            assert_eq!(values[0], parts, "{} is not the sum of its parts", describe(relation.total));
        }
    }

    let audited = audit(&cells, &relations, &bounds);
    println!(
        "{} cells, {} relations, {} bounds, {} suppressed in {} groups (largest {}); {} LPs; narrowest span shown {:.3}; \
         {} exposed; {:.1?} in all",
        cells.len(),
        relations.len(),
        bounds.len(),
        audited.suppressed,
        audited.groups,
        audited.largest,
        audited.lps,
        audited.narrowest,
        audited.exposed.len(),
        started.elapsed()
    );
    assert!(audited.suppressed > 0);
    // Every interval the LP computed holds the true value, or the attacker's model is wrong.
    for &(c, (lo, hi)) in &audited.intervals {
        assert!(lo - EPS <= truth(c) && truth(c) <= hi + EPS, "{} is {}, outside [{lo}, {hi}]", describe(c), truth(c));
    }
    let exposed: Vec<String> = audited
        .exposed
        .iter()
        .map(|&(c, (lo, hi))| format!("{}: feasible values [{lo:.3}, {hi:.3}]", describe(c)))
        .collect();
    assert!(
        exposed.is_empty(),
        "suppressed cells an attacker can pin down to within {THRESHOLD}:\n{}",
        exposed.join("\n")
    );

    // The audit can fail: publish the one other suppressed member of a relation holding a
    // suppressed count from 1 to the threshold, and that count is given away.
    let (revealed, victim) = relations
        .iter()
        .find_map(|r| {
            let hidden: Vec<usize> = r.members().filter(|&c| cells[c].published.is_none()).collect();
            match hidden[..] {
                [a, b] if (1.0..=THRESHOLD).contains(&truth(a)) => Some((b, a)),
                [a, b] if (1.0..=THRESHOLD).contains(&truth(b)) => Some((a, b)),
                _ => None,
            }
        })
        .expect("some relation has just two suppressed members, one a small count");
    let mut leaky = cells.clone();
    leaky[revealed].published = Some(truth(revealed));
    let broken = audit(&leaky, &relations, &bounds);
    println!("control: publishing {} exposes {} cells", describe(revealed), broken.exposed.len());
    assert!(
        broken.exposed.iter().any(|&(c, (lo, hi))| c == victim && (hi - lo).abs() < EPS),
        "publishing {} must give away {}: {:?}",
        describe(revealed),
        describe(victim),
        broken.exposed
    );

    // Beyond the relations: what else is public pins some counts to zero. An orientation with no
    // individual insatser at a level has no participants there (individual-insatser is published
    // as it is). Reported, not asserted: it is outside the additive model the service protects.
    let mut informed = cells.clone();
    let mut known_zero = 0;
    for (n, counts) in insatser.iter().enumerate() {
        let participants = &tables[0][n];
        for i in participants.cells_of("participants") {
            let orientation = &participants.dims[1].1[participants.coords(i)[1]];
            let at = counts.index(&[0, counts.pos(1, orientation).unwrap(), counts.pos(2, "insatser").unwrap()]);
            let c = cell_at[&(0, n, i)];
            if counts.values[at] == Some(0.0) && cells[c].published.is_none() {
                assert_eq!(truth(c), 0.0, "{}: no insatser, yet participants", describe(c));
                informed[c].published = Some(0.0);
                known_zero += 1;
            }
        }
    }
    let informed_audit = if known_zero > 0 { Some(audit(&informed, &relations, &bounds)) } else { None };
    println!(
        "{known_zero} suppressed participant cells are known to be 0 from the insatser counts; then exposed: {:?}",
        informed_audit.map(|a| a.exposed.iter().map(|&(c, i)| format!("{} {i:?}", describe(c))).collect::<Vec<_>>())
    );
    app.stop().await;
}

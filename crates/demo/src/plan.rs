//! What the demo registers: payloads exactly as a client would send them.

use serde_json::{Value, json};

use crate::figures::*;
use crate::random::{Random, split};

pub struct PlannedInsats {
    pub forbund: String,
    pub insats: Value,
    pub year_2023: Value,
}

pub struct Plan {
    pub insatser: Vec<PlannedInsats>,
    /// (förbund, year, finances payload)
    pub finances: Vec<(String, i32, Value)>,
    pub submitted: Vec<String>,
}

const INDIVIDUAL: [&str; 4] = ["work_oriented", "preparatory", "identify_needs", "preventive"];
const STRUCTURAL: [&str; 3] = ["develop_cooperation", "competence_raising", "needs_analysis"];
const INDIVIDUAL_NAMES: [&[&str]; 4] = [
    &["Arbetsträning", "Steg till arbete", "Vägen till jobb", "Jobbspåret", "Supported employment", "Arbetscoach"],
    &["Aktivitetshuset", "Motivationsgruppen", "Hälsa och hållbarhet", "Kraftsamling", "Vardagsstöd", "Nystart"],
    &["Kartläggningsteamet", "Behovsbedömning", "Resursteamet", "Förrehabilitering"],
    &["Unga i fokus", "Tidiga insatser", "Förebyggande stöd"],
];
const STRUCTURAL_NAMES: [&[&str]; 3] = [
    &["Samverkansforum", "Nätverk för chefer", "Gemensam webbportal", "Samverkansteam", "Lokal samverkansgrupp"],
    &["Utbildning i motiverande samtal", "Kompetensdag", "Föreläsningsserie", "Metodutbildning"],
    &["Behovsanalys", "Kartläggning av målgrupper", "Uppföljningsstudie"],
];
/// Weighted choice of target groups for individual insatser that have some.
const GROUPS: [(&str, u64); 6] = [
    ("young", 40),
    ("long_term_sick_listed", 25),
    ("young_with_disability", 12),
    ("young_with_activity_compensation", 10),
    ("women_only", 8),
    ("men_only", 5),
];

/// Registering förbund: all but seven, spread through the list.
pub fn registering(all: &[String]) -> Vec<String> {
    let mut keys: Vec<String> = all.to_vec();
    keys.sort();
    keys.into_iter().enumerate().filter(|(i, _)| i % 10 != 9 || *i >= 70).map(|(_, k)| k).collect()
}

pub fn plan(all_forbund: &[String]) -> Plan {
    let forbund = registering(all_forbund);
    assert_eq!(forbund.len(), REGISTERED_FORBUND, "the demo expects the 72 förbund of the reference data");
    let mut rng = Random::new(2023);
    let mut insatser = individual(&mut rng, &forbund);
    insatser.extend(structural(&mut rng, &forbund, insatser.len()));
    Plan {
        insatser,
        finances: finances(&mut rng, &forbund),
        submitted: forbund.iter().take(SUBMITTED_FORBUND).cloned().collect(),
    }
}

fn owner(forbund: &[String], n: usize) -> String {
    forbund[(n * 37 + 11) % forbund.len()].clone()
}

fn dates(rng: &mut Random) -> (String, Value) {
    let start = format!("{}-{:02}-01", rng.between(2018, 2023), rng.between(1, 12));
    let end = if rng.chance(60) { Value::Null } else { json!(format!("{}-12-31", rng.between(2023, 2025))) };
    (start, end)
}

fn target_groups(rng: &mut Random) -> Vec<&'static str> {
    let wanted = rng.between(1, 3);
    let mut groups: Vec<&'static str> = Vec::new();
    while (groups.len() as u64) < wanted {
        let total: u64 = GROUPS.iter().map(|(_, w)| w).sum();
        let mut pick = rng.between(1, total);
        let (group, _) = GROUPS
            .iter()
            .find(|(_, w)| {
                if pick <= *w {
                    true
                } else {
                    pick -= w;
                    false
                }
            })
            .expect("in range");
        let contradicts = (*group == "women_only" && groups.contains(&"men_only"))
            || (*group == "men_only" && groups.contains(&"women_only"));
        if !groups.contains(group) && !contradicts {
            groups.push(group);
        }
    }
    groups
}

fn ore(kronor: u64) -> String {
    format!("{kronor}.00")
}

fn individual(rng: &mut Random, forbund: &[String]) -> Vec<PlannedInsats> {
    // Which individual insatser have no specific target group: NO_TARGET_GROUP of them, spread out.
    let total: usize = INDIVIDUAL_INSATSER.iter().sum::<u64>() as usize;
    let none: Vec<bool> = (0..total).map(|i| i * NO_TARGET_GROUP as usize % total < NO_TARGET_GROUP as usize).collect();
    let mut out = Vec::new();
    let mut n = 0;
    let mut budget_weights = Vec::new();
    for (o, &count) in INDIVIDUAL_INSATSER.iter().enumerate() {
        let count = count as usize;
        let groups: Vec<Vec<&str>> =
            (0..count).map(|k| if none[n + k] { Vec::new() } else { target_groups(rng) }).collect();
        let weights: Vec<u64> = (0..count).map(|_| rng.weight()).collect();
        let women_weights: Vec<u64> =
            groups.iter().zip(&weights).map(|(g, w)| if g.contains(&"men_only") { 0 } else { *w }).collect();
        let men_weights: Vec<u64> =
            groups.iter().zip(&weights).map(|(g, w)| if g.contains(&"women_only") { 0 } else { *w }).collect();
        let women = split(INDIVIDUAL_WOMEN[o], &women_weights);
        let men = split(INDIVIDUAL_MEN[o], &men_weights);
        for k in 0..count {
            let (start, end) = dates(rng);
            let names = INDIVIDUAL_NAMES[o];
            let name = format!("{} {}", names[k % names.len()], k / names.len() + 1);
            let (w, m) = (women[k], men[k]);
            let exit = |p: u64, percent: u64| p * percent / 100;
            budget_weights.push(w + m + 5);
            out.push(PlannedInsats {
                forbund: owner(forbund, n),
                insats: json!({
                    "external_ref": format!("demo-{}", n + 1), "name": name, "kind": "individual",
                    "orientation": INDIVIDUAL[o], "target_groups": groups[k], "start_date": start, "end_date": end
                }),
                year_2023: json!({
                    "participants": {"women": w, "men": m},
                    "exits": {
                        "work": {"women": exit(w, 12), "men": exit(m, 12)},
                        "studies": {"women": exit(w, 5), "men": exit(m, 5)},
                        "job_seeking": {"women": exit(w, 8), "men": exit(m, 8)},
                        "other": {"women": exit(w, 5), "men": exit(m, 5)}
                    }
                }),
            });
            n += 1;
        }
    }
    add_budgets(rng, &mut out, &budget_weights, INDIVIDUAL_BUDGET_SEK);
    out
}

fn structural(rng: &mut Random, forbund: &[String], first: usize) -> Vec<PlannedInsats> {
    let mut out = Vec::new();
    let mut n = first;
    let mut budget_weights = Vec::new();
    for (o, &count) in STRUCTURAL_INSATSER.iter().enumerate() {
        let tracking = STRUCTURAL_TRACKING[o] as usize;
        let mut weights: Vec<u64> = (0..tracking).map(|_| rng.weight()).collect();
        let mut participants = if o == 0 {
            // The web service takes its 71 %; the other trackers share the rest.
            weights.remove(0);
            let mut rest = split(STRUCTURAL_PARTICIPANTS[0] - WEB_SERVICE_PARTICIPANTS, &weights);
            rest.insert(0, WEB_SERVICE_PARTICIPANTS);
            rest
        } else {
            split(STRUCTURAL_PARTICIPANTS[o], &weights)
        };
        participants.resize(count as usize, 0);
        for (k, &p) in participants.iter().enumerate() {
            let (start, end) = dates(rng);
            let names = STRUCTURAL_NAMES[o];
            let name = format!("{} {}", names[k % names.len()], k / names.len() + 1);
            let counted = if k < tracking { json!({"women": p * 3 / 5, "men": p - p * 3 / 5}) } else { Value::Null };
            budget_weights.push(rng.weight());
            out.push(PlannedInsats {
                forbund: owner(forbund, n),
                insats: json!({
                    "external_ref": format!("demo-{}", n + 1), "name": name, "kind": "structural",
                    "orientation": STRUCTURAL[o], "target_groups": [], "start_date": start, "end_date": end
                }),
                year_2023: json!({ "participants": counted }),
            });
            n += 1;
        }
    }
    add_budgets(rng, &mut out, &budget_weights, STRUCTURAL_BUDGET_SEK);
    out
}

/// Budgets summing exactly to `total` kronor; outcomes 90–102 % of them.
fn add_budgets(rng: &mut Random, insatser: &mut [PlannedInsats], weights: &[u64], total: u64) {
    for (planned, budget) in insatser.iter_mut().zip(split(total, weights)) {
        planned.year_2023["budget"] = json!(ore(budget));
        planned.year_2023["outcome"] = json!(ore(budget * rng.between(90, 102) / 100));
    }
}

fn finances(rng: &mut Random, forbund: &[String]) -> Vec<(String, i32, Value)> {
    let weights: Vec<u64> = forbund.iter().map(|_| rng.between(2, 12)).collect();
    let mut out = Vec::new();
    // Equity closes each year at the published national total; one year's closing opens the next.
    let mut opening: Vec<u64> = split(EQUITY_OPENING_2016_MSEK as u64 * 1_000_000, &weights);
    let mut closings: Vec<(i32, i64)> = EQUITY_CLOSING_MSEK.to_vec();
    closings.push((2023, EQUITY_CLOSING_2023_MSEK));
    for (year, closing_msek) in closings {
        let closing = split(closing_msek as u64 * 1_000_000, &weights);
        let state_total =
            if year == 2023 { STATE_CONTRIBUTIONS_SEK } else { 300_000_000 + (year as u64 - 2016) * 5_000_000 };
        let state = split(state_total, &weights);
        let administration = split(ADMINISTRATION_BUDGET_SEK, &weights);
        for (i, key) in forbund.iter().enumerate() {
            // Three förbund are off 2:1:1 in 2023, as some are in reality: the service flags them.
            let municipalities_percent = if year == 2023 && i % 30 == 3 { 80 } else { 100 };
            let half = state[i] / 2;
            out.push((
                key.clone(),
                year,
                json!({
                    "contributions": {
                        "state": ore(state[i]),
                        "regions": ore(half),
                        "municipalities": ore(half * municipalities_percent / 100),
                    },
                    "administration": {
                        "budget": ore(administration[i]),
                        "outcome": ore(administration[i] * rng.between(92, 101) / 100),
                    },
                    "equity": { "opening": ore(opening[i]), "closing": ore(closing[i]) },
                }),
            ));
        }
        opening = closing;
    }
    out
}

//! Times the hot path on synthetic data: 1,000,000 insats-year rows (250,000 insatser over four
//! years, 72 förbund), building the frames and computing every table for the last year.
//!
//!     cargo run --release -p finsam-stats --example bench_compute_all [ROWS [YEARS]]

use std::time::Instant;

use finsam_domain::codes::Code;
use finsam_domain::{Kind, Orientation, TargetGroup};
use finsam_stats::{FinancesRow, Frames, Inputs, InsatsRow, InsatsYearRow, MembershipRow, Selection, compute_all};

/// A fixed-seed generator: the same data on every run, no dependency.
struct Lcg(u64);
impl Lcg {
    fn next(&mut self, below: u64) -> i64 {
        self.0 = self.0.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        ((self.0 >> 33) % below) as i64
    }
}

fn inputs(rows: usize, years: &[i32]) -> Inputs {
    let mut random = Lcg(2023);
    let forbund: Vec<String> = (0..72).map(|i| format!("forbund-{i:02}")).collect();
    let memberships = (0..290)
        .map(|m| MembershipRow {
            forbund_key: forbund[m % 72].clone(),
            municipality_code: format!("{:04}", 100 + m),
            county_code: format!("{:02}", 1 + m % 21),
            valid_from_year: 2004,
            valid_to_year: None,
        })
        .collect();
    let insatser_count = rows / years.len();
    let insatser: Vec<InsatsRow> = (0..insatser_count as i64)
        .map(|id| {
            let orientation = Orientation::ALL[random.next(Orientation::ALL.len() as u64) as usize];
            let groups = random.next(1 << TargetGroup::ALL.len());
            InsatsRow {
                id,
                forbund_key: forbund[random.next(72) as usize].clone(),
                kind: orientation.kind().code().into(),
                orientation: orientation.code().into(),
                target_groups: TargetGroup::ALL
                    .iter()
                    .filter(|g| groups & (1 << g.index()) != 0)
                    .map(|g| g.code().to_owned())
                    .collect(),
            }
        })
        .collect();
    let mut insats_years = Vec::with_capacity(rows);
    for insats in &insatser {
        for &year in years {
            let tracked = insats.kind == Kind::Individual.code() || random.next(2) == 0;
            insats_years.push(InsatsYearRow {
                insats_id: insats.id,
                year,
                participants: tracked.then(|| (random.next(40), random.next(40))),
                budget_ore: random.next(100_000_000),
                outcome_ore: (random.next(10) > 0).then(|| random.next(100_000_000)),
                exits: (random.next(2) == 0).then(|| std::array::from_fn(|_| (random.next(5), random.next(5)))),
            });
        }
    }
    let finances = forbund
        .iter()
        .flat_map(|key| {
            years.iter().map(|&year| FinancesRow {
                forbund_key: key.clone(),
                year,
                contributions_state_ore: 200_000_000,
                contributions_regions_ore: 100_000_000,
                contributions_municipalities_ore: 100_000_000,
                administration_budget_ore: 50_000_000,
                administration_outcome_ore: Some(45_000_000),
                equity_opening_ore: 10_000_000,
                equity_closing_ore: Some(12_000_000),
            })
        })
        .collect();
    Inputs { forbund, memberships, insatser, insats_years, finances, forbund_years: vec![], ..Inputs::default() }
}

fn main() {
    let rows = std::env::args().nth(1).map_or(1_000_000, |n| n.parse().expect("a row count"));
    let year_count: i32 = std::env::args().nth(2).map_or(4, |n| n.parse().expect("a year count"));
    let years: Vec<i32> = (2024 - year_count..2024).collect();
    let inputs = inputs(rows, &years);
    for round in 1..=3 {
        let started = Instant::now();
        let tables = compute_all(&inputs, &[2023], &Selection::National).expect("tables");
        let all = started.elapsed();

        let started = Instant::now();
        let frames = Frames::new(&inputs).expect("frames");
        let built = started.elapsed();
        let started = Instant::now();
        frames.compute_all(&[2023], &Selection::National).expect("tables");
        let national = started.elapsed();
        let started = Instant::now();
        frames.compute_all(&[2023], &Selection::County("01".into())).expect("tables");
        let county = started.elapsed();
        println!(
            "round {round}: {} rows, {} tables: compute_all {all:?} (frames {built:?}, national {national:?}, \
             county {county:?} from built frames)",
            inputs.insats_years.len(),
            tables.len()
        );
    }
}

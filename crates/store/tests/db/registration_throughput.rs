//! Registrations per second from many threads through the store's audited create, printed for a
//! before/after comparison of a change (`cargo test -p finsam-store --test db -- --ignored
//! --nocapture throughput`). Ignored by default: a measurement, not a check.

use std::time::Instant;

use chrono::NaiveDate;
use finsam_domain::insats::Insats;
use finsam_domain::{Kind, Orientation};
use finsam_store::registration::{Actor, insatser};
use finsam_test_db::TestDb;

const FORBUND: &str = "samordningsforbundet-i-blekinge";

pub fn insats(name: String) -> Insats {
    Insats {
        external_ref: Some(name.clone()),
        name,
        description: None,
        kind: Kind::Individual,
        orientation: Orientation::WorkOriented,
        target_groups: Vec::new(),
        start_date: NaiveDate::from_ymd_opt(2023, 1, 1).expect("a date"),
        end_date: None,
    }
}

pub const ACTOR: Actor<'static> = Actor { sub: "registrar-1", role: "registrar", request_id: None };

#[test]
#[ignore = "a measurement: run on demand"]
fn registration_throughput_from_16_threads() {
    const THREADS: usize = 16;
    const EACH: usize = 250;
    let db = TestDb::new();
    let pool = finsam_store::connect(db.url(), THREADS as u32).expect("a pool");
    let started = Instant::now();
    std::thread::scope(|scope| {
        for thread in 0..THREADS {
            let pool = pool.clone();
            scope.spawn(move || {
                for n in 0..EACH {
                    let mut conn = pool.get().expect("a connection");
                    insatser::create(&mut conn, FORBUND, &insats(format!("bench-{thread}-{n}")), &ACTOR)
                        .expect("created");
                }
            });
        }
    });
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "{} registrations from {THREADS} threads: {:.0} per second",
        THREADS * EACH,
        (THREADS * EACH) as f64 / seconds
    );
}

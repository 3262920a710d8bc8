//! Registrations per second from many threads through the store's audited create, printed for a
//! before/after comparison of a change (`cargo test -p finsam-store --test db -- --ignored
//! --nocapture throughput`). Ignored by default: a measurement, not a check.

use std::time::Instant;

use finsam_store::registration::insatser;
use finsam_test_db::TestDb;

use crate::support::{ACTOR, FORBUND, insats};

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

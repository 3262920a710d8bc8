//! Registrations per second from many threads through the audited create use case, printed for a
//! before/after comparison of a change (`cargo test -p finsam-e2e --test integration --
//! --ignored --nocapture usecases::registration_throughput`). Ignored by default: a
//! measurement, not a check. On a durable cluster of its own, as in production: the shared test
//! server commits without waiting for the disk, which hides what a lock held until commit costs.

use std::time::Instant;

use finsam_store::local_pg::{Durability, LocalCluster};
use finsam_store::{migrations, pool, reference};

use crate::usecases::support::{FORBUND, acting, insats, registrar};

#[test]
#[ignore = "a measurement: run on demand"]
fn registration_throughput_from_16_threads() {
    const THREADS: usize = 16;
    const EACH: usize = 100;
    // Searchable by others, so that the server's OS user can enter it when the test runs as root.
    let dir = tempfile::Builder::new()
        .prefix("finsam-cluster-test")
        .permissions(std::os::unix::fs::PermissionsExt::from_mode(0o755))
        .tempdir()
        .unwrap();
    let mut cluster = LocalCluster::start(dir.path(), Durability::Durable).expect("a durable cluster");
    cluster.ensure_database("finsam").unwrap();
    let url = cluster.url("finsam");
    let mut conn = pool::establish(&url).unwrap();
    migrations::run_pending(&mut conn).unwrap();
    reference::seed(&mut conn).unwrap();
    let pool = finsam_store::connect(&url, THREADS as u32).expect("a pool");
    let started = Instant::now();
    std::thread::scope(|scope| {
        for thread in 0..THREADS {
            let pool = pool.clone();
            scope.spawn(move || {
                for n in 0..EACH {
                    let mut conn = pool.get().expect("a connection");
                    let registrar = registrar();
                    finsam_usecases::insatser::create(
                        &mut conn,
                        &acting(&registrar),
                        FORBUND,
                        &insats(format!("bench-{thread}-{n}")),
                    )
                    .expect("created");
                }
            });
        }
    });
    let seconds = started.elapsed().as_secs_f64();
    let total = THREADS * EACH;
    println!("{total} registrations from {THREADS} threads: {:.0} per second", total as f64 / seconds);
    drop((pool, conn));
    cluster.stop().unwrap();
}

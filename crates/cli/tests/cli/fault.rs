//! PostgreSQL is killed with SIGKILL while clients keep registering, then started again. Every
//! registration that got a 2xx must be in the database afterwards; during the outage the service
//! answers 503 with Retry-After within its acquisition timeout (no hang, no crash); and once
//! PostgreSQL is back, writes succeed again within seconds, from the same server process.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use diesel::RunQueryDsl;
use diesel::dsl::sql;
use diesel::sql_types::{Array, BigInt, Text};
use finsam_store::local_pg::{Durability, LocalCluster};

use super::{finsam, serve};

const SECRET: &str = "a-development-secret-of-32-characters";
const FORBUND: &str = "samordningsforbundet-i-blekinge";
const WRITERS: usize = 4;
/// The server's wait for a connection; requests during the outage must end soon after it.
const ACQUIRE_TIMEOUT_SECONDS: u64 = 2;
const OUTAGE: Duration = Duration::from_secs(3);

#[derive(Debug)]
struct Outcome {
    started: Instant,
    took: Duration,
    /// None: no HTTP answer at all (refused, reset or timed out).
    status: Option<u16>,
    retry_after: bool,
    external_ref: String,
    id: Option<i64>,
}

/// Stops the test's own cluster however the test ends.
struct Cluster(LocalCluster);

impl Drop for Cluster {
    fn drop(&mut self) {
        let _ = self.0.stop();
    }
}

fn postmaster_pid(pgdata: &Path) -> u32 {
    let text = std::fs::read_to_string(pgdata.join("postmaster.pid")).expect("postmaster.pid");
    text.lines().next().and_then(|l| l.trim().parse().ok()).expect("a pid in postmaster.pid")
}

/// The postmaster and every process it started, as an OOM killer or a crash would leave it.
fn kill_postgresql(pgdata: &Path) {
    let postmaster = postmaster_pid(pgdata);
    let children: Vec<u32> = std::fs::read_dir("/proc")
        .unwrap()
        .filter_map(|entry| entry.ok()?.file_name().to_str()?.parse::<u32>().ok())
        .filter(|pid| {
            std::fs::read_to_string(format!("/proc/{pid}/stat"))
                .ok()
                .and_then(|stat| stat.rsplit_once(") ").map(|(_, rest)| rest.split(' ').nth(1).map(str::to_owned)))
                .flatten()
                .is_some_and(|ppid| ppid == postmaster.to_string())
        })
        .collect();
    for pid in std::iter::once(postmaster).chain(children) {
        let _ = Command::new("kill").args(["-KILL", &pid.to_string()]).status();
    }
}

/// A restart may first find the killed backends still attached to shared memory: retry.
fn start_again(data: &Path) -> LocalCluster {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        match LocalCluster::start(data, Durability::Durable) {
            Ok(mut cluster) => {
                cluster.take_ownership();
                return cluster;
            }
            Err(error) => {
                assert!(Instant::now() < deadline, "PostgreSQL did not start again: {error}");
                std::thread::sleep(Duration::from_millis(200));
            }
        }
    }
}

fn write_one(client: &reqwest::blocking::Client, url: &str, token: &str, external_ref: String) -> Outcome {
    let body = serde_json::json!({
        "external_ref": external_ref, "name": "Arbetsträning under störning", "kind": "individual",
        "orientation": "work_oriented", "target_groups": [], "start_date": "2026-01-01", "end_date": null
    });
    let started = Instant::now();
    let response = client.post(url).bearer_auth(token).json(&body).send();
    let took = started.elapsed();
    match response {
        Ok(response) => {
            let status = response.status().as_u16();
            let retry_after = response.headers().contains_key("retry-after");
            let json: serde_json::Value = response.json().unwrap_or_default();
            Outcome { started, took, status: Some(status), retry_after, external_ref, id: json["id"].as_i64() }
        }
        Err(_) => Outcome { started, took, status: None, retry_after: false, external_ref, id: None },
    }
}

#[test]
fn registrations_survive_postgresql_being_killed_and_the_service_recovers_without_a_restart() {
    let dir = tempfile::Builder::new()
        .prefix("finsam-fault")
        .permissions(std::os::unix::fs::PermissionsExt::from_mode(0o755))
        .tempdir()
        .unwrap();
    let data: PathBuf = dir.path().join("pg");
    let mut cluster = LocalCluster::start(&data, Durability::Durable).unwrap();
    cluster.take_ownership();
    cluster.ensure_database("finsam").unwrap();
    let url = cluster.url("finsam");
    let pgdata = cluster.pgdata().to_owned();
    let mut cluster = Cluster(cluster);

    let mut command = finsam();
    command
        .args(["--database-url", &url, "serve", "--bind", "127.0.0.1:0", "--workers", "2"])
        .args(["--db-acquire-timeout", &ACQUIRE_TIMEOUT_SECONDS.to_string()])
        .env("FINSAM_JWT_SECRET", SECRET);
    let mut served = serve(command);
    let token = finsam()
        .args(["token", "--role", "registrar", "--forbund", FORBUND, "--ttl-seconds", "600"])
        .env("FINSAM_JWT_SECRET", SECRET)
        .output()
        .unwrap();
    assert!(token.status.success(), "{}", String::from_utf8_lossy(&token.stderr));
    let token = String::from_utf8(token.stdout).unwrap().trim().to_owned();
    let endpoint = format!("{}/api/v1/forbund/{FORBUND}/insatser", served.base);

    let stop = Arc::new(AtomicBool::new(false));
    let succeeded = Arc::new(AtomicUsize::new(0));
    let outcomes = Arc::new(Mutex::new(Vec::<Outcome>::new()));
    let writers: Vec<_> = (0..WRITERS)
        .map(|writer| {
            let (stop, succeeded, outcomes) = (stop.clone(), succeeded.clone(), outcomes.clone());
            let (endpoint, token) = (endpoint.clone(), token.clone());
            std::thread::spawn(move || {
                let client = reqwest::blocking::Client::builder().timeout(Duration::from_secs(30)).build().unwrap();
                let mut n = 0;
                while !stop.load(Ordering::Relaxed) {
                    let outcome = write_one(&client, &endpoint, &token, format!("fault-{writer}-{n}"));
                    n += 1;
                    if outcome.status.is_some_and(|s| (200..300).contains(&s)) {
                        succeeded.fetch_add(1, Ordering::Relaxed);
                    }
                    outcomes.lock().unwrap().push(outcome);
                }
            })
        })
        .collect();

    let wait_for = |what: &str, limit: Duration, done: &dyn Fn() -> bool| {
        let deadline = Instant::now() + limit;
        while !done() {
            assert!(Instant::now() < deadline, "{what} within {limit:?}");
            std::thread::sleep(Duration::from_millis(20));
        }
    };
    wait_for("50 registrations before the fault", Duration::from_secs(120), &|| {
        succeeded.load(Ordering::Relaxed) >= 50
    });

    kill_postgresql(&pgdata);
    let killed_at = Instant::now();
    std::thread::sleep(OUTAGE);
    let restarted = start_again(&data);
    let back_at = Instant::now();
    cluster.0 = restarted;
    let before = succeeded.load(Ordering::Relaxed);
    wait_for("a registration after PostgreSQL is back", Duration::from_secs(30), &|| {
        succeeded.load(Ordering::Relaxed) > before + 20
    });
    stop.store(true, Ordering::Relaxed);
    for writer in writers {
        writer.join().unwrap();
    }

    assert!(matches!(served.child.try_wait(), Ok(None)), "the server process is still running");
    let outcomes = std::mem::take(&mut *outcomes.lock().unwrap());
    let no_answer: Vec<_> = outcomes.iter().filter(|o| o.status.is_none()).collect();
    assert!(no_answer.is_empty(), "every request got an HTTP answer: {no_answer:?}");
    let unexpected: Vec<_> = outcomes.iter().filter(|o| !matches!(o.status, Some(201 | 503))).collect();
    assert!(unexpected.is_empty(), "only 201 and 503: {unexpected:?}");
    let unavailable: Vec<&Outcome> = outcomes.iter().filter(|o| o.status == Some(503)).collect();
    assert!(!unavailable.is_empty(), "the outage was answered with 503");
    assert!(unavailable.iter().all(|o| o.retry_after), "every 503 says when to retry");
    let bound = Duration::from_secs(ACQUIRE_TIMEOUT_SECONDS + 3);
    let slowest = outcomes.iter().map(|o| o.took).max().unwrap();
    assert!(slowest < bound, "no request waited past the timeout: slowest {slowest:?}");
    let first_after = outcomes
        .iter()
        .filter(|o| o.status == Some(201) && o.started >= back_at)
        .map(|o| o.started + o.took - back_at)
        .min()
        .expect("writes succeed after PostgreSQL is back");
    assert!(first_after < Duration::from_secs(10), "first write {first_after:?} after PostgreSQL was back");

    let acknowledged: Vec<&Outcome> = outcomes.iter().filter(|o| o.status == Some(201)).collect();
    let mut conn = finsam_store::pool::establish(&url).unwrap();
    let stored: Vec<String> = diesel::select(sql::<Array<Text>>(
        "coalesce((SELECT array_agg(external_ref) FROM insatser WHERE external_ref LIKE 'fault-%'), '{}')",
    ))
    .get_result(&mut conn)
    .unwrap();
    let stored: std::collections::HashSet<String> = stored.into_iter().collect();
    let lost: Vec<&&Outcome> = acknowledged.iter().filter(|o| !stored.contains(&o.external_ref)).collect();
    assert!(lost.is_empty(), "every acknowledged registration is stored: lost {lost:?}");
    let ids: i64 = diesel::select(sql::<BigInt>(&format!(
        "(SELECT count(*) FROM insatser WHERE id IN ({}))",
        acknowledged.iter().map(|o| o.id.expect("201 carries an id").to_string()).collect::<Vec<_>>().join(",")
    )))
    .get_result(&mut conn)
    .unwrap();
    assert_eq!(ids as usize, acknowledged.len(), "under the ids the service answered with");
    eprintln!(
        "fault: {} requests, {} acknowledged and stored, {} answered 503 (slowest {:?}); \
         PostgreSQL down {:?}; first write {:?} after it was back",
        outcomes.len(),
        acknowledged.len(),
        unavailable.len(),
        slowest,
        back_at - killed_at,
        first_after
    );
    served.stop_with("-TERM");
}

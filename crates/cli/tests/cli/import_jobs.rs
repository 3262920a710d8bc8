//! An import job survives the server being killed: nothing of it is written until it is done,
//! and the next server runs it to the end, once. Driven by `finsam import`, as an operator would.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use diesel::RunQueryDsl;
use diesel::dsl::sql;
use diesel::sql_types::BigInt;
use finsam_test_db::TestDb;

use super::{finsam, serve};

const SECRET: &str = "a-development-secret-of-32-characters";
const FORBUND: &str = "samordningsforbundet-i-blekinge";
const ROWS: usize = 20_000;

fn count(conn: &mut diesel::PgConnection, query: &str) -> i64 {
    diesel::dsl::select(sql::<BigInt>(&format!("({query})"))).get_result(conn).expect(query)
}

fn serve_on(url: &str) -> super::Served {
    let mut command = finsam();
    command
        .args(["--database-url", url, "serve", "--bind", "127.0.0.1:0", "--workers", "1"])
        .env("FINSAM_JWT_SECRET", SECRET);
    serve(command)
}

fn import(base: &str, file: &std::path::Path) -> Command {
    let mut command = finsam();
    command
        .args(["import", "--forbund", FORBUND, "--url", base, "--file"])
        .arg(file)
        .env("FINSAM_JWT_SECRET", SECRET)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    command
}

#[test]
fn a_job_killed_half_way_is_not_half_applied_and_finishes_once_after_a_restart() {
    let db = TestDb::new();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("insatser.csv");
    let mut csv =
        String::from("external_ref,name,kind,orientation,start_date,year,participants_women,participants_men,budget\n");
    for i in 0..ROWS {
        csv.push_str(&format!(
            "case-{i},Insats {i},individual,work_oriented,2023-01-01,2023,{},{},{}.50\n",
            i % 7,
            i % 5,
            1000 + i
        ));
    }
    std::fs::write(&file, csv).unwrap();
    let mut conn = db.conn();
    // 2023's default deadline has passed: an integration may write it only once it is moved.
    diesel::sql_query("INSERT INTO reporting_years (year, deadline) VALUES (2023, '2100-12-31')")
        .execute(&mut conn)
        .unwrap();

    let first = serve_on(db.url());
    let mut client = import(&first.base, &file).spawn().unwrap();
    // Kill the server once the job is visibly under way (its progress is written outside its
    // transaction), well before it can be done.
    let deadline = Instant::now() + Duration::from_secs(300);
    while count(&mut conn, "SELECT coalesce(max(rows_done), 0)::bigint FROM import_progress") == 0 {
        assert!(Instant::now() < deadline, "the job never started");
        assert_eq!(
            count(&mut conn, "SELECT count(*) FROM import_requests WHERE state = 'done'"),
            0,
            "too fast to interrupt"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
    let status = Command::new("kill").args(["-KILL", &first.child.id().to_string()]).status().unwrap();
    assert!(status.success());
    let mut first = first;
    first.child.wait().unwrap();

    assert_eq!(count(&mut conn, "SELECT count(*) FROM import_requests WHERE state = 'queued'"), 1, "still queued");
    assert_eq!(count(&mut conn, "SELECT count(*) FROM insatser"), 0, "nothing of a killed job is written");
    assert_eq!(count(&mut conn, "SELECT count(*) FROM insats_years"), 0);
    assert_eq!(count(&mut conn, "SELECT count(*) FROM audit_events WHERE entity LIKE 'insats%'"), 0);
    let interrupted = client.wait().unwrap();
    assert!(!interrupted.success(), "the client saw its server go away");

    // The same command against a new server: its Idempotency-Key (from the file) finds the job,
    // which the new server's worker takes up again.
    let second = serve_on(db.url());
    let output = import(&second.base, &file).output().unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let job: serde_json::Value = serde_json::from_slice(&output.stdout).expect("the job as JSON");
    assert_eq!(job["state"], "done");
    assert_eq!(job["summary"]["created"], ROWS);
    assert_eq!(job["rows_total"], ROWS);
    assert!(String::from_utf8_lossy(&output.stderr).contains(&format!("{ROWS}/{ROWS} rows")), "a progress bar");

    assert_eq!(count(&mut conn, "SELECT count(*) FROM import_requests"), 1, "one request, run once");
    assert_eq!(count(&mut conn, "SELECT count(DISTINCT external_ref) FROM insatser"), ROWS as i64);
    assert_eq!(count(&mut conn, "SELECT count(*) FROM insatser"), ROWS as i64);
    assert_eq!(count(&mut conn, "SELECT count(*) FROM insats_years"), ROWS as i64);
    assert_eq!(count(&mut conn, "SELECT count(*) FROM audit_events WHERE entity = 'insats'"), ROWS as i64);

    // Once more: answered from the stored job, nothing imported again.
    let again = import(&second.base, &file).output().unwrap();
    assert!(again.status.success());
    assert_eq!(count(&mut conn, "SELECT count(*) FROM insatser"), ROWS as i64);
    assert_eq!(count(&mut conn, "SELECT count(*) FROM audit_events WHERE entity = 'insats'"), ROWS as i64);
    second.stop_with("-TERM");
}

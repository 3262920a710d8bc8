//! A stop signal lets the request in flight finish: a registration whose body is still arriving
//! when SIGTERM comes is answered 201 and stored, and the server then exits cleanly.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use diesel::RunQueryDsl;
use diesel::dsl::sql;
use diesel::sql_types::BigInt;
use finsam_test_db::TestDb;

use super::{finsam, serve};

const SECRET: &str = "a-development-secret-of-32-characters";
const FORBUND: &str = "samordningsforbundet-i-blekinge";

#[test]
fn sigterm_lets_a_request_in_flight_finish_and_keeps_its_write() {
    let db = TestDb::new();
    let mut command = finsam();
    command
        .args(["--database-url", db.url(), "serve", "--bind", "127.0.0.1:0", "--workers", "1"])
        .env("FINSAM_JWT_SECRET", SECRET);
    let served = serve(command);
    let token = finsam()
        .args(["token", "--role", "registrar", "--forbund", FORBUND])
        .env("FINSAM_JWT_SECRET", SECRET)
        .output()
        .unwrap();
    let token = String::from_utf8(token.stdout).unwrap().trim().to_owned();

    let body = serde_json::json!({
        "external_ref": "in-flight-1", "name": "Insats under avstängning", "kind": "individual",
        "orientation": "work_oriented", "target_groups": [], "start_date": "2026-01-01", "end_date": null
    })
    .to_string();
    let (first_half, second_half) = body.split_at(body.len() / 2);
    let address = served.base.trim_start_matches("http://").to_owned();
    let mut stream = TcpStream::connect(&address).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    write!(
        stream,
        "POST /api/v1/forbund/{FORBUND}/insatser HTTP/1.1\r\nHost: {address}\r\nAuthorization: Bearer {token}\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{first_half}",
        body.len()
    )
    .unwrap();
    stream.flush().unwrap();
    // The server has the request and half its body when the signal comes.
    std::thread::sleep(Duration::from_millis(300));
    let pid = served.child.id().to_string();
    assert!(std::process::Command::new("kill").args(["-TERM", &pid]).status().unwrap().success());
    std::thread::sleep(Duration::from_millis(500));
    stream.write_all(second_half.as_bytes()).unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    assert!(response.starts_with("HTTP/1.1 201"), "the request in flight is answered: {response}");

    let mut conn = db.conn();
    let stored: i64 =
        diesel::select(sql::<BigInt>("(SELECT count(*) FROM insatser WHERE external_ref = 'in-flight-1')"))
            .get_result(&mut conn)
            .unwrap();
    assert_eq!(stored, 1, "and its write is kept");
    let mut served = served;
    let deadline = std::time::Instant::now() + Duration::from_secs(60);
    let status = loop {
        if let Some(status) = served.child.try_wait().unwrap() {
            break status;
        }
        assert!(std::time::Instant::now() < deadline, "the server stops once the request is done");
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(status.success(), "a clean exit: {status}");
}

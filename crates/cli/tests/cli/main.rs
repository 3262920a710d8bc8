//! The `finsam` binary as an operator meets it: started with no configuration, stopped by a
//! signal, started again; refusing bad configuration with one clear line; writing the open export.

use std::io::{BufRead, BufReader};
use std::net::TcpListener;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::sync::{Arc, Mutex, mpsc};
use std::time::{Duration, Instant};

use finsam_stats::TableId;
use finsam_store::local_pg::{Durability, LocalCluster};
use finsam_test_db::TestDb;

mod fault;
mod import_jobs;
mod rogue_idp;
mod shutdown;
mod sign_in;

fn finsam() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_finsam"));
    for var in ["DATABASE_URL", "FINSAM_DATA_DIR", "FINSAM_BIND", "FINSAM_PG_BIN", "RUST_LOG", "FINSAM_LOG_FORMAT"] {
        command.env_remove(var);
    }
    command
}

/// A running `finsam serve`, with the address it reported and what it logged.
pub(crate) struct Served {
    pub(crate) child: Child,
    pub(crate) base: String,
    log: Arc<Mutex<Vec<String>>>,
}

fn serve_in(dir: &Path, log_format: &str) -> Served {
    let mut command = finsam();
    command.args(["serve", "--bind", "127.0.0.1:0", "--workers", "1", "--log-format", log_format]).current_dir(dir);
    serve(command)
}

/// Starts `command` (a `finsam serve`) and waits for the address it reports.
fn serve(mut command: Command) -> Served {
    let mut child = command.stderr(Stdio::piped()).spawn().expect("start finsam serve");
    let (tx, rx) = mpsc::channel();
    let stderr = child.stderr.take().unwrap();
    let log = Arc::new(Mutex::new(Vec::new()));
    let kept = log.clone();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            eprintln!("[finsam] {line}");
            if let Some(at) = line.find("serving on http://") {
                let rest = &line[at + "serving on ".len()..];
                let address: String = rest.chars().take_while(|c| !c.is_whitespace() && *c != '"').collect();
                let _ = tx.send(address);
            }
            kept.lock().unwrap().push(line);
        }
    });
    let base = rx.recv_timeout(Duration::from_secs(120)).expect("finsam serve reported its address");
    Served { child, base, log }
}

/// A test that fails half-way must not leave a server running (it would hold the test's output
/// pipe open and keep its database busy).
impl Drop for Served {
    fn drop(&mut self) {
        if matches!(self.child.try_wait(), Ok(None)) {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

impl Served {
    fn get_json(&self, path: &str) -> (u16, serde_json::Value) {
        let response = reqwest::blocking::get(format!("{}{path}", self.base)).expect(path);
        (response.status().as_u16(), response.json().expect("a JSON body"))
    }

    pub(crate) fn stop_with(mut self, signal: &str) {
        let status = Command::new("kill").args([signal, &self.child.id().to_string()]).status().unwrap();
        assert!(status.success());
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                assert!(status.success(), "finsam exited with {status}");
                return;
            }
            assert!(Instant::now() < deadline, "finsam did not stop after {signal}");
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

/// Processes whose command line mentions the folder: a postgres left behind would.
fn processes_using(dir: &Path) -> Vec<String> {
    let needle = dir.to_string_lossy().into_owned();
    std::fs::read_dir("/proc")
        .unwrap()
        .filter_map(Result::ok)
        .filter_map(|entry| std::fs::read(entry.path().join("cmdline")).ok())
        .map(|raw| String::from_utf8_lossy(&raw).replace('\0', " "))
        .filter(|cmdline| cmdline.contains(&needle))
        .collect()
}

#[test]
fn serve_runs_on_its_embedded_default_and_keeps_its_data() {
    let dir = tempfile::Builder::new()
        .prefix("finsam-serve")
        .permissions(std::fs::Permissions::from_mode(0o755))
        .tempdir()
        .unwrap();
    let data = dir.path().join("finsam-data");

    let first = serve_in(dir.path(), "text");
    assert_eq!(first.get_json("/health"), (200, serde_json::json!({"status": "ok", "database": "ok"})));
    let (status, forbund) = first.get_json("/api/v1/forbund?year=2023");
    assert_eq!(status, 200);
    assert_eq!(forbund.as_array().unwrap().len(), 72);
    let (_, municipalities) = first.get_json("/api/v1/municipalities");
    assert_eq!(municipalities.as_array().unwrap().len(), 290);
    // Something only this run wrote, to find again after a restart.
    let cluster = LocalCluster::start(&data, Durability::Durable).unwrap();
    assert!(!cluster.started_here(), "finsam's cluster is running and found");
    let mut conn = finsam_store::pool::establish(&cluster.url("finsam")).unwrap();
    diesel::RunQueryDsl::execute(
        diesel::sql_query("INSERT INTO reporting_years (year, deadline) VALUES (2023, '2024-03-31')"),
        &mut conn,
    )
    .unwrap();
    drop(conn);
    first.stop_with("-TERM");
    assert!(!cluster.is_running());
    assert_eq!(processes_using(&data), Vec::<String>::new(), "nothing left running");

    let second = serve_in(dir.path(), "json");
    let response = reqwest::blocking::get(format!("{}/health", second.base)).unwrap();
    assert_eq!(response.status(), 200);
    let request_id = response.headers()["x-request-id"].to_str().unwrap().to_owned();
    // One JSON object per line; the request's line carries the id the client was given.
    let deadline = Instant::now() + Duration::from_secs(10);
    let request_line = loop {
        let logged = second.log.lock().unwrap().clone();
        let found = logged
            .iter()
            .map(|line| serde_json::from_str::<serde_json::Value>(line).expect("a JSON log line"))
            .find(|line| line["fields"]["message"] == "request" && line["fields"]["path"] == "/health");
        match found {
            Some(line) => break line,
            None if Instant::now() < deadline => std::thread::sleep(Duration::from_millis(20)),
            None => panic!("no log line for the request in {logged:?}"),
        }
    };
    assert_eq!(request_line["spans"][0]["request_id"], request_id.as_str());
    let mut conn = finsam_store::pool::establish(&cluster.url("finsam")).unwrap();
    let kept: i64 = diesel::RunQueryDsl::get_result(
        diesel::dsl::select(diesel::dsl::sql::<diesel::sql_types::BigInt>(
            "(SELECT count(*) FROM reporting_years WHERE year = 2023)",
        )),
        &mut conn,
    )
    .unwrap();
    assert_eq!(kept, 1, "the second start keeps the first one's data");
    let (_, forbund) = second.get_json("/api/v1/forbund?year=2023");
    assert_eq!(forbund.as_array().unwrap().len(), 72, "seeding again added nothing");
    drop(conn);
    second.stop_with("-INT");
    assert_eq!(processes_using(&data), Vec::<String>::new(), "nothing left running after Ctrl-C");
}

/// The run failed with exactly one error line on stderr that contains every `expected` part.
fn assert_one_line_error(output: &Output, expected: &[&str]) {
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains("panicked") && !stderr.contains("RUST_BACKTRACE"), "{stderr}");
    let errors: Vec<&str> = stderr.lines().filter(|l| l.starts_with("finsam: error:")).collect();
    assert_eq!(errors.len(), 1, "{stderr}");
    for part in expected {
        assert!(errors[0].contains(part), "{part:?} not in {:?}", errors[0]);
    }
}

#[test]
fn unreachable_database_url_is_one_line() {
    let output = finsam().arg("migrate").env("DATABASE_URL", "postgres://finsam@127.0.0.1:1/finsam").output().unwrap();
    assert_one_line_error(&output, &["cannot connect to the database", "127.0.0.1", "refused"]);
}

#[test]
fn unusable_data_dir_is_one_line() {
    let file = tempfile::NamedTempFile::new().unwrap();
    let data_dir = file.path().join("data");
    let output = finsam().args(["migrate", "--data-dir"]).arg(&data_dir).output().unwrap();
    assert_one_line_error(&output, &["data directory", &data_dir.to_string_lossy(), "Not a directory"]);
}

#[test]
fn port_in_use_is_one_line() {
    let taken = TcpListener::bind("127.0.0.1:0").unwrap();
    let address = taken.local_addr().unwrap().to_string();
    let output = finsam()
        .args(["serve", "--bind", &address])
        .env("DATABASE_URL", "postgres://x@127.0.0.1:1/x")
        .output()
        .unwrap();
    assert_one_line_error(&output, &["cannot listen on", &address, "in use"]);
}

#[test]
fn missing_postgresql_binaries_say_what_to_do() {
    let dir = tempfile::tempdir().unwrap();
    let output = finsam()
        .args(["migrate", "--data-dir"])
        .arg(dir.path())
        .env("FINSAM_PG_BIN", "/nonexistent/bin")
        .output()
        .unwrap();
    assert_one_line_error(&output, &["no PostgreSQL server binaries", "install PostgreSQL", "DATABASE_URL"]);
}

#[test]
fn every_subcommand_has_help() {
    let commands = [
        vec!["--help"],
        vec!["migrate", "--help"],
        vec!["seed", "--help"],
        vec!["serve", "--help"],
        vec!["token", "--help"],
        vec!["openapi", "--help"],
    ];
    for command in commands {
        let output = finsam().args(&command).output().unwrap();
        assert!(output.status.success(), "{command:?}");
        let text = String::from_utf8_lossy(&output.stdout);
        assert!(text.contains("Usage: finsam"), "{command:?}: {text}");
    }
    let serve = String::from_utf8_lossy(&finsam().args(["serve", "--help"]).output().unwrap().stdout).into_owned();
    for flag in ["--bind", "FINSAM_BIND", "--data-dir", "FINSAM_DATA_DIR", "DATABASE_URL", "--log-format"] {
        assert!(serve.contains(flag), "{flag} missing from serve --help");
    }
}

#[test]
fn token_mints_what_the_server_verifies() {
    let secret = "a-development-secret-of-32-characters";
    let output = finsam()
        .args(["token", "--role", "registrar", "--forbund", "finsam-i-malmo", "--ttl-seconds", "120"])
        .env("FINSAM_JWT_SECRET", secret)
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let token = String::from_utf8(output.stdout).unwrap();
    let verifier = finsam_api::jwt::Verifier::new(finsam_api::jwt::VerifierConfig {
        keys: finsam_api::jwt::KeySource::Hs256Secret(secret.as_bytes().to_vec()),
        issuer: "finsam".into(),
        audience: "finsam".into(),
        leeway_seconds: 0,
    })
    .unwrap();
    let claims = verifier.verify_now(token.trim()).expect("a valid token");
    assert_eq!((claims.role, claims.forbund.as_deref()), (finsam_domain::Role::Registrar, Some("finsam-i-malmo")));
    assert!(claims.exp <= claims.iat.unwrap() + 120);

    let output = finsam().args(["token", "--role", "registrar"]).env("FINSAM_JWT_SECRET", secret).output().unwrap();
    assert_one_line_error(&output, &["needs --forbund"]);
    let output = finsam().args(["token", "--role", "boss"]).env("FINSAM_JWT_SECRET", secret).output().unwrap();
    assert_one_line_error(&output, &["--role must be one of"]);
}

/// Every file under `dir`, as paths relative to it with `/` between folders, sorted.
fn files_under(dir: &Path) -> Vec<String> {
    let mut found = Vec::new();
    let mut folders = vec![dir.to_path_buf()];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(&folder).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                folders.push(path);
            } else {
                let relative = path.strip_prefix(dir).unwrap();
                let parts: Vec<String> = relative.iter().map(|p| p.to_string_lossy().into_owned()).collect();
                found.push(parts.join("/"));
            }
        }
    }
    found.sort();
    found
}

#[test]
fn export_writes_every_open_table_in_every_format_with_the_method_readme() {
    let db = TestDb::new();
    let demo = finsam().arg("demo").env("DATABASE_URL", db.url()).output().unwrap();
    assert!(demo.status.success(), "{}", String::from_utf8_lossy(&demo.stderr));
    let out = tempfile::tempdir().unwrap();
    let unpublished = finsam()
        .args(["export", "--year", "2023", "--out"])
        .arg(out.path())
        .env("DATABASE_URL", db.url())
        .output()
        .unwrap();
    assert_eq!(unpublished.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&unpublished.stderr);
    assert!(stderr.contains("nothing of 2023 is published"), "{stderr}");
    let publish = finsam()
        .args(["publish", "--year", "2023", "--close", "--note", "Första publiceringen"])
        .env("DATABASE_URL", db.url())
        .output()
        .unwrap();
    assert!(publish.status.success(), "{}", String::from_utf8_lossy(&publish.stderr));
    assert!(String::from_utf8_lossy(&publish.stdout).starts_with("published release 1 of 2023"));
    let output = finsam()
        .args(["export", "--year", "2023", "--out"])
        .arg(out.path())
        .args(["--csv-separator", ";"])
        .env("DATABASE_URL", db.url())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(
        stdout.starts_with(&format!("wrote release 1 of 2023: 91 files to {} (", out.path().display())),
        "{stdout}"
    );

    assert_eq!(TableId::OPEN.len(), 10);
    let mut expected = vec!["README.md".to_owned()];
    for level in ["national", "county", "forbund"] {
        for id in TableId::OPEN {
            for extension in ["json", "csv", "xlsx"] {
                expected.push(format!("{level}/{}.{extension}", id.code()));
            }
        }
    }
    expected.sort();
    assert_eq!(expected.len(), 91);
    assert_eq!(files_under(out.path()), expected);

    let readme = std::fs::read_to_string(out.path().join("README.md")).unwrap();
    for part in ["från 1 till 4", "from 1 to 4", "semikolon (;)", "decimalkomma", "`forbund/exits.csv`"] {
        assert!(readme.contains(part), "{part:?} not in the README:\n{readme}");
    }

    let mut suppressed_forbund_rows = 0;
    for file in expected.iter().filter(|f| f.as_str() != "README.md") {
        let bytes = std::fs::read(out.path().join(file)).unwrap();
        if file.ends_with(".xlsx") {
            assert!(bytes.starts_with(b"PK\x03\x04"), "{file} is a ZIP container, as XLSX is");
            continue;
        }
        let text = String::from_utf8(bytes).unwrap_or_else(|e| panic!("{file}: {e}"));
        if file.ends_with(".csv") {
            // A `;` file is for Swedish spreadsheets: a BOM, so that they read it as UTF-8.
            let text = text.strip_prefix('\u{feff}').unwrap_or_else(|| panic!("{file}: no BOM"));
            let header = text.lines().next().unwrap();
            assert!(header.starts_with("year;year_label;") && header.ends_with(";value;status"), "{file}: {header}");
            assert!(!header.contains(','), "{file}: {header}");
            if file.starts_with("forbund/") {
                suppressed_forbund_rows += text
                    .lines()
                    .skip(1)
                    .filter(|line| {
                        let mut fields = line.rsplitn(3, ';');
                        (fields.next(), fields.next()) == (Some("."), Some(""))
                    })
                    .count();
            }
        } else {
            let json: serde_json::Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{file}: {e}"));
            assert_eq!((&json["version"], &json["class"]), (&"2.0".into(), &"dataset".into()), "{file}");
            let size: Vec<u64> = json["size"].as_array().unwrap().iter().map(|s| s.as_u64().unwrap()).collect();
            assert_eq!(json["id"].as_array().unwrap().len(), size.len(), "{file}");
            let values = json["value"].as_array().unwrap();
            assert_eq!(values.len() as u64, size.iter().product::<u64>(), "{file}");
            assert_eq!(json["extension"]["disclosure"]["threshold"], 4, "{file}");
            for (index, status) in json["status"].as_object().into_iter().flatten() {
                assert_eq!(status, ".", "{file}");
                assert!(values[index.parse::<usize>().unwrap()].is_null(), "{file}: a suppressed cell has a value");
            }
        }
    }
    assert!(suppressed_forbund_rows > 0, "no suppressed row in the förbund-level CSVs");
}

#[test]
fn export_refuses_an_unknown_csv_separator_as_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("export");
    let output = finsam()
        .args(["export", "--year", "2023", "--out"])
        .arg(&out)
        .args(["--csv-separator", "x"])
        .env("DATABASE_URL", "postgres://x@127.0.0.1:1/x")
        .env_remove("CLICOLOR_FORCE")
        .output()
        .unwrap();
    // clap's usage error: exit code 2, one error line and its hint, before any database is touched.
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(String::from_utf8_lossy(&output.stdout), "");
    assert_eq!(
        String::from_utf8_lossy(&output.stderr),
        "error: invalid value 'x' for '--csv-separator <CSV_SEPARATOR>': must be , or ;\n\n\
         For more information, try '--help'.\n"
    );
    assert!(!out.exists());
}

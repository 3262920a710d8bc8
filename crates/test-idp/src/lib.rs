//! Starts the test identity provider of tests/idp: the real OpenID Connect provider
//! (oidc-provider on Node.js) as a child process, started with a config the test writes, ready
//! once it prints `ready <issuer>`, stopped on drop. Used by the `finsam` command's tests
//! (crates/cli/tests/cli/sign_in/) and the browser tests (tests/browser/sign_in.rs).
//!
//! When tests/idp/node_modules is missing and `npm` is on PATH, the first start in a process runs
//! `npm ci --prefix tests/idp --no-audit --no-fund`, so a clean clone needs no manual step.
//! Without `node` (or without the packages and no way to install them), `Idp::start` says so on
//! stderr and returns None, and the test returns early: a developer without Node still runs the
//! rest. With CI=true it panics instead, so that CI cannot pass by skipping.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex, OnceLock, mpsc};
use std::time::Duration;

/// A running provider. Its issuer is also its base URL.
pub struct Idp {
    child: Child,
    pub issuer: String,
    log: Arc<Mutex<Vec<String>>>,
    _config: tempfile::TempDir,
}

/// tests/idp in this workspace.
pub fn idp_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/idp")
}

fn runs(program: &str) -> bool {
    Command::new(program)
        .arg("--version")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|status| status.success())
}

/// `npm ci` in tests/idp, at most once per process; the threads that ask meanwhile wait for the
/// first one's answer. Err says why the packages are not there.
fn install_packages() -> Result<(), String> {
    static INSTALLED: OnceLock<Result<(), String>> = OnceLock::new();
    INSTALLED
        .get_or_init(|| {
            let dir = idp_dir();
            if dir.join("node_modules/oidc-provider").is_dir() {
                return Ok(());
            }
            if !runs("npm") {
                return Err(format!(
                    "{} is missing and `npm` is not on PATH (run `npm ci --prefix tests/idp`)",
                    dir.join("node_modules").display()
                ));
            }
            eprintln!(
                "[test-idp] {} is missing: npm ci --prefix {}",
                dir.join("node_modules").display(),
                dir.display()
            );
            let output = Command::new("npm")
                .arg("ci")
                .arg("--prefix")
                .arg(&dir)
                .args(["--no-audit", "--no-fund"])
                .stdin(Stdio::null())
                .output()
                .map_err(|e| format!("cannot run npm: {e}"))?;
            if !output.status.success() || !dir.join("node_modules/oidc-provider").is_dir() {
                return Err(format!(
                    "`npm ci --prefix tests/idp` failed ({}): {}",
                    output.status,
                    String::from_utf8_lossy(&output.stderr).lines().rev().take(5).collect::<Vec<_>>().join(" | ")
                ));
            }
            Ok(())
        })
        .clone()
}

/// Why the provider cannot run here, if it cannot.
fn missing() -> Option<String> {
    if !runs("node") {
        return Some("`node` is not on PATH".into());
    }
    install_packages().err()
}

impl Idp {
    /// Starts the provider with `config` (see tests/idp/README.md), or None when it cannot run
    /// here and this is not CI.
    pub fn start(config: &serde_json::Value) -> Option<Idp> {
        if let Some(why) = missing() {
            if std::env::var("CI").is_ok_and(|v| v == "true") {
                panic!("the OpenID Connect provider of tests/idp cannot run: {why}");
            }
            eprintln!("SKIPPED: the OpenID Connect provider of tests/idp cannot run: {why}");
            return None;
        }
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("idp-config.json");
        std::fs::write(&path, serde_json::to_vec_pretty(config).unwrap()).unwrap();
        let mut child = Command::new("node")
            .arg(idp_dir().join("provider.mjs"))
            .arg(&path)
            // A piped stdin: the provider stops when it closes, so a test process that dies
            // (without running Drop) takes the provider along.
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start node tests/idp/provider.mjs");
        let log = Arc::new(Mutex::new(Vec::new()));
        let kept = log.clone();
        let stderr = child.stderr.take().unwrap();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                // The provider starts its lines with "[idp]" itself.
                eprintln!("{line}");
                kept.lock().unwrap().push(line);
            }
        });
        let (tx, rx) = mpsc::channel();
        let stdout = child.stdout.take().unwrap();
        std::thread::spawn(move || {
            let mut lines = BufReader::new(stdout).lines();
            let _ = tx.send(lines.next().and_then(Result::ok));
            // Keep reading so that the provider never blocks on a full pipe.
            for _ in lines {}
        });
        let mut idp = Idp { child, issuer: String::new(), log, _config: dir };
        let line = match rx.recv_timeout(Duration::from_secs(60)) {
            Ok(Some(line)) => line,
            other => panic!("the provider did not print its ready line ({other:?}); its log: {:?}", idp.log()),
        };
        let issuer = line.strip_prefix("ready ").unwrap_or_else(|| panic!("not a ready line: {line:?}"));
        idp.issuer = issuer.trim().to_owned();
        Some(idp)
    }

    /// What the provider logged so far (one line per request, logins, rotations).
    pub fn log(&self) -> Vec<String> {
        self.log.lock().unwrap().clone()
    }

    /// POST /__test/rotate: a new RS256 signing key, first in the JWKS. Returns its kid.
    pub fn rotate(&self) -> String {
        let address = self.issuer.strip_prefix("http://").expect("an http:// issuer").trim_end_matches('/');
        let mut stream = TcpStream::connect(address).expect("connect to the provider");
        stream.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
        let request = format!(
            "POST /__test/rotate HTTP/1.1\r\nHost: {address}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
        );
        stream.write_all(request.as_bytes()).expect("POST /__test/rotate");
        let mut response = String::new();
        stream.read_to_string(&mut response).expect("the answer to POST /__test/rotate");
        let (head, body) = response.split_once("\r\n\r\n").unwrap_or((&response, ""));
        assert!(head.starts_with("HTTP/1.1 200"), "POST /__test/rotate: {head}");
        // The provider answers with a Content-Length; a chunked body would start with its size.
        let json = &body[body.find('{').unwrap_or_else(|| panic!("no JSON in {body:?}"))..];
        let json = &json[..=json.rfind('}').unwrap()];
        let body: serde_json::Value = serde_json::from_str(json).unwrap_or_else(|e| panic!("{e}: {json}"));
        body["kid"].as_str().expect("a kid").to_owned()
    }
}

impl Drop for Idp {
    fn drop(&mut self) {
        if matches!(self.child.try_wait(), Ok(None)) {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

//! The real OpenID Connect provider of tests/idp (oidc-provider on Node.js) as a child process:
//! started with a config the test writes, ready once it prints `ready <issuer>`, stopped on drop.
//!
//! Without `node` or without tests/idp/node_modules (`npm ci --prefix tests/idp`), `Idp::start`
//! says so on stderr and returns None, and the test returns early: a developer without Node still
//! runs the rest. With CI=true it panics instead, so that CI cannot pass by skipping.

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex, mpsc};
use std::time::Duration;

/// A running provider. Its issuer is also its base URL.
pub(crate) struct Idp {
    child: Child,
    pub(crate) issuer: String,
    log: Arc<Mutex<Vec<String>>>,
    _config: tempfile::TempDir,
}

fn idp_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/idp")
}

/// Why the provider cannot run here, if it cannot.
fn missing() -> Option<String> {
    match Command::new("node").arg("--version").stdout(Stdio::null()).stderr(Stdio::null()).status() {
        Ok(status) if status.success() => {}
        _ => return Some("`node` is not on PATH".into()),
    }
    let modules = idp_dir().join("node_modules");
    if !modules.join("oidc-provider").is_dir() {
        return Some(format!("{} is missing (run `npm ci --prefix tests/idp`)", modules.display()));
    }
    None
}

impl Idp {
    /// Starts the provider with `config` (see tests/idp/README.md), or None when it cannot run
    /// here and this is not CI.
    pub(crate) fn start(config: &serde_json::Value) -> Option<Idp> {
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
    pub(crate) fn log(&self) -> Vec<String> {
        self.log.lock().unwrap().clone()
    }

    /// POST /__test/rotate: a new RS256 signing key, first in the JWKS. Returns its kid.
    pub(crate) fn rotate(&self) -> String {
        let response = reqwest::blocking::Client::new()
            .post(format!("{}/__test/rotate", self.issuer))
            .send()
            .expect("POST /__test/rotate");
        assert_eq!(response.status(), 200);
        let body: serde_json::Value = response.json().unwrap();
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

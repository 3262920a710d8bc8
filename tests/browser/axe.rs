//! axe-core, the accessibility engine, run in the page under test. It comes from the npm
//! registry, pinned in tests/browser/axe/package.json and its lockfile; when
//! tests/browser/axe/node_modules is missing and `npm` is on PATH, the first check in a process
//! runs `npm ci --prefix tests/browser/axe --no-audit --no-fund` (as crates/test-idp does for
//! tests/idp), so a clean clone needs no manual step. The script is handed to the page through
//! WebDriver, which runs it outside the page's Content-Security-Policy: the service never serves
//! it. Without it the check is skipped loudly, except in CI (`CI` set), where it fails.

use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::OnceLock;

use serde_json::{Value, json};

use crate::browser::webdriver::Browser;

fn axe_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("browser/axe")
}

/// axe.min.js, installed from the lockfile if need be (at most once per process).
fn install() -> Result<String, String> {
    static SCRIPT: OnceLock<Result<String, String>> = OnceLock::new();
    SCRIPT
        .get_or_init(|| {
            if let Some(path) = std::env::var_os("FINSAM_AXE") {
                let path = PathBuf::from(path);
                return std::fs::read_to_string(&path).map_err(|e| format!("FINSAM_AXE={}: {e}", path.display()));
            }
            let dir = axe_dir();
            let script = dir.join("node_modules/axe-core/axe.min.js");
            if !script.is_file() {
                eprintln!("[axe] {} is missing: npm ci --prefix {}", script.display(), dir.display());
                let output = Command::new("npm")
                    .arg("ci")
                    .arg("--prefix")
                    .arg(&dir)
                    .args(["--no-audit", "--no-fund"])
                    .stdin(Stdio::null())
                    .output()
                    .map_err(|e| format!("cannot run npm ({e}): run `npm ci --prefix tests/browser/axe`"))?;
                if !output.status.success() {
                    return Err(format!(
                        "`npm ci --prefix tests/browser/axe` failed ({}): {}",
                        output.status,
                        String::from_utf8_lossy(&output.stderr).lines().rev().take(5).collect::<Vec<_>>().join(" | ")
                    ));
                }
            }
            std::fs::read_to_string(&script).map_err(|e| format!("{}: {e}", script.display()))
        })
        .clone()
}

fn axe_script() -> Option<String> {
    match install() {
        Ok(script) => Some(script),
        Err(message) => {
            if std::env::var_os("CI").is_some() {
                panic!("CI: axe-core: {message}");
            }
            use std::io::Write;
            let line = "!".repeat(78);
            let _ = writeln!(std::io::stderr(), "\n{line}\n!! SKIPPED the axe-core check: {message}.\n{line}\n");
            None
        }
    }
}

/// axe-core's violations of WCAG 2.0/2.1 A and AA and its best practices on the page as it is
/// now (content in closed `<details>` or hidden is not checked: open what should be), each as
/// `rule (impact): help — the elements`. Empty when axe-core is not installed outside CI.
pub async fn violations(browser: &Browser) -> Vec<String> {
    let Some(script) = axe_script() else { return Vec::new() };
    browser.script(&format!("{script}\nreturn typeof axe;"), json!([])).await;
    let found = browser
        .script(
            "return axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']},
                                       resultTypes: ['violations']})
               .then(r => r.violations.map(v => `${v.id} (${v.impact}): ${v.help} — ` +
                 v.nodes.slice(0, 5).map(n => n.target.join(' ')).join(', ')));",
            json!([]),
        )
        .await;
    match found {
        Value::Array(items) => items.into_iter().map(|v| v.as_str().unwrap_or_default().to_owned()).collect(),
        other => panic!("axe-core answered {other}"),
    }
}

/// Fails with every violation axe-core finds on the page.
pub async fn assert_no_violations(browser: &Browser, page: &str) {
    let found = violations(browser).await;
    assert!(found.is_empty(), "axe-core on {page}:\n{}", found.join("\n"));
}

//! axe-core, the accessibility engine, run in the page under test. It comes from the npm
//! registry, pinned in tests/browser/axe/package.json (`npm ci --prefix tests/browser/axe`, as
//! .ci/run does); the script is handed to the page through WebDriver, which runs it outside the
//! page's Content-Security-Policy, so the service itself never serves it. Without it the check
//! is skipped loudly, except in CI (`CI` set), where it fails.

use std::path::PathBuf;

use serde_json::{Value, json};

use crate::browser::webdriver::Browser;

fn axe_script() -> Option<String> {
    let path = std::env::var_os("FINSAM_AXE").map(PathBuf::from).unwrap_or_else(|| {
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("browser/axe/node_modules/axe-core/axe.min.js")
    });
    match std::fs::read_to_string(&path) {
        Ok(script) => Some(script),
        Err(e) => {
            let message =
                format!("axe-core is not at {} ({e}): run `npm ci --prefix tests/browser/axe`", path.display());
            if std::env::var_os("CI").is_some() {
                panic!("CI: {message}");
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

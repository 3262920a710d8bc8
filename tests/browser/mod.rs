//! Browser tests: the web pages in Debian's headless Chromium, driven over WebDriver
//! (chromedriver), against the real service on a fresh database with the demo's 2023.
//! Screenshots of the main pages go to `target/screenshots/`. Without Chromium the tests that
//! need it are skipped with a loud message, except in CI (`CI` set), where they fail. sign_in.rs
//! signs in through the real OpenID Connect provider of tests/idp (finsam-test-idp).
mod allocation;
mod analyst;
mod annual_report;
mod axe;
mod docs;
mod forbidden;
mod harness;
mod import;
mod money;
mod pages;
mod redirect;
mod registrar;
mod report;
mod report_checks;
mod report_commentary;
mod sign_in;
mod statistik;
mod webdriver;

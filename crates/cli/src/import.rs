//! `finsam import`: a file of insatser into a running server, as a case system would push it.

use std::hash::Hasher;
use std::io::Write;
use std::path::PathBuf;
use std::time::Duration;

use anyhow::{Context, bail};
use clap::Args;
use serde_json::Value;

use crate::auth::AuthArgs;
use crate::database::DatabaseArgs;
use crate::token::{self, TokenArgs};

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The förbund the data belongs to (its forbund_key).
    #[arg(long)]
    pub forbund: String,
    /// The batch: `.csv` (one line per insats-year), `.xlsx` (the same columns, as in the
    /// import template) or `.json` (`{"mode", "insatser"}`).
    #[arg(long)]
    pub file: PathBuf,
    /// The sheet of an `.xlsx` to read (default: the first).
    #[arg(long)]
    pub sheet: Option<String>,
    /// Check and report only; nothing is written.
    #[arg(long)]
    pub dry_run: bool,
    /// Write the good rows even if some are rejected (default: all or nothing).
    #[arg(long)]
    pub partial: bool,
    /// The server.
    #[arg(long, env = "FINSAM_URL", default_value = "http://127.0.0.1:8080")]
    pub url: String,
    /// A token for the förbund (default: a development token signed with the server's secret).
    #[arg(long, env = "FINSAM_TOKEN", hide_env_values = true)]
    pub token: Option<String>,
    /// The Idempotency-Key (default: one derived from the file's content, so that running the
    /// same file again imports nothing twice).
    #[arg(long)]
    pub idempotency_key: Option<String>,
}

pub fn run(db: &DatabaseArgs, auth: &AuthArgs, args: &ImportArgs) -> anyhow::Result<()> {
    let body = std::fs::read(&args.file).with_context(|| format!("reading {}", args.file.display()))?;
    let content_type = match args.file.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase).as_deref() {
        Some("csv") => "text/csv",
        Some("json") => "application/json",
        Some("xlsx") => finsam_api::routes::XLSX,
        _ => bail!("{}: the file must end in .csv, .xlsx or .json", args.file.display()),
    };
    let token = match &args.token {
        Some(token) => token.clone(),
        None => token::mint(
            db,
            auth,
            &TokenArgs {
                role: finsam_domain::codes::Code::code(finsam_domain::Role::Integration).into(),
                forbund: Some(args.forbund.clone()),
                sub: "finsam-import".into(),
                ttl_seconds: 3600,
            },
        )?,
    };
    let key = args.idempotency_key.clone().unwrap_or_else(|| content_key(&body, args.partial));
    let base = args.url.trim_end_matches('/');
    let client = reqwest::blocking::Client::builder().timeout(Duration::from_secs(600)).build()?;
    let mut request = client
        .post(format!("{base}/api/v1/forbund/{}/imports", args.forbund))
        .query(&[("mode", if args.partial { "partial" } else { "atomic" })])
        .bearer_auth(&token)
        .header("Content-Type", content_type)
        .body(body);
    if let Some(sheet) = &args.sheet {
        request = request.query(&[("sheet", sheet)]);
    }
    if args.dry_run {
        request = request.query(&[("dry_run", "true")]);
    } else {
        request = request.header("Idempotency-Key", &key);
    }
    let response = request.send().with_context(|| format!("sending to {base}"))?;
    let status = response.status();
    let location = response.headers().get("location").and_then(|v| v.to_str().ok()).map(str::to_owned);
    let mut reply: Value = response.json().context("reading the server's answer")?;
    if status.as_u16() == 202 {
        let location = location.context("a queued import without a Location")?;
        reply = follow(&client, &format!("{base}{location}"), &token)?;
    } else if !status.is_success() {
        bail!("the server refused the import ({status}): {}", reply["detail"].as_str().unwrap_or_default());
    }
    println!("{}", serde_json::to_string_pretty(&reply)?);
    let summary = reply.get("summary").unwrap_or(&reply);
    match summary["status"].as_str() {
        Some("applied") | Some("dry_run") if summary["rejected"] == 0 => Ok(()),
        Some(status) => bail!("import {status}: {} rows rejected; see the errors above", summary["rejected"]),
        None => bail!("the import failed: {}", reply["error"].as_str().unwrap_or("no summary")),
    }
}

/// Polls a job, drawing a progress bar on stderr, until it is done or failed.
fn follow(client: &reqwest::blocking::Client, url: &str, token: &str) -> anyhow::Result<Value> {
    loop {
        let job: Value = client.get(url).bearer_auth(token).send()?.error_for_status()?.json()?;
        let (done, total) = (job["rows_done"].as_u64().unwrap_or(0), job["rows_total"].as_u64().unwrap_or(0).max(1));
        let filled = usize::try_from(done * 30 / total).unwrap_or(30).min(30);
        eprint!("\r[{}{}] {done}/{total} rows", "#".repeat(filled), "-".repeat(30 - filled));
        std::io::stderr().flush().ok();
        if job["state"] != "queued" {
            eprintln!();
            return Ok(job);
        }
        std::thread::sleep(Duration::from_millis(500));
    }
}

/// A key from the content (FNV-1a, 64 bits, over the mode and body): the same file and mode give
/// the same key, so a rerun is answered from the first run instead of importing again.
fn content_key(body: &[u8], partial: bool) -> String {
    let mut hash = fnv::FnvHasher::default();
    hash.write_u8(u8::from(partial));
    hash.write(body);
    format!("finsam-import-{:016x}-{}", hash.finish(), body.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_keys_are_the_ones_earlier_versions_sent() {
        // Values of the hand-written FNV-1a this replaced: a rerun after an upgrade must still be
        // answered from the first run, and the mode must still make a key of its own.
        let body = b"external_ref,name\nx,y\n";
        assert_eq!(content_key(body, false), "finsam-import-064a97862afd4ec6-22");
        assert_eq!(content_key(body, true), "finsam-import-0ea9b27d22e66b8d-22");
    }
}

//! The `finsam-bench` command: the benchmarks of BENCHMARKS.md, kept out of the service's
//! `finsam` binary, since each drops and creates a database of its own on the server it is given.

mod import;
mod tables;

use std::io::IsTerminal;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Parser, Subcommand};
use tracing_subscriber::EnvFilter;

#[derive(Debug, Parser)]
#[command(name = "finsam-bench", version, about = "Benchmarks of finsam against plain PostgreSQL (see BENCHMARKS.md)")]
struct Cli {
    /// The PostgreSQL server to run on, e.g. postgres://postgres@127.0.0.1:5432/postgres; each
    /// benchmark drops and creates a database of its own there.
    #[arg(long, global = true, env = "DATABASE_URL", hide_env_values = true)]
    database_url: Option<String>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// All national tables from N synthetic rows against SQL GROUP BY (in a database of its own,
    /// finsam_bench, on the same server).
    Tables(tables::BenchArgs),
    /// N insatser through the import endpoint (CSV, or with --format xlsx a workbook, over HTTP,
    /// server in this process) against PostgreSQL COPY of the same rows (in a database of its
    /// own, finsam_bench_import).
    Import(import::BenchImportArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    // As `finsam` logs by default, so that the server in this process does the same work.
    tracing_subscriber::fmt()
        .with_env_filter(EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info")))
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .init();
    let result = cli
        .database_url
        .filter(|u| !u.trim().is_empty())
        .context("DATABASE_URL or --database-url is required")
        .and_then(|url| match cli.command {
            Command::Tables(args) => tables::run(&url, &args),
            Command::Import(args) => import::run(&url, &args),
        });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            // One line, the cause chain joined, as `finsam` does.
            eprintln!("finsam-bench: error: {}", finsam_store::pool::one_line(&format!("{error:#}")));
            ExitCode::FAILURE
        }
    }
}

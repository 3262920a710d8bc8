//! The `finsam` command.

mod auth;
mod database;
mod export;
mod import;
mod logging;
mod publish;
mod report;
mod serve;
mod sign_in;
mod token;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "finsam",
    version,
    about = "The national follow-up service for financial coordination of rehabilitation (Finsam)"
)]
struct Cli {
    #[command(flatten)]
    database: database::DatabaseArgs,
    #[command(flatten)]
    auth: auth::AuthArgs,
    #[command(flatten)]
    logging: logging::LoggingArgs,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Apply pending database migrations.
    Migrate,
    /// Apply pending migrations and load the reference data (counties, municipalities, förbund,
    /// membership); running it again changes nothing.
    Seed,
    /// Migrate, seed and serve the HTTP API until SIGINT/SIGTERM.
    Serve(serve::ServeArgs),
    /// Load a synthetic 2023 for the real förbund (reproducing the published national figures)
    /// into an empty registration.
    Demo,
    /// Print the national tables for a year.
    Report(report::ReportArgs),
    /// Write every open table of a published release of a year as JSON-stat, CSV and XLSX,
    /// nationally, by county and by förbund, with a README on the method.
    Export(export::ExportArgs),
    /// Publish the next release of a closed year's open statistics (protected together with the
    /// year's earlier releases, then frozen).
    Publish(publish::PublishArgs),
    /// Send a file of insatser (CSV or JSON) to a running server's import endpoint, with a
    /// progress bar for a queued job.
    Import(import::ImportArgs),
    /// Print a development token signed with the server's HS256 secret.
    Token(token::TokenArgs),
    /// Print the OpenAPI document (or write it to a file).
    Openapi {
        /// Write to this file instead of standard output.
        #[arg(long)]
        out: Option<std::path::PathBuf>,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    logging::init(&cli.logging);
    let result = match cli.command {
        Command::Migrate => database::migrate(&cli.database),
        Command::Seed => database::seed(&cli.database),
        Command::Serve(args) => serve::run(&cli.database, &cli.auth, &args),
        Command::Demo => database::demo(&cli.database),
        Command::Report(args) => report::run(&cli.database, &args),
        Command::Export(args) => export::run(&cli.database, &args),
        Command::Publish(args) => publish::run(&cli.database, &args),
        Command::Import(args) => import::run(&cli.database, &cli.auth, &args),
        Command::Token(args) => token::run(&cli.database, &cli.auth, &args),
        Command::Openapi { out } => write_openapi(out.as_deref()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            // One line, the cause chain joined: an operator reads it, a script greps it.
            eprintln!("finsam: error: {}", finsam_store::pool::one_line(&format!("{error:#}")));
            ExitCode::FAILURE
        }
    }
}

fn write_openapi(out: Option<&std::path::Path>) -> anyhow::Result<()> {
    let json = finsam_api::openapi::openapi_json();
    match out {
        Some(path) => std::fs::write(path, json).map_err(|e| anyhow::anyhow!("cannot write {}: {e}", path.display())),
        None => {
            print!("{json}");
            Ok(())
        }
    }
}

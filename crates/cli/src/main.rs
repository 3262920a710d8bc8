//! The `finsam` command.

mod database;
mod logging;
mod serve;

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
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    logging::init(&cli.logging);
    let result = match cli.command {
        Command::Migrate => database::migrate(&cli.database),
        Command::Seed => database::seed(&cli.database),
        Command::Serve(args) => serve::run(&cli.database, &args),
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

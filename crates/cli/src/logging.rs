use std::io::IsTerminal;

use clap::{Args, ValueEnum};
use tracing_subscriber::EnvFilter;

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum LogFormat {
    /// Human-readable lines, for a terminal.
    Text,
    /// One JSON object per line, with the request id of the request it belongs to.
    Json,
}

#[derive(Debug, Args)]
pub struct LoggingArgs {
    /// Log line format.
    #[arg(long, global = true, env = "FINSAM_LOG_FORMAT", value_enum, default_value = "text")]
    pub log_format: LogFormat,
    /// What to log, as a tracing filter (e.g. `info`, `finsam_api=debug`).
    #[arg(long, global = true, env = "RUST_LOG", default_value = "info")]
    pub log: String,
}

pub fn init(args: &LoggingArgs) {
    let filter = EnvFilter::try_new(&args.log).unwrap_or_else(|_| EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal());
    match args.log_format {
        LogFormat::Text => builder.init(),
        LogFormat::Json => builder.json().with_current_span(false).with_span_list(true).init(),
    }
}

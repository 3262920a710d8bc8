use std::net::TcpListener;

use anyhow::Context;
use clap::Args;
use finsam_api::{AppState, ServerOptions};

use crate::auth::AuthArgs;
use crate::database::{Database, DatabaseArgs};

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address and port to listen on.
    #[arg(long, env = "FINSAM_BIND", default_value = "127.0.0.1:8080")]
    pub bind: String,
    /// HTTP worker threads (0: one per core).
    #[arg(long, env = "FINSAM_WORKERS", default_value_t = 0)]
    pub workers: usize,
    /// Load the demo data first (into an empty registration; skipped if already loaded).
    #[arg(long, env = "FINSAM_DEMO")]
    pub demo: bool,
    /// Seconds that in-flight requests get to finish after SIGINT/SIGTERM.
    #[arg(long, env = "FINSAM_SHUTDOWN_TIMEOUT", default_value_t = 30)]
    pub shutdown_timeout: u64,
    #[command(flatten)]
    pub disclosure: crate::export::DisclosureArgs,
}

pub fn run(db_args: &DatabaseArgs, auth: &AuthArgs, args: &ServeArgs) -> anyhow::Result<()> {
    let verifier = auth.verifier(&db_args.data_dir)?;
    // Bind first: a taken port should fail before a database is started for nothing.
    let listener = TcpListener::bind(&args.bind).with_context(|| format!("cannot listen on {}", args.bind))?;
    let address = listener.local_addr()?;
    let database = Database::open(db_args, true)?;
    let pool = database.pool(db_args.pool_size)?;
    database.prepare(&pool, true)?;
    if args.demo {
        match crate::database::load_demo(&pool) {
            Err(error)
                if error
                    .downcast_ref::<finsam_demo::DemoError>()
                    .is_some_and(|e| matches!(e, finsam_demo::DemoError::NotEmpty)) =>
            {
                tracing::info!("registrations exist already: the demo is not loaded again");
            }
            other => other?,
        }
    }

    let options = ServerOptions { workers: args.workers, shutdown_timeout: args.shutdown_timeout };
    actix_web::rt::System::new().block_on(async move {
        let server = finsam_api::server(
            AppState::new(pool, verifier).with_disclosure_threshold(args.disclosure.disclosure_threshold),
            listener,
            &options,
        )?;
        tracing::info!(%address, "serving on http://{address}");
        server.await
    })?;
    tracing::info!("server stopped");
    drop(database);
    Ok(())
}

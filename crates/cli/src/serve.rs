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
    #[command(flatten)]
    pub sign_in: crate::sign_in::SignInArgs,
    #[command(flatten)]
    pub pxweb: PxWebArgs,
}

/// The PxWeb API's limits and the open tables' licence (`GET /api/v2/config`).
#[derive(Debug, Args)]
pub struct PxWebArgs {
    /// The most cells one PxWeb data request may select (maxDataCells).
    #[arg(long, env = "FINSAM_PXWEB_MAX_DATA_CELLS", default_value_t = finsam_api::DEFAULT_PXWEB_MAX_DATA_CELLS)]
    pub pxweb_max_data_cells: usize,
    /// PxWeb calls per client and time window (maxCallsPerTimeWindow).
    #[arg(long, env = "FINSAM_PXWEB_CALLS", default_value_t = finsam_api::DEFAULT_PXWEB_CALLS)]
    pub pxweb_calls: u32,
    /// The PxWeb time window in seconds (timeWindow).
    #[arg(long, env = "FINSAM_PXWEB_WINDOW_SECONDS", default_value_t = finsam_api::DEFAULT_PXWEB_WINDOW_SECONDS)]
    pub pxweb_window_seconds: u64,
    /// The licence of the open tables, e.g. a URL of CC0; no source states one, so none is
    /// assumed (`/api/v2/config` says "not set").
    #[arg(long, env = "FINSAM_OPEN_DATA_LICENSE")]
    pub open_data_license: Option<String>,
}

pub fn run(db_args: &DatabaseArgs, auth: &AuthArgs, args: &ServeArgs) -> anyhow::Result<()> {
    // The keys of a provider (its JWKS) take the place of the development secret; a secret, PEM or
    // JWKS file given explicitly stays what verifies the API's tokens.
    let provider_keys = args.sign_in.oidc_issuer.is_some() || args.sign_in.jwks_url.is_some();
    let verifier = match provider_keys && !auth.has_explicit_key() {
        true => None,
        false => Some(auth.verifier(&db_args.data_dir)?),
    };
    // Bind first: a taken port should fail before a database is started for nothing.
    let listener = TcpListener::bind(&args.bind).with_context(|| format!("cannot listen on {}", args.bind))?;
    let address = listener.local_addr()?;
    let database = Database::open(db_args, true)?;
    // Migrations and the demo on their own connection: the serving pool's statement timeout is
    // for requests, and a migration of a large table may rightly take longer.
    let setup = database.pool(1)?;
    database.prepare(&setup, true)?;
    if args.demo {
        match crate::database::load_demo(&setup) {
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

    drop(setup);
    let pool = database.pool_with(&db_args.pool_options(db_args.pool_size)?)?;
    let read_pool = db_args.read_pool()?;

    let options = ServerOptions { workers: args.workers, shutdown_timeout: args.shutdown_timeout };
    actix_web::rt::System::new().block_on(async move {
        let sign_in = args.sign_in.sign_in(&address.to_string(), auth.jwt_leeway).await?;
        let verifier = match (verifier, &sign_in) {
            (Some(verifier), _) => verifier.with_claim_names(args.sign_in.claim_names()),
            (None, _) if args.sign_in.jwks_url.is_some() => {
                let issuer = sign_in.as_ref().map_or(auth.jwt_issuer.as_str(), |s| s.provider.issuer.as_str());
                args.sign_in.remote_verifier(issuer, &auth.jwt_audience, auth.jwt_leeway).await?.expect("a JWKS URL")
            }
            (None, Some(sign_in)) => {
                sign_in.access_token_verifier(&auth.jwt_audience).await.map_err(anyhow::Error::msg)?
            }
            (None, None) => unreachable!("provider keys come from a JWKS URL or an issuer"),
        };
        let px = &args.pxweb;
        let mut state = AppState::new(pool, verifier)
            .with_disclosure_threshold(args.disclosure.disclosure_threshold)
            .with_pxweb(px.pxweb_max_data_cells, px.pxweb_calls, px.pxweb_window_seconds, px.open_data_license.clone());
        if let Some(sign_in) = sign_in {
            tracing::info!(issuer = %sign_in.provider.issuer, "the pages sign in through the identity provider");
            state = state.with_sign_in(sign_in);
        }
        if let Some(read_pool) = read_pool {
            tracing::info!("table reads go to the read replica (DATABASE_READ_URL)");
            state = state.with_read_pool(read_pool);
        }
        let server = finsam_api::server(state, listener, &options)?;
        tracing::info!(%address, "serving on http://{address}");
        server.await?;
        anyhow::Ok(())
    })?;
    tracing::info!("server stopped");
    drop(database);
    Ok(())
}

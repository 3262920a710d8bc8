use std::net::TcpListener;
use std::sync::Arc;
use std::time::Duration;

use actix_web::middleware::{Compress, from_fn};
use actix_web::{App, HttpResponse, HttpServer, web};
use finsam_store::PgPool;
use tracing_actix_web::TracingLogger;
use utoipa_actix_web::AppExt;
use utoipa_swagger_ui::{Config, SwaggerUi};

use crate::allowed_methods::AllowedMethods;
use crate::import_jobs::ImportJobs;
use crate::jwt::Verifier;
use crate::metrics::Metrics;
use crate::open_releases::ReleaseCache;
use crate::rate_limit::RateLimit;
use crate::routes::PxWebSettings;
use crate::sign_in::{self, SignIn};
use crate::tables_cache::TableCache;
use crate::{metrics, openapi, problem_fallback, request_id, routes, security_headers};

/// What every handler shares. Cloning is cheap (everything in it is reference-counted).
#[derive(Clone)]
pub struct AppState {
    pub pool: PgPool,
    /// For the analysts' table reads: the primary's pool unless a read replica is configured.
    pub read_pool: PgPool,
    pub verifier: Verifier,
    pub tables: Arc<TableCache>,
    pub open: Arc<ReleaseCache>,
    /// Person counts from 1 to this are suppressed in open tables.
    pub disclosure_threshold: i64,
    pub import_jobs: Arc<ImportJobs>,
    /// Imports per client and minute.
    pub import_rate: Arc<RateLimit>,
    /// Batches with more rows than this run as jobs.
    pub import_job_rows: usize,
    /// This server's metrics registry for `/metrics`, the caches' histograms in it.
    pub metrics: Arc<Metrics>,
    /// Sign-in to the pages through an identity provider; `None`: the development sign-in.
    pub sign_in: Option<Arc<SignIn>>,
    /// The PxWeb API's limits and licence.
    pub pxweb: Arc<PxWebSettings>,
}

impl AppState {
    pub fn new(pool: PgPool, verifier: Verifier) -> AppState {
        let (tables, open) = (TableCache::default(), ReleaseCache::default());
        let metrics = Arc::new(Metrics::new(&tables.refresh_seconds, &open.protect_seconds));
        AppState {
            pool: pool.clone(),
            read_pool: pool.clone(),
            verifier,
            tables: Arc::new(tables),
            open: Arc::new(open),
            disclosure_threshold: finsam_export::open::DEFAULT_THRESHOLD,
            import_jobs: ImportJobs::start(pool.clone()),
            import_rate: Arc::new(RateLimit::per_minute(DEFAULT_IMPORTS_PER_MINUTE)),
            import_job_rows: DEFAULT_IMPORT_JOB_ROWS,
            metrics,
            sign_in: None,
            pxweb: Arc::new(PxWebSettings {
                max_data_cells: DEFAULT_PXWEB_MAX_DATA_CELLS,
                calls: RateLimit::new(DEFAULT_PXWEB_CALLS, Duration::from_secs(DEFAULT_PXWEB_WINDOW_SECONDS), "calls"),
                license: None,
            }),
        }
    }

    /// The PxWeb API's limits: cells per data request, calls per client and window; and the
    /// open tables' licence, when the operator states one.
    pub fn with_pxweb(
        self,
        max_data_cells: usize,
        calls: u32,
        window_seconds: u64,
        license: Option<String>,
    ) -> AppState {
        let calls = RateLimit::new(calls, Duration::from_secs(window_seconds), "calls");
        AppState { pxweb: Arc::new(PxWebSettings { max_data_cells, calls, license }), ..self }
    }

    /// The pages' sign-in through this identity provider (in place of the development sign-in).
    pub fn with_sign_in(self, sign_in: SignIn) -> AppState {
        AppState { sign_in: Some(Arc::new(sign_in)), ..self }
    }

    /// Imports per client and minute, and the batch size above which an import becomes a job.
    pub fn with_import_limits(self, per_minute: u32, job_rows: usize) -> AppState {
        AppState { import_rate: Arc::new(RateLimit::per_minute(per_minute)), import_job_rows: job_rows, ..self }
    }

    /// Table reads from a read replica (`DATABASE_READ_URL`).
    pub fn with_read_pool(self, read_pool: PgPool) -> AppState {
        AppState { read_pool, ..self }
    }

    pub fn with_disclosure_threshold(self, threshold: i64) -> AppState {
        AppState { disclosure_threshold: threshold, ..self }
    }
}

pub const DEFAULT_IMPORTS_PER_MINUTE: u32 = 60;
/// The largest table, every year by every region, is some tens of thousands of cells; this
/// lets a client take any one table whole for years to come.
pub const DEFAULT_PXWEB_MAX_DATA_CELLS: usize = 200_000;
/// Statistics Sweden's PxWeb allows 30 calls in 10 s; a page building its pickers makes a few.
pub const DEFAULT_PXWEB_CALLS: u32 = 30;
pub const DEFAULT_PXWEB_WINDOW_SECONDS: u64 = 10;
pub const DEFAULT_IMPORT_JOB_ROWS: usize = 5_000;

#[derive(Debug, Clone)]
pub struct ServerOptions {
    /// Worker threads; 0 means one per core.
    pub workers: usize,
    /// Seconds in-flight requests get to finish after a stop signal.
    pub shutdown_timeout: u64,
}

impl Default for ServerOptions {
    fn default() -> Self {
        ServerOptions { workers: 0, shutdown_timeout: 30 }
    }
}

/// The HTTP server on an already bound listener (port 0 in tests). It stops gracefully on
/// SIGINT/SIGTERM; awaiting the returned server waits for that.
pub fn server(
    state: AppState,
    listener: TcpListener,
    options: &ServerOptions,
) -> std::io::Result<actix_web::dev::Server> {
    let sign_in_mode = web::Data::new(match state.sign_in {
        Some(_) => finsam_web::SignInMode::Provider,
        None => finsam_web::SignInMode::Development,
    });
    // The sign-out form's POST is redirected to the provider's end-session endpoint: the pages'
    // form-action must allow its origin.
    let provider_origin = state
        .sign_in
        .as_ref()
        .and_then(|s| s.provider.end_session_endpoint.as_deref())
        .and_then(|end| reqwest::Url::parse(end).ok())
        .map(|url| url.origin())
        .filter(|origin| origin.is_tuple())
        .map(|origin| web::Data::new(finsam_web::ProviderOrigin(origin.ascii_serialization())));
    let state = web::Data::new(state);
    let spec = web::Data::new(openapi::openapi());
    let allowed =
        web::Data::new(AllowedMethods::from_document(&serde_json::to_value(&**spec).expect("the document serialises")));
    let mut server = HttpServer::new(move || {
        // The docs first: the /api/v1 scope below would otherwise answer for their paths.
        App::new()
            .route("/api/v1/docs", web::get().to(docs_redirect))
            .service(web::resource(OPENAPI_JSON).app_data(spec.clone()).route(web::get().to(openapi_json)))
            // The Swagger UI in a scope of its own, for the policy its files need. The document is
            // served beside it, not by it: from inside the scope it would land under /api/v1/docs.
            .service(
                web::scope("/api/v1/docs").wrap(security_headers::docs()).service(
                    SwaggerUi::new("/{_:.*}")
                        // The default asks validator.swagger.io for a badge: the docs must work offline.
                        .config(Config::new([OPENAPI_JSON]).validator_url("none")),
                ),
            )
            // Beside /health, with no token and not in the OpenAPI document: for Prometheus.
            .route("/metrics", web::get().to(metrics::endpoint))
            .into_utoipa_app()
            .configure(routes::configure)
            .into_app()
            // The web pages (crates/web): beside the API and not in its OpenAPI document.
            .configure(finsam_web::configure)
            .configure(sign_in::configure)
            .app_data(sign_in_mode.clone())
            .configure(|cfg| {
                if let Some(origin) = &provider_origin {
                    cfg.app_data(origin.clone());
                }
            })
            .app_data(state.clone())
            .app_data(allowed.clone())
            .app_data(web::PayloadConfig::new(routes::MAX_BODY_BYTES))
            .default_service(web::to(routes::not_found))
            .wrap(from_fn(problem_fallback::problem_json))
            // Outside the rewrite above, so the problems it makes get the headers too.
            .wrap(security_headers::every_response())
            .wrap(Compress::default())
            .wrap(from_fn(request_id::echo))
            .wrap(from_fn(metrics::record))
            .wrap(TracingLogger::<request_id::MaskedRootSpan>::new())
    })
    .shutdown_timeout(options.shutdown_timeout)
    .listen(listener)?;
    if options.workers > 0 {
        server = server.workers(options.workers);
    }
    Ok(server.run())
}

const OPENAPI_JSON: &str = "/api/v1/openapi.json";

async fn openapi_json(spec: web::Data<utoipa::openapi::OpenApi>) -> HttpResponse {
    HttpResponse::Ok().json(spec.as_ref())
}

async fn docs_redirect() -> HttpResponse {
    HttpResponse::PermanentRedirect().insert_header(("Location", "/api/v1/docs/")).finish()
}

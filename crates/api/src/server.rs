use std::net::TcpListener;

use actix_web::middleware::{Compress, from_fn};
use actix_web::{App, HttpServer, web};
use finsam_store::PgPool;
use tracing_actix_web::TracingLogger;

use crate::{request_id, routes};

/// What every handler shares. Cloning is cheap (the pool is reference-counted).
#[derive(Clone)]
pub struct AppState {
    pub pool: PgPool,
}

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
    let state = web::Data::new(state);
    let mut server = HttpServer::new(move || {
        App::new()
            .app_data(state.clone())
            .configure(routes::configure)
            .default_service(web::to(routes::not_found))
            .wrap(Compress::default())
            .wrap(from_fn(request_id::echo))
            .wrap(TracingLogger::default())
    })
    .shutdown_timeout(options.shutdown_timeout)
    .listen(listener)?;
    if options.workers > 0 {
        server = server.workers(options.workers);
    }
    Ok(server.run())
}

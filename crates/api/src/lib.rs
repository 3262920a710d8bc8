//! The finsam HTTP API: routes, RFC 9457 problem responses and request ids.

pub mod allowed_methods;
pub mod auth;
pub mod error;
pub mod import_jobs;
pub mod jwt;
mod mask;
pub mod metrics;
pub mod open_releases;
pub mod openapi;
mod openapi_codes;
mod problem_fallback;
pub mod rate_limit;
mod request_id;
pub mod routes;
pub mod security_headers;
mod server;
pub mod sign_in;
pub mod tables_cache;

pub use error::{ApiError, FieldError};
pub use server::{
    AppState, DEFAULT_PXWEB_CALLS, DEFAULT_PXWEB_MAX_DATA_CELLS, DEFAULT_PXWEB_WINDOW_SECONDS, ServerOptions, server,
};

//! The finsam HTTP API: routes, RFC 9457 problem responses and request ids.

pub mod error;
mod request_id;
pub mod routes;
mod server;

pub use error::{ApiError, FieldError};
pub use server::{AppState, ServerOptions, server};

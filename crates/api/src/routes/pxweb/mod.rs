//! PxWeb API 2 (PxTools/PxApiSpecs, `PxAPI-2.yml`) under `/api/v2`: the national tables for the
//! tools Swedish statistics users already have (R `pxweb`, Python `pxwebpy`, PxWeb 2). A
//! compatible subset: configuration, tables, metadata, default selections, codelists and data.
//! Without a token the open tables; with an analyst's or admin's bearer token the exact ones
//! (see `source`).

mod codelists;
mod config;
mod data;
mod source;
mod tables;

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, HttpResponseBuilder};
use finsam_domain::ErrorCode;
use finsam_pxweb::{PxError, Status};
use finsam_stats::TableId;

use crate::error::FieldError;
use crate::rate_limit::{Quota, RateLimit};
use crate::{ApiError, AppState};

/// The base of every path here.
pub const BASE: &str = "/api/v2";

/// The limits `/config` announces, and that the endpoints keep to.
pub struct PxWebSettings {
    /// The most cells one data request may select.
    pub max_data_cells: usize,
    /// Calls per client and window, counted on every endpoint but `/config`.
    pub calls: RateLimit,
    /// The open tables' licence, as the operator states it; no source gives one.
    pub license: Option<String>,
}

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.configure(config::configure)
        .configure(tables::configure)
        .configure(data::configure)
        .configure(codelists::configure);
}

/// Counts the call against the client's window (by its address: the API is open).
fn count_call(state: &AppState, req: &HttpRequest) -> Result<Quota, ApiError> {
    state.pxweb.calls.check(&client(req))
}

fn client(req: &HttpRequest) -> String {
    req.peer_addr().map(|a| a.ip().to_string()).unwrap_or_default()
}

/// A 200 carrying the client's remaining calls, as PxWeb's rate limiter tells them.
fn ok(quota: Quota) -> HttpResponseBuilder {
    let mut response = HttpResponse::Ok();
    response
        .insert_header(("X-Rate-Limit-Limit", format!("{}s", quota.window)))
        .insert_header(("X-Rate-Limit-Remaining", quota.remaining.to_string()))
        .insert_header(("X-Rate-Limit-Reset", reset_time(quota)));
    response
}

fn reset_time(quota: Quota) -> String {
    let at = chrono::Utc::now() + chrono::Duration::seconds(i64::try_from(quota.reset).unwrap_or(0));
    at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// A PxWeb rule broken, as this service's problem: the status the specification gives it, the
/// field and the rule named.
fn problem(error: PxError) -> ApiError {
    let status = match error.status {
        Status::BadRequest => StatusCode::BAD_REQUEST,
        Status::NotFound => StatusCode::NOT_FOUND,
    };
    let code = match error.status {
        Status::BadRequest => ErrorCode::InvalidRequest,
        Status::NotFound => ErrorCode::NotFound,
    };
    ApiError {
        errors: vec![FieldError::new(&error.field, error.code, error.detail.clone())],
        ..ApiError::new(status, code, format!("{}: {}", error.field, error.detail))
    }
}

/// The table a path names; 404 for another.
fn table_id(code: &str) -> Result<TableId, ApiError> {
    TableId::from_code(code).ok_or_else(|| {
        problem(PxError::not_found(
            "id",
            ErrorCode::NotFound,
            format!("no table {code:?}; GET {BASE}/tables lists them"),
        ))
    })
}

/// 400 for a parameter not taken here; `valuecodes[…]` and `codelist[…]` where `selections`.
fn only_known(query: &[(String, String)], known: &[&str], selections: bool) -> Result<(), ApiError> {
    let dynamic = |name: &str| {
        selections && (name.starts_with("valuecodes[") || name.starts_with("codelist[")) && name.ends_with(']')
    };
    let rest: Vec<(String, String)> = query.iter().filter(|(name, _)| !dynamic(name)).cloned().collect();
    super::params::only_known(&rest, known)
}

/// The absolute base for links, from the request as the client sent it.
fn base(req: &HttpRequest) -> String {
    let info = req.connection_info();
    format!("{}://{}{BASE}", info.scheme(), info.host())
}

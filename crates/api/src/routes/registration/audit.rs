use actix_web::{HttpResponse, get, web};
use finsam_domain::access::Action;
use finsam_store::audit::{self, AuditEvent};

use super::forbund_access;
use crate::auth::Auth;
use crate::error::Problem;
use crate::routes::{params, with_conn};
use crate::{ApiError, AppState};

const DEFAULT_LIMIT: i64 = 100;
const MAX_LIMIT: i64 = 1000;

/// The history of a förbund's registrations, oldest first: who changed what, before and after.
/// Page with `after_id` (the last id you got).
#[utoipa::path(
    operation_id = "list_audit_events",
    tag = "audit",
    params(
        ("forbund_key" = String, Path, description = "The förbund's key"),
        ("after_id" = Option<i64>, Query, minimum = 0, description = "Only events after this id"),
        ("limit" = Option<i64>, Query, minimum = 1, maximum = 1000, description = "At most this many events (1–1000, default 100)"),
    ),
    responses(
        (status = 200, description = "Audit events", body = Vec<AuditEvent>),
        (status = 400, description = "Bad query parameter", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Another förbund, or an analyst", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such förbund", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/forbund/{forbund_key}/audit")]
pub async fn list(
    state: web::Data<AppState>,
    auth: Auth,
    path: web::Path<String>,
    query: web::Query<Vec<(String, String)>>,
) -> Result<HttpResponse, ApiError> {
    let forbund = path.into_inner();
    auth.require(Action::ReadAudit, Some(&forbund))?;
    params::only_known(&query, &["after_id", "limit"])?;
    let after_id = params::integer(params::get(&query, "after_id"), "after_id", 0, i64::MAX)?.unwrap_or(0);
    let limit = params::integer(params::get(&query, "limit"), "limit", 1, MAX_LIMIT)?.unwrap_or(DEFAULT_LIMIT);
    let events = with_conn(&state, move |conn| {
        forbund_access(conn, &auth, Action::ReadAudit, &forbund)?;
        Ok(audit::for_forbund(conn, &forbund, after_id, limit)?)
    })
    .await?;
    Ok(HttpResponse::Ok().json(events))
}

//! Municipalities' memberships in a förbund with their shares: a municipality split between
//! förbund counts once in the allocation (issue 17).

use actix_web::http::StatusCode;
use actix_web::web::{self, Bytes};
use actix_web::{HttpRequest, HttpResponse, get, post, put};
use chrono::NaiveDate;
use finsam_domain::access::Action;
use finsam_domain::membership;
use tracing_actix_web::RequestId;

use finsam_usecases as usecases;

use crate::auth::Auth;
use crate::error::Problem;
use crate::routes::{body, with_conn};
use crate::{ApiError, AppState};

/// A new membership.
#[derive(utoipa::ToSchema)]
#[allow(dead_code)]
pub struct MembershipInput {
    /// SCB's four-digit municipality code.
    #[schema(pattern = "^[0-9]{4}$", example = "1480")]
    municipality_code: String,
    /// The first day of the membership.
    #[schema(value_type = String, format = Date, example = "2025-01-01")]
    valid_from: String,
    /// The day after the last one (exclusive); `null`: still a member.
    #[schema(value_type = Option<String>, format = Date, example = "2026-01-01")]
    valid_to: Option<String>,
    /// Above 0 and at most 1, at most four decimals; default 1.
    #[schema(value_type = Option<String>, pattern = "^(1(\\.0{1,4})?|0\\.[0-9]{1,4})$", example = "0.5")]
    share: Option<String>,
}

/// A membership's new end and share.
#[derive(utoipa::ToSchema)]
#[allow(dead_code)]
pub struct MembershipChange {
    /// The day after the last one (exclusive); `null`: still a member.
    #[schema(value_type = Option<String>, format = Date, example = "2026-01-01")]
    valid_to: Option<String>,
    /// Above 0 and at most 1, at most four decimals.
    #[schema(value_type = String, pattern = "^(1(\\.0{1,4})?|0\\.[0-9]{1,4})$", example = "0.5")]
    share: String,
}

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list).service(add).service(change);
}

/// Every membership period of a förbund (anyone, like the reference data): municipality,
/// `valid_from`, `valid_to` (exclusive; `null` = still a member) and `share` (1 unless the
/// municipality is split between förbund).
#[utoipa::path(
    operation_id = "list_memberships",
    tag = "reference",
    params(("forbund_key" = String, Path, description = "The förbund's key")),
    responses(
        (status = 200, description = "The memberships", body = Vec<Object>),
        (status = 404, description = "No such förbund", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/forbund/{forbund_key}/memberships")]
async fn list(state: web::Data<AppState>, path: web::Path<String>) -> Result<HttpResponse, ApiError> {
    let key = path.into_inner();
    let rows = with_conn(&state, move |conn| {
        usecases::memberships::list(conn, &key).map_err(|e| match e {
            usecases::Refused::NotFound(detail) => ApiError::not_found(detail),
            other => ApiError::internal(&other),
        })
    })
    .await?;
    Ok(HttpResponse::Ok().json(rows))
}

/// Add a municipality's membership in the förbund (admin), audited: `municipality_code`,
/// `valid_from`, `valid_to` (exclusive, or `null`) and `share` (above 0, at most 1; default 1).
/// 422 when the municipality's shares in all förbund would sum to more than 1 on any day
/// (`shares_exceed_one`), or the period overlaps another of the same förbund; nothing stored.
#[utoipa::path(
    operation_id = "add_membership",
    tag = "reference",
    params(("forbund_key" = String, Path, description = "The förbund's key")),
    request_body(content = MembershipInput, content_type = "application/json"),
    responses(
        (status = 201, description = "The membership", body = Object),
        (status = 400, description = "Malformed JSON", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an admin", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such förbund", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A field wrong, or the shares would exceed 1 (each named); nothing stored", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/forbund/{forbund_key}/memberships")]
async fn add(
    state: web::Data<AppState>,
    auth: Auth,
    request_id: RequestId,
    req: HttpRequest,
    path: web::Path<String>,
    bytes: Bytes,
) -> Result<HttpResponse, ApiError> {
    let key = path.into_inner();
    auth.require(Action::ManageMemberships, Some(&key))?;
    let input = membership::parse_new(&body::json(&req, &bytes)?).map_err(ApiError::validation)?;
    let request_id = request_id.to_string();
    let stored = with_conn(&state, move |conn| {
        usecases::memberships::add(conn, &auth.acting(&request_id), &key, &input).map_err(|e| auth.refused(e))
    })
    .await?;
    Ok(HttpResponse::build(StatusCode::CREATED).json(stored))
}

/// Change the end (`valid_to`) and `share` of the membership of a municipality from
/// `valid_from` (admin), audited; the same rules as adding one.
#[utoipa::path(
    operation_id = "change_membership",
    tag = "reference",
    params(
        ("forbund_key" = String, Path, description = "The förbund's key"),
        ("municipality_code" = String, Path, description = "SCB's four-digit code"),
        ("valid_from" = String, Path, description = "The start of the membership, YYYY-MM-DD"),
    ),
    request_body(content = MembershipChange, content_type = "application/json"),
    responses(
        (status = 200, description = "The membership", body = Object),
        (status = 400, description = "Malformed JSON", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an admin", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such förbund or membership (also for a valid_from that is no day)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A field wrong, or the shares would exceed 1; nothing stored", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[put("/forbund/{forbund_key}/memberships/{municipality_code}/{valid_from}")]
async fn change(
    state: web::Data<AppState>,
    auth: Auth,
    request_id: RequestId,
    req: HttpRequest,
    path: web::Path<(String, String, String)>,
    bytes: Bytes,
) -> Result<HttpResponse, ApiError> {
    let (key, municipality, from) = path.into_inner();
    auth.require(Action::ManageMemberships, Some(&key))?;
    // A path that names no day names no membership.
    let valid_from = NaiveDate::parse_from_str(&from, "%Y-%m-%d").map_err(|_| {
        ApiError::not_found(format!("no membership from {from:?}: valid_from is not a day (YYYY-MM-DD)"))
    })?;
    let input = membership::parse_change(&municipality, valid_from, &body::json(&req, &bytes)?)
        .map_err(ApiError::validation)?;
    let request_id = request_id.to_string();
    let stored = with_conn(&state, move |conn| {
        usecases::memberships::change(conn, &auth.acting(&request_id), &key, &input).map_err(|e| auth.refused(e))
    })
    .await?;
    Ok(HttpResponse::Ok().json(stored))
}

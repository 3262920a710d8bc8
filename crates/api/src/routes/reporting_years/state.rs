use actix_web::web::{self, Bytes};
use actix_web::{HttpRequest, HttpResponse, get, post};
use finsam_domain::access::Action;
use finsam_domain::reporting_year::{self, ReopenInput, ReportingYear};
use finsam_store::registration::reporting_years;
use serde_json::Value;
use tracing_actix_web::RequestId;

use finsam_usecases as usecases;

use crate::auth::Auth;
use crate::error::Problem;
use crate::routes::{body, params, with_conn};
use crate::{ApiError, AppState};

/// A reporting year: open or closed, and its deadline (31 March of the following year unless
/// an admin set another). Any authenticated caller may read it.
#[utoipa::path(
    operation_id = "get_reporting_year",
    tag = "reporting years",
    params(("year" = i32, Path, description = "The calendar year")),
    responses(
        (status = 200, description = "The year's state and deadline", body = ReportingYear),
        (status = 400, description = "Bad year", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/years/{year}")]
pub async fn read(state: web::Data<AppState>, auth: Auth, path: web::Path<String>) -> Result<HttpResponse, ApiError> {
    auth.require(Action::ReadYear, None)?;
    let year = params::year(Some(&path.into_inner()))?;
    let record = with_conn(&state, move |conn| Ok(reporting_years::get(conn, year)?)).await?;
    Ok(HttpResponse::Ok().json(record))
}

/// Close (lock) a reporting year: from now on only admins change its data (each change audited)
/// until an admin reopens it. Closing a closed year changes nothing (200, nothing audited).
#[utoipa::path(
    operation_id = "close_reporting_year",
    tag = "reporting years",
    params(("year" = i32, Path, description = "The calendar year")),
    responses(
        (status = 200, description = "The year, closed", body = ReportingYear),
        (status = 400, description = "Bad year", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an admin", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/years/{year}/close")]
pub async fn close(
    state: web::Data<AppState>,
    auth: Auth,
    request_id: RequestId,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    auth.require(Action::ManageYears, None)?;
    let year = params::year(Some(&path.into_inner()))?;
    let request_id = request_id.to_string();
    let (record, _) = with_conn(&state, move |conn| {
        usecases::reporting_years::close(conn, &auth.acting(&request_id), year).map_err(|e| auth.refused(e))
    })
    .await?;
    Ok(HttpResponse::Ok().json(record))
}

/// Reopen a closed reporting year, saying why (`{"reason": "..."}`, required, at most 1000
/// characters; the audit log keeps it). Reopening an open year changes nothing (200, nothing
/// audited), but still needs a valid reason.
#[utoipa::path(
    operation_id = "reopen_reporting_year",
    tag = "reporting years",
    params(("year" = i32, Path, description = "The calendar year")),
    request_body(content = ReopenInput, content_type = "application/json"),
    responses(
        (status = 200, description = "The year, open", body = ReportingYear),
        (status = 400, description = "Bad year or malformed JSON", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an admin", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "No reason, a blank one, or one too long", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/years/{year}/reopen")]
pub async fn reopen(
    state: web::Data<AppState>,
    auth: Auth,
    request_id: RequestId,
    req: HttpRequest,
    path: web::Path<String>,
    bytes: Bytes,
) -> Result<HttpResponse, ApiError> {
    auth.require(Action::ManageYears, None)?;
    let year = params::year(Some(&path.into_inner()))?;
    // No body at all is a missing reason (422), not a wrong media type.
    let value = if bytes.is_empty() { Value::Object(Default::default()) } else { body::json(&req, &bytes)? };
    let reason = reporting_year::parse_reopen(&value).map_err(ApiError::validation)?;
    let request_id = request_id.to_string();
    let (record, _) = with_conn(&state, move |conn| {
        usecases::reporting_years::reopen(conn, &auth.acting(&request_id), year, &reason).map_err(|e| auth.refused(e))
    })
    .await?;
    Ok(HttpResponse::Ok().json(record))
}

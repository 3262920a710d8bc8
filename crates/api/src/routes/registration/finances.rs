use actix_web::web::{self, Bytes};
use actix_web::{HttpRequest, HttpResponse, get, put};
use finsam_domain::access::Action;
use finsam_domain::finances::{self, FinancesInput};
use finsam_domain::records::FinancesRecord;
use finsam_store::registration::finances as store;
use tracing_actix_web::RequestId;

use finsam_usecases as usecases;

use super::forbund_access;
use crate::auth::Auth;
use crate::error::Problem;
use crate::routes::{body, params, with_conn};
use crate::{ApiError, AppState};

/// The förbund's finances for a year.
#[utoipa::path(
    operation_id = "get_finances",
    tag = "finances",
    params(
        ("forbund_key" = String, Path, description = "The förbund's key"),
        ("year" = i32, Path, description = "The calendar year"),
    ),
    responses(
        (status = 200, description = "The finances, with the result and any warnings", body = FinancesRecord),
        (status = 400, description = "Bad year", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Another förbund", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such förbund, or no finances for the year", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/forbund/{forbund_key}/finances/{year}")]
pub async fn read(
    state: web::Data<AppState>,
    auth: Auth,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, ApiError> {
    let (forbund, year) = path.into_inner();
    auth.require(Action::ReadRegistration, Some(&forbund))?;
    let year = params::year(Some(&year))?;
    let record = with_conn(&state, move |conn| {
        forbund_access(conn, &auth, Action::ReadRegistration, &forbund)?;
        store::get(conn, &forbund, year)?
            .ok_or_else(|| ApiError::not_found(format!("no finances registered for {forbund} in {year}")))
    })
    .await?;
    Ok(HttpResponse::Ok().insert_header(body::etag(record.version)).json(record))
}

/// The förbund's finances for a year: create (201) or replace (200; send the version).
/// Contributions off 2:1:1 are stored and come back with a warning.
#[utoipa::path(
    operation_id = "put_finances",
    tag = "finances",
    params(
        ("forbund_key" = String, Path, description = "The förbund's key"),
        ("year" = i32, Path, description = "The calendar year"),
        ("If-Match" = Option<String>, Header, description = "The version (ETag) you read, when replacing"),
    ),
    request_body(content = FinancesInput, content_type = "application/json"),
    responses(
        (status = 200, description = "Replaced", body = FinancesRecord),
        (status = 201, description = "Created", body = FinancesRecord),
        (status = 400, description = "Malformed JSON, year or If-Match", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Another förbund or a role that may not write", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such förbund", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Stale `version`, or the year closed (`year_closed`) or past its deadline for the caller (`deadline_passed`)", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "Stale `If-Match`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Breaks rules; every problem listed", body = Problem, content_type = "application/problem+json"),
        (status = 428, description = "The finances exist and no version was sent", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[put("/forbund/{forbund_key}/finances/{year}")]
pub async fn put(
    state: web::Data<AppState>,
    auth: Auth,
    request_id: RequestId,
    req: HttpRequest,
    path: web::Path<(String, String)>,
    bytes: Bytes,
) -> Result<HttpResponse, ApiError> {
    let (forbund, year) = path.into_inner();
    auth.require(Action::WriteRegistration, Some(&forbund))?;
    let year = params::year(Some(&year))?;
    let value = body::json(&req, &bytes)?;
    let (new, in_body) = finances::parse(&value).map_err(ApiError::validation)?;
    let expected = body::expected_version(&req, in_body)?;
    let request_id = request_id.to_string();
    let (record, created) = with_conn(&state, move |conn| {
        usecases::finances::put(conn, &auth.acting(&request_id), &forbund, year, &new, expected)
            .map_err(|e| auth.refused(e))
    })
    .await?;
    let mut response = if created { HttpResponse::Created() } else { HttpResponse::Ok() };
    Ok(response.insert_header(body::etag(record.version)).json(record))
}

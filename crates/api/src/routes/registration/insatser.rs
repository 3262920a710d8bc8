use actix_web::http::header;
use actix_web::web::{self, Bytes};
use actix_web::{HttpRequest, HttpResponse, delete, get, post, put};
use finsam_domain::access::Action;
use finsam_domain::insats::{self, InsatsInput};
use finsam_domain::records::InsatsRecord;
use finsam_store::registration::insatser;
use finsam_usecases as usecases;
use tracing_actix_web::RequestId;

use super::forbund_access;
use crate::auth::Auth;
use crate::error::Problem;
use crate::routes::{body, params, with_conn};
use crate::{ApiError, AppState};

type Query = web::Query<Vec<(String, String)>>;

/// Register a new insats.
#[utoipa::path(
    operation_id = "create_insats",
    tag = "insatser",
    params(("forbund_key" = String, Path, description = "The förbund's key")),
    request_body(content = InsatsInput, content_type = "application/json"),
    responses(
        (status = 201, description = "Created; `Location` and `ETag` name it", body = InsatsRecord),
        (status = 400, description = "Malformed JSON", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Another förbund or a role that may not write", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such förbund", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "external_ref already used in the förbund", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Breaks rules; every problem listed", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/forbund/{forbund_key}/insatser")]
pub async fn create(
    state: web::Data<AppState>,
    auth: Auth,
    request_id: RequestId,
    req: HttpRequest,
    path: web::Path<String>,
    bytes: Bytes,
) -> Result<HttpResponse, ApiError> {
    let forbund = path.into_inner();
    auth.require(Action::WriteRegistration, Some(&forbund))?;
    let value = body::json(&req, &bytes)?;
    let (new, _) = insats::parse(&value).map_err(ApiError::validation)?;
    let request_id = request_id.to_string();
    let record = with_conn(&state, move |conn| {
        usecases::insatser::create(conn, &auth.acting(&request_id), &forbund, &new).map_err(|e| auth.refused(e))
    })
    .await?;
    Ok(HttpResponse::Created()
        .insert_header((header::LOCATION, format!("/api/v1/forbund/{}/insatser/{}", record.forbund_key, record.id)))
        .insert_header(body::etag(record.version))
        .json(record))
}

/// The förbund's insatser, with their years; `?year=` keeps those running during that year.
#[utoipa::path(
    operation_id = "list_insatser",
    tag = "insatser",
    params(
        ("forbund_key" = String, Path, description = "The förbund's key"),
        ("year" = Option<i32>, Query, description = "Only insatser running at some time during this year"),
    ),
    responses(
        (status = 200, description = "The insatser, oldest first", body = Vec<InsatsRecord>),
        (status = 400, description = "Bad query parameter", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Another förbund", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such förbund", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/forbund/{forbund_key}/insatser")]
pub async fn list(
    state: web::Data<AppState>,
    auth: Auth,
    path: web::Path<String>,
    query: Query,
) -> Result<HttpResponse, ApiError> {
    let forbund = path.into_inner();
    auth.require(Action::ReadRegistration, Some(&forbund))?;
    params::only_known(&query, &["year"])?;
    let year = params::get(&query, "year").map(|y| params::year(Some(y))).transpose()?;
    let records = with_conn(&state, move |conn| {
        forbund_access(conn, &auth, Action::ReadRegistration, &forbund)?;
        Ok(insatser::list(conn, &forbund, year)?)
    })
    .await?;
    Ok(HttpResponse::Ok().json(records))
}

/// One insats with its years.
#[utoipa::path(
    operation_id = "get_insats",
    tag = "insatser",
    params(
        ("forbund_key" = String, Path, description = "The förbund's key"),
        ("id" = i64, Path, description = "The insats' id"),
    ),
    responses(
        (status = 200, description = "The insats; `ETag` is its version", body = InsatsRecord),
        (status = 403, description = "Another förbund", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such förbund or insats", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/forbund/{forbund_key}/insatser/{id}")]
pub async fn read(
    state: web::Data<AppState>,
    auth: Auth,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, ApiError> {
    let (forbund, id) = path.into_inner();
    auth.require(Action::ReadRegistration, Some(&forbund))?;
    let id = body::insats_id(&id)?;
    let record = with_conn(&state, move |conn| {
        forbund_access(conn, &auth, Action::ReadRegistration, &forbund)?;
        insatser::get(conn, &forbund, id)?.ok_or_else(|| ApiError::not_found(format!("no insats {id} in {forbund}")))
    })
    .await?;
    Ok(HttpResponse::Ok().insert_header(body::etag(record.version)).json(record))
}

/// Replace an insats. Send the version you read as `If-Match` (412 if it moved on) or as
/// `version` in the body (409).
#[utoipa::path(
    operation_id = "replace_insats",
    tag = "insatser",
    params(
        ("forbund_key" = String, Path, description = "The förbund's key"),
        ("id" = i64, Path, description = "The insats' id"),
        ("If-Match" = Option<String>, Header, description = "The version (ETag) you read"),
    ),
    request_body(content = InsatsInput, content_type = "application/json"),
    responses(
        (status = 200, description = "Replaced; the new version in `ETag`", body = InsatsRecord),
        (status = 400, description = "Malformed JSON or If-Match", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Another förbund or a role that may not write", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such förbund or insats", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Stale `version`, external_ref taken, registered years that no longer fit, or a new kind, orientation or target groups for an insats with figures in a year closed (`year_closed`) or past its deadline (`deadline_passed`)", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "Stale `If-Match`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Breaks rules; every problem listed", body = Problem, content_type = "application/problem+json"),
        (status = 428, description = "No version sent", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[put("/forbund/{forbund_key}/insatser/{id}")]
pub async fn replace(
    state: web::Data<AppState>,
    auth: Auth,
    request_id: RequestId,
    req: HttpRequest,
    path: web::Path<(String, String)>,
    bytes: Bytes,
) -> Result<HttpResponse, ApiError> {
    let (forbund, id) = path.into_inner();
    auth.require(Action::WriteRegistration, Some(&forbund))?;
    let id = body::insats_id(&id)?;
    let value = body::json(&req, &bytes)?;
    let (new, in_body) = insats::parse(&value).map_err(ApiError::validation)?;
    let expected = body::expected_version(&req, in_body)?;
    let request_id = request_id.to_string();
    let record = with_conn(&state, move |conn| {
        usecases::insatser::replace(conn, &auth.acting(&request_id), &forbund, id, &new, expected)
            .map_err(|e| auth.refused(e))
    })
    .await?;
    Ok(HttpResponse::Ok().insert_header(body::etag(record.version)).json(record))
}

/// Delete an insats. It leaves lists and tables, and stays in the audit history.
#[utoipa::path(
    operation_id = "delete_insats",
    tag = "insatser",
    params(
        ("forbund_key" = String, Path, description = "The förbund's key"),
        ("id" = i64, Path, description = "The insats' id"),
        ("If-Match" = String, Header, description = "The version (ETag) you read"),
    ),
    responses(
        (status = 204, description = "Deleted"),
        (status = 400, description = "Malformed If-Match", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Another förbund or a role that may not write", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such förbund or insats", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Figures in a year closed (`year_closed`) or past its deadline (`deadline_passed`)", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "Stale `If-Match`", body = Problem, content_type = "application/problem+json"),
        (status = 428, description = "No If-Match sent", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[delete("/forbund/{forbund_key}/insatser/{id}")]
pub async fn remove(
    state: web::Data<AppState>,
    auth: Auth,
    request_id: RequestId,
    req: HttpRequest,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, ApiError> {
    let (forbund, id) = path.into_inner();
    auth.require(Action::WriteRegistration, Some(&forbund))?;
    let id = body::insats_id(&id)?;
    let expected = body::expected_version(&req, None)?;
    let request_id = request_id.to_string();
    with_conn(&state, move |conn| {
        usecases::insatser::delete(conn, &auth.acting(&request_id), &forbund, id, expected).map_err(|e| auth.refused(e))
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

use actix_web::web::{self, Bytes};
use actix_web::{HttpRequest, HttpResponse, put};
use finsam_domain::access::Action;
use finsam_domain::insats_year::InsatsYearInput;
use finsam_domain::records::InsatsYearRecord;
use finsam_usecases as usecases;
use tracing_actix_web::RequestId;

use crate::auth::Auth;
use crate::error::Problem;
use crate::routes::{body, params, with_conn};
use crate::{ApiError, AppState};

/// An insats' figures for one year: create (201) or replace (200; send the year's version).
/// The year must lie within the insats' span.
#[utoipa::path(
    operation_id = "put_insats_year",
    tag = "insatser",
    params(
        ("forbund_key" = String, Path, description = "The förbund's key"),
        ("id" = i64, Path, description = "The insats' id"),
        ("year" = i32, Path, description = "The calendar year"),
        ("If-Match" = Option<String>, Header, description = "The year's version (ETag) you read, when replacing"),
    ),
    request_body(content = InsatsYearInput, content_type = "application/json"),
    responses(
        (status = 200, description = "Replaced", body = InsatsYearRecord),
        (status = 201, description = "Created", body = InsatsYearRecord),
        (status = 400, description = "Malformed JSON, year or If-Match", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Another förbund or a role that may not write", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such förbund or insats", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Stale `version`, or the year closed (`year_closed`) or past its deadline for the caller (`deadline_passed`)", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "Stale `If-Match`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Breaks rules; every problem listed", body = Problem, content_type = "application/problem+json"),
        (status = 428, description = "The year exists and no version was sent", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[put("/forbund/{forbund_key}/insatser/{id}/years/{year}")]
pub async fn put(
    state: web::Data<AppState>,
    auth: Auth,
    request_id: RequestId,
    req: HttpRequest,
    path: web::Path<(String, String, String)>,
    bytes: Bytes,
) -> Result<HttpResponse, ApiError> {
    let (forbund, id, year) = path.into_inner();
    auth.require(Action::WriteRegistration, Some(&forbund))?;
    let id = body::insats_id(&id)?;
    let year = params::year(Some(&year))?;
    let value = body::json(&req, &bytes)?;
    let if_match = body::if_match(&req)?;
    let request_id = request_id.to_string();
    let (record, created) = with_conn(&state, move |conn| {
        usecases::insats_years::put(conn, &auth.acting(&request_id), &forbund, id, year, &value, if_match)
            .map_err(|e| auth.refused(e))
    })
    .await?;
    let mut response = if created { HttpResponse::Created() } else { HttpResponse::Ok() };
    Ok(response.insert_header(body::etag(record.version)).json(record))
}

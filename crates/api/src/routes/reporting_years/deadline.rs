use actix_web::web::{self, Bytes};
use actix_web::{HttpRequest, HttpResponse, put};
use finsam_domain::access::Action;
use finsam_domain::reporting_year::{self, DeadlineInput, ReportingYear};
use finsam_usecases as usecases;
use tracing_actix_web::RequestId;

use crate::auth::Auth;
use crate::error::Problem;
use crate::routes::{body, params, with_conn};
use crate::{ApiError, AppState};

/// Set a reporting year's deadline: the last day (Europe/Stockholm) registrars and
/// integrations may write the year's data; admins write after it. The same deadline again
/// changes nothing (nothing audited).
#[utoipa::path(
    operation_id = "put_reporting_year_deadline",
    tag = "reporting years",
    params(("year" = i32, Path, description = "The calendar year")),
    request_body(content = DeadlineInput, content_type = "application/json"),
    responses(
        (status = 200, description = "The year with its deadline", body = ReportingYear),
        (status = 400, description = "Bad year or malformed JSON", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an admin", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Not a date, before the year or more than ten years after it", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[put("/years/{year}/deadline")]
pub async fn put(
    state: web::Data<AppState>,
    auth: Auth,
    request_id: RequestId,
    req: HttpRequest,
    path: web::Path<String>,
    bytes: Bytes,
) -> Result<HttpResponse, ApiError> {
    auth.require(Action::ManageYears, None)?;
    let year = params::year(Some(&path.into_inner()))?;
    let value = body::json(&req, &bytes)?;
    let deadline = reporting_year::parse_deadline(&value, year).map_err(ApiError::validation)?;
    let request_id = request_id.to_string();
    let (record, _) = with_conn(&state, move |conn| {
        usecases::reporting_years::set_deadline(conn, &auth.acting(&request_id), year, deadline)
            .map_err(|e| auth.refused(e))
    })
    .await?;
    Ok(HttpResponse::Ok().json(record))
}

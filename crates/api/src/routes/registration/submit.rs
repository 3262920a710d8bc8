use actix_web::{HttpResponse, post, web};
use finsam_domain::access::Action;
use finsam_domain::records::ForbundYearRecord;
use finsam_usecases as usecases;
use tracing_actix_web::RequestId;

use crate::auth::Auth;
use crate::error::Problem;
use crate::routes::{params, with_conn};
use crate::{ApiError, AppState};

/// The förbund declares its year complete. Submitting an already submitted year changes nothing.
#[utoipa::path(
    operation_id = "submit_year",
    tag = "reporting years",
    params(
        ("forbund_key" = String, Path, description = "The förbund's key"),
        ("year" = i32, Path, description = "The calendar year"),
    ),
    responses(
        (status = 200, description = "The year's state for the förbund", body = ForbundYearRecord),
        (status = 400, description = "Bad year", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Another förbund, or a role other than registrar or admin", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such förbund", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The year closed (`year_closed`) or past its deadline (`deadline_passed`)", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/forbund/{forbund_key}/years/{year}/submit")]
pub async fn submit(
    state: web::Data<AppState>,
    auth: Auth,
    request_id: RequestId,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, ApiError> {
    let (forbund, year) = path.into_inner();
    auth.require(Action::SubmitYear, Some(&forbund))?;
    let year = params::year(Some(&year))?;
    let request_id = request_id.to_string();
    let (record, _) = with_conn(&state, move |conn| {
        usecases::forbund_years::submit(conn, &auth.acting(&request_id), &forbund, year).map_err(|e| auth.refused(e))
    })
    .await?;
    Ok(HttpResponse::Ok().json(record))
}

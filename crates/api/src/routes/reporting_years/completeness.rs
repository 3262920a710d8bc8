use actix_web::{HttpResponse, get, web};
use finsam_domain::access::Action;
use finsam_domain::completeness::Completeness;
use finsam_store::completeness;

use crate::auth::Auth;
use crate::error::Problem;
use crate::routes::{params, with_conn};
use crate::{ApiError, AppState};

/// How far every förbund has come with a year: its state (`nothing_registered`, `in_progress`,
/// `submitted`, or `closed` once the year is), its latest change, and what is missing. The
/// totals' `expected`, `registered` and `submitted` are the `completeness` table's `forbund`,
/// `forbund_registered` and `forbund_submitted`.
#[utoipa::path(
    operation_id = "get_completeness",
    tag = "reporting years",
    params(("year" = i32, Path, description = "The calendar year")),
    responses(
        (status = 200, description = "Every förbund's completeness, by key", body = Completeness),
        (status = 400, description = "Bad year", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an analyst or admin", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/years/{year}/completeness")]
pub async fn read(state: web::Data<AppState>, auth: Auth, path: web::Path<String>) -> Result<HttpResponse, ApiError> {
    auth.require(Action::ReadCompleteness, None)?;
    let year = params::year(Some(&path.into_inner()))?;
    let report = with_conn(&state, move |conn| Ok(completeness::for_year(conn, year)?)).await?;
    Ok(HttpResponse::Ok().json(report))
}

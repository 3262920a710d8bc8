use actix_web::http::{StatusCode, header};
use actix_web::web::{self, Bytes};
use actix_web::{HttpRequest, HttpResponse, get, put};
use finsam_domain::ErrorCode;
use finsam_domain::access::Action;
use finsam_domain::reference_statistics::{self as rules, MunicipalityFigures};
use serde::Serialize;
use tracing_actix_web::RequestId;

use finsam_usecases as usecases;

use crate::auth::Auth;
use crate::error::Problem;
use crate::routes::{params, with_conn};
use crate::{ApiError, AppState};

/// A year's reference statistics, by municipality code.
#[derive(Serialize, utoipa::ToSchema)]
pub struct ReferenceStatistics {
    pub year: i32,
    pub municipalities: Vec<MunicipalityFigures>,
}

/// The reference statistics of a year (admin, analyst): per municipality inhabitants aged 16–64
/// and försörjningsmått (SEK thousands), each with its source, age band and extract date. An
/// empty list when none was imported.
#[utoipa::path(
    operation_id = "get_reference_statistics",
    tag = "allocation",
    params(("year" = i32, Path, description = "The year the figures are of")),
    responses(
        (status = 200, description = "The year's statistics", body = ReferenceStatistics),
        (status = 400, description = "Bad year", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an admin or analyst", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/reference-statistics/{year}")]
pub async fn read(state: web::Data<AppState>, auth: Auth, path: web::Path<String>) -> Result<HttpResponse, ApiError> {
    auth.require(Action::ReadReferenceStatistics, None)?;
    let year = params::year(Some(&path.into_inner()))?;
    let municipalities = with_conn(&state, move |conn| {
        usecases::reference_statistics::list(conn, &auth.acting(""), year).map_err(|e| auth.refused(e))
    })
    .await?;
    Ok(HttpResponse::Ok().json(ReferenceStatistics { year, municipalities }))
}

/// Import a year's reference statistics (admin), replacing any imported before; audited.
///
/// `Content-Type: text/csv`, UTF-8, comma-separated, a header line and one line per
/// municipality, every column on every line: `municipality_code` (SCB's four digits),
/// `inhabitants_16_64` (whole number ≥ 0), `forsorjningsmatt_tkr` (SEK thousands ≥ 0, at most
/// two decimals, `.` as decimal point), `source` (e.g. `SCB`), `age_band` (e.g. `16-64`; sources
/// disagree between 16–64 and 16–65) and `extract_date` (`YYYY-MM-DD`). Every municipality that
/// is a member of a förbund during the year must have a line; no municipality twice.
/// Any wrong line and nothing is stored: 422 lists every problem, its `path` naming line and
/// column (`line 3/inhabitants_16_64`; the header is line 1).
#[utoipa::path(
    operation_id = "put_reference_statistics",
    tag = "allocation",
    params(("year" = i32, Path, description = "The year the figures are of")),
    request_body(content = String, content_type = "text/csv", description = "municipality_code,inhabitants_16_64,forsorjningsmatt_tkr,source,age_band,extract_date"),
    responses(
        (status = 200, description = "Replaced the year's statistics", body = ReferenceStatistics),
        (status = 201, description = "The year's first statistics", body = ReferenceStatistics),
        (status = 400, description = "Bad year", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an admin", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Not text/csv", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Wrong lines, each named with its column and rule; nothing stored", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[put("/reference-statistics/{year}")]
pub async fn put(
    state: web::Data<AppState>,
    auth: Auth,
    request_id: RequestId,
    req: HttpRequest,
    path: web::Path<String>,
    bytes: Bytes,
) -> Result<HttpResponse, ApiError> {
    auth.require(Action::ManageReferenceStatistics, None)?;
    let year = params::year(Some(&path.into_inner()))?;
    let content_type = req.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    if !content_type.split(';').next().unwrap_or("").trim().eq_ignore_ascii_case("text/csv") {
        return Err(ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ErrorCode::UnsupportedMediaType,
            format!("send the statistics as text/csv (got {content_type:?})"),
        ));
    }
    let lines = rules::parse_csv(&bytes).map_err(ApiError::validation)?;
    let request_id = request_id.to_string();
    let (municipalities, created) = with_conn(&state, move |conn| {
        usecases::reference_statistics::import(conn, &auth.acting(&request_id), year, &lines)
            .map_err(|e| auth.refused(e))
    })
    .await?;
    let status = if created { StatusCode::CREATED } else { StatusCode::OK };
    Ok(HttpResponse::build(status).json(ReferenceStatistics { year, municipalities }))
}

//! The yearly national report, generated from the tables (`finsam-report`): the exact edition
//! for analysts and admins, computed from the data as it stands, and the open edition for
//! anyone, from the year's latest open release with its suppressions. HTML or PDF.

use actix_web::http::header;
use actix_web::{HttpResponse, get, web};
use finsam_report::{Report, SourceTable};
use finsam_stats::{Selection, TableId};
use finsam_usecases::Refused;
use tracing_actix_web::RequestId;

use super::{params, with_read_conn};
use crate::auth::Auth;
use crate::error::Problem;
use crate::{ApiError, AppState, open_releases};

/// The HTML edition is a standalone file: its one inline style block and nothing else may run.
const HTML_CONTENT_SECURITY_POLICY: &str = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(exact).service(open);
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Format {
    Html,
    Pdf,
}

fn format(code: &str) -> Result<Format, ApiError> {
    match code {
        "html" => Ok(Format::Html),
        "pdf" => Ok(Format::Pdf),
        _ => Err(ApiError::not_found(format!("no report format {code:?}: html or pdf"))),
    }
}

/// The report of a year with exact figures, as HTML or PDF: every figure from the national
/// tables of `GET /api/v1/tables` as they stand, each HTML figure naming its table and cell
/// (`data-table`, `data-cell`), each generated sentence its kind (`data-sentence`); analysts'
/// commentary in marked boxes.
#[utoipa::path(
    tag = "reports",
    operation_id = "get_report",
    params(
        ("year" = i32, Path, minimum = 2004, maximum = 2100, description = "The reporting year"),
        ("format" = String, Path, description = "html or pdf"),
    ),
    responses(
        (status = 200, description = "The report", content((String = "text/html"), (String = "application/pdf"))),
        (status = 400, description = "Bad year", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No or bad token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an analyst or admin", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such format", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
// The year holds no point, so that `2023.pdf.x` is the year 2023 in format `pdf.x` (404).
#[get("/reports/{year:[^/.]+}.{format}")]
pub async fn exact(
    state: web::Data<AppState>,
    auth: Auth,
    request_id: RequestId,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, ApiError> {
    let (year, format) = (params::year(Some(&path.0))?, format(&path.1)?);
    let request_id = request_id.to_string();
    finsam_usecases::reports::may_read_exact(&auth.acting(&request_id)).map_err(|e| auth.refused(e))?;
    let cache = state.tables.clone();
    let report = with_read_conn(&state, move |conn| {
        let snapshot = cache.snapshot(conn)?;
        let tables = finsam_report::exact_tables(&snapshot.frames, year).map_err(|e| ApiError::internal(&e))?;
        let inputs = finsam_usecases::reports::exact(conn, &auth.acting(&request_id), year, tables, chrono::Utc::now())
            .map_err(|e| auth.refused(e))?;
        Ok(finsam_report::build(&inputs))
    })
    .await?;
    respond(report, format, &format!("finsam-rapport-{year}")).await
}

/// The public edition of a year's report, from its latest open release: the open tables with
/// their suppressions (suppressed cells printed ".", the method stated); parts built on tables
/// that are not open (the state's allocation, the administration share) are left out, saying
/// so. No token.
#[utoipa::path(
    tag = "open data",
    operation_id = "get_open_report",
    params(
        ("year" = i32, Path, minimum = 2004, maximum = 2100, description = "A published year"),
        ("format" = String, Path, description = "html or pdf"),
    ),
    responses(
        (status = 200, description = "The report", content((String = "text/html"), (String = "application/pdf"))),
        (status = 400, description = "Bad year", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such format, or the year is not published (`not_published`)", body = Problem, content_type = "application/problem+json"),
    ),
)]
#[get("/open/reports/{year:[^/.]+}.{format}")]
pub async fn open(state: web::Data<AppState>, path: web::Path<(String, String)>) -> Result<HttpResponse, ApiError> {
    let (year, format) = (params::year(Some(&path.0))?, format(&path.1)?);
    let cache = state.open.clone();
    let report = with_read_conn(&state, move |conn| {
        let release = open_releases::find(conn, year, None)?;
        let opened = cache.open_year(conn, &release)?;
        let tables = TableId::OPEN
            .iter()
            .filter_map(|id| opened.table(*id, &Selection::National))
            .map(|t| SourceTable { table: t.table.clone(), status: t.status.clone() })
            .collect();
        let inputs = finsam_usecases::reports::open(conn, &release, tables).map_err(|e| match e {
            Refused::Write(error, source) => ApiError::from_write(error, source),
            other => ApiError::internal(&other),
        })?;
        Ok(finsam_report::build(&inputs))
    })
    .await?;
    respond(report, format, &format!("finsam-rapport-{year}-oppen")).await
}

async fn respond(report: Report, format: Format, name: &str) -> Result<HttpResponse, ApiError> {
    match format {
        Format::Html => Ok(HttpResponse::Ok()
            .content_type("text/html; charset=utf-8")
            .insert_header((header::CONTENT_SECURITY_POLICY, HTML_CONTENT_SECURITY_POLICY))
            .insert_header((header::CONTENT_DISPOSITION, format!("inline; filename=\"{name}.html\"")))
            .body(finsam_report::html::render(&report))),
        Format::Pdf => {
            // Typesetting is CPU-bound: off the async workers.
            let bytes =
                web::block(move || finsam_report_pdf::pdf(&report)).await?.map_err(|e| ApiError::internal(&e))?;
            Ok(HttpResponse::Ok()
                .content_type("application/pdf")
                .insert_header((header::CONTENT_DISPOSITION, format!("inline; filename=\"{name}.pdf\"")))
                .body(bytes))
        }
    }
}

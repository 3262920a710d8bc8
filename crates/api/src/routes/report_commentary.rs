//! The analysts' commentary on a year's report, per section (issue 19): the generated report
//! prints it verbatim in a marked box of its own.

use actix_web::http::StatusCode;
use actix_web::web::{self, Bytes};
use actix_web::{HttpRequest, HttpResponse, delete, get, put};
use finsam_domain::access::Action;
use finsam_domain::identity;
use finsam_domain::report_commentary;
use finsam_domain::report_section::ReportSection;
use finsam_store::report_commentary::StoredCommentary;
use serde_json::{Value, json};
use tracing_actix_web::RequestId;
use utoipa_actix_web::service_config::ServiceConfig;

use finsam_usecases as usecases;

use crate::auth::Auth;
use crate::error::Problem;
use crate::routes::{body, params, with_conn};
use crate::{ApiError, AppState};

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(read).service(write).service(remove);
}

/// A commentary as written; its text is the analyst's, verbatim.
#[derive(utoipa::ToSchema)]
#[allow(dead_code)]
pub struct CommentaryBody {
    /// 1 to 10 000 characters after trimming; line breaks and tabs are kept, other control
    /// characters and personal identity numbers are refused.
    #[schema(min_length = 1, max_length = 10000, example = "Andelen arbetslivsinriktade insatser ökade.")]
    text: String,
}

/// One section of the report and its commentary, if any.
#[derive(utoipa::ToSchema)]
#[allow(dead_code)]
pub struct SectionCommentary {
    /// The section's code (`summary`, `forbund`, `follow_up`, … in the report's order).
    #[schema(example = "summary")]
    section: String,
    /// The section's heading in the report.
    #[schema(example = "Sammanfattning")]
    heading_sv: String,
    /// `null` when no one has written about the section.
    text: Option<String>,
    /// RFC 3339; `null` with `text`.
    #[schema(value_type = Option<String>, format = DateTime)]
    updated_at: Option<String>,
    /// The token subject of who wrote it last; `null` with `text`.
    updated_by: Option<String>,
}

fn entry(section: ReportSection, stored: Option<&StoredCommentary>) -> Value {
    json!({
        "section": section.code(),
        "heading_sv": section.heading_sv(),
        "text": stored.map(|s| &s.commentary.text),
        "updated_at": stored.map(|s| s.updated_at),
        "updated_by": stored.map(|s| &s.updated_by),
    })
}

/// An unknown section is a resource that is not there, as an unknown table id is. The detail
/// masks any identity number, as it repeats the path.
fn section(code: &str) -> Result<ReportSection, ApiError> {
    ReportSection::from_code(code).ok_or_else(|| {
        let known: Vec<&str> = ReportSection::ALL.iter().map(|s| s.code()).collect();
        ApiError::not_found(format!(
            "no report section {:?}; the sections are: {}",
            identity::shown(code),
            known.join(", ")
        ))
    })
}

/// The commentary on every section of a year's report (analyst, admin), in the report's order;
/// a section no one has written about has `text` `null`.
#[utoipa::path(
    operation_id = "get_report_commentary",
    tag = "reports",
    params(("year" = i32, Path, description = "The report's year")),
    responses(
        (status = 200, description = "Every section, in the report's order", body = Vec<SectionCommentary>),
        (status = 400, description = "Bad year", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an analyst or admin", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/reports/{year}/commentary")]
pub async fn read(state: web::Data<AppState>, auth: Auth, path: web::Path<String>) -> Result<HttpResponse, ApiError> {
    auth.require(Action::ReadReportCommentary, None)?;
    let year = params::year(Some(&path.into_inner()))?;
    let stored = with_conn(&state, move |conn| {
        usecases::report_commentary::get(conn, &auth.acting(""), year).map_err(|e| auth.refused(e))
    })
    .await?;
    let sections: Vec<Value> =
        ReportSection::ALL.into_iter().map(|s| entry(s, stored.iter().find(|c| c.commentary.section == s))).collect();
    Ok(HttpResponse::Ok().json(sections))
}

/// Write the commentary on one section of a year's report (analyst, admin), replacing any
/// before; audited. The report prints the text verbatim in a box of its own; markup in it is
/// text. 422 names what is wrong (`/text`), and nothing is stored.
#[utoipa::path(
    operation_id = "put_report_commentary",
    tag = "reports",
    params(
        ("year" = i32, Path, description = "The report's year"),
        ("section" = String, Path, description = "The section's code, e.g. `summary`"),
    ),
    request_body(content = CommentaryBody, content_type = "application/json"),
    responses(
        (status = 200, description = "Replaced the section's commentary", body = SectionCommentary),
        (status = 201, description = "The section's first commentary", body = SectionCommentary),
        (status = 400, description = "Bad year or malformed JSON", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an analyst or admin", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such section", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The text is wrong (named); nothing stored", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[put("/reports/{year}/commentary/{section}")]
pub async fn write(
    state: web::Data<AppState>,
    auth: Auth,
    request_id: RequestId,
    req: HttpRequest,
    path: web::Path<(String, String)>,
    bytes: Bytes,
) -> Result<HttpResponse, ApiError> {
    auth.require(Action::WriteReportCommentary, None)?;
    let (year, code) = path.into_inner();
    let year = params::year(Some(&year))?;
    let section = section(&code)?;
    let commentary =
        report_commentary::parse(year, section, &body::json(&req, &bytes)?).map_err(ApiError::validation)?;
    let request_id = request_id.to_string();
    let (stored, created) = with_conn(&state, move |conn| {
        usecases::report_commentary::put(conn, &auth.acting(&request_id), &commentary).map_err(|e| auth.refused(e))
    })
    .await?;
    let status = if created { StatusCode::CREATED } else { StatusCode::OK };
    Ok(HttpResponse::build(status).json(entry(section, Some(&stored))))
}

/// Remove the commentary on one section (analyst, admin); audited.
#[utoipa::path(
    operation_id = "delete_report_commentary",
    tag = "reports",
    params(
        ("year" = i32, Path, description = "The report's year"),
        ("section" = String, Path, description = "The section's code, e.g. `summary`"),
    ),
    responses(
        (status = 204, description = "Removed"),
        (status = 400, description = "Bad year", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an analyst or admin", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such section, or no commentary on it", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[delete("/reports/{year}/commentary/{section}")]
pub async fn remove(
    state: web::Data<AppState>,
    auth: Auth,
    request_id: RequestId,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, ApiError> {
    auth.require(Action::WriteReportCommentary, None)?;
    let (year, code) = path.into_inner();
    let year = params::year(Some(&year))?;
    let section = section(&code)?;
    let request_id = request_id.to_string();
    with_conn(&state, move |conn| {
        usecases::report_commentary::delete(conn, &auth.acting(&request_id), year, section).map_err(|e| auth.refused(e))
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

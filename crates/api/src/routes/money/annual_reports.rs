use actix_web::web::{self, Bytes};
use actix_web::{HttpRequest, HttpResponse, get, put};
use finsam_domain::access::Action;
use finsam_domain::annual_report::{self, AnnualReportFollowUp, AnnualReportInput, AnnualReportRecord};
use tracing_actix_web::RequestId;

use finsam_usecases as usecases;

use crate::auth::Auth;
use crate::error::Problem;
use crate::routes::{body, params, with_conn};
use crate::{ApiError, AppState};

/// A förbund's annual report, audit and discharge for a year (its registrars, admins,
/// analysts), with the deadline (31 March of the next year) and whether the annual report was
/// received by it (`timeliness`: `on_time`, `late`, `missing`).
#[utoipa::path(
    operation_id = "get_annual_report",
    tag = "annual reports",
    params(
        ("forbund_key" = String, Path, description = "The förbund's key"),
        ("year" = i32, Path, description = "The year the annual report is of"),
    ),
    responses(
        (status = 200, description = "The annual report, audits, discharges and remarks", body = AnnualReportRecord),
        (status = 400, description = "Bad year", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Another förbund, or a role that does not read annual reports", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such förbund, or nothing registered for the year", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/forbund/{forbund_key}/annual-reports/{year}")]
pub async fn read(
    state: web::Data<AppState>,
    auth: Auth,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, ApiError> {
    let (forbund, year) = path.into_inner();
    auth.require(Action::ReadAnnualReport, Some(&forbund))?;
    let year = params::year(Some(&year))?;
    let record = with_conn(&state, move |conn| {
        usecases::annual_reports::get(conn, &auth.acting(""), &forbund, year).map_err(|e| auth.refused(e))
    })
    .await?;
    Ok(HttpResponse::Ok().insert_header(body::etag(record.version)).json(record))
}

/// A förbund's annual report, audit and discharge for a year: create (201) or replace (200;
/// send the version), audited. `adopted_on` (the board adopted the annual report) and
/// `received_on` (Försäkringskassan received it) come after the year's end, received not before
/// adopted. `members` lists, each member at most once (`state`, `region:<county code>`,
/// `municipality:<code>`, a member of the förbund during the year), when its auditors' report
/// came in and its `discharge` (`granted` or `refused` with `decided_on` and optionally a
/// `diary_number`, not before the member's auditors' report; `pending` without a date); the state
/// decides only once every member's auditors' report is in. `remarks` are the auditors', by
/// `category` (`goals_unclear`, `result_not_consistent_with_equity_goal`, `other`, which needs a
/// `text`). No date may lie ahead of today; no text may hold a personal identity number.
/// Neither the registration deadline nor a closed year stops this write.
#[utoipa::path(
    operation_id = "put_annual_report",
    tag = "annual reports",
    params(
        ("forbund_key" = String, Path, description = "The förbund's key"),
        ("year" = i32, Path, description = "The year the annual report is of"),
        ("If-Match" = Option<String>, Header, description = "The version (ETag) you read, when replacing"),
    ),
    request_body(content = AnnualReportInput, content_type = "application/json"),
    responses(
        (status = 200, description = "Replaced", body = AnnualReportRecord),
        (status = 201, description = "Created", body = AnnualReportRecord),
        (status = 400, description = "Malformed JSON, year or If-Match", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Another förbund or a role that may not write annual reports", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such förbund", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Stale `version`", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "Stale `If-Match`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Breaks rules (dates, members of the year, texts); every problem listed, nothing stored", body = Problem, content_type = "application/problem+json"),
        (status = 428, description = "The annual report exists and no version was sent", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[put("/forbund/{forbund_key}/annual-reports/{year}")]
pub async fn put(
    state: web::Data<AppState>,
    auth: Auth,
    request_id: RequestId,
    req: HttpRequest,
    path: web::Path<(String, String)>,
    bytes: Bytes,
) -> Result<HttpResponse, ApiError> {
    let (forbund, year) = path.into_inner();
    auth.require(Action::WriteAnnualReport, Some(&forbund))?;
    let year = params::year(Some(&year))?;
    let value = body::json(&req, &bytes)?;
    let (report, in_body) = annual_report::parse(&value, year).map_err(ApiError::validation)?;
    let expected = body::expected_version(&req, in_body)?;
    let request_id = request_id.to_string();
    let (record, created) = with_conn(&state, move |conn| {
        usecases::annual_reports::put(conn, &auth.acting(&request_id), &forbund, year, &report, expected)
            .map_err(|e| auth.refused(e))
    })
    .await?;
    let mut response = if created { HttpResponse::Created() } else { HttpResponse::Ok() };
    Ok(response.insert_header(body::etag(record.version)).json(record))
}

/// Every förbund's annual report of a year (analysts, admins): whether it was received within
/// three months of the year's end (`on_time`: by 31 March of the next year), `late`, or is
/// `missing`, with the counts; per förbund also its members, how many auditors' reports are in,
/// the discharge decisions and the categories remarked on.
#[utoipa::path(
    operation_id = "list_annual_reports",
    tag = "annual reports",
    params(("year" = i32, Path, description = "The year the annual reports are of")),
    responses(
        (status = 200, description = "Every förbund of the year, by key, with the counts", body = AnnualReportFollowUp),
        (status = 400, description = "Bad year", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an analyst or admin", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/annual-reports/{year}")]
pub async fn list(state: web::Data<AppState>, auth: Auth, path: web::Path<String>) -> Result<HttpResponse, ApiError> {
    auth.require(Action::FollowAnnualReports, None)?;
    let year = params::year(Some(&path.into_inner()))?;
    let follow_up = with_conn(&state, move |conn| {
        usecases::annual_reports::follow_up(conn, &auth.acting(""), year).map_err(|e| auth.refused(e))
    })
    .await?;
    Ok(HttpResponse::Ok().json(follow_up))
}

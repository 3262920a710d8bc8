//! Bulk imports from the förbund's case systems (`POST /api/v1/forbund/{key}/imports`): JSON or
//! CSV, upserted by external_ref, `?dry_run=true`, `Idempotency-Key`, and large batches as jobs.

use actix_web::http::{StatusCode, header};
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use finsam_domain::ErrorCode;
use finsam_domain::access::Action;
use finsam_domain::identity;
use finsam_domain::import::{self, Charset, ImportSummary, Mode};
use finsam_store::imports::{ImportRequest, requests};
use finsam_usecases as usecases;
use finsam_usecases::imports::{Imported, Sent};
use futures_util::StreamExt;
use tracing_actix_web::RequestId;

use super::registration::forbund_access;
use super::{params, with_conn};
use crate::auth::Auth;
use crate::error::Problem;
use crate::{ApiError, AppState};

/// Imports are the one place for big bodies.
pub const MAX_IMPORT_BYTES: usize = import::MAX_BYTES;

/// The media type of an Excel workbook.
pub const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

type Query = web::Query<Vec<(String, String)>>;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(create).service(read);
}

/// Upserts a batch of insatser with their years by `external_ref`. JSON (`{"mode", "insatser"}`),
/// CSV (`Content-Type: text/csv`, one line per insats-year, header as in the README; `,` `;` or
/// tab between fields; UTF-8, or Windows-1252 declared by `charset=` or detected) or an XLSX
/// workbook (its first sheet or `?sheet=`, read as that CSV); `?mode=`.
/// `?dry_run=true` checks and reports without writing. An `Idempotency-Key` makes a retry with
/// the same body return the stored summary (header `Idempotent-Replayed: true`); the same key
/// with another body is 422. Batches above the job size are queued: 202 with `Location` of a job
/// to poll.
#[utoipa::path(
    operation_id = "import_insatser",
    tag = "imports",
    params(
        ("forbund_key" = String, Path, description = "The förbund's key"),
        ("dry_run" = Option<bool>, Query, description = "Check and report only"),
        ("mode" = Option<String>, Query, description = "atomic (default) or partial; a JSON body's `mode` wins"),
        ("sheet" = Option<String>, Query, min_length = 1, max_length = 31, description = "XLSX only: the sheet to read (default: the first); with another body, 400"),
        ("Idempotency-Key" = Option<String>, Header, min_length = 1, max_length = 200, pattern = "^[!-~]+$", description = "Makes retries safe: 1–200 visible ASCII characters, and no personal identity number (the key is kept with the import)"),
    ),
    request_body(description = "The batch: {\"mode\", \"insatser\"} as JSON, CSV with one line per insats-year, or an XLSX workbook with the same columns", content((Object = "application/json"), (String = "text/csv"), (Vec<u8> = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))),
    responses(
        (status = 200, description = "Imported (or checked, or refused as a whole: see `status`)", body = ImportSummary),
        (status = 202, description = "Queued as a job; poll `Location`", body = ImportRequest),
        (status = 400, description = "Bad parameter (also a `sheet` with a body that is no workbook), or an Idempotency-Key that is not 1–200 visible ASCII characters or holds a personal identity number (`personal_identity_number`)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Another förbund, or a role that may not write", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such förbund", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Body too large", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Neither JSON, CSV nor XLSX, or a charset other than UTF-8 and Windows-1252", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The batch as a whole is unreadable, or the key was used for another body", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many imports; see Retry-After", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/forbund/{forbund_key}/imports")]
pub async fn create(
    state: web::Data<AppState>,
    auth: Auth,
    request_id: RequestId,
    req: HttpRequest,
    path: web::Path<String>,
    query: Query,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let forbund = path.into_inner();
    auth.require(Action::WriteRegistration, Some(&forbund))?;
    params::only_known(&query, &["dry_run", "mode", "sheet"])?;
    let dry_run = match params::get(&query, "dry_run") {
        None | Some("false") => false,
        Some("true") => true,
        Some(_) => return Err(ApiError::invalid_field("dry_run", ErrorCode::NotABoolean, "must be true or false")),
    };
    let mode = match params::get(&query, "mode") {
        None => Mode::Atomic,
        Some(code) => Mode::from_code(code)
            .ok_or_else(|| ApiError::invalid_field("mode", ErrorCode::UnknownCode, "must be atomic or partial"))?,
    };
    let sheet = params::get(&query, "sheet").map(str::to_owned);
    let sent = sent(&req, sheet.is_some())?;
    let key = idempotency_key(&req)?;
    state.import_rate.check(&auth.0.sub)?;
    let body = read_body(payload).await?;
    let request_id = request_id.to_string();
    let job_rows = state.import_job_rows;
    let jobs = state.import_jobs.clone();
    let outcome = with_conn(&state, move |conn| {
        let sent = match sent {
            Sent::Xlsx(_) => Sent::Xlsx(sheet.as_deref()),
            other => other,
        };
        let batch =
            usecases::imports::Batch { sent, body: &body, mode, dry_run, idempotency_key: key.as_deref(), job_rows };
        let imported = usecases::imports::import(conn, &auth.acting(&request_id), &forbund, &batch)
            .map_err(|e| auth.refused(e))?;
        if let Imported::Queued { new: true, .. } = imported {
            jobs.notify();
        }
        Ok(imported)
    })
    .await?;
    Ok(match outcome {
        Imported::Done { summary, replayed } => {
            let mut response = HttpResponse::Ok();
            if replayed {
                response.insert_header(("Idempotent-Replayed", "true"));
            }
            response.json(summary)
        }
        Imported::Queued { job, .. } => HttpResponse::Accepted()
            .insert_header((header::LOCATION, format!("/api/v1/forbund/{}/imports/{}", job.forbund_key, job.id)))
            .json(job),
    })
}

/// An import request or job: its state, progress and, when done, its summary.
#[utoipa::path(
    operation_id = "get_import",
    tag = "imports",
    params(
        ("forbund_key" = String, Path, description = "The förbund's key"),
        ("id" = i64, Path, description = "The import's id, from the Location of a 202"),
    ),
    responses(
        (status = 200, description = "The import", body = ImportRequest),
        (status = 403, description = "Another förbund", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such import", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/forbund/{forbund_key}/imports/{id}")]
pub async fn read(
    state: web::Data<AppState>,
    auth: Auth,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, ApiError> {
    let (forbund, id) = path.into_inner();
    auth.require(Action::ReadRegistration, Some(&forbund))?;
    let id: i64 = id.parse().map_err(|_| ApiError::not_found(format!("no import {id:?}")))?;
    let found = with_conn(&state, move |conn| {
        forbund_access(conn, &auth, Action::ReadRegistration, &forbund)?;
        Ok(requests::get(conn, &forbund, id)?)
    })
    .await?;
    let found = found.ok_or_else(|| ApiError::not_found(format!("no import {id}")))?;
    Ok(HttpResponse::Ok().json(found))
}

/// How to read the body, by its `Content-Type` (a workbook's sheet is named by the caller).
fn sent(req: &HttpRequest, sheet: bool) -> Result<Sent<'static>, ApiError> {
    let content_type = req.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    let mut parts = content_type.split(';');
    let media_type = parts.next().unwrap_or("").trim().to_ascii_lowercase();
    let charset = parts.filter_map(|p| p.split_once('=')).find(|(k, _)| k.trim().eq_ignore_ascii_case("charset"));
    let unsupported =
        |detail: String| ApiError::new(StatusCode::UNSUPPORTED_MEDIA_TYPE, ErrorCode::UnsupportedMediaType, detail);
    let sent = match media_type.as_str() {
        "application/json" => Sent::Json,
        "text/csv" => match charset {
            None => Sent::Csv(None),
            Some((_, label)) => match Charset::from_label(label.trim_matches('"')) {
                Some(charset) => Sent::Csv(Some(charset)),
                None => return Err(unsupported(format!("a CSV batch is UTF-8 or Windows-1252, not {label:?}"))),
            },
        },
        XLSX => Sent::Xlsx(None),
        _ => {
            return Err(unsupported(format!(
                "send the batch as application/json, text/csv or {XLSX} (got {content_type:?})"
            )));
        }
    };
    if sheet && !matches!(sent, Sent::Xlsx(_)) {
        return Err(ApiError::invalid_field("sheet", ErrorCode::UnknownParameter, "only a workbook (XLSX) has sheets"));
    }
    Ok(sent)
}

/// The key is stored and shown with the import, so it is refused like any text with a person in it.
fn idempotency_key(req: &HttpRequest) -> Result<Option<String>, ApiError> {
    let Some(value) = req.headers().get("idempotency-key") else { return Ok(None) };
    // Also a key that is no valid key otherwise: the refusal names the rule that matters most.
    if identity::contains(&String::from_utf8_lossy(value.as_bytes())) {
        return Err(ApiError::invalid_field("Idempotency-Key", identity::CODE, identity::MESSAGE));
    }
    match value.to_str() {
        Ok(key) if (1..=200).contains(&key.len()) && key.bytes().all(|b| b.is_ascii_graphic()) => {
            Ok(Some(key.to_owned()))
        }
        _ => Err(ApiError::invalid_field(
            "Idempotency-Key",
            ErrorCode::BadIdempotencyKey,
            "must be 1–200 visible ASCII characters, e.g. a UUID",
        )),
    }
}

async fn read_body(mut payload: web::Payload) -> Result<Vec<u8>, ApiError> {
    let mut body = Vec::new();
    while let Some(chunk) = payload.next().await {
        let chunk = chunk.map_err(|e| ApiError::new(StatusCode::BAD_REQUEST, ErrorCode::BadBody, e.to_string()))?;
        if body.len() + chunk.len() > MAX_IMPORT_BYTES {
            return Err(ApiError::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                ErrorCode::PayloadTooLarge,
                format!("an import body is at most {} MiB: split the batch", MAX_IMPORT_BYTES / 1024 / 1024),
            ));
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

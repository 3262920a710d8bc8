//! The import template (`GET /api/v1/imports/template.xlsx`): the workbook förbund fill in for
//! `POST /api/v1/forbund/{key}/imports`, from `finsam_sheets::template`. It holds no data, so
//! anyone may fetch it, with no token.

use std::sync::LazyLock;

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, get};
use finsam_domain::ErrorCode;
use sha2::{Digest, Sha256};

use super::imports::XLSX;
use crate::ApiError;
use crate::error::Problem;

pub const FILE_NAME: &str = "finsam-importmall.xlsx";

/// The template's bytes and their ETag: the same for the life of a build (the template writes
/// the same bytes for the same columns), so written once.
static TEMPLATE: LazyLock<(Vec<u8>, String)> = LazyLock::new(|| {
    let bytes = finsam_sheets::template::template();
    let digest = Sha256::digest(&bytes);
    let tag: String = digest[..8].iter().map(|b| format!("{b:02x}")).collect();
    (bytes, format!("\"{tag}\""))
});

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(template);
}

/// The import template as an Excel workbook: the sheet "Insatser" with the columns' Swedish
/// names, an example row, drop-down lists of the labels and the columns' number formats, and
/// the sheet "Förklaring" on how the file is read and each column. Fill it in and send it (as
/// XLSX or semicolon-separated CSV) to `POST /api/v1/forbund/{forbund_key}/imports`. No token
/// needed. Cacheable: `ETag`, and `If-None-Match` answers 304.
#[utoipa::path(
    operation_id = "get_import_template",
    tag = "imports",
    params(
        ("If-None-Match" = Option<String>, Header, pattern = "^[ -~]*$", description = "The ETag of a copy you hold: 304 while it is current"),
    ),
    responses(
        (status = 200, description = "The template; `ETag` names this version of it", content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        (status = 304, description = "The copy you hold (`If-None-Match`) is current"),
        (status = 400, description = "An `If-None-Match` that is not printable ASCII (`bad_entity_tag`)", body = Problem, content_type = "application/problem+json"),
    ),
)]
#[get("/imports/template.xlsx")]
pub async fn template(req: HttpRequest) -> Result<HttpResponse, ApiError> {
    let (bytes, etag) = &*TEMPLATE;
    let held = match req.headers().get(header::IF_NONE_MATCH) {
        None => None,
        Some(value) if value.as_bytes().iter().all(|b| (b' '..=b'~').contains(b)) => value.to_str().ok(),
        Some(_) => {
            return Err(ApiError::invalid_field(
                "If-None-Match",
                ErrorCode::BadEntityTag,
                "entity tags are printable ASCII, as the ETag given",
            ));
        }
    };
    let current = held
        .is_some_and(|held| held.split(',').map(str::trim).any(|t| t == etag || t == "*" || t == format!("W/{etag}")));
    // Revalidated on each use (no-cache), so that a new build's template is never missed, but
    // a repeat download is a 304 with no body.
    let mut response = if current { HttpResponse::NotModified() } else { HttpResponse::Ok() };
    response.insert_header((header::ETAG, etag.clone())).insert_header((header::CACHE_CONTROL, "public, no-cache"));
    if current {
        return Ok(response.finish());
    }
    Ok(response
        .content_type(XLSX)
        .insert_header((header::CONTENT_DISPOSITION, format!("attachment; filename=\"{FILE_NAME}\"")))
        .body(bytes.clone()))
}

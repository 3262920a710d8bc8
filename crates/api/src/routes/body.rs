//! Request bodies and version preconditions, read the same way by every write endpoint.

use actix_web::HttpRequest;
use actix_web::http::StatusCode;
use actix_web::http::header;
use finsam_domain::ErrorCode;
use serde_json::Value;

use crate::ApiError;
use finsam_domain::version::Expected;

/// Single registrations are small; bulk data goes through imports.
pub const MAX_BODY_BYTES: usize = 64 * 1024;

pub fn json(req: &HttpRequest, body: &[u8]) -> Result<Value, ApiError> {
    let content_type = req.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    let media_type = content_type.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    if media_type != "application/json" {
        return Err(ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ErrorCode::UnsupportedMediaType,
            format!("send the body as application/json (got {content_type:?})"),
        ));
    }
    serde_json::from_slice(body).map_err(|e| {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            ErrorCode::MalformedJson,
            format!("the body is not valid JSON: {e} (line {}, column {})", e.line(), e.column()),
        )
    })
}

/// The version the client expects: `If-Match` wins over `version` in the body, and the two
/// must agree when both are sent.
pub fn expected_version(req: &HttpRequest, in_body: Option<i32>) -> Result<Expected, ApiError> {
    Expected::reconcile(if_match(req)?, in_body).map_err(ApiError::invalid_request)
}

/// The `If-Match` header as a version, if sent.
pub fn if_match(req: &HttpRequest) -> Result<Option<i32>, ApiError> {
    let Some(value) = req.headers().get(header::IF_MATCH) else { return Ok(None) };
    let text = value.to_str().unwrap_or("").trim();
    let bare = text.strip_prefix("W/").unwrap_or(text).trim_matches('"');
    let version = bare.parse::<i32>().ok().filter(|v| *v >= 1).ok_or_else(|| {
        ApiError::invalid_field("If-Match", ErrorCode::NotAVersion, "must be the version (ETag) you read, e.g. \"3\"")
    })?;
    Ok(Some(version))
}

pub fn etag(version: i32) -> (header::HeaderName, String) {
    (header::ETAG, format!("\"{version}\""))
}

/// An insats id from the path; anything else names no insats.
pub fn insats_id(text: &str) -> Result<i64, ApiError> {
    text.parse::<i64>().ok().filter(|id| *id > 0).ok_or_else(|| ApiError::not_found(format!("no insats {text:?}")))
}

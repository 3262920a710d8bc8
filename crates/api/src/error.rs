//! Errors as RFC 9457 problem details: every error a client can get has a stable `code`, and
//! errors about input name each offending field by its path.

use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpResponse, ResponseError};
pub use finsam_domain::{ErrorCode, FieldError};
use finsam_store::StoreError;
use finsam_store::registration::WriteError;
use serde::Serialize;

pub const PROBLEM_JSON: &str = "application/problem+json";

/// RFC 9457 problem details, with a stable machine `code` and the offending fields.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Problem {
    /// `urn:finsam:problem:<code>`
    #[serde(rename = "type")]
    pub problem_type: String,
    pub title: String,
    pub status: u16,
    pub detail: String,
    pub code: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
}

/// `Debug` and `Display` show what `problem()` shows: both end up in the log.
#[derive(Clone)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: ErrorCode,
    pub detail: String,
    pub errors: Vec<FieldError>,
    pub retry_after: Option<u32>,
    /// RFC 6750 challenge for 401 responses.
    pub www_authenticate: Option<String>,
}

impl ApiError {
    pub fn new(status: StatusCode, code: ErrorCode, detail: impl Into<String>) -> Self {
        ApiError { status, code, detail: detail.into(), errors: Vec::new(), retry_after: None, www_authenticate: None }
    }

    pub fn not_found(detail: impl Into<String>) -> Self {
        ApiError::new(StatusCode::NOT_FOUND, ErrorCode::NotFound, detail)
    }

    /// One bad input field; `code` names the rule it breaks.
    pub fn invalid_field(path: &str, code: ErrorCode, message: impl Into<String>) -> Self {
        ApiError::invalid_request(FieldError::new(path, code, message))
    }

    /// A request that cannot be read as meant (a header, a parameter): 400 naming the field.
    pub fn invalid_request(error: FieldError) -> Self {
        let detail = format!("{}: {}", error.path, error.message);
        ApiError { errors: vec![error], ..ApiError::new(StatusCode::BAD_REQUEST, ErrorCode::InvalidRequest, detail) }
    }

    /// The payload breaks rules of the domain: every problem, each with its field.
    pub fn validation(errors: Vec<FieldError>) -> Self {
        let detail = match errors.as_slice() {
            [one] => format!("{}: {}", one.path, one.message),
            many => format!("{} problems with the request; see errors", many.len()),
        };
        ApiError { errors, ..ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, ErrorCode::ValidationFailed, detail) }
    }

    /// No usable token. `error` is RFC 6750's `invalid_token` when a token was sent.
    pub fn unauthorized(detail: &str, token_sent: bool) -> Self {
        let challenge = if token_sent {
            format!("Bearer realm=\"finsam\", error=\"invalid_token\", error_description=\"{detail}\"")
        } else {
            "Bearer realm=\"finsam\"".to_owned()
        };
        ApiError {
            www_authenticate: Some(challenge),
            ..ApiError::new(StatusCode::UNAUTHORIZED, ErrorCode::Unauthorized, detail.to_owned())
        }
    }

    /// Something that should not happen: logged in full (but for identity numbers), answered
    /// without detail.
    pub fn internal(error: &dyn std::fmt::Display) -> Self {
        tracing::error!(error = %masked(&error.to_string()), "internal error");
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            ErrorCode::Internal,
            "an internal error occurred; it has been logged",
        )
    }

    pub fn forbidden(detail: impl Into<String>) -> Self {
        ApiError::new(StatusCode::FORBIDDEN, ErrorCode::Forbidden, detail)
    }

    pub fn unavailable() -> Self {
        ApiError {
            retry_after: Some(5),
            ..ApiError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                ErrorCode::DatabaseUnavailable,
                "the database cannot be reached; try again shortly",
            )
        }
    }

    /// What the client gets. Details and field errors often repeat what the client sent (a path
    /// segment, a parameter's value, a field's name): every identity number in them is masked
    /// here, for every route at once.
    pub fn problem(&self) -> Problem {
        Problem {
            problem_type: format!("urn:finsam:problem:{}", self.code),
            title: self.status.canonical_reason().unwrap_or("Error").to_owned(),
            status: self.status.as_u16(),
            detail: masked(&self.detail),
            code: self.code.as_str().to_owned(),
            errors: self
                .errors
                .iter()
                .map(|e| FieldError { path: masked(&e.path), code: e.code, message: masked(&e.message) })
                .collect(),
        }
    }
}

fn masked(text: &str) -> String {
    crate::mask::shown(text).into_owned()
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}: {}", self.status.as_u16(), self.code, masked(&self.detail))
    }
}

impl std::fmt::Debug for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let problem = self.problem();
        f.debug_struct("ApiError")
            .field("status", &self.status)
            .field("code", &self.code)
            .field("detail", &problem.detail)
            .field("errors", &problem.errors)
            .field("retry_after", &self.retry_after)
            .finish_non_exhaustive()
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        self.status
    }

    fn error_response(&self) -> HttpResponse {
        let mut response = HttpResponse::build(self.status);
        response.insert_header((header::CONTENT_TYPE, HeaderValue::from_static(PROBLEM_JSON)));
        if let Some(seconds) = self.retry_after {
            response.insert_header((header::RETRY_AFTER, seconds.to_string()));
        }
        if let Some(challenge) = &self.www_authenticate {
            response.insert_header((header::WWW_AUTHENTICATE, challenge.clone()));
        }
        response.body(serde_json::to_string(&self.problem()).expect("problem serialises"))
    }
}

impl From<StoreError> for ApiError {
    fn from(error: StoreError) -> Self {
        if error.is_unavailable() {
            tracing::warn!(error = %masked(&error.to_string()), "database unavailable");
            return ApiError::unavailable();
        }
        if error.is_timeout() {
            tracing::warn!(error = %masked(&error.to_string()), "database statement timed out");
            return ApiError {
                detail: "the database did not answer in time; try again shortly".to_owned(),
                code: ErrorCode::DatabaseTimeout,
                ..ApiError::unavailable()
            };
        }
        ApiError::internal(&error)
    }
}

impl From<diesel::result::Error> for ApiError {
    fn from(error: diesel::result::Error) -> Self {
        StoreError::from(error).into()
    }
}

impl From<actix_web::error::BlockingError> for ApiError {
    fn from(_: actix_web::error::BlockingError) -> Self {
        ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            ErrorCode::Overloaded,
            "the server is shutting down or overloaded",
        )
    }
}

/// Where the client's expected version came from decides the status of a mismatch: a failed
/// `If-Match` precondition is 412, a stale `version` in the body 409.
pub use finsam_domain::version::VersionSource;

impl ApiError {
    pub fn from_write(error: WriteError, source: VersionSource) -> Self {
        match error {
            WriteError::NotFound(entity) => ApiError::not_found(format!("no such {entity} in this förbund")),
            WriteError::VersionConflict { expected, current } => {
                let (status, code) = if source == VersionSource::IfMatch {
                    (StatusCode::PRECONDITION_FAILED, ErrorCode::PreconditionFailed)
                } else {
                    (StatusCode::CONFLICT, ErrorCode::VersionConflict)
                };
                ApiError::new(
                    status,
                    code,
                    format!(
                        "changed since version {expected}: the current version is {current}; read it again and reapply your change"
                    ),
                )
            }
            WriteError::VersionRequired { current } => ApiError::new(
                StatusCode::PRECONDITION_REQUIRED,
                ErrorCode::VersionRequired,
                format!(
                    "replacing needs the version you last read: send If-Match: \"{current}\" or \"version\": {current} after reading it"
                ),
            ),
            WriteError::Conflict { code, field, detail } => ApiError {
                errors: vec![FieldError::new(field, code, detail.clone())],
                ..ApiError::new(StatusCode::CONFLICT, code, detail)
            },
            WriteError::Database(error) => error.into(),
        }
    }
}

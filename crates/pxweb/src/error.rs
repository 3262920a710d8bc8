//! What a PxWeb request can get wrong: the status the specification gives it, the field (the
//! query parameter or body path) and the rule, by the service's one list of error codes.

use finsam_domain::ErrorCode;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    BadRequest,
    NotFound,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PxError {
    pub status: Status,
    pub field: String,
    pub code: ErrorCode,
    pub detail: String,
}

impl PxError {
    pub fn bad(field: impl Into<String>, code: ErrorCode, detail: impl Into<String>) -> PxError {
        PxError { status: Status::BadRequest, field: field.into(), code, detail: detail.into() }
    }

    pub fn not_found(field: impl Into<String>, code: ErrorCode, detail: impl Into<String>) -> PxError {
        PxError { status: Status::NotFound, field: field.into(), code, detail: detail.into() }
    }
}

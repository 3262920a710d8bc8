use serde::{Deserialize, Serialize};

use crate::ErrorCode;

/// One problem with one field: where (a JSON pointer such as `/participants/women`, or a
/// parameter name), which rule (a stable code) and a sentence for people.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FieldError {
    pub path: String,
    /// The rule broken: one of the codes listed under `Problem.code`.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub code: ErrorCode,
    pub message: String,
}

impl FieldError {
    pub fn new(path: impl Into<String>, code: ErrorCode, message: impl Into<String>) -> Self {
        FieldError { path: path.into(), code, message: message.into() }
    }
}

/// Something accepted and stored but worth an analyst's look (e.g. contributions off 2:1:1).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Warning {
    pub code: String,
    pub message: String,
}

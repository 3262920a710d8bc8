//! Query parameters, parsed by hand so that a bad value is refused with its parameter named.

use chrono::Datelike;
use finsam_domain::ErrorCode;
use finsam_domain::identity;

use crate::ApiError;

pub const FIRST_YEAR: i32 = 2004;
pub const LAST_YEAR: i32 = 2100;

/// `?year=`, defaulting to the current calendar year.
pub fn year(value: Option<&str>) -> Result<i32, ApiError> {
    let Some(value) = value else { return Ok(chrono::Utc::now().year()) };
    match value.parse::<i32>() {
        Ok(year) if (FIRST_YEAR..=LAST_YEAR).contains(&year) => Ok(year),
        Ok(_) => Err(ApiError::invalid_field(
            "year",
            ErrorCode::YearOutOfRange,
            format!("must be a year from {FIRST_YEAR} to {LAST_YEAR}"),
        )),
        Err(_) => Err(ApiError::invalid_field("year", ErrorCode::NotAYear, "must be a four-digit year")),
    }
}

/// Refuses parameters the endpoint does not know, so that a typo (`?yaer=`) is not silently
/// ignored and answered with the default.
pub fn only_known(query: &[(String, String)], known: &[&str]) -> Result<(), ApiError> {
    match query.iter().find(|(name, _)| !known.contains(&name.as_str())) {
        Some((name, _)) if identity::contains(name) => {
            Err(ApiError::invalid_field(&identity::shown(name), identity::CODE, identity::NAME_MESSAGE))
        }
        Some((name, _)) => Err(ApiError::invalid_field(
            name,
            ErrorCode::UnknownParameter,
            format!("unknown query parameter; known: {}", known.join(", ")),
        )),
        None => Ok(()),
    }
}

pub fn get<'a>(query: &'a [(String, String)], name: &str) -> Option<&'a str> {
    query.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
}

/// An optional whole-number parameter within `min..=max`.
pub fn integer(value: Option<&str>, name: &str, min: i64, max: i64) -> Result<Option<i64>, ApiError> {
    let Some(value) = value else { return Ok(None) };
    match value.parse::<i64>() {
        Ok(n) if (min..=max).contains(&n) => Ok(Some(n)),
        _ => Err(ApiError::invalid_field(
            name,
            ErrorCode::OutOfRange,
            format!("must be a whole number from {min} to {max}"),
        )),
    }
}

pub use finsam_domain::forbund_key::{FORBUND_KEY_MAX_LEN, FORBUND_KEY_PATTERN, is_forbund_key};

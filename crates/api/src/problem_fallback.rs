//! Errors that actix produces itself (an oversized body, a bad path segment) come as plain text;
//! clients are promised problem+json for every error, so such responses are rewritten.

use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::{StatusCode, header};
use actix_web::middleware::Next;
use actix_web::{Error, ResponseError};

use crate::ApiError;
use crate::error::{ErrorCode, PROBLEM_JSON};

pub async fn problem_json(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody>>, Error> {
    let response = next.call(req).await?;
    let status = response.status();
    // Our own errors are problem+json already, and /health answers 503 in its own JSON.
    let is_json = response.headers().get(header::CONTENT_TYPE).is_some_and(|v| {
        v.as_bytes().starts_with(PROBLEM_JSON.as_bytes()) || v.as_bytes().starts_with(b"application/json")
    });
    if !(status.is_client_error() || status.is_server_error()) || is_json {
        return Ok(response.map_into_left_body());
    }
    let (code, detail) = match status {
        StatusCode::PAYLOAD_TOO_LARGE => {
            (ErrorCode::BodyTooLarge, "the request body is larger than this endpoint accepts")
        }
        StatusCode::METHOD_NOT_ALLOWED => (ErrorCode::MethodNotAllowed, "this method is not allowed here"),
        StatusCode::NOT_FOUND => (ErrorCode::NotFound, "no such resource"),
        s if s.is_client_error() => (ErrorCode::BadRequest, "the request could not be understood"),
        _ => (ErrorCode::Internal, "an internal error occurred; it has been logged"),
    };
    let replacement = ApiError::new(status, code, detail).error_response();
    Ok(response.into_response(replacement).map_into_right_body())
}

//! Which methods each documented path answers, read from the OpenAPI document itself, so that a
//! request with another method gets 405 with `Allow` (RFC 9110 §15.5.6) rather than 404: the
//! path exists. One source: a route added to the document is known here without a list to keep.

use actix_web::http::{StatusCode, header};
use actix_web::{HttpRequest, HttpResponse, ResponseError};
use finsam_domain::ErrorCode;
use serde_json::Value;

use crate::ApiError;

/// A path template's segments (`None` for a `{parameter}`) and the methods it is documented for.
#[derive(Debug, Default)]
pub struct AllowedMethods {
    paths: Vec<(Vec<Option<String>>, Vec<&'static str>)>,
}

impl AllowedMethods {
    pub fn from_document(api: &Value) -> AllowedMethods {
        let paths = api["paths"]
            .as_object()
            .into_iter()
            .flatten()
            .map(|(template, item)| {
                let segments = template
                    .trim_matches('/')
                    .split('/')
                    .map(|s| (!(s.starts_with('{') && s.ends_with('}'))).then(|| s.to_owned()))
                    .collect();
                let methods = ["GET", "PUT", "POST", "DELETE", "PATCH"]
                    .into_iter()
                    .filter(|method| item.get(method.to_ascii_lowercase()).is_some())
                    .collect();
                (segments, methods)
            })
            .collect();
        AllowedMethods { paths }
    }

    /// The methods documented for `path`, if it is a documented path.
    pub fn for_path(&self, path: &str) -> Option<Vec<&'static str>> {
        // Only the leading slash goes: a trailing one is an empty segment, which names nothing.
        let segments: Vec<&str> = path.strip_prefix('/').unwrap_or(path).split('/').collect();
        let mut found: Vec<&'static str> = self
            .paths
            .iter()
            .filter(|(template, _)| {
                template.len() == segments.len()
                    && template
                        .iter()
                        .zip(&segments)
                        .all(|(t, s)| t.as_deref().is_none_or(|t| t == *s) && !s.is_empty())
            })
            .flat_map(|(_, methods)| methods.iter().copied())
            .collect();
        found.sort_unstable();
        found.dedup();
        (!found.is_empty()).then_some(found)
    }

    /// 405 with `Allow` when `req`'s path is documented for other methods than its own.
    pub fn refuse(&self, req: &HttpRequest) -> Option<HttpResponse> {
        let methods = self.for_path(req.path())?;
        if methods.contains(&req.method().as_str()) {
            return None;
        }
        let allow = methods.join(", ");
        let error = ApiError::new(
            StatusCode::METHOD_NOT_ALLOWED,
            ErrorCode::MethodNotAllowed,
            format!("{} answers {allow}, not {}", req.path(), req.method()),
        );
        let mut response = error.error_response();
        response.headers_mut().insert(header::ALLOW, allow.parse().expect("method names are header values"));
        Some(response)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documented_paths_know_their_methods() {
        let allowed = AllowedMethods::from_document(&serde_json::to_value(crate::openapi::openapi()).unwrap());
        assert_eq!(allowed.for_path("/api/v1/forbund/x/insatser"), Some(vec!["GET", "POST"]));
        assert_eq!(allowed.for_path("/api/v1/forbund/x/insatser/7"), Some(vec!["DELETE", "GET", "PUT"]));
        assert_eq!(allowed.for_path("/api/v1/forbund/x/insatser/"), None, "an empty id is no path");
        assert_eq!(allowed.for_path("/api/v1/no-such-thing"), None);
    }
}

//! Every response carries the id that tracing-actix-web gave its request, so that a client's
//! report can be matched with the log lines of that request; and every request gets one log
//! line (inside the request's span, so it carries the id too). Nothing a client wrote reaches
//! the log with an identity number in it: the path, the query, the user agent and the host are
//! masked.

use std::time::Instant;

use actix_web::Error;
use actix_web::HttpMessage;
use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderName, HeaderValue};
use actix_web::middleware::Next;
use tracing::Span;
use tracing_actix_web::{DefaultRootSpanBuilder, RequestId, RootSpanBuilder};

use crate::mask::shown;

pub const HEADER: &str = "x-request-id";

pub async fn echo(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let id = req.extensions().get::<RequestId>().map(|id| id.to_string());
    let (method, path) = (req.method().clone(), shown(req.path()).into_owned());
    let started = Instant::now();
    let mut response = next.call(req).await?;
    if let Some(value) = id.and_then(|id| HeaderValue::from_str(&id).ok()) {
        response.headers_mut().insert(HeaderName::from_static(HEADER), value);
    }
    tracing::info!(
        %method,
        path,
        status = response.status().as_u16(),
        elapsed_ms = started.elapsed().as_secs_f64() * 1000.0,
        "request"
    );
    Ok(response)
}

/// The request span of tracing-actix-web's default, with the client's text masked: its fields
/// are repeated on every log line of the request.
pub struct MaskedRootSpan;

/// The sign-in callback's query carries the authorization code and the state: single-use, but
/// a log is no place for them, so the logged target names the parameters only.
fn secrets_hidden(path_and_query: &str) -> std::borrow::Cow<'_, str> {
    match path_and_query.split_once('?') {
        Some((path @ "/auth/callback", query)) => {
            let names: Vec<&str> = query.split('&').map(|pair| pair.split('=').next().unwrap_or_default()).collect();
            std::borrow::Cow::Owned(format!(
                "{path}?{}",
                names.iter().map(|n| format!("{n}=…")).collect::<Vec<_>>().join("&")
            ))
        }
        _ => std::borrow::Cow::Borrowed(path_and_query),
    }
}

impl RootSpanBuilder for MaskedRootSpan {
    fn on_request_start(request: &ServiceRequest) -> Span {
        let text = |value: &str| shown(value).into_owned();
        let header = |name| request.headers().get(name).and_then(|v| v.to_str().ok()).map(text).unwrap_or_default();
        let route = request.match_pattern().unwrap_or_else(|| "default".to_owned());
        let target = request.uri().path_and_query().map(|p| text(&secrets_hidden(p.as_str()))).unwrap_or_default();
        let request_id = request.extensions().get::<RequestId>().copied();
        let connection = request.connection_info();
        tracing::info_span!(
            "HTTP request",
            http.method = %request.method(),
            http.route = %route,
            http.host = %text(connection.host()),
            http.client_ip = %connection.realip_remote_addr().unwrap_or(""),
            http.user_agent = %header(header::USER_AGENT),
            http.target = %target,
            http.status_code = tracing::field::Empty,
            otel.name = %format!("{} {route}", request.method()),
            otel.kind = "server",
            otel.status_code = tracing::field::Empty,
            request_id = %request_id.map(|id| id.to_string()).unwrap_or_default(),
            exception.message = tracing::field::Empty,
            exception.details = tracing::field::Empty,
        )
    }

    /// The default records the status and the error's `Display` and `Debug`, which `ApiError`
    /// masks.
    fn on_request_end<B: MessageBody>(span: Span, outcome: &Result<ServiceResponse<B>, Error>) {
        DefaultRootSpanBuilder::on_request_end(span, outcome);
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_callbacks_code_and_state_stay_out_of_the_log() {
        assert_eq!(
            super::secrets_hidden("/auth/callback?code=abc&state=xyz&iss=h"),
            "/auth/callback?code=…&state=…&iss=…"
        );
        assert_eq!(super::secrets_hidden("/api/v1/tables?year=2023"), "/api/v1/tables?year=2023");
    }
}

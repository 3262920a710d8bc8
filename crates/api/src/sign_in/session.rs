//! The session behind a request's cookie, and the CSRF rule for requests that change something.

use actix_web::{HttpRequest, web};
use finsam_domain::access::Actor;
use finsam_domain::{ErrorCode, Role};
use finsam_store::sessions::{self, Session};
use sha2::{Digest, Sha256};

use super::{CSRF_HEADER, SESSION_COOKIE, hash};
use crate::routes::with_conn;
use crate::{ApiError, AppState};

/// The live session of the request's cookie, if sign-in is configured and there is one.
pub async fn current(req: &HttpRequest, state: &web::Data<AppState>) -> Result<Option<Session>, ApiError> {
    if state.sign_in.is_none() {
        return Ok(None);
    }
    let Some(id) = req.cookie(SESSION_COOKIE).map(|c| c.value().to_owned()).filter(|v| !v.is_empty() && v.len() <= 100)
    else {
        return Ok(None);
    };
    with_conn(state, move |conn| Ok(sessions::get_session(conn, &hash(&id))?)).await
}

/// The session's person as an actor of the API.
pub fn actor(session: &Session) -> Result<Actor, ApiError> {
    let role =
        Role::from_claim(&session.role).ok_or_else(|| ApiError::unauthorized("the session has no role", false))?;
    Ok(Actor { sub: session.sub.clone(), role, forbund: session.forbund_key.clone().filter(|_| role.needs_forbund()) })
}

/// A cookie rides along on requests other sites make the browser send; only a page of ours
/// knows the session's CSRF token (from `/auth/session`), so a request that changes something
/// must carry it.
pub fn check_csrf(session: &Session, sent: Option<&str>) -> Result<(), ApiError> {
    // Compared as hashes, so the time taken says nothing about how much of a guess was right.
    let same =
        sent.is_some_and(|sent| Sha256::digest(sent.as_bytes()) == Sha256::digest(session.csrf_token.as_bytes()));
    match same {
        true => Ok(()),
        false => Err(ApiError::new(
            actix_web::http::StatusCode::FORBIDDEN,
            ErrorCode::CsrfFailed,
            format!("a request that changes something needs the session's {CSRF_HEADER} header"),
        )),
    }
}

/// Whether the method can change something (RFC 9110 §9.2.1: all but the safe ones).
pub fn changes_state(req: &HttpRequest) -> bool {
    !matches!(req.method().as_str(), "GET" | "HEAD" | "OPTIONS")
}

pub fn sent_csrf(req: &HttpRequest) -> Option<&str> {
    req.headers().get(CSRF_HEADER).and_then(|v| v.to_str().ok())
}

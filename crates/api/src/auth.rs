//! Who is calling: the bearer token, verified, or the pages' session cookie, as a domain `Actor`;
//! and whether that actor may do what it asks, by the domain's one access table.

use std::future::Future;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{FromRequest, HttpRequest, web};
use finsam_domain::access::{self, Action, Actor, Denied};
use finsam_usecases::{Acting, Refused};

use crate::{ApiError, AppState, sign_in};

/// An authenticated caller; extracting it answers 401 for a missing or bad token.
#[derive(Debug, Clone)]
pub struct Auth(pub Actor);

impl FromRequest for Auth {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Auth, ApiError>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move { authenticate(&req).await })
    }
}

/// A bearer token, or else the pages' session cookie (with its CSRF token for a change).
async fn authenticate(req: &HttpRequest) -> Result<Auth, ApiError> {
    let state = req.app_data::<web::Data<AppState>>().expect("the app state is configured");
    let Some(value) = req.headers().get(header::AUTHORIZATION) else {
        let Some(session) = sign_in::session::current(req, state).await? else {
            return Err(ApiError::unauthorized("a bearer token is required", false));
        };
        if sign_in::session::changes_state(req) {
            sign_in::session::check_csrf(&session, sign_in::session::sent_csrf(req))?;
        }
        return Ok(Auth(sign_in::session::actor(&session)?));
    };
    let token = value
        .to_str()
        .ok()
        .and_then(|v| v.strip_prefix("Bearer ").or_else(|| v.strip_prefix("bearer ")))
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .ok_or_else(|| ApiError::unauthorized("the Authorization header must be `Bearer <token>`", true))?;
    let claims = state.verifier.verify_fresh(token).await.map_err(|e| ApiError::unauthorized(e.description(), true))?;
    let role = claims.role;
    Ok(Auth(Actor { sub: claims.sub, role, forbund: claims.forbund.filter(|_| role.needs_forbund()) }))
}

impl Auth {
    /// 403 unless the actor may do `action` for `forbund`.
    pub fn require(&self, action: Action, forbund: Option<&str>) -> Result<(), ApiError> {
        access::authorize(&self.0, action, forbund).map_err(|denied| self.denied(denied))
    }

    fn denied(&self, denied: Denied) -> ApiError {
        match denied {
            Denied::OtherForbund => ApiError::forbidden(format!(
                "this token acts for förbund {:?} only",
                self.0.forbund.as_deref().unwrap_or_default()
            )),
            Denied::Role => ApiError::forbidden(format!("the role {} may not do this", self.0.role)),
        }
    }

    /// The actor, for a use case; `request_id` goes to the audit log.
    pub fn acting<'a>(&'a self, request_id: &'a str) -> Acting<'a> {
        Acting::new(&self.0, Some(request_id))
    }

    /// A use case's refusal as this caller's problem.
    pub fn refused(&self, refused: Refused) -> ApiError {
        match refused {
            Refused::Denied(denied) => self.denied(denied),
            Refused::NotFound(detail) => ApiError::not_found(detail),
            Refused::Invalid(errors) => ApiError::validation(errors),
            Refused::Malformed(error) => ApiError::invalid_request(error),
            Refused::Write(error, source) => ApiError::from_write(error, source),
        }
    }
}

//! Registration endpoints: what förbund and their case systems write.

mod audit;
mod finances;
mod insatser;
mod submit;
mod years;

use finsam_domain::access::Action;
use finsam_store::reference;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::ApiError;
use crate::auth::Auth;
use crate::routes::params;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(insatser::create)
        .service(insatser::list)
        .service(insatser::read)
        .service(insatser::replace)
        .service(insatser::remove)
        .service(years::put)
        .service(finances::read)
        .service(finances::put)
        .service(submit::submit)
        .service(audit::list);
}

/// Authorization first (403), then existence (404): a registrar learns nothing about other
/// förbund's data, and a national user gets a clear 404 for a key that does not exist.
pub(crate) fn forbund_access(
    conn: &mut diesel::PgConnection,
    auth: &Auth,
    action: Action,
    forbund: &str,
) -> Result<(), ApiError> {
    auth.require(action, Some(forbund))?;
    if !params::is_forbund_key(forbund) || !reference::forbund_exists(conn, forbund)? {
        return Err(ApiError::not_found(format!("no förbund {forbund:?}")));
    }
    Ok(())
}

/// The caller as the store's audit log names it, for the writes that are not use cases yet
/// (imports, releases).
pub(crate) fn store_actor<'a>(auth: &'a Auth, request_id: &'a str) -> finsam_store::registration::Actor<'a> {
    finsam_store::registration::Actor { sub: &auth.0.sub, role: auth.0.role, request_id: Some(request_id) }
}

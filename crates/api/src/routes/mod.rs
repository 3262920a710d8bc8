mod body;
mod health;
mod import_template;
mod imports;
mod memberships;
mod money;
mod open;
pub(crate) mod params;
mod pxweb;
mod reference;
mod registration;
mod report_commentary;
mod reporting_years;
mod reports;
pub mod tables;

use actix_web::{HttpRequest, HttpResponse, web};
use utoipa_actix_web::scope;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::ApiError;
use crate::allowed_methods::AllowedMethods;

pub use body::MAX_BODY_BYTES;
pub use imports::{MAX_IMPORT_BYTES, XLSX};
pub use pxweb::PxWebSettings;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.configure(health::configure)
        .service(
            scope("/api/v1")
                .configure(reference::configure)
                .configure(memberships::configure)
                .configure(registration::configure)
                .configure(imports::configure)
                .configure(import_template::configure)
                .configure(reporting_years::configure)
                .configure(money::configure)
                .configure(report_commentary::configure)
                .configure(tables::configure)
                .configure(open::configure)
                .configure(reports::configure),
        )
        .service(scope(pxweb::BASE).configure(pxweb::configure));
}

/// 405 with `Allow` for a documented path asked with another method, else 404.
pub async fn not_found(req: HttpRequest) -> Result<HttpResponse, ApiError> {
    if let Some(refused) = req.app_data::<web::Data<AllowedMethods>>().and_then(|allowed| allowed.refuse(&req)) {
        return Ok(refused);
    }
    Err(ApiError::not_found(format!("no resource at {} {}", req.method(), req.path())))
}

/// Runs blocking database work off the async workers.
pub(crate) async fn with_conn<T, F>(state: &web::Data<crate::AppState>, work: F) -> Result<T, ApiError>
where
    T: Send + 'static,
    F: FnOnce(&mut diesel::PgConnection) -> Result<T, ApiError> + Send + 'static,
{
    on_pool(state.pool.clone(), work).await
}

/// The same on the read pool (a replica when `DATABASE_READ_URL` is set): for the analysts'
/// tables, which may lag the primary by the replica's replay delay.
pub(crate) async fn with_read_conn<T, F>(state: &web::Data<crate::AppState>, work: F) -> Result<T, ApiError>
where
    T: Send + 'static,
    F: FnOnce(&mut diesel::PgConnection) -> Result<T, ApiError> + Send + 'static,
{
    on_pool(state.read_pool.clone(), work).await
}

async fn on_pool<T, F>(pool: finsam_store::PgPool, work: F) -> Result<T, ApiError>
where
    T: Send + 'static,
    F: FnOnce(&mut diesel::PgConnection) -> Result<T, ApiError> + Send + 'static,
{
    web::block(move || {
        let mut conn = pool.get().map_err(finsam_store::StoreError::from)?;
        work(&mut conn)
    })
    .await?
}

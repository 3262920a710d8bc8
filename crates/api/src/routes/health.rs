use std::time::Duration;

use actix_web::http::header;
use actix_web::{HttpResponse, get, web};
use diesel::RunQueryDsl;
use serde_json::json;

use crate::AppState;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(health).service(live);
}

#[derive(serde::Serialize, utoipa::ToSchema)]
struct Health {
    /// `ok`, or `unavailable` when the database does not answer
    #[schema(example = "ok")]
    status: String,
    /// `ok` or `unavailable` (`not checked` from /health/live)
    #[schema(example = "ok")]
    database: String,
}

/// Liveness: 200 while the process serves requests, whatever the database does. A platform
/// should restart the service only for this; a lost database is /health's business (readiness),
/// and the service recovers from it alone.
#[utoipa::path(
    operation_id = "health_live",
    tag = "health",
    responses((status = 200, description = "The process serves requests", body = Health))
)]
#[get("/health/live")]
async fn live() -> HttpResponse {
    HttpResponse::Ok().json(json!({"status": "ok", "database": "not checked"}))
}

/// Readiness: 200 when the database answers, 503 (with Retry-After) when it does
/// not. A short wait, so that a probe never hangs on a full pool.
#[utoipa::path(
    operation_id = "health",
    tag = "health",
    responses(
        (status = 200, description = "Serving, database reachable", body = Health),
        (status = 503, description = "Database unreachable", body = Health),
    )
)]
#[get("/health")]
async fn health(state: web::Data<AppState>) -> HttpResponse {
    let pool = state.pool.clone();
    let database_ok = web::block(move || {
        let mut conn = pool.get_timeout(Duration::from_secs(2)).ok()?;
        diesel::sql_query("SELECT 1").execute(&mut conn).ok()
    })
    .await
    .ok()
    .flatten()
    .is_some();
    if database_ok {
        HttpResponse::Ok().json(json!({"status": "ok", "database": "ok"}))
    } else {
        HttpResponse::ServiceUnavailable()
            .insert_header((header::RETRY_AFTER, "5"))
            .json(json!({"status": "unavailable", "database": "unavailable"}))
    }
}

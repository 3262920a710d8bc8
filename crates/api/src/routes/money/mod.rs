//! The money side (issue 17): the reference statistics the allocation keys on, the state's
//! allocation, and the year's money settings.

mod allocations;
mod reference_statistics;
mod settings;

use utoipa_actix_web::service_config::ServiceConfig;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(reference_statistics::read)
        .service(reference_statistics::put)
        .service(allocations::read)
        .service(allocations::decide)
        .service(allocations::calculate)
        .service(settings::read)
        .service(settings::put);
}

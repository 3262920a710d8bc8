//! The money side (issue 17): the reference statistics the allocation keys on, the state's
//! allocation, the year's money settings, and each förbund's annual report, audit and discharge.

mod allocations;
mod annual_reports;
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
        .service(settings::put)
        .service(annual_reports::read)
        .service(annual_reports::put)
        .service(annual_reports::list);
}

//! The national reporting year: its state and deadline, closing and reopening it, and how far
//! each förbund has come with it.

mod completeness;
mod deadline;
mod releases;
mod state;

use utoipa_actix_web::service_config::ServiceConfig;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(state::read)
        .service(state::close)
        .service(state::reopen)
        .service(deadline::put)
        .service(completeness::read)
        .service(releases::publish);
}

//! What the use-case tests share: a förbund of the seed, its registrar, an admin, an insats.

use chrono::NaiveDate;
use finsam_domain::access::Actor;
use finsam_domain::insats::Insats;
use finsam_domain::{Kind, Orientation, Role};
use finsam_usecases::Acting;

pub const FORBUND: &str = "samordningsforbundet-i-blekinge";

pub fn registrar() -> Actor {
    Actor { sub: "registrar-1".into(), role: Role::Registrar, forbund: Some(FORBUND.into()) }
}

pub fn admin() -> Actor {
    Actor { sub: "admin-1".into(), role: Role::Admin, forbund: None }
}

pub fn acting(actor: &Actor) -> Acting<'_> {
    Acting::new(actor, None)
}

/// An individual insats with no target group and no years: its creation is one audit event.
pub fn insats(name: String) -> Insats {
    Insats {
        external_ref: Some(name.clone()),
        name,
        description: None,
        kind: Kind::Individual,
        orientation: Orientation::WorkOriented,
        target_groups: Vec::new(),
        start_date: NaiveDate::from_ymd_opt(2023, 1, 1).expect("a date"),
        end_date: None,
    }
}

//! What the registration tests share: a förbund of the seed, a registrar, an insats.

use chrono::NaiveDate;
use finsam_domain::insats::Insats;
use finsam_domain::{Kind, Orientation};
use finsam_store::registration::Actor;

pub const FORBUND: &str = "samordningsforbundet-i-blekinge";

pub const ACTOR: Actor<'static> = Actor { sub: "registrar-1", role: "registrar", request_id: None };

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

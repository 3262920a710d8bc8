use finsam_domain::Role;
use finsam_domain::access::{self, Action, Actor};
use finsam_domain::forbund_key::is_forbund_key;
use finsam_store::registration;

use crate::Refused;

/// Who is acting, and the request it came with (for the audit log).
#[derive(Debug, Clone, Copy)]
pub struct Acting<'a> {
    pub actor: &'a Actor,
    pub request_id: Option<&'a str>,
}

impl<'a> Acting<'a> {
    pub fn new(actor: &'a Actor, request_id: Option<&'a str>) -> Acting<'a> {
        Acting { actor, request_id }
    }

    /// The service itself, named by `sub` in the audit log (the demo load, the CLI).
    pub fn system(sub: &str) -> Actor {
        Actor { sub: sub.to_owned(), role: Role::System, forbund: None }
    }

    /// Whether the actor may do `action` for `forbund`, by the domain's one access table; then
    /// whether `forbund` can be a key at all (some text PostgreSQL refuses outright: a NUL byte).
    pub fn may(&self, action: Action, forbund: Option<&str>) -> Result<(), Refused> {
        access::authorize(self.actor, action, forbund).map_err(Refused::Denied)?;
        match forbund {
            Some(key) if !is_forbund_key(key) => Err(Refused::NotFound(format!("no förbund {key:?}"))),
            _ => Ok(()),
        }
    }

    pub(crate) fn store(&self) -> registration::Actor<'a> {
        registration::Actor { sub: &self.actor.sub, role: self.actor.role, request_id: self.request_id }
    }
}

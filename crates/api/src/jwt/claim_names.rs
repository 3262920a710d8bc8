//! Which claims of a token say who the caller is to this service: its role and its förbund. The
//! service's own tokens say `role` and `forbund`; an organisation's identity provider has names of
//! its own (`finsam_role`, `extension_forbund`, …) or puts people in groups. Both the API's bearer
//! tokens and the pages' ID tokens are read through one `ClaimNames`.

use finsam_domain::Role;
use serde_json::{Map, Value};

use super::TokenError;

/// The prefix of the groups that carry a role: `finsam-analyst`, `finsam-registrar:<forbund_key>`.
pub const GROUP_PREFIX: &str = "finsam-";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClaimNames {
    /// The claim holding the role's code.
    pub role: String,
    /// The claim holding the förbund's key, for the roles that act for one.
    pub forbund: String,
    /// A claim holding a list of groups, read when the role claim is absent.
    pub groups: Option<String>,
}

impl Default for ClaimNames {
    fn default() -> Self {
        ClaimNames { role: "role".to_owned(), forbund: "forbund".to_owned(), groups: None }
    }
}

/// Who the claims make the caller.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Granted {
    pub role: Role,
    /// Set exactly for the roles that act for one förbund.
    pub forbund: Option<String>,
}

impl ClaimNames {
    /// The role and förbund the claims grant. No role claim (and no finsam group) is
    /// `MissingClaim("role")`: a person the provider knows but this service has no role for.
    pub fn granted(&self, claims: &Map<String, Value>) -> Result<Granted, TokenError> {
        match claims.get(&self.role) {
            Some(Value::String(role)) if !role.is_empty() => {
                let role =
                    Role::from_claim(role).ok_or_else(|| TokenError::UnknownRole(TokenError::from_caller(role)))?;
                let forbund = match claims.get(&self.forbund) {
                    Some(Value::String(key)) => Some(key.as_str()),
                    _ => None,
                };
                scoped(role, forbund)
            }
            None | Some(Value::Null) => self.granted_by_groups(claims),
            Some(Value::String(_)) => Err(TokenError::MissingClaim("role")),
            Some(_) => Err(TokenError::Malformed),
        }
    }

    /// The strongest finsam group the person is in: admin, then analyst, registrar, integration.
    fn granted_by_groups(&self, claims: &Map<String, Value>) -> Result<Granted, TokenError> {
        let Some(Value::Array(groups)) = self.groups.as_ref().and_then(|name| claims.get(name)) else {
            return Err(TokenError::MissingClaim("role"));
        };
        let granted = groups.iter().filter_map(Value::as_str).filter_map(|group| {
            let (role, forbund) = match group.strip_prefix(GROUP_PREFIX)?.split_once(':') {
                Some((role, forbund)) => (role, Some(forbund)),
                None => (group.strip_prefix(GROUP_PREFIX)?, None),
            };
            scoped(Role::from_claim(role)?, forbund).ok()
        });
        let rank = |role: Role| {
            [Role::Admin, Role::Analyst, Role::Registrar, Role::Integration].iter().position(|r| *r == role)
        };
        granted.min_by_key(|g| rank(g.role)).ok_or(TokenError::MissingClaim("role"))
    }
}

fn scoped(role: Role, forbund: Option<&str>) -> Result<Granted, TokenError> {
    // These roles act for one förbund, so a token without it could not be scoped.
    if !role.needs_forbund() {
        return Ok(Granted { role, forbund: None });
    }
    match forbund {
        Some(key) if !key.trim().is_empty() => Ok(Granted { role, forbund: Some(key.to_owned()) }),
        _ => Err(TokenError::MissingForbund),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use super::*;

    fn map(value: Value) -> Map<String, Value> {
        value.as_object().unwrap().clone()
    }

    #[test]
    fn a_providers_own_claim_names_and_groups_grant_roles() {
        let names =
            ClaimNames { role: "finsam_role".into(), forbund: "finsam_forbund".into(), groups: Some("groups".into()) };
        let granted = |claims| names.granted(&map(claims));
        assert_eq!(
            granted(json!({"finsam_role": "registrar", "finsam_forbund": "finsam-i-malmo"})),
            Ok(Granted { role: Role::Registrar, forbund: Some("finsam-i-malmo".into()) })
        );
        assert_eq!(granted(json!({"finsam_role": "analyst", "finsam_forbund": "x"})).unwrap().forbund, None);
        assert_eq!(granted(json!({"finsam_role": "registrar"})), Err(TokenError::MissingForbund));
        assert_eq!(granted(json!({"finsam_role": "system"})), Err(TokenError::UnknownRole("system".into())));
        // `role` is not the provider's name for it here.
        assert_eq!(granted(json!({"role": "admin"})), Err(TokenError::MissingClaim("role")));
        assert_eq!(
            granted(json!({"groups": ["staff", "finsam-registrar:finsam-i-malmo", "finsam-analyst"]})),
            Ok(Granted { role: Role::Analyst, forbund: None })
        );
        assert_eq!(
            granted(json!({"groups": ["finsam-integration:a", "finsam-registrar:b"]})),
            Ok(Granted { role: Role::Registrar, forbund: Some("b".into()) })
        );
        for no_role in
            [json!({"groups": ["finsam-registrar", "finsam-system", "staff"]}), json!({"groups": []}), json!({})]
        {
            assert_eq!(granted(no_role), Err(TokenError::MissingClaim("role")));
        }
    }
}

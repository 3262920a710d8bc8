//! Adding a municipality's membership in a förbund, and changing its end or share (admin),
//! audited: the municipality's shares may never sum to more than 1 on any day.

use diesel::{Connection, PgConnection};
use finsam_domain::access::Action;
use finsam_domain::codes::Code;
use finsam_domain::membership::{self as rules, Membership, MembershipInput};
use finsam_domain::{ErrorCode, FieldError};
use finsam_store::audit::{self, NewAuditEvent};
use finsam_store::memberships as store;
use finsam_store::reference;

use crate::{Acting, Refused};

/// Adds the membership; 422 when its period starts as another of the same förbund and
/// municipality, or when the shares would exceed 1.
pub fn add(
    conn: &mut PgConnection,
    who: &Acting<'_>,
    forbund: &str,
    input: &MembershipInput,
) -> Result<Membership, Refused> {
    who.may(Action::ManageMemberships, Some(forbund))?;
    conn.transaction(|conn| {
        let (mut all, new) = prepare(conn, forbund, input)?;
        if all.iter().any(|m| m.forbund_key == forbund && m.valid_from == input.valid_from) {
            return Err(Refused::Invalid(vec![FieldError::new(
                "/valid_from",
                ErrorCode::DuplicateMembership,
                "the förbund already has a membership of this municipality from this date",
            )]));
        }
        all.push(new.clone());
        rules::shares_fit(&all)
            .map_err(|e| Refused::Invalid(vec![rules::shares_exceed_one(&input.municipality_code, e)]))?;
        let stored = store::insert(conn, &new)?;
        record(conn, who, &stored, "create", None)?;
        Ok(stored)
    })
}

/// Changes the end and share of the membership from `input.valid_from`.
pub fn change(
    conn: &mut PgConnection,
    who: &Acting<'_>,
    forbund: &str,
    input: &MembershipInput,
) -> Result<Membership, Refused> {
    who.may(Action::ManageMemberships, Some(forbund))?;
    conn.transaction(|conn| {
        let (mut all, new) = prepare(conn, forbund, input)?;
        let Some(position) = all.iter().position(|m| m.forbund_key == forbund && m.valid_from == input.valid_from)
        else {
            return Err(Refused::NotFound(format!(
                "no membership of {} in {forbund} from {}",
                input.municipality_code, input.valid_from
            )));
        };
        let before = std::mem::replace(&mut all[position], new.clone());
        rules::shares_fit(&all)
            .map_err(|e| Refused::Invalid(vec![rules::shares_exceed_one(&input.municipality_code, e)]))?;
        let stored = store::update(conn, &new)?;
        record(conn, who, &stored, "update", Some(&before))?;
        Ok(stored)
    })
}

/// Every membership of the förbund.
pub fn list(conn: &mut PgConnection, forbund: &str) -> Result<Vec<Membership>, Refused> {
    if !reference::forbund_exists(conn, forbund)? {
        return Err(Refused::NotFound(format!("no förbund {forbund:?}")));
    }
    Ok(store::of_forbund(conn, forbund)?)
}

/// The municipality's memberships, locked, and the new one as it would be stored.
fn prepare(
    conn: &mut PgConnection,
    forbund: &str,
    input: &MembershipInput,
) -> Result<(Vec<Membership>, Membership), Refused> {
    if !reference::forbund_exists(conn, forbund)? {
        return Err(Refused::NotFound(format!("no förbund {forbund:?}")));
    }
    if !store::lock_municipality(conn, &input.municipality_code)? {
        return Err(Refused::Invalid(vec![FieldError::new(
            "/municipality_code",
            ErrorCode::UnknownCode,
            format!("no municipality {}", input.municipality_code),
        )]));
    }
    let new = Membership {
        forbund_key: forbund.to_owned(),
        municipality_code: input.municipality_code.clone(),
        valid_from: input.valid_from,
        valid_to: input.valid_to,
        share: input.share,
    };
    let all = store::of_municipality(conn, &input.municipality_code)?;
    if rules::overlaps_own(&all, &new) {
        return Err(Refused::Invalid(vec![FieldError::new(
            "/valid_to",
            ErrorCode::DuplicateMembership,
            "overlaps another membership of the municipality in this förbund",
        )]));
    }
    Ok((all, new))
}

fn record(
    conn: &mut PgConnection,
    who: &Acting<'_>,
    after: &Membership,
    action: &str,
    before: Option<&Membership>,
) -> Result<(), Refused> {
    let id = format!("{}/{}/{}", after.forbund_key, after.municipality_code, after.valid_from);
    let actor = who.store();
    let json = |m: &Membership| serde_json::to_value(m).expect("memberships serialise");
    audit::record(
        conn,
        &NewAuditEvent {
            actor: actor.sub,
            actor_role: actor.role.code(),
            forbund_key: Some(&after.forbund_key),
            entity: store::ENTITY,
            entity_id: &id,
            action,
            before: before.map(json),
            after: Some(json(after)),
            reason: None,
            request_id: actor.request_id,
        },
    )?;
    Ok(())
}

//! The append-only history. Callers write an event in the same transaction as the change it
//! describes, so that a change and its record stand or fall together.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use serde::Serialize;

use crate::schema::audit_events;

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = audit_events)]
pub struct NewAuditEvent<'a> {
    pub actor: &'a str,
    pub actor_role: &'a str,
    pub forbund_key: Option<&'a str>,
    pub entity: &'a str,
    pub entity_id: &'a str,
    pub action: &'a str,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
    pub reason: Option<&'a str>,
    pub request_id: Option<&'a str>,
}

#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[diesel(table_name = audit_events)]
pub struct AuditEvent {
    pub id: i64,
    pub occurred_at: DateTime<Utc>,
    pub actor: String,
    pub actor_role: String,
    pub forbund_key: Option<String>,
    pub entity: String,
    pub entity_id: String,
    pub action: String,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
    pub reason: Option<String>,
    pub request_id: Option<String>,
}

pub fn record(conn: &mut PgConnection, event: &NewAuditEvent<'_>) -> QueryResult<i64> {
    diesel::insert_into(audit_events::table).values(event).returning(audit_events::id).get_result(conn)
}

/// Events for one entity, oldest first.
pub fn for_entity(conn: &mut PgConnection, entity: &str, entity_id: &str) -> QueryResult<Vec<AuditEvent>> {
    audit_events::table
        .filter(audit_events::entity.eq(entity))
        .filter(audit_events::entity_id.eq(entity_id))
        .order(audit_events::id.asc())
        .select(AuditEvent::as_select())
        .load(conn)
}

/// A förbund's events after `after_id`, oldest first, at most `limit`.
pub fn for_forbund(conn: &mut PgConnection, forbund: &str, after_id: i64, limit: i64) -> QueryResult<Vec<AuditEvent>> {
    audit_events::table
        .filter(audit_events::forbund_key.eq(forbund))
        .filter(audit_events::id.gt(after_id))
        .order(audit_events::id.asc())
        .limit(limit)
        .select(AuditEvent::as_select())
        .load(conn)
}

//! A new insats as one statement: the insert, its target groups and its audit event. A single
//! statement is atomic on its own, so a registration costs one round trip instead of five
//! (BEGIN, INSERT, audit INSERT, COMMIT, plus the target groups): what a case system pushing
//! insatser one by one waits for. The audit event's `after` is the record exactly as serde
//! writes it, with the values only the database knows (id, version, times) filled in by the
//! statement, the times formatted as chrono does.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel::sql_types::{Array, BigInt, Date, Integer, Jsonb, Nullable, Text, Timestamptz};
use finsam_domain::codes::Code;
use finsam_domain::insats::Insats;
use finsam_domain::records::InsatsRecord;

use super::{Actor, INSATS_ENTITY, WriteError};

/// SQL for the timestamptz expression `t` as chrono's serde writes a `DateTime<Utc>` (RFC 3339,
/// `Z`, the fraction in 0, 3 or 6 digits as needed; PostgreSQL keeps microseconds).
pub fn rfc3339(t: &str) -> String {
    let utc = format!("({t} AT TIME ZONE 'UTC')");
    format!(
        "to_char({utc}, 'YYYY-MM-DD\"T\"HH24:MI:SS') || CASE \
           WHEN extract(microseconds FROM {t})::bigint % 1000000 = 0 THEN '' \
           WHEN extract(microseconds FROM {t})::bigint % 1000 = 0 THEN to_char({utc}, '.MS') \
           ELSE to_char({utc}, '.US') END || 'Z'"
    )
}

fn statement() -> String {
    format!(
        "WITH new AS ( \
           INSERT INTO insatser (forbund_key, external_ref, name, description, kind, orientation, start_date, end_date) \
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
           RETURNING id, version, created_at, updated_at \
         ), groups AS ( \
           INSERT INTO insats_target_groups (insats_id, target_group) \
           SELECT new.id, g FROM new, unnest($9::text[]) AS g \
         ), audit AS ( \
           INSERT INTO audit_events (actor, actor_role, forbund_key, entity, entity_id, action, after, request_id) \
           SELECT $10, $11, $1, '{INSATS_ENTITY}', new.id::text, 'create', \
             $12::jsonb || jsonb_build_object('id', new.id, 'version', new.version, \
               'created_at', {created}, 'updated_at', {updated}), \
             $13 \
           FROM new \
         ) \
         SELECT id, version, created_at, updated_at FROM new",
        created = rfc3339("new.created_at"),
        updated = rfc3339("new.updated_at"),
    )
}

#[derive(QueryableByName)]
struct Inserted {
    #[diesel(sql_type = BigInt)]
    id: i64,
    #[diesel(sql_type = Integer)]
    version: i32,
    #[diesel(sql_type = Timestamptz)]
    created_at: DateTime<Utc>,
    #[diesel(sql_type = Timestamptz)]
    updated_at: DateTime<Utc>,
}

/// Inserts a new insats of `forbund` with its audit event, in one statement. An unknown
/// förbund is [`WriteError::NotFound`], by its foreign key; a taken external_ref a conflict.
pub fn insert_recorded(
    conn: &mut PgConnection,
    forbund: &str,
    insats: &Insats,
    actor: &Actor<'_>,
) -> Result<InsatsRecord, WriteError> {
    let mut groups = insats.target_groups.clone();
    groups.sort();
    let mut record = InsatsRecord {
        id: 0,
        forbund_key: forbund.to_owned(),
        insats: Insats { target_groups: groups, ..insats.clone() },
        version: 0,
        created_at: DateTime::<Utc>::MIN_UTC,
        updated_at: DateTime::<Utc>::MIN_UTC,
        years: Vec::new(),
    };
    let mut after = serde_json::to_value(&record).expect("records serialise");
    if let Some(fields) = after.as_object_mut() {
        for filled_in in ["id", "version", "created_at", "updated_at"] {
            fields.remove(filled_in);
        }
    }
    let codes: Vec<&str> = record.insats.target_groups.iter().map(|g| g.code()).collect();
    let inserted: Inserted = diesel::sql_query(statement())
        .bind::<Text, _>(forbund)
        .bind::<Nullable<Text>, _>(insats.external_ref.as_deref())
        .bind::<Text, _>(&insats.name)
        .bind::<Nullable<Text>, _>(insats.description.as_deref())
        .bind::<Text, _>(insats.kind.code())
        .bind::<Text, _>(insats.orientation.code())
        .bind::<Date, _>(insats.start_date)
        .bind::<Nullable<Date>, _>(insats.end_date)
        .bind::<Array<Text>, _>(&codes)
        .bind::<Text, _>(actor.sub)
        .bind::<Text, _>(actor.role.code())
        .bind::<Jsonb, _>(&after)
        .bind::<Nullable<Text>, _>(actor.request_id)
        .get_result(conn)
        .map_err(|e| super::insatser::refused(e, insats))?;
    record.id = inserted.id;
    record.version = inserted.version;
    record.created_at = inserted.created_at;
    record.updated_at = inserted.updated_at;
    Ok(record)
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_statement_names_every_bind_it_is_given() {
        let sql = super::statement();
        for n in 1..=13 {
            assert!(sql.contains(&format!("${n}")), "${n} is bound but not used");
        }
        assert!(!sql.contains("$14"));
    }
}

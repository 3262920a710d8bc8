use diesel::prelude::*;
use diesel::sql_query;
use finsam_store::audit::{self, NewAuditEvent};
use finsam_test_db::TestDb;

fn event() -> NewAuditEvent<'static> {
    NewAuditEvent {
        actor: "registrar-1",
        actor_role: "registrar",
        forbund_key: Some("samordningsforbundet-i-blekinge"),
        entity: "insats",
        entity_id: "17",
        action: "create",
        before: None,
        after: Some(serde_json::json!({"name": "Arbetsträning"})),
        reason: None,
        request_id: Some("req-1"),
    }
}

#[test]
fn audit_rows_cannot_be_updated_deleted_or_truncated() {
    let db = TestDb::new();
    let mut conn = db.conn();
    let id = audit::record(&mut conn, &event()).unwrap();

    for statement in [
        format!("UPDATE audit_events SET actor = 'someone else' WHERE id = {id}"),
        format!("DELETE FROM audit_events WHERE id = {id}"),
        "TRUNCATE audit_events".to_owned(),
    ] {
        let error = sql_query(&statement).execute(&mut conn).expect_err(&statement).to_string();
        assert!(error.contains("append-only"), "{statement}: {error}");
    }

    let events = audit::for_entity(&mut conn, "insats", "17").unwrap();
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].actor, "registrar-1");
    assert_eq!(events[0].after, Some(serde_json::json!({"name": "Arbetsträning"})));
}

#[test]
fn audit_refuses_an_unknown_role() {
    let db = TestDb::new();
    let mut conn = db.conn();
    let error = audit::record(&mut conn, &NewAuditEvent { actor_role: "visitor", ..event() }).unwrap_err();
    assert!(error.to_string().contains("check constraint"), "{error}");
}

/// The one-statement registration writes its audit times in SQL; they must read exactly as
/// chrono's serde writes them, whatever the fraction of the second.
#[test]
fn times_formatted_in_sql_read_as_chrono_writes_them() {
    use chrono::{DateTime, Utc};
    use diesel::sql_types::Text;
    #[derive(diesel::QueryableByName)]
    struct Formatted {
        #[diesel(sql_type = Text)]
        text: String,
    }
    let db = finsam_test_db::TestDb::new();
    let mut conn = db.conn();
    for literal in [
        "2026-12-01T10:20:30Z",
        "2026-12-01T10:20:30.100Z",
        "2026-12-01T10:20:30.123Z",
        "2026-12-01T10:20:30.000100Z",
        "2026-12-01T10:20:30.123456Z",
        "2026-12-01T10:20:30.120400Z",
        "1999-01-02T03:04:05.000001Z",
    ] {
        let t: DateTime<Utc> = literal.parse().unwrap();
        let sql = format!(
            "SELECT {} AS text",
            finsam_store::registration::one_statement::rfc3339(&format!("'{literal}'::timestamptz"))
        );
        let formatted: Formatted = diesel::sql_query(sql).get_result(&mut conn).unwrap();
        assert_eq!(serde_json::Value::String(formatted.text), serde_json::to_value(t).unwrap(), "{literal}");
    }
}

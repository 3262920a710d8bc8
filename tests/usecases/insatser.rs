//! An insats as created: the record `create` returns is the one read back, and the one its
//! audit event holds; a taken external_ref and an unknown förbund change nothing.

use finsam_domain::TargetGroup;
use finsam_domain::version::Expected;
use finsam_store::audit;
use finsam_store::registration::{WriteError, insatser};
use finsam_test_db::TestDb;
use finsam_usecases::Refused;

use crate::usecases::support::{FORBUND, acting, admin, insats, registrar};

#[test]
fn a_created_insats_is_returned_read_back_and_audited_alike() {
    let db = TestDb::new();
    let mut conn = db.conn();
    let mut grouped = insats("grouped".to_owned());
    grouped.target_groups = vec![TargetGroup::Young, TargetGroup::LongTermSickListed, TargetGroup::WomenOnly];
    let mut described = insats("described".to_owned());
    described.description = Some("Med \"citat\" och radbrytning\noch ÅÄÖ".to_owned());
    described.end_date = chrono::NaiveDate::from_ymd_opt(2025, 6, 30);
    let who = registrar();
    for new in [insats("plain".to_owned()), grouped, described] {
        let created = finsam_usecases::insatser::create(&mut conn, &acting(&who), FORBUND, &new).expect("created");
        let read = insatser::get(&mut conn, FORBUND, created.id).unwrap().expect("there");
        assert_eq!(created, read);
        assert_eq!(created.insats.target_groups.len(), new.target_groups.len());
        let events = audit::for_entity(&mut conn, "insats", &created.id.to_string()).unwrap();
        assert_eq!(events.len(), 1);
        let event = &events[0];
        assert_eq!(
            (event.action.as_str(), event.actor.as_str(), event.actor_role.as_str()),
            ("create", "registrar-1", "registrar")
        );
        assert_eq!(event.forbund_key.as_deref(), Some(FORBUND));
        assert_eq!(event.before, None);
        assert_eq!(
            event.after.as_ref(),
            Some(&serde_json::to_value(&read).unwrap()),
            "the audit holds the record as read"
        );
    }
}

#[test]
fn a_refused_create_writes_nothing() {
    let db = TestDb::new();
    let mut conn = db.conn();
    let who = registrar();
    let mut grouped = insats("taken".to_owned());
    grouped.target_groups = vec![TargetGroup::Young];
    finsam_usecases::insatser::create(&mut conn, &acting(&who), FORBUND, &grouped).expect("created");
    let count = |conn: &mut diesel::PgConnection| {
        use diesel::prelude::*;
        let insatser: i64 = finsam_store::schema::insatser::table.count().get_result(conn).unwrap();
        let groups: i64 = finsam_store::schema::insats_target_groups::table.count().get_result(conn).unwrap();
        let events: i64 = finsam_store::schema::audit_events::table.count().get_result(conn).unwrap();
        (insatser, groups, events)
    };
    let before = count(&mut conn);
    match finsam_usecases::insatser::create(&mut conn, &acting(&who), FORBUND, &grouped) {
        Err(Refused::Write(WriteError::Conflict { code: finsam_domain::ErrorCode::ExternalRefTaken, .. }, _)) => {}
        other => panic!("a taken external_ref: {other:?}"),
    }
    let nobody = admin();
    match finsam_usecases::insatser::create(&mut conn, &acting(&nobody), "no-such-forbund", &insats("x".into())) {
        Err(Refused::NotFound(detail)) => assert!(detail.contains("no-such-forbund"), "{detail}"),
        other => panic!("an unknown förbund: {other:?}"),
    }
    match finsam_usecases::insatser::replace(&mut conn, &acting(&who), FORBUND, 999_999, &grouped, Expected::NONE) {
        Err(Refused::NotFound(detail)) => assert!(detail.contains("999999"), "{detail}"),
        other => panic!("an unknown insats: {other:?}"),
    }
    assert_eq!(count(&mut conn), before, "nothing written by the refused calls");
}

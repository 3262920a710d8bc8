//! The demo (finsam-demo) loaded into a fresh database.

use diesel::prelude::*;
use finsam_demo::{DemoError, load};
use finsam_store::schema::{audit_events, insatser};
use finsam_test_db::TestDb;

#[test]
fn the_demo_loads_once_and_audits_everything() {
    let db = TestDb::new();
    let mut conn = db.conn();
    let summary = load(&mut conn).expect("the demo loads");
    assert_eq!(summary.insatser, 571);
    assert_eq!(summary.finances, 65 * 8, "2016–2023 for the 65 registering förbund");
    assert_eq!(summary.submitted, 58);

    let by_kind: Vec<(String, i64)> = insatser::table
        .group_by(insatser::kind)
        .select((insatser::kind, diesel::dsl::count_star()))
        .order(insatser::kind)
        .load(&mut conn)
        .unwrap();
    assert_eq!(by_kind, vec![("individual".to_owned(), 296), ("structural".to_owned(), 275)]);
    let audited: i64 =
        audit_events::table.filter(audit_events::actor.eq("finsam demo")).count().get_result(&mut conn).unwrap();
    assert_eq!(audited, 571 * 2 + 65 * 8 + 58, "every write has its audit event");

    assert!(matches!(load(&mut conn), Err(DemoError::NotEmpty)));
}

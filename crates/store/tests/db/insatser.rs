//! The store's insatser as created: the record `create` returns is the one read back.

use finsam_domain::TargetGroup;
use finsam_store::registration::insatser;
use finsam_test_db::TestDb;

use crate::support::{ACTOR, FORBUND, insats};

#[test]
fn a_created_insats_is_returned_as_it_is_read_back() {
    let db = TestDb::new();
    let mut conn = db.conn();
    let mut grouped = insats("grouped".to_owned());
    grouped.target_groups = vec![TargetGroup::Young, TargetGroup::LongTermSickListed, TargetGroup::WomenOnly];
    for new in [insats("plain".to_owned()), grouped] {
        let created = insatser::create(&mut conn, FORBUND, &new, &ACTOR).expect("created");
        let read = insatser::get(&mut conn, FORBUND, created.id).unwrap().expect("there");
        assert_eq!(created, read);
        assert_eq!(created.insats.target_groups.len(), new.target_groups.len());
    }
}

use finsam_store::reference;
use finsam_test_db::TestDb;

#[test]
fn seed_loads_the_reference_data_once() {
    let db = TestDb::new();
    let mut conn = db.conn();
    // The template is seeded already: a second seed adds nothing and audits nothing.
    let again = reference::seed(&mut conn).unwrap();
    assert_eq!(again.total(), 0);
    let seeds = finsam_store::audit::for_entity(&mut conn, "reference_data", "reference-2023").unwrap();
    assert_eq!(seeds.len(), 1);
    assert_eq!(seeds[0].after.as_ref().unwrap()["memberships"], 274);

    assert_eq!(reference::list_counties(&mut conn).unwrap().len(), 21);
    assert_eq!(reference::list_municipalities(&mut conn, None).unwrap().len(), 290);
    assert_eq!(reference::list_municipalities(&mut conn, Some("25")).unwrap().len(), 14);
    let forbund = reference::list_forbund(&mut conn, 2023).unwrap();
    // The membership file holds 72 distinct förbund (its README speaks of 73 appendix names; the
    // 73rd, merged during the year, has no row), matching the report's "72 förbund".
    assert_eq!(forbund.len(), 72);
    let members: usize = forbund.iter().map(|f| f.municipality_codes.len()).sum();
    assert_eq!(members, 274);
}

#[test]
fn membership_follows_the_year() {
    let db = TestDb::new();
    let mut conn = db.conn();
    let key = "vastra-varmlands-och-norra-dalslands-samordningsforbund";
    let f = reference::get_forbund(&mut conn, key, 2023).unwrap().expect("exists");
    assert_eq!(f.county_codes, vec!["14".to_owned(), "17".to_owned()], "spans two counties");
    let before = reference::get_forbund(&mut conn, key, 2022).unwrap().expect("exists");
    assert!(before.municipality_codes.is_empty(), "no membership is recorded before 2023");
    assert!(reference::get_forbund(&mut conn, "no-such-forbund", 2023).unwrap().is_none());
}

use diesel::prelude::*;
use diesel::sql_query;
use finsam_store::{migrations, reference};
use finsam_test_db::TestDb;

#[derive(QueryableByName, Debug, PartialEq)]
struct Table {
    #[diesel(sql_type = diesel::sql_types::Text)]
    tablename: String,
}

fn tables(conn: &mut PgConnection) -> Vec<String> {
    sql_query("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")
        .load::<Table>(conn)
        .unwrap()
        .into_iter()
        .map(|t| t.tablename)
        .collect()
}

#[test]
fn migrations_run_up_down_and_up_again() {
    let db = TestDb::new();
    let mut conn = db.conn();
    let migrated = tables(&mut conn);
    assert!(migrated.contains(&"insats_years".to_owned()), "{migrated:?}");
    assert!(migrated.contains(&"audit_events".to_owned()), "{migrated:?}");

    // Every migration of the folder, counted there so that a new one needs no change here.
    let count = std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/../migrations")).unwrap().count();
    let reverted = migrations::revert_all(&mut conn).expect("down");
    assert_eq!(reverted.len(), count, "{reverted:?}");
    assert_eq!(tables(&mut conn), vec!["__diesel_schema_migrations".to_owned()]);
    assert!(migrations::run_pending(&mut conn).expect("nothing left to revert").len() == count);

    assert_eq!(tables(&mut conn), migrated);
    let seeded = reference::seed(&mut conn).expect("seed after up again");
    assert_eq!((seeded.counties, seeded.municipalities, seeded.forbund, seeded.memberships), (21, 290, 72, 274));
    assert!(migrations::run_pending(&mut conn).unwrap().is_empty(), "a second run applies nothing");
}

//! The database's code lists (code tables, per-code columns, CHECK constraints) against the
//! domain's enums, their only definition: a code added to one without a migration for the
//! other, or the reverse, fails here rather than as a refused insert or a table request that
//! cannot place a row.

use std::collections::BTreeSet;

use diesel::prelude::*;
use diesel::sql_query;
use diesel::sql_types::Text;
use finsam_domain::codes::Code;
use finsam_domain::codes::{DischargeStatus, RemarkCategory};
use finsam_domain::{ExitReason, Gender, Kind, Orientation, Party, Role, TargetGroup};
use finsam_test_db::TestDb;

#[derive(QueryableByName)]
struct Row {
    #[diesel(sql_type = Text)]
    a: String,
    #[diesel(sql_type = Text)]
    b: String,
    #[diesel(sql_type = Text)]
    c: String,
}

/// Rows of three text columns `a`, `b`, `c`, as a set (a code table has no order).
fn rows(conn: &mut PgConnection, query: &str) -> BTreeSet<(String, String, String)> {
    sql_query(query).load::<Row>(conn).unwrap().into_iter().map(|r| (r.a, r.b, r.c)).collect()
}

fn owned<'a>(items: impl IntoIterator<Item = (&'a str, &'a str, &'a str)>) -> BTreeSet<(String, String, String)> {
    items.into_iter().map(|(a, b, c)| (a.to_owned(), b.to_owned(), c.to_owned())).collect()
}

/// The table's columns named `<prefix>_…`, without the prefix.
fn columns(conn: &mut PgConnection, table: &str, prefix: &str) -> BTreeSet<String> {
    let query = format!(
        "SELECT column_name AS a, '' AS b, '' AS c FROM information_schema.columns \
         WHERE table_schema = 'public' AND table_name = '{table}' AND starts_with(column_name, '{prefix}_')"
    );
    rows(conn, &query).into_iter().map(|(name, _, _)| name[prefix.len() + 1..].to_owned()).collect()
}

/// The quoted literals of a table's CHECK constraints that mention `column`.
fn check_literals(conn: &mut PgConnection, table: &str, column: &str) -> BTreeSet<String> {
    let query = format!(
        "SELECT pg_get_constraintdef(oid) AS a, '' AS b, '' AS c FROM pg_constraint \
         WHERE conrelid = 'public.{table}'::regclass AND contype = 'c'"
    );
    let definitions = rows(conn, &query).into_iter().map(|(definition, _, _)| definition);
    definitions
        .filter(|definition| definition.contains(column))
        // Between every other pair of quotes: 'a', 'b' → a, b (no code holds a quote).
        .flat_map(|definition| definition.split('\'').skip(1).step_by(2).map(str::to_owned).collect::<Vec<_>>())
        .collect()
}

#[test]
fn code_tables_hold_exactly_the_domain_codes_and_names() {
    let db = TestDb::new();
    let mut conn = db.conn();

    assert_eq!(
        rows(&mut conn, "SELECT code AS a, name_sv AS b, '' AS c FROM insats_kinds"),
        owned(Kind::ALL.iter().map(|k| (k.code(), k.name_sv(), ""))),
    );
    assert_eq!(
        rows(&mut conn, "SELECT code AS a, kind AS b, name_sv AS c FROM orientations"),
        owned(Orientation::ALL.iter().map(|o| (o.code(), o.kind().code(), o.name_sv()))),
        "an orientation's kind in the database is the one the domain gives it",
    );
    assert_eq!(
        rows(&mut conn, "SELECT code AS a, name_sv AS b, '' AS c FROM target_groups"),
        owned(TargetGroup::ALL.iter().map(|g| (g.code(), g.name_sv(), ""))),
    );
}

#[test]
fn per_code_columns_are_the_domain_codes() {
    let db = TestDb::new();
    let mut conn = db.conn();
    let codes = |all: Vec<&str>| all.into_iter().map(str::to_owned).collect::<BTreeSet<_>>();

    let exits: Vec<String> = ExitReason::ALL
        .iter()
        .flat_map(|r| Gender::ALL.iter().map(move |g| format!("{}_{}", r.code(), g.code())))
        .collect();
    assert_eq!(columns(&mut conn, "insats_years", "exits"), exits.into_iter().collect());
    assert_eq!(columns(&mut conn, "insats_years", "participants"), codes(Gender::codes()));
    assert_eq!(columns(&mut conn, "forbund_finances", "contributions"), codes(Party::codes()));
}

#[test]
fn check_constraints_name_only_domain_codes() {
    let db = TestDb::new();
    let mut conn = db.conn();

    let kinds: BTreeSet<String> = Kind::codes().into_iter().map(str::to_owned).collect();
    for table in ["insats_years", "insats_target_groups"] {
        let literals = check_literals(&mut conn, table, "kind");
        assert!(!literals.is_empty(), "{table} checks the kind");
        assert!(literals.is_subset(&kinds), "{table}: {literals:?} against {kinds:?}");
    }
    // Every role, the service's own (`system`) among them.
    let roles: BTreeSet<String> = Role::codes().into_iter().map(str::to_owned).collect();
    assert_eq!(check_literals(&mut conn, "audit_events", "actor_role"), roles);
    // A session is a person's: every role a token may claim, and not the service's own.
    let claimable: BTreeSet<String> = Role::claimable().into_iter().map(str::to_owned).collect();
    assert_eq!(check_literals(&mut conn, "sessions", "role"), claimable);

    // The annual report's code columns: every discharge status and remark category, and no other.
    let owned_codes = |all: Vec<&str>| all.into_iter().map(str::to_owned).collect::<BTreeSet<_>>();
    assert_eq!(check_literals(&mut conn, "annual_report_members", "discharge"), owned_codes(DischargeStatus::codes()));
    assert_eq!(check_literals(&mut conn, "annual_report_remarks", "category"), owned_codes(RemarkCategory::codes()));
}

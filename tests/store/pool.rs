//! The pool's bounds on waiting: a statement past its timeout is cancelled and reported as such,
//! and an unreachable database is reported as unavailable after the acquisition timeout.

use std::time::{Duration, Instant};

use diesel::RunQueryDsl;
use finsam_store::{PoolOptions, StoreError, connect_with};
use finsam_test_db::TestDb;

#[test]
fn a_statement_past_the_timeout_is_cancelled_and_named_a_timeout() {
    let db = TestDb::new();
    let options = PoolOptions { statement_timeout: Duration::from_millis(200), ..PoolOptions::new(2) };
    let pool = connect_with(db.url(), &options).unwrap();
    let mut conn = pool.get().unwrap();
    diesel::sql_query("SELECT pg_sleep(0.01)").execute(&mut conn).expect("a short statement runs");
    let started = Instant::now();
    let error = StoreError::from(diesel::sql_query("SELECT pg_sleep(5)").execute(&mut conn).unwrap_err());
    assert!(started.elapsed() < Duration::from_secs(3), "cancelled, not waited out");
    assert!(error.is_timeout(), "{error}");
    assert!(!error.is_unavailable(), "{error}");
    // The connection is still good for the next statement.
    diesel::sql_query("SELECT 1").execute(&mut conn).unwrap();
}

#[test]
fn a_connection_killed_under_a_query_is_unavailable_not_an_internal_error() {
    let db = TestDb::new();
    let pool = connect_with(db.url(), &PoolOptions::new(2)).unwrap();
    let mut victim = pool.get().unwrap();
    let mut other = pool.get().unwrap();
    #[derive(diesel::QueryableByName)]
    struct Pid {
        #[diesel(sql_type = diesel::sql_types::Integer)]
        pid: i32,
    }
    let pid = diesel::sql_query("SELECT pg_backend_pid() AS pid").get_result::<Pid>(&mut victim).unwrap().pid;
    diesel::sql_query(format!("SELECT pg_terminate_backend({pid})")).execute(&mut other).unwrap();
    let error = StoreError::from(diesel::sql_query("SELECT 1").execute(&mut victim).unwrap_err());
    assert!(error.is_unavailable(), "{error}");
}

#[test]
fn an_unreachable_database_is_unavailable_after_the_acquisition_timeout() {
    let db = TestDb::new();
    let options = PoolOptions { acquire_timeout: Duration::from_millis(500), ..PoolOptions::new(1) };
    let pool = connect_with(db.url(), &options).unwrap();
    let held = pool.get().unwrap();
    let started = Instant::now();
    let error = StoreError::from(pool.get().err().expect("no second connection"));
    let waited = started.elapsed();
    assert!(error.is_unavailable(), "{error}");
    assert!(waited >= Duration::from_millis(450) && waited < Duration::from_secs(3), "waited {waited:?}");
    drop(held);
}

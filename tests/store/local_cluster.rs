use std::os::unix::fs::PermissionsExt;

use diesel::prelude::*;
use diesel::sql_query;
use finsam_store::local_pg::{Durability, LocalCluster};
use finsam_store::pool::establish;

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    n: i64,
}

/// Searchable by others, so that the server's OS user can enter it when the test runs as root.
pub fn data_dir() -> tempfile::TempDir {
    tempfile::Builder::new()
        .prefix("finsam-cluster-test")
        .permissions(std::fs::Permissions::from_mode(0o755))
        .tempdir()
        .unwrap()
}

#[test]
fn a_cluster_starts_keeps_its_data_and_stops() {
    let dir = data_dir();
    let mut cluster = LocalCluster::start(dir.path(), Durability::Throwaway).expect("first start");
    assert!(cluster.started_here());
    cluster.ensure_database("finsam").unwrap();
    cluster.ensure_database("finsam").expect("idempotent");
    {
        let mut conn = establish(&cluster.url("finsam")).unwrap();
        sql_query("CREATE TABLE kept (n int)").execute(&mut conn).unwrap();
        sql_query("INSERT INTO kept VALUES (42)").execute(&mut conn).unwrap();
    }

    // A second handle finds it running and does not own it.
    let second = LocalCluster::start(dir.path(), Durability::Throwaway).expect("reuse");
    assert!(!second.started_here());
    assert_eq!(second.url("finsam"), cluster.url("finsam"));

    cluster.stop().unwrap();
    assert!(!cluster.is_running());
    assert!(!cluster.pgdata().join("postmaster.pid").exists(), "no server left behind");
    assert!(establish(&cluster.url("finsam")).is_err());

    let mut again = LocalCluster::start(dir.path(), Durability::Throwaway).expect("restart");
    assert!(again.started_here());
    let mut conn = establish(&again.url("finsam")).unwrap();
    let kept = sql_query("SELECT count(*) AS n FROM kept WHERE n = 42").get_result::<Count>(&mut conn).unwrap();
    assert_eq!(kept.n, 1);
    drop(conn);
    again.stop().unwrap();
}

#[test]
fn an_unusable_data_dir_is_named_in_the_error() {
    let file = tempfile::NamedTempFile::new().unwrap();
    let below_a_file = file.path().join("data");
    let error = LocalCluster::start(&below_a_file, Durability::Throwaway).unwrap_err().to_string();
    assert!(error.contains(&below_a_file.display().to_string()), "{error}");
    assert!(error.contains("Not a directory"), "{error}");
}

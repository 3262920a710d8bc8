//! Databases for tests. Every test process shares one PostgreSQL server: the one at
//! `DATABASE_URL` when it is set, otherwise a private cluster under the cargo target folder that
//! the first process starts and the others reuse (a lock file keeps them from racing). The
//! schema is migrated and seeded once into a template database named after the schema's
//! fingerprint; each test gets its own copy, dropped when the test ends.

use std::path::PathBuf;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU32, Ordering};

use diesel::pg::PgConnection;
use diesel::{QueryableByName, RunQueryDsl, sql_query};
use finsam_store::local_pg::{Durability, LocalCluster};
use finsam_store::pool::{establish, url_with_database};
use finsam_store::{PgPool, SCHEMA_FINGERPRINT, migrations, reference};

/// Serialises template creation and sweeping across processes on the same server.
const TEMPLATE_LOCK: i64 = 0x6669_6e73_616d_0002;
const PREFIX: &str = "finsam_test_";

struct Server {
    admin_url: String,
    template: String,
}

/// A fresh, migrated and seeded database of its own, dropped on drop.
pub struct TestDb {
    name: String,
    url: String,
    pool: OnceLock<PgPool>,
}

impl TestDb {
    pub fn new() -> TestDb {
        static NEXT: AtomicU32 = AtomicU32::new(0);
        let server = server();
        let name = format!("{PREFIX}{}_{}", std::process::id(), NEXT.fetch_add(1, Ordering::Relaxed));
        let mut admin = admin_connection(server);
        sql_query(format!("CREATE DATABASE {name} TEMPLATE {}", server.template))
            .execute(&mut admin)
            .unwrap_or_else(|e| panic!("test database {name}: {e}"));
        let url = url_with_database(&server.admin_url, &name);
        TestDb { name, url, pool: OnceLock::new() }
    }

    pub fn url(&self) -> &str {
        &self.url
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    pub fn pool(&self) -> PgPool {
        self.pool.get_or_init(|| finsam_store::connect(&self.url, 8).expect("connect to the test database")).clone()
    }

    pub fn conn(&self) -> PgConnection {
        establish(&self.url).expect("connect to the test database")
    }
}

impl Default for TestDb {
    fn default() -> Self {
        TestDb::new()
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        let mut admin = admin_connection(server());
        // FORCE ends the pool's sessions, which may outlive the test by a moment.
        if let Err(e) = sql_query(format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name)).execute(&mut admin) {
            eprintln!("could not drop test database {}: {e}", self.name);
        }
    }
}

/// The URL of the maintenance database of the shared test server.
pub fn admin_url() -> &'static str {
    &server().admin_url
}

fn server() -> &'static Server {
    static SERVER: OnceLock<Server> = OnceLock::new();
    SERVER.get_or_init(|| {
        let admin_url = match std::env::var("DATABASE_URL") {
            Ok(url) if !url.trim().is_empty() => url,
            _ => local_cluster_url(),
        };
        let template = prepare_template(&admin_url);
        Server { admin_url, template }
    })
}

fn admin_connection(server: &Server) -> PgConnection {
    establish(&server.admin_url).unwrap_or_else(|e| panic!("test database server: {e}"))
}

/// Starts (or finds running) the shared cluster. It is left running when the process ends, so
/// that the next test process finds it warm.
fn local_cluster_url() -> String {
    let target = target_dir();
    std::fs::create_dir_all(&target).expect("create the target folder");
    let lock = std::fs::File::create(target.join("finsam-test-pg.lock")).expect("create the test cluster lock file");
    lock.lock().expect("lock the test cluster lock file");
    let cluster = LocalCluster::start(&target.join("finsam-test-pg"), Durability::Throwaway)
        .unwrap_or_else(|e| panic!("test PostgreSQL cluster: {e}"));
    cluster.url("postgres")
}

/// `CARGO_TARGET_DIR`, else the folder three levels above the test binary (target/debug/deps).
fn target_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("CARGO_TARGET_DIR") {
        return PathBuf::from(dir);
    }
    let exe = std::env::current_exe().expect("path of the test binary");
    exe.ancestors().nth(3).map(PathBuf::from).unwrap_or_else(std::env::temp_dir)
}

#[derive(QueryableByName)]
struct Datname {
    #[diesel(sql_type = diesel::sql_types::Text)]
    datname: String,
}

/// Builds the template under a temporary name and renames it when complete, so that a crash
/// half-way never leaves a half-migrated template behind. Sweeps outdated templates and the
/// databases of test processes that have ended.
fn prepare_template(admin_url: &str) -> String {
    let template = format!("finsam_tpl_{SCHEMA_FINGERPRINT}");
    let mut admin = establish(admin_url).unwrap_or_else(|e| panic!("test database server: {e}"));
    sql_query(format!("SELECT pg_advisory_lock({TEMPLATE_LOCK})")).execute(&mut admin).expect("advisory lock");

    let databases: Vec<String> = sql_query("SELECT datname FROM pg_database")
        .load::<Datname>(&mut admin)
        .expect("list databases")
        .into_iter()
        .map(|d| d.datname)
        .collect();
    for name in &databases {
        let stale_template = name.starts_with("finsam_tpl_") && *name != template;
        if stale_template || owner_has_exited(name) {
            let _ = sql_query(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).execute(&mut admin);
        }
    }
    if !databases.contains(&template) {
        let building = format!("{template}_wip");
        sql_query(format!("DROP DATABASE IF EXISTS {building} WITH (FORCE)")).execute(&mut admin).expect("drop wip");
        sql_query(format!("CREATE DATABASE {building}")).execute(&mut admin).expect("create template");
        {
            let mut conn = establish(&url_with_database(admin_url, &building)).expect("connect to template");
            migrations::run_pending(&mut conn).unwrap_or_else(|e| panic!("migrating the test template: {e}"));
            reference::seed(&mut conn).unwrap_or_else(|e| panic!("seeding the test template: {e}"));
        }
        sql_query(format!("ALTER DATABASE {building} RENAME TO {template}"))
            .execute(&mut admin)
            .expect("rename template");
    }
    sql_query(format!("SELECT pg_advisory_unlock({TEMPLATE_LOCK})")).execute(&mut admin).expect("advisory unlock");
    template
}

/// `finsam_test_<pid>_<n>` of a process that is no longer running on this machine.
fn owner_has_exited(name: &str) -> bool {
    let Some(rest) = name.strip_prefix(PREFIX) else { return false };
    let Some(pid) = rest.split('_').next().and_then(|p| p.parse::<u32>().ok()) else { return false };
    pid != std::process::id() && !PathBuf::from(format!("/proc/{pid}")).exists()
}

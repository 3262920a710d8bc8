//! Which database a command works on: the server at `DATABASE_URL`, or else a private cluster
//! in the data folder, started for the command and stopped after it.

use std::path::PathBuf;
use std::time::Duration;

use anyhow::Context;
use clap::Args;
use finsam_store::local_pg::{Durability, LocalCluster};
use finsam_store::{PgPool, PoolOptions, migrations, reference};

const LOCAL_DATABASE: &str = "finsam";

#[derive(Debug, Args)]
pub struct DatabaseArgs {
    /// PostgreSQL to use, e.g. postgres://user@host:5432/finsam. Without it, finsam runs its
    /// own cluster in --data-dir from the machine's PostgreSQL binaries.
    #[arg(long, global = true, env = "DATABASE_URL", hide_env_values = true)]
    pub database_url: Option<String>,
    /// Folder for the private PostgreSQL cluster (used only without DATABASE_URL).
    #[arg(long, global = true, env = "FINSAM_DATA_DIR", default_value = "finsam-data")]
    pub data_dir: PathBuf,
    /// Most connections the service holds open.
    #[arg(long, global = true, env = "FINSAM_DB_POOL_SIZE", default_value_t = 16)]
    pub pool_size: u32,
    /// A read replica for the analysts' table reads (`finsam serve` only); without it they go to
    /// the primary.
    #[arg(long, global = true, env = "DATABASE_READ_URL", hide_env_values = true)]
    pub database_read_url: Option<String>,
    /// Seconds a request waits for a database connection before it gets a 503.
    #[arg(long, global = true, env = "FINSAM_DB_ACQUIRE_TIMEOUT", default_value_t = 5.0)]
    pub db_acquire_timeout: f64,
    /// Seconds a single SQL statement may run (0: no limit); import jobs are exempt.
    #[arg(long, global = true, env = "FINSAM_DB_STATEMENT_TIMEOUT", default_value_t = 30.0)]
    pub db_statement_timeout: f64,
}

impl DatabaseArgs {
    pub fn pool_options(&self, max_size: u32) -> anyhow::Result<PoolOptions> {
        let seconds = |name: &str, value: f64| {
            Duration::try_from_secs_f64(value)
                .map_err(|_| anyhow::anyhow!("{name} must be a number of seconds ≥ 0, not {value}"))
        };
        Ok(PoolOptions {
            max_size,
            acquire_timeout: seconds("--db-acquire-timeout", self.db_acquire_timeout)?,
            statement_timeout: seconds("--db-statement-timeout", self.db_statement_timeout)?,
        })
    }

    /// The read replica's pool, if one is configured.
    pub fn read_pool(&self) -> anyhow::Result<Option<PgPool>> {
        match self.database_read_url.as_deref().filter(|u| !u.trim().is_empty()) {
            Some(url) => Ok(Some(
                finsam_store::connect_with(url, &self.pool_options(self.pool_size)?).context("DATABASE_READ_URL")?,
            )),
            None => Ok(None),
        }
    }
}

/// An open database; a private cluster it started is stopped when this is dropped.
pub struct Database {
    pub url: String,
    cluster: Option<LocalCluster>,
}

impl Database {
    /// `own_running`: take charge of a private cluster found already running (left by a crash),
    /// so that it is stopped with this process.
    pub fn open(args: &DatabaseArgs, own_running: bool) -> anyhow::Result<Database> {
        if let Some(url) = args.database_url.as_deref().filter(|u| !u.trim().is_empty()) {
            return Ok(Database { url: url.to_owned(), cluster: None });
        }
        let mut cluster = LocalCluster::start(&args.data_dir, Durability::Durable)?;
        if own_running {
            cluster.take_ownership();
        }
        tracing::info!(pgdata = %cluster.pgdata().display(), started = cluster.started_here(), "local PostgreSQL ready");
        let url = cluster.url(LOCAL_DATABASE);
        let database = Database { url, cluster: Some(cluster) };
        database.cluster.as_ref().expect("set").ensure_database(LOCAL_DATABASE)?;
        Ok(database)
    }

    pub fn pool(&self, size: u32) -> anyhow::Result<PgPool> {
        Ok(finsam_store::connect(&self.url, size)?)
    }

    pub fn pool_with(&self, options: &PoolOptions) -> anyhow::Result<PgPool> {
        Ok(finsam_store::connect_with(&self.url, options)?)
    }

    /// Migrations, then reference data: what every command needs before it can work.
    pub fn prepare(&self, pool: &PgPool, seed: bool) -> anyhow::Result<()> {
        let mut conn = pool.get().context("database connection")?;
        let applied = migrations::run_pending(&mut conn)?;
        tracing::info!(count = applied.len(), versions = ?applied, "migrations applied");
        if seed {
            let added = reference::seed(&mut conn)?;
            tracing::info!(?added, "reference data loaded");
        }
        Ok(())
    }
}

impl Drop for Database {
    fn drop(&mut self) {
        if let Some(cluster) = self.cluster.as_mut().filter(|c| c.started_here()) {
            match cluster.stop() {
                Ok(()) => tracing::info!("local PostgreSQL stopped"),
                Err(error) => tracing::error!(%error, "could not stop the local PostgreSQL"),
            }
        }
    }
}

pub fn migrate(args: &DatabaseArgs) -> anyhow::Result<()> {
    let database = Database::open(args, false)?;
    database.prepare(&database.pool(2)?, false)
}

pub fn seed(args: &DatabaseArgs) -> anyhow::Result<()> {
    let database = Database::open(args, false)?;
    database.prepare(&database.pool(2)?, true)
}

pub fn demo(args: &DatabaseArgs) -> anyhow::Result<()> {
    let database = Database::open(args, false)?;
    let pool = database.pool(2)?;
    database.prepare(&pool, true)?;
    load_demo(&pool)
}

pub fn load_demo(pool: &PgPool) -> anyhow::Result<()> {
    let mut conn = pool.get().context("database connection")?;
    let summary = finsam_demo::load(&mut conn)?;
    tracing::info!(?summary, "demo data loaded");
    Ok(())
}

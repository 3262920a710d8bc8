//! A private PostgreSQL cluster run from the machine's own binaries, so that finsam (and its
//! tests) run with no database server set up. It listens on a unix socket only, in a folder
//! only its owner can enter, with trust authentication.

mod binaries;
mod os_user;

use std::ffi::OsStr;
use std::fmt::Write as _;
use std::hash::Hasher;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use diesel::{RunQueryDsl, sql_query};
use thiserror::Error;

use crate::{StoreError, pool};
pub use binaries::find_bin_dir;
use os_user::OsUser;

const SUPERUSER: &str = "postgres";
/// Only names the socket file: the cluster listens on no TCP port.
const PORT: u16 = 5432;
/// A unix socket path must fit in sun_path (108 bytes on Linux).
const MAX_SOCKET_PATH: usize = 100;

#[derive(Debug, Error)]
pub enum LocalPgError {
    #[error(
        "no PostgreSQL server binaries (initdb, pg_ctl, postgres) found in {}: install PostgreSQL \
         (e.g. `apt-get install postgresql`), point FINSAM_PG_BIN at its bin folder, or set DATABASE_URL \
         to use a running server",
        .searched.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(", ")
    )]
    NoBinaries { searched: Vec<PathBuf> },
    #[error(
        "running as root, and PostgreSQL refuses to run as root, but the OS user '{name}' to run it as \
         does not exist: create it (e.g. `useradd --system {name}`), set FINSAM_PG_OS_USER, or set DATABASE_URL"
    )]
    NoOsUser { name: String },
    #[error("data directory {path} is not usable: {error}")]
    DataDir { path: PathBuf, error: std::io::Error },
    #[error(
        "data directory {path} cannot be reached by the OS user '{user}' that runs PostgreSQL: \
         choose a --data-dir outside private folders such as /root, or set DATABASE_URL"
    )]
    DataDirUnreachable { path: PathBuf, user: String },
    #[error("{step} failed: {detail}")]
    Command { step: &'static str, detail: String },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Durability {
    /// fsync on: for data that must survive a crash of the machine.
    Durable,
    /// fsync off: for throwaway test clusters, several times faster.
    Throwaway,
}

#[derive(Debug)]
pub struct LocalCluster {
    pgdata: PathBuf,
    bin: PathBuf,
    user: Option<OsUser>,
    socket_dir: PathBuf,
    port: u16,
    started_here: bool,
}

impl LocalCluster {
    /// Creates the cluster under `data_dir` if it is not there, starts it unless it already runs,
    /// and returns once it accepts connections.
    pub fn start(data_dir: &Path, durability: Durability) -> Result<Self, LocalPgError> {
        let bin = find_bin_dir()?;
        let user = os_user::server_user()?;
        let data_dir = prepare_data_dir(data_dir)?;
        let pgdata = pgdata_for(&data_dir, user.as_ref());
        let socket_dir = socket_dir_for(&pgdata);
        let mut cluster = LocalCluster { pgdata, bin, user, socket_dir, port: PORT, started_here: false };
        if !cluster.pgdata.join("PG_VERSION").is_file() {
            cluster.initdb(durability)?;
        }
        cluster.write_config(durability)?;
        if !cluster.is_running() {
            cluster.pg_ctl("start PostgreSQL", &["start", "-w", "-t", "60", "-s", "-l"], Some("server.log"))?;
            cluster.started_here = true;
        }
        cluster.read_postmaster_pid()?;
        Ok(cluster)
    }

    /// A libpq URL for a database of this cluster.
    pub fn url(&self, database: &str) -> String {
        format!(
            "postgresql://{SUPERUSER}@/{database}?host={}&port={}",
            percent_encode(&self.socket_dir.to_string_lossy()),
            self.port
        )
    }

    pub fn pgdata(&self) -> &Path {
        &self.pgdata
    }

    /// Whether this process started the server (and so should stop it).
    pub fn started_here(&self) -> bool {
        self.started_here
    }

    /// Makes this handle responsible for stopping a server it found running.
    pub fn take_ownership(&mut self) {
        self.started_here = true;
    }

    /// Creates the database if it does not exist yet.
    pub fn ensure_database(&self, name: &str) -> Result<(), StoreError> {
        let mut conn = pool::establish(&self.url("postgres"))?;
        let exists: Vec<Named> = sql_query("SELECT datname AS name FROM pg_database WHERE datname = $1")
            .bind::<diesel::sql_types::Text, _>(name)
            .load(&mut conn)?;
        if exists.is_empty() {
            sql_query(format!("CREATE DATABASE \"{}\"", name.replace('"', "\"\""))).execute(&mut conn)?;
        }
        Ok(())
    }

    /// Stops the server with a fast shutdown (sessions are ended, nothing committed is lost).
    pub fn stop(&mut self) -> Result<(), LocalPgError> {
        if self.is_running() {
            self.pg_ctl("stop PostgreSQL", &["stop", "-m", "fast", "-w", "-t", "60", "-s"], None)?;
        }
        self.started_here = false;
        Ok(())
    }

    pub fn is_running(&self) -> bool {
        self.run("pg_ctl", &[OsStr::new("status"), OsStr::new("-D"), self.pgdata.as_os_str()])
            .is_ok_and(|out| out.status.success())
    }

    fn initdb(&self, durability: Durability) -> Result<(), LocalPgError> {
        let data_dir_error = |error| LocalPgError::DataDir { path: self.pgdata.clone(), error };
        std::fs::create_dir_all(&self.pgdata).map_err(data_dir_error)?;
        std::fs::set_permissions(&self.pgdata, std::fs::Permissions::from_mode(0o700)).map_err(data_dir_error)?;
        os_user::give(self.user.as_ref(), &self.pgdata).map_err(data_dir_error)?;
        if !os_user::can_use(self.user.as_ref(), &self.pgdata) {
            return Err(LocalPgError::DataDirUnreachable {
                path: self.pgdata.clone(),
                user: self.user.as_ref().map(|u| u.name.clone()).unwrap_or_default(),
            });
        }
        let mut args: Vec<&OsStr> = ["-D"].map(OsStr::new).to_vec();
        args.push(self.pgdata.as_os_str());
        args.extend(["-U", SUPERUSER, "--auth=trust", "--encoding=UTF8", "--no-locale"].map(OsStr::new));
        if durability == Durability::Throwaway {
            args.push(OsStr::new("--no-sync"));
        }
        let out =
            self.run("initdb", &args).map_err(|e| LocalPgError::Command { step: "initdb", detail: e.to_string() })?;
        if !out.status.success() {
            return Err(LocalPgError::Command { step: "initdb", detail: last_lines(&out.stderr) });
        }
        tracing::info!(pgdata = %self.pgdata.display(), "created a local PostgreSQL cluster");
        Ok(())
    }

    /// Settings live in their own file, rewritten at every start, so that a moved data folder or
    /// a changed durability takes effect without touching postgresql.conf again.
    fn write_config(&self, durability: Durability) -> Result<(), LocalPgError> {
        let io_error = |error| LocalPgError::DataDir { path: self.pgdata.clone(), error };
        if self.socket_dir != self.pgdata {
            std::fs::create_dir_all(&self.socket_dir).map_err(io_error)?;
            os_user::give(self.user.as_ref(), &self.socket_dir).map_err(io_error)?;
        }
        let mut conf = String::from("# Written by finsam at every start; edit postgresql.conf instead.\n");
        let _ = writeln!(conf, "listen_addresses = ''");
        let _ = writeln!(conf, "unix_socket_directories = '{}'", self.socket_dir.display());
        let _ = writeln!(conf, "unix_socket_permissions = 0700");
        let _ = writeln!(conf, "port = {PORT}");
        let _ = writeln!(conf, "max_connections = 200");
        if durability == Durability::Throwaway {
            conf.push_str("fsync = off\nsynchronous_commit = off\nfull_page_writes = off\n");
        }
        let path = self.pgdata.join("finsam.conf");
        std::fs::write(&path, conf).map_err(io_error)?;
        os_user::give(self.user.as_ref(), &path).map_err(io_error)?;

        let main_conf = self.pgdata.join("postgresql.conf");
        let text = std::fs::read_to_string(&main_conf).map_err(io_error)?;
        let include = "include_if_exists = 'finsam.conf'";
        if !text.lines().any(|line| line.trim() == include) {
            std::fs::write(&main_conf, format!("{text}\n{include}\n")).map_err(io_error)?;
        }
        Ok(())
    }

    /// The running server's own record of its socket folder and port.
    fn read_postmaster_pid(&mut self) -> Result<(), LocalPgError> {
        let text = std::fs::read_to_string(self.pgdata.join("postmaster.pid"))
            .map_err(|error| LocalPgError::DataDir { path: self.pgdata.clone(), error })?;
        let lines: Vec<&str> = text.lines().collect();
        if let (Some(port), Some(socket_dir)) = (lines.get(3), lines.get(4)) {
            self.port = port.trim().parse().unwrap_or(PORT);
            if !socket_dir.trim().is_empty() {
                self.socket_dir = PathBuf::from(socket_dir.trim());
            }
        }
        Ok(())
    }

    fn pg_ctl(&self, step: &'static str, args: &[&str], log: Option<&str>) -> Result<(), LocalPgError> {
        let mut all: Vec<&OsStr> = args.iter().map(OsStr::new).collect();
        let log_path = log.map(|name| self.pgdata.join(name));
        if let Some(path) = &log_path {
            all.push(path.as_os_str());
        }
        all.extend([OsStr::new("-D"), self.pgdata.as_os_str()]);
        let out = self.run("pg_ctl", &all).map_err(|e| LocalPgError::Command { step, detail: e.to_string() })?;
        if out.status.success() {
            return Ok(());
        }
        let mut detail = last_lines(&out.stderr);
        if let Some(log) = log_path.and_then(|p| std::fs::read(p).ok()) {
            detail = format!("{detail} (server log: {})", last_lines(&log));
        }
        Err(LocalPgError::Command { step, detail })
    }

    fn run(&self, program: &str, args: &[&OsStr]) -> std::io::Result<std::process::Output> {
        os_user::run_as(self.user.as_ref(), &self.bin.join(program), args, self.pgdata.parent().unwrap_or(&self.pgdata))
    }
}

#[derive(diesel::QueryableByName)]
struct Named {
    #[diesel(sql_type = diesel::sql_types::Text)]
    #[allow(dead_code)]
    name: String,
}

/// Creates the folder and proves it writable, so that a bad `--data-dir` fails here with the path
/// in the message rather than later inside initdb.
fn prepare_data_dir(data_dir: &Path) -> Result<PathBuf, LocalPgError> {
    let error = |error| LocalPgError::DataDir { path: data_dir.to_path_buf(), error };
    std::fs::create_dir_all(data_dir).map_err(error)?;
    let probe = data_dir.join(".finsam-write-probe");
    std::fs::write(&probe, b"").map_err(error)?;
    std::fs::remove_file(&probe).map_err(error)?;
    data_dir.canonicalize().map_err(error)
}

/// `<data_dir>/postgresql`, unless the server's OS user cannot enter the data folder (as root in
/// a clone under /root): then a folder of its own under /var/tmp, named after the data folder,
/// so that the same data folder always finds the same cluster.
fn pgdata_for(data_dir: &Path, user: Option<&OsUser>) -> PathBuf {
    if os_user::can_enter(user, data_dir) {
        return data_dir.join("postgresql");
    }
    let pgdata = PathBuf::from("/var/tmp").join(format!("finsam-{:016x}", path_hash(data_dir))).join("postgresql");
    tracing::warn!(
        data_dir = %data_dir.display(),
        pgdata = %pgdata.display(),
        "the PostgreSQL OS user cannot enter the data folder; the cluster lives in a folder of its own"
    );
    pgdata
}

fn socket_dir_for(pgdata: &Path) -> PathBuf {
    let socket = pgdata.join(format!(".s.PGSQL.{PORT}"));
    if socket.as_os_str().len() <= MAX_SOCKET_PATH {
        return pgdata.to_path_buf();
    }
    std::env::temp_dir().join(format!("finsam-pg-{:016x}", path_hash(pgdata)))
}

/// FNV-1a: stable between runs and builds, so a folder maps to the same name every time.
fn path_hash(path: &Path) -> u64 {
    let mut hash = fnv::FnvHasher::default();
    hash.write(path.as_os_str().as_encoded_bytes());
    hash.finish()
}

fn last_lines(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(bytes);
    let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
    pool::one_line(&lines[lines.len().saturating_sub(3)..].join(" "))
}

/// Percent-encodes all but unreserved characters, for a path inside a URL's query.
fn percent_encode(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folder_names_are_the_ones_earlier_builds_made() {
        // The value of the hand-written FNV-1a this replaced: a cluster made by an earlier build
        // must be found again in the same folder.
        assert_eq!(path_hash(Path::new("/work/finsam-data")), 0x40ed_d055_33ff_8b4f);
    }
}

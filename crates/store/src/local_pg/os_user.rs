//! initdb and postgres refuse to run as root. As root, the cluster belongs to an unprivileged
//! OS user (`postgres` by default, `FINSAM_PG_OS_USER` to choose) and every server command runs
//! through `runuser`; as anyone else, the commands run as that user.

use std::ffi::OsStr;
use std::os::unix::fs::MetadataExt;
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Command, Output};

use super::LocalPgError;

#[derive(Debug, Clone)]
pub struct OsUser {
    pub name: String,
    pub uid: u32,
    pub gid: u32,
}

/// `None` when the current user can run PostgreSQL itself.
pub fn server_user() -> Result<Option<OsUser>, LocalPgError> {
    let euid = std::fs::metadata("/proc/self").map(|m| m.uid()).unwrap_or(u32::MAX);
    if euid != 0 {
        return Ok(None);
    }
    let name = std::env::var("FINSAM_PG_OS_USER").unwrap_or_else(|_| "postgres".to_owned());
    let id = |flag: &str| -> Option<u32> {
        let out = Command::new("id").args([flag, &name]).output().ok()?;
        String::from_utf8_lossy(&out.stdout).trim().parse().ok()
    };
    match (id("-u"), id("-g")) {
        (Some(uid), Some(gid)) if uid != 0 => Ok(Some(OsUser { name, uid, gid })),
        _ => Err(LocalPgError::NoOsUser { name }),
    }
}

/// Runs a program as the server's user, in `cwd` (which that user can enter).
pub fn run_as(user: Option<&OsUser>, program: &Path, args: &[&OsStr], cwd: &Path) -> std::io::Result<Output> {
    let mut command = match user {
        Some(user) => {
            let mut c = Command::new("runuser");
            c.args(["-u", &user.name, "--"]).arg(program);
            c
        }
        None => Command::new(program),
    };
    // A process group of its own: a Ctrl-C at the terminal reaches finsam, which then stops the
    // server in order, rather than the server directly.
    command.args(args).current_dir(cwd).process_group(0).output()
}

/// Hands a folder we created to the server's user (a no-op when we are that user).
pub fn give(user: Option<&OsUser>, path: &Path) -> std::io::Result<()> {
    match user {
        Some(user) => std::os::unix::fs::chown(path, Some(user.uid), Some(user.gid)),
        None => Ok(()),
    }
}

/// Whether the server's user can write `dir` (and so reach it: every parent must be searchable).
pub fn can_use(user: Option<&OsUser>, dir: &Path) -> bool {
    test_as(user, "-w", dir)
}

/// Whether the server's user can enter `dir`.
pub fn can_enter(user: Option<&OsUser>, dir: &Path) -> bool {
    test_as(user, "-x", dir)
}

fn test_as(user: Option<&OsUser>, flag: &str, path: &Path) -> bool {
    match user {
        None => true,
        Some(user) => Command::new("runuser")
            .args(["-u", &user.name, "--", "test", flag])
            .arg(path)
            .status()
            .is_ok_and(|s| s.success()),
    }
}

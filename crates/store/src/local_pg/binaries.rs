//! Finding the machine's own PostgreSQL server binaries.

use std::path::{Path, PathBuf};
use std::process::Command;

use super::LocalPgError;

/// Where to look, in order: `FINSAM_PG_BIN`, `pg_config --bindir`, the Debian/Ubuntu layout
/// (newest version first), the usual source and Homebrew prefixes, then `PATH`.
pub fn find_bin_dir() -> Result<PathBuf, LocalPgError> {
    let mut candidates: Vec<PathBuf> = Vec::new();
    if let Some(dir) = std::env::var_os("FINSAM_PG_BIN") {
        let dir = PathBuf::from(dir);
        return if has_server(&dir) { Ok(dir) } else { Err(LocalPgError::NoBinaries { searched: vec![dir] }) };
    }
    if let Ok(out) = Command::new("pg_config").arg("--bindir").output()
        && out.status.success()
    {
        candidates.push(PathBuf::from(String::from_utf8_lossy(&out.stdout).trim()));
    }
    candidates.extend(versioned_dirs(Path::new("/usr/lib/postgresql")));
    candidates.push(PathBuf::from("/usr/local/pgsql/bin"));
    candidates.extend(versioned_dirs(Path::new("/opt/homebrew/opt")));
    if let Some(path) = std::env::var_os("PATH") {
        candidates.extend(std::env::split_paths(&path));
    }
    candidates.into_iter().find(|dir| has_server(dir)).ok_or_else(|| LocalPgError::NoBinaries {
        searched: vec![
            PathBuf::from("$FINSAM_PG_BIN"),
            PathBuf::from("pg_config --bindir"),
            PathBuf::from("/usr/lib/postgresql/*/bin"),
            PathBuf::from("$PATH"),
        ],
    })
}

fn has_server(dir: &Path) -> bool {
    ["initdb", "pg_ctl", "postgres"].iter().all(|bin| dir.join(bin).is_file())
}

/// `/usr/lib/postgresql/15/bin`, `/usr/lib/postgresql/16/bin`, … newest first.
fn versioned_dirs(root: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(root) else { return Vec::new() };
    let mut found: Vec<(u32, PathBuf)> = entries
        .filter_map(Result::ok)
        .filter_map(|entry| {
            let name = entry.file_name().to_string_lossy().into_owned();
            let version = name.trim_start_matches("postgresql@").parse::<u32>().ok()?;
            Some((version, entry.path().join("bin")))
        })
        .collect();
    found.sort_by_key(|(version, _)| std::cmp::Reverse(*version));
    found.into_iter().map(|(_, dir)| dir).collect()
}

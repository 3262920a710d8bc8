use std::path::PathBuf;

use anyhow::Context;
use clap::Args;
use finsam_api::open_releases::{ReleaseCache, find};
use finsam_export::Lang;
use finsam_export::csv::Dialect;
use finsam_export::open::{Names, export_files};

use crate::database::{Database, DatabaseArgs};

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// The reporting year: its latest published release is written.
    #[arg(long)]
    pub year: i32,
    /// An earlier release of the year instead (1, 2, …).
    #[arg(long, value_parser = clap::value_parser!(i32).range(1..))]
    pub release: Option<i32>,
    /// The folder to write to (created if missing; files already there are replaced).
    #[arg(long)]
    pub out: PathBuf,
    /// The CSV field separator: `,` or `;` (for Swedish spreadsheets, where `,` is the decimal sign:
    /// decimal comma and a UTF-8 byte-order mark too).
    #[arg(long, default_value = ",", value_parser = separator)]
    pub csv_separator: Dialect,
    /// Labels in English instead of Swedish.
    #[arg(long)]
    pub english: bool,
}

/// Disclosure control of the open tables of releases that `serve` publishes.
#[derive(Debug, Args)]
pub struct DisclosureArgs {
    /// Person counts from 1 to this are suppressed in the releases published from now on.
    #[arg(long, env = "FINSAM_DISCLOSURE_THRESHOLD", default_value_t = finsam_export::open::DEFAULT_THRESHOLD,
          value_parser = clap::value_parser!(i64).range(1..=100))]
    pub disclosure_threshold: i64,
}

fn separator(text: &str) -> Result<Dialect, String> {
    Dialect::from_separator(text).ok_or_else(|| "must be , or ;".to_owned())
}

/// Writes every open table of a release of the year, as published, with the method's README:
/// the same files as the release's ZIP.
pub fn run(db: &DatabaseArgs, args: &ExportArgs) -> anyhow::Result<()> {
    let database = Database::open(db, false)?;
    let pool = database.pool(2)?;
    database.prepare(&pool, true)?;
    let mut conn = pool.get().context("database connection")?;
    let release = find(&mut conn, args.year, args.release).map_err(|e| anyhow::anyhow!("{}", e.detail))?;
    let open = ReleaseCache::default().open_year(&mut conn, &release).map_err(|e| anyhow::anyhow!("{e}"))?;
    let (counties, forbund) = finsam_store::reference::names(&mut conn)?;
    drop(conn);
    let lang = if args.english { Lang::En } else { Lang::Sv };
    let updated = release.published_at.to_rfc3339();
    let files = export_files(&open, &Names { counties, forbund }, &updated, lang, args.csv_separator)?;
    for file in &files {
        let path = args.out.join(&file.path);
        let folder = path.parent().expect("export paths have a folder");
        std::fs::create_dir_all(folder).with_context(|| format!("creating {}", folder.display()))?;
        std::fs::write(&path, &file.bytes).with_context(|| format!("writing {}", path.display()))?;
    }
    let suppressed: usize = finsam_stats::TableId::OPEN
        .iter()
        .flat_map(|&id| open.family(id))
        .map(finsam_export::open::OpenTable::suppressed)
        .sum();
    println!(
        "wrote release {} of {}: {} files to {} ({suppressed} cells suppressed)",
        release.release,
        release.year,
        files.len(),
        args.out.display()
    );
    Ok(())
}

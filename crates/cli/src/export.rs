use std::path::PathBuf;

use anyhow::Context;
use clap::Args;
use finsam_export::Lang;
use finsam_export::open::{Names, OpenYear, export_files};
use finsam_stats::Frames;

use crate::database::{Database, DatabaseArgs};

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// The reporting year.
    #[arg(long)]
    pub year: i32,
    /// The folder to write to (created if missing; files already there are replaced).
    #[arg(long)]
    pub out: PathBuf,
    /// The CSV field separator: `,` or `;` (for Swedish spreadsheets, where `,` is the decimal sign).
    #[arg(long, default_value = ",", value_parser = separator)]
    pub csv_separator: char,
    #[command(flatten)]
    pub disclosure: DisclosureArgs,
    /// Labels in English instead of Swedish.
    #[arg(long)]
    pub english: bool,
}

/// Disclosure control of open tables, for `serve` and `export` alike.
#[derive(Debug, Args)]
pub struct DisclosureArgs {
    /// Person counts from 1 to this are suppressed in open tables and exports.
    #[arg(long, env = "FINSAM_DISCLOSURE_THRESHOLD", default_value_t = finsam_export::open::DEFAULT_THRESHOLD,
          value_parser = clap::value_parser!(i64).range(1..=100))]
    pub disclosure_threshold: i64,
}

fn separator(text: &str) -> Result<char, String> {
    match text {
        "," => Ok(','),
        ";" => Ok(';'),
        _ => Err("must be , or ;".to_owned()),
    }
}

/// Writes every open table of the year, after disclosure control, with the method's README.
pub fn run(db: &DatabaseArgs, args: &ExportArgs) -> anyhow::Result<()> {
    let database = Database::open(db, false)?;
    let pool = database.pool(2)?;
    database.prepare(&pool, true)?;
    let mut conn = pool.get().context("database connection")?;
    let (_, inputs) = finsam_store::statistics::load_inputs(&mut conn)?;
    let (counties, forbund) = finsam_store::reference::names(&mut conn)?;
    drop(conn);
    let frames = Frames::new(&inputs)?;
    let codes: Vec<String> = counties.iter().map(|(code, _)| code.clone()).collect();
    let open = OpenYear::build(&frames, &codes, args.year, args.disclosure.disclosure_threshold)?;
    let lang = if args.english { Lang::En } else { Lang::Sv };
    let updated = chrono::Utc::now().to_rfc3339();
    let files = export_files(&open, &Names { counties, forbund }, &updated, lang, args.csv_separator)?;
    for file in &files {
        let path = args.out.join(&file.path);
        let folder = path.parent().expect("export paths have a folder");
        std::fs::create_dir_all(folder).with_context(|| format!("creating {}", folder.display()))?;
        std::fs::write(&path, &file.bytes).with_context(|| format!("writing {}", path.display()))?;
    }
    let suppressed: usize = finsam_stats::TableId::ALL
        .iter()
        .flat_map(|&id| open.family(id))
        .map(finsam_export::open::OpenTable::suppressed)
        .sum();
    println!("wrote {} files to {} ({suppressed} cells suppressed)", files.len(), args.out.display());
    Ok(())
}

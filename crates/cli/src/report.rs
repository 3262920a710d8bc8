use std::path::PathBuf;

use anyhow::Context;
use clap::{Args, ValueEnum};
use finsam_export::Lang;
use finsam_stats::{Frames, Selection, TableId};
use finsam_usecases::Acting;

use crate::database::{Database, DatabaseArgs};

#[derive(Debug, Args)]
pub struct ReportArgs {
    /// The reporting year.
    #[arg(long)]
    pub year: i32,
    /// text: every national table, for a terminal; html or pdf: the yearly national report with
    /// exact figures.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Where to write the html or pdf report (required for them).
    #[arg(long, required_if_eq_any([("format", "html"), ("format", "pdf")]))]
    pub out: Option<PathBuf>,
    /// Labels in English instead of Swedish (text only).
    #[arg(long)]
    pub english: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Text,
    Html,
    Pdf,
}

pub fn run(db: &DatabaseArgs, args: &ReportArgs) -> anyhow::Result<()> {
    let database = Database::open(db, false)?;
    let pool = database.pool(2)?;
    database.prepare(&pool, true)?;
    let mut conn = pool.get().context("database connection")?;
    let (_, inputs) = finsam_store::statistics::load_inputs(&mut conn)?;
    let frames = Frames::new(&inputs)?;
    if args.format == Format::Text {
        let lang = if args.english { Lang::En } else { Lang::Sv };
        for id in TableId::ALL {
            let table = frames.compute(id, &[args.year], &Selection::National)?;
            println!("{}", finsam_export::text::render(&table, &id.info(), lang));
        }
        return Ok(());
    }
    let actor = Acting::system("cli");
    let who = Acting::new(&actor, None);
    let tables = finsam_report::exact_tables(&frames, args.year)?;
    let inputs = finsam_usecases::reports::exact(&mut conn, &who, args.year, tables, chrono::Utc::now())
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let report = finsam_report::build(&inputs);
    let bytes = match args.format {
        Format::Html => finsam_report::html::render(&report).into_bytes(),
        Format::Pdf => finsam_report_pdf::pdf(&report)?,
        Format::Text => unreachable!("written above"),
    };
    let out = args.out.as_ref().context("--out is required for html and pdf")?;
    std::fs::write(out, bytes).with_context(|| format!("writing {}", out.display()))?;
    eprintln!("wrote {}", out.display());
    Ok(())
}

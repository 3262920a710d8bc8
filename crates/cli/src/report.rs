use anyhow::Context;
use clap::Args;
use finsam_export::Lang;
use finsam_stats::{Frames, Selection, TableId};

use crate::database::{Database, DatabaseArgs};

#[derive(Debug, Args)]
pub struct ReportArgs {
    /// The reporting year.
    #[arg(long)]
    pub year: i32,
    /// Labels in English instead of Swedish.
    #[arg(long)]
    pub english: bool,
}

/// Prints every national table for the year.
pub fn run(db: &DatabaseArgs, args: &ReportArgs) -> anyhow::Result<()> {
    let database = Database::open(db, false)?;
    let pool = database.pool(2)?;
    database.prepare(&pool, true)?;
    let mut conn = pool.get().context("database connection")?;
    let (_, inputs) = finsam_store::statistics::load_inputs(&mut conn)?;
    let frames = Frames::new(&inputs)?;
    let lang = if args.english { Lang::En } else { Lang::Sv };
    for id in TableId::ALL {
        let table = frames.compute(id, &[args.year], &Selection::National)?;
        println!("{}", finsam_export::text::render(&table, &id.info(), lang));
    }
    Ok(())
}

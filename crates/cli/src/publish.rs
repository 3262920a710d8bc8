//! `finsam publish`: an operator publishes a release of a closed year's open statistics from
//! the command line, as an admin does with `POST /api/v1/years/{year}/releases`.

use anyhow::Context;
use clap::Args;
use finsam_api::open_releases::{self, ReleaseCache};
use finsam_store::registration::Actor;
use finsam_usecases::Acting;

use crate::database::{Database, DatabaseArgs};
use crate::export::DisclosureArgs;

#[derive(Debug, Args)]
pub struct PublishArgs {
    /// The reporting year; it must be closed (see `--close`).
    #[arg(long)]
    pub year: i32,
    /// The revision note published with the release (why it was made).
    #[arg(long)]
    pub note: String,
    /// Close the year first if it is open (audited like an admin's close).
    #[arg(long)]
    pub close: bool,
    #[command(flatten)]
    pub disclosure: DisclosureArgs,
}

/// The command line acts as the service itself, not as a person.
const SUB: &str = "finsam publish";

pub fn run(db: &DatabaseArgs, args: &PublishArgs) -> anyhow::Result<()> {
    let note = finsam_domain::release::parse_release(&serde_json::json!({ "note": args.note }))
        .map_err(|errors| anyhow::anyhow!("--note: {}", errors[0].message))?;
    let database = Database::open(db, false)?;
    let pool = database.pool(2)?;
    database.prepare(&pool, true)?;
    let mut conn = pool.get().context("database connection")?;
    let system = Acting::system(SUB);
    if args.close {
        finsam_usecases::reporting_years::close(&mut conn, &Acting::new(&system, None), args.year)
            .map_err(|e| anyhow::anyhow!("closing {}: {e}", args.year))?;
    }
    let threshold = args.disclosure.disclosure_threshold;
    let actor = Actor { sub: SUB, role: system.role, request_id: None };
    let release = open_releases::publish(&mut conn, args.year, &note, &actor, threshold, &ReleaseCache::default())
        .map_err(|e| anyhow::anyhow!("{}", e.detail))?;
    println!("published release {} of {} (data version {})", release.release, release.year, release.data_version);
    Ok(())
}

//! `finsam-bench tables`: every national table for one year from N synthetic insats-years, the
//! service's way (load the registered data, build frames, compute) against hand-written SQL
//! GROUP BY queries on the same PostgreSQL, run in turn so that both see the same machine.

mod data;
mod sql;

use std::time::{Duration, Instant};

use anyhow::Context;
use clap::Args;
use diesel::prelude::*;
use diesel::sql_types::Integer;
use finsam_stats::{Frames, Selection};
use finsam_store::pool::{establish, url_with_database};

const BENCH_DATABASE: &str = "finsam_bench";
const YEAR: i32 = 2023;

#[derive(Debug, Args)]
pub struct BenchArgs {
    /// Synthetic insats-years (one per insats) to generate.
    #[arg(long, default_value_t = 1_000_000)]
    pub rows: u32,
    /// Measured runs of each side (after one warm-up of each).
    #[arg(long, default_value_t = 5)]
    pub runs: usize,
}

pub fn run(admin_url: &str, args: &BenchArgs) -> anyhow::Result<()> {
    let url = url_with_database(admin_url, BENCH_DATABASE);
    {
        let mut admin = establish(admin_url)?;
        diesel::sql_query(format!("DROP DATABASE IF EXISTS {BENCH_DATABASE} WITH (FORCE)")).execute(&mut admin)?;
        diesel::sql_query(format!("CREATE DATABASE {BENCH_DATABASE}")).execute(&mut admin)?;
    }
    let mut conn = establish(&url)?;
    finsam_store::migrations::run_pending(&mut conn)?;
    finsam_store::reference::seed(&mut conn)?;
    let started = Instant::now();
    data::generate(&mut conn, args.rows)?;
    eprintln!("generated {} insats-years in {:.1} s", args.rows, started.elapsed().as_secs_f64());

    let mut service = Vec::new();
    let mut baseline = Vec::new();
    for run in 0..=args.runs {
        let s = time(|| service_tables(&mut conn))?;
        let b = time(|| sql_tables(&mut conn))?;
        if run > 0 {
            service.push(s);
            baseline.push(b);
        }
    }
    let (_, inputs) = finsam_store::statistics::load_inputs(&mut conn)?;
    let frames = Frames::new(&inputs)?;
    let warm = (0..args.runs)
        .map(|_| time(|| Ok(frames.compute_all(&[YEAR], &Selection::National).map(|_| ())?)))
        .collect::<anyhow::Result<Vec<_>>>()?;
    let cache = finsam_api::tables_cache::TableCache::default();
    cache.snapshot(&mut conn).map_err(|e| anyhow::anyhow!("{e}"))?;
    write_one_year(&mut conn)?;
    let after_write = time(|| {
        let snapshot = cache.snapshot(&mut conn).map_err(|e| anyhow::anyhow!("{e}"))?;
        snapshot.frames.compute(finsam_stats::TableId::StructuralInsatser, &[YEAR], &Selection::National)?;
        Ok(())
    })?;

    let ratios: Vec<f64> = service.iter().zip(&baseline).map(|(s, b)| s.as_secs_f64() / b.as_secs_f64()).collect();
    println!("| what | median | min | max |");
    println!("|---|---|---|---|");
    row("service: load + frames + all tables (s)", &service);
    row("SQL GROUP BY, all tables (s)", &baseline);
    row("service, data already in memory: all tables (s)", &warm);
    println!("| read after a write: refresh + one table (s) | {:.3} | | |", after_write.as_secs_f64());
    let mut sorted = ratios.clone();
    sorted.sort_by(f64::total_cmp);
    println!(
        "| ratio service / SQL, pair by pair | {:.2} | {:.2} | {:.2} |",
        sorted[sorted.len() / 2],
        sorted[0],
        sorted[sorted.len() - 1]
    );
    Ok(())
}

fn time(work: impl FnOnce() -> anyhow::Result<()>) -> anyhow::Result<Duration> {
    let started = Instant::now();
    work()?;
    Ok(started.elapsed())
}

fn row(label: &str, samples: &[Duration]) {
    let mut secs: Vec<f64> = samples.iter().map(Duration::as_secs_f64).collect();
    secs.sort_by(f64::total_cmp);
    println!("| {label} | {:.3} | {:.3} | {:.3} |", secs[secs.len() / 2], secs[0], secs[secs.len() - 1]);
}

/// What a table request does on a cold cache.
fn service_tables(conn: &mut PgConnection) -> anyhow::Result<()> {
    let (_, inputs) = finsam_store::statistics::load_inputs(conn)?;
    let frames = Frames::new(&inputs)?;
    let tables = frames.compute_all(&[YEAR], &Selection::National)?;
    anyhow::ensure!(tables.len() == 10, "all tables");
    Ok(())
}

fn sql_tables(conn: &mut PgConnection) -> anyhow::Result<()> {
    for (name, query) in sql::QUERIES {
        diesel::sql_query(query).bind::<Integer, _>(YEAR).execute(conn).with_context(|| name.to_owned())?;
    }
    Ok(())
}

/// An audited write through the store; the next table request finds the data version moved and
/// refreshes its snapshot (what is timed above).
fn write_one_year(conn: &mut PgConnection) -> anyhow::Result<()> {
    let actor = finsam_usecases::Acting::system("bench");
    let (id, forbund): (i64, String) = finsam_store::schema::insatser::table
        .filter(finsam_store::schema::insatser::kind.eq("structural"))
        .select((finsam_store::schema::insatser::id, finsam_store::schema::insatser::forbund_key))
        .first(conn)?;
    let insats = finsam_store::registration::insatser::get(conn, &forbund, id)?.context("the insats just read")?;
    let version = insats.years.iter().find(|y| y.year == YEAR).map(|y| y.version);
    let figures = serde_json::json!({ "participants": null, "budget": "1000.00" });
    let acting = finsam_usecases::Acting::new(&actor, None);
    finsam_usecases::insats_years::put(conn, &acting, &forbund, id, YEAR, &figures, version)
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    Ok(())
}

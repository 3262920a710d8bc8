//! `finsam-bench import`: N insatser with one insats-year each, sent as CSV (or, with
//! `--format xlsx`, as an XLSX workbook of the same rows) to the import endpoint of the real HTTP
//! server (started in this process), against PostgreSQL `COPY` of the same rows into the same
//! two tables, in the same run and alternating which goes first.
//!
//! Each run has a database of its own (`finsam_bench_import`, dropped and created, migrated and
//! seeded); the registration tables are emptied, vacuumed and analysed, and a checkpoint taken,
//! before each side, so both start from the same empty tables. Both sides start from rows in memory: the service's
//! clock runs from sending the request (the CSV body or the workbook built beforehand) to its
//! summary, so for a workbook it includes reading it into the CSV form; COPY's from formatting
//! the rows to the commit.

use std::collections::HashMap;
use std::io::Write;
use std::net::TcpListener;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use anyhow::{Context, bail, ensure};
use clap::{Args, ValueEnum};
use diesel::prelude::*;
use diesel::r2d2::{ConnectionManager, Pool};
use diesel::sql_types::{BigInt, Text};
use finsam_api::jwt::{Claims, KeySource, Verifier, VerifierConfig, mint_hs256};
use finsam_api::{AppState, ServerOptions};
use finsam_store::PgPool;
use finsam_store::pool::{establish, url_with_database};
use finsam_store::schema::{insats_years, insatser};

const BENCH_DATABASE: &str = "finsam_bench_import";
const YEAR: i32 = 2023;
const ISSUER: &str = "finsam";

#[derive(Debug, Args)]
pub struct BenchImportArgs {
    /// Insatser (one insats-year each, so one CSV line each) to import.
    #[arg(long, default_value_t = 100_000)]
    pub rows: u32,
    /// Runs, each on a fresh database with one import and one COPY (the order alternating).
    #[arg(long, default_value_t = 3)]
    pub runs: usize,
    /// The form of the request: CSV, or an XLSX workbook of the same rows (one sheet).
    #[arg(long, value_enum, default_value_t = Format::Csv)]
    pub format: Format,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Csv,
    Xlsx,
}

impl Format {
    /// As the report names the form.
    fn name(self) -> &'static str {
        match self {
            Format::Csv => "CSV",
            Format::Xlsx => "XLSX",
        }
    }

    fn content_type(self) -> &'static str {
        match self {
            Format::Csv => "text/csv",
            Format::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        }
    }
}

/// One synthetic insats with its 2023 figures.
struct Row {
    external_ref: String,
    name: String,
    kind: &'static str,
    orientation: &'static str,
    /// Women and men; structural insatser leave every other one untracked.
    participants: Option<(u32, u32)>,
    /// Öre.
    budget: u64,
}

const START_DATE: &str = "2020-01-01";
const INDIVIDUAL: [&str; 4] = ["work_oriented", "preparatory", "identify_needs", "preventive"];
const STRUCTURAL: [&str; 3] = ["develop_cooperation", "competence_raising", "needs_analysis"];

fn rows(n: u32) -> Vec<Row> {
    (1..=n)
        .map(|g| {
            let individual = g % 2 == 0;
            let orientation =
                if individual { INDIVIDUAL[(g / 2 % 4) as usize] } else { STRUCTURAL[(g / 2 % 3) as usize] };
            Row {
                external_ref: format!("bench-{g}"),
                name: format!("Insats {g}"),
                kind: if individual { "individual" } else { "structural" },
                orientation,
                participants: (individual || g % 4 == 1).then_some((5 + g % 50, 3 + g % 40)),
                budget: u64::from(g % 1000) * 10_025,
            }
        })
        .collect()
}

fn money(ore: u64) -> String {
    format!("{}.{:02}", ore / 100, ore % 100)
}

/// The request body: one line per insats-year.
fn csv_body(rows: &[Row]) -> String {
    let mut body =
        String::from("external_ref,name,kind,orientation,start_date,year,participants_women,participants_men,budget\n");
    for r in rows {
        let (women, men) =
            r.participants.map_or((String::new(), String::new()), |(w, m)| (w.to_string(), m.to_string()));
        body.push_str(&format!(
            "{},{},{},{},{START_DATE},{YEAR},{women},{men},{}\n",
            r.external_ref,
            r.name,
            r.kind,
            r.orientation,
            money(r.budget)
        ));
    }
    body
}

/// The CSV's columns, in its order.
const COLUMNS: [&str; 9] = [
    "external_ref",
    "name",
    "kind",
    "orientation",
    "start_date",
    "year",
    "participants_women",
    "participants_men",
    "budget",
];

/// The same rows as a workbook, as a förbund's spreadsheet holds them: one sheet, the header the
/// columns' Swedish names (as the template has them), text cells for the text, number cells for
/// the year, the counts and the budget (in SEK, two decimals shown), a date cell for the start.
/// Written in rust_xlsxwriter's low-memory mode (the rows go to a temporary file as they are
/// written, not into a sheet in memory), which keeps the shared string table that Excel writes;
/// its constant-memory mode writes inline strings instead, which Excel's own files do not have.
fn xlsx_body(rows: &[Row]) -> anyhow::Result<Vec<u8>> {
    use rust_xlsxwriter::{ExcelDateTime, Format as CellFormat, Workbook};
    let mut workbook = Workbook::new();
    let date = CellFormat::new().set_num_format("yyyy-mm-dd");
    let sek = CellFormat::new().set_num_format("#,##0.00");
    let start = ExcelDateTime::parse_from_str(START_DATE)?;
    let sheet = workbook.add_worksheet_with_low_memory()?;
    sheet.set_name("Insatser")?;
    for (n, code) in (0u16..).zip(COLUMNS) {
        let column = finsam_domain::import::columns()
            .iter()
            .find(|c| c.code == code)
            .with_context(|| format!("no import column {code}"))?;
        sheet.write_string(0, n, &column.name_sv)?;
    }
    for (n, r) in (1u32..).zip(rows) {
        sheet.write_string(n, 0, &r.external_ref)?;
        sheet.write_string(n, 1, &r.name)?;
        sheet.write_string(n, 2, r.kind)?;
        sheet.write_string(n, 3, r.orientation)?;
        sheet.write_datetime_with_format(n, 4, &start, &date)?;
        sheet.write_number(n, 5, YEAR)?;
        if let Some((women, men)) = r.participants {
            sheet.write_number(n, 6, women)?;
            sheet.write_number(n, 7, men)?;
        }
        // The nearest double to the amount: read back at 15 significant digits, it is the öre.
        sheet.write_number_with_format(n, 8, r.budget as f64 / 100.0, &sek)?;
    }
    Ok(workbook.save_to_buffer()?)
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Side {
    Copy,
    Service,
}

/// What one run measured.
struct Run {
    copy: Duration,
    service: Duration,
    /// VmRSS just before the import side, and VmHWM over it (reset before it when the kernel
    /// allows), in KiB: the whole process, server and client together.
    rss_before: u64,
    peak: u64,
    peak_reset: bool,
    copy_first: bool,
}

pub fn run(admin_url: &str, args: &BenchImportArgs) -> anyhow::Result<()> {
    ensure!(args.rows > 0 && args.runs > 0, "--rows and --runs must be at least 1");
    let url = url_with_database(admin_url, BENCH_DATABASE);
    let data = rows(args.rows);
    let built = Instant::now();
    let body = match args.format {
        Format::Csv => csv_body(&data).into_bytes(),
        Format::Xlsx => xlsx_body(&data)?,
    };
    eprintln!(
        "{} rows, request body {:.1} MiB of {} (built in {:.2} s, not timed)",
        data.len(),
        mib(body.len()),
        args.format.name(),
        built.elapsed().as_secs_f64()
    );

    let mut runs = Vec::new();
    for run in 0..args.runs {
        let mut conn = fresh_database(admin_url, &url)?;
        let forbund: String = finsam_store::schema::forbund::table
            .select(finsam_store::schema::forbund::forbund_key)
            .order(finsam_store::schema::forbund::forbund_key)
            .first(&mut conn)?;
        let order = if run % 2 == 0 { [Side::Copy, Side::Service] } else { [Side::Service, Side::Copy] };
        let mut copy = Duration::ZERO;
        let mut service = Duration::ZERO;
        let mut checksums = Vec::new();
        let (mut rss_before, mut peak, mut peak_reset) = (0, 0, false);
        for side in order {
            empty_tables(&mut conn)?;
            match side {
                Side::Copy => {
                    let started = Instant::now();
                    copy_rows(&mut conn, &forbund, &data)?;
                    copy = started.elapsed();
                }
                Side::Service => {
                    let events_before = audit_events(&mut conn)?;
                    let server = Server::start(&url)?;
                    let token = server.token(&forbund);
                    let request = request(&server.base, &forbund, &token, args.format, body.clone(), run)?;
                    peak_reset = reset_peak();
                    rss_before = status_kib("VmRSS")?;
                    let started = Instant::now();
                    let posted = send(request);
                    service = started.elapsed();
                    peak = status_kib("VmHWM")?;
                    server.stop()?;
                    let summary = posted?;
                    ensure!(
                        summary["status"] == "applied" && summary["created"] == u64::from(args.rows),
                        "the import did not create every row: {summary}"
                    );
                    let events = audit_events(&mut conn)? - events_before;
                    ensure!(events == 2 * i64::from(args.rows), "{events} audit events for {} insatser", args.rows);
                }
            }
            checksums.push(checksum(&mut conn, args.rows)?);
        }
        ensure!(checksums[0] == checksums[1], "COPY and the import left different rows: {checksums:?}");
        eprintln!(
            "run {}: {} first; COPY {:.3} s, {} import {:.3} s, ratio {:.2}; RSS before {:.0} MiB, VmHWM {:.0} MiB (+{:.0})",
            run + 1,
            if order[0] == Side::Copy { "COPY" } else { "import" },
            copy.as_secs_f64(),
            args.format.name(),
            service.as_secs_f64(),
            copy.as_secs_f64() / service.as_secs_f64(),
            rss_before as f64 / 1024.0,
            peak as f64 / 1024.0,
            peak.saturating_sub(rss_before) as f64 / 1024.0
        );
        runs.push(Run { copy, service, rss_before, peak, peak_reset, copy_first: order[0] == Side::Copy });
    }
    drop_database(admin_url)?;
    report(args.rows, args.format, body.len(), &runs);
    Ok(())
}

fn report(rows: u32, format: Format, body_bytes: usize, runs: &[Run]) {
    let form = format.name();
    let per_second = |d: &Duration| f64::from(rows) / d.as_secs_f64();
    let copy: Vec<f64> = runs.iter().map(|r| r.copy.as_secs_f64()).collect();
    let service: Vec<f64> = runs.iter().map(|r| r.service.as_secs_f64()).collect();
    let copy_rate: Vec<f64> = runs.iter().map(|r| per_second(&r.copy)).collect();
    let service_rate: Vec<f64> = runs.iter().map(|r| per_second(&r.service)).collect();
    let ratio: Vec<f64> = runs.iter().map(|r| r.copy.as_secs_f64() / r.service.as_secs_f64()).collect();
    println!("| what ({rows} insatser, one insats-year each) | median | min | max |");
    println!("|---|---|---|---|");
    line("COPY into insatser + insats_years (s)", &copy, 3);
    line(&format!("import endpoint, {form} over HTTP (s)"), &service, 3);
    line("COPY (rows/s)", &copy_rate, 0);
    line("import endpoint (rows/s)", &service_rate, 0);
    line("ratio import / COPY rows/s, run by run", &ratio, 2);
    println!();
    println!(
        "| run | first | COPY (s) | import (s) | ratio | RSS before the import (MiB) | VmHWM during the import (MiB) | \
         VmHWM − RSS before (MiB) |"
    );
    println!("|---|---|---|---|---|---|---|---|");
    for (n, r) in runs.iter().enumerate() {
        println!(
            "| {} | {} | {:.3} | {:.3} | {:.2} | {:.0} | {:.0} | {:+.0} |",
            n + 1,
            if r.copy_first { "COPY" } else { "import" },
            r.copy.as_secs_f64(),
            r.service.as_secs_f64(),
            r.copy.as_secs_f64() / r.service.as_secs_f64(),
            r.rss_before as f64 / 1024.0,
            r.peak as f64 / 1024.0,
            (r.peak as f64 - r.rss_before as f64) / 1024.0
        );
    }
    println!();
    let what = match format {
        Format::Csv => "CSV",
        Format::Xlsx => "XLSX (one sheet, the header and a row per insats-year, built before the clock starts)",
    };
    println!("request body: {} bytes ({:.1} MiB) of {what}", body_bytes, mib(body_bytes));
    println!(
        "memory is the whole process's (server, client with its body, what earlier runs left in the allocator); {}",
        if runs.iter().all(|r| r.peak_reset) {
            "VmHWM was reset before each import"
        } else {
            "VmHWM could not be reset: it is the process peak so far, COPY side and earlier runs included"
        }
    );
}

fn line(label: &str, samples: &[f64], decimals: usize) {
    let mut sorted = samples.to_vec();
    sorted.sort_by(f64::total_cmp);
    let (median, min, max) = (sorted[sorted.len() / 2], sorted[0], sorted[sorted.len() - 1]);
    println!("| {label} | {median:.decimals$} | {min:.decimals$} | {max:.decimals$} |");
}

fn mib(bytes: usize) -> f64 {
    bytes as f64 / 1024.0 / 1024.0
}

/// Drops and creates the bench database, migrates and seeds it, and opens 2023 for writing.
fn fresh_database(admin_url: &str, url: &str) -> anyhow::Result<PgConnection> {
    drop_database(admin_url)?;
    let mut admin = establish(admin_url)?;
    diesel::sql_query(format!("CREATE DATABASE {BENCH_DATABASE}")).execute(&mut admin)?;
    let mut conn = establish(url)?;
    finsam_store::migrations::run_pending(&mut conn)?;
    finsam_store::reference::seed(&mut conn)?;
    diesel::sql_query(format!("INSERT INTO reporting_years (year, deadline) VALUES ({YEAR}, DATE '2100-12-31')"))
        .execute(&mut conn)?;
    Ok(conn)
}

fn drop_database(admin_url: &str) -> anyhow::Result<()> {
    let mut admin = establish(admin_url)?;
    diesel::sql_query(format!("DROP DATABASE IF EXISTS {BENCH_DATABASE} WITH (FORCE)")).execute(&mut admin)?;
    Ok(())
}

/// The same empty tables for each side, and no checkpoint left over from the other side's WAL.
/// (audit_events is append-only; COPY writes none, so the import always starts from its own.)
fn empty_tables(conn: &mut PgConnection) -> anyhow::Result<()> {
    diesel::sql_query("TRUNCATE insats_years, insats_target_groups, insatser").execute(conn)?;
    diesel::sql_query("VACUUM ANALYZE insatser, insats_years, insats_target_groups, audit_events").execute(conn)?;
    diesel::sql_query("CHECKPOINT").execute(conn).context("CHECKPOINT (the bench needs a superuser)")?;
    Ok(())
}

/// The baseline: COPY the insatser, read their ids back by external_ref, COPY their years; one
/// transaction, as the import is.
fn copy_rows(conn: &mut PgConnection, forbund: &str, rows: &[Row]) -> anyhow::Result<()> {
    conn.transaction(|conn| {
        let mut text = Vec::with_capacity(rows.len() * 64);
        for r in rows {
            writeln!(text, "{forbund}\t{}\t{}\t{}\t{}\t{START_DATE}", r.external_ref, r.name, r.kind, r.orientation)?;
        }
        let copied = diesel::copy_from(insatser::table)
            .from_raw_data(
                (
                    insatser::forbund_key,
                    insatser::external_ref,
                    insatser::name,
                    insatser::kind,
                    insatser::orientation,
                    insatser::start_date,
                ),
                |out: &mut dyn Write| write_all(out, &text),
            )
            .execute(conn)?;
        ensure!(copied == rows.len(), "COPY wrote {copied} insatser");
        let ids: HashMap<String, i64> = insatser::table
            .filter(insatser::forbund_key.eq(forbund))
            .select((insatser::external_ref.assume_not_null(), insatser::id))
            .load::<(String, i64)>(conn)?
            .into_iter()
            .collect();
        let mut text = Vec::with_capacity(rows.len() * 48);
        for r in rows {
            let id = ids[&r.external_ref];
            let (women, men) =
                r.participants.map_or(("\\N".to_owned(), "\\N".to_owned()), |(w, m)| (w.to_string(), m.to_string()));
            writeln!(text, "{id}\t{}\t{YEAR}\t{women}\t{men}\t{}", r.kind, money(r.budget))?;
        }
        let copied = diesel::copy_from(insats_years::table)
            .from_raw_data(
                (
                    insats_years::insats_id,
                    insats_years::kind,
                    insats_years::year,
                    insats_years::participants_women,
                    insats_years::participants_men,
                    insats_years::budget,
                ),
                |out: &mut dyn Write| write_all(out, &text),
            )
            .execute(conn)?;
        ensure!(copied == rows.len(), "COPY wrote {copied} insats-years");
        Ok(())
    })
}

fn write_all(out: &mut dyn Write, bytes: &[u8]) -> Result<(), diesel::result::Error> {
    out.write_all(bytes).map_err(|e| diesel::result::Error::SerializationError(Box::new(e)))
}

/// The server in this process on a free port, on its own actix System thread.
struct Server {
    base: String,
    secret: Vec<u8>,
    handle: actix_web::dev::ServerHandle,
    thread: std::thread::JoinHandle<std::io::Result<()>>,
}

impl Server {
    fn start(url: &str) -> anyhow::Result<Server> {
        // No idle connections kept: the next run drops this database under them.
        let pool: PgPool = Pool::builder().max_size(4).min_idle(Some(0)).build(ConnectionManager::new(url))?;
        let secret = random_secret()?;
        let verifier = Verifier::new(VerifierConfig {
            keys: KeySource::Hs256Secret(secret.clone()),
            issuer: ISSUER.into(),
            audience: ISSUER.into(),
            leeway_seconds: 5,
        })?;
        let listener = TcpListener::bind("127.0.0.1:0")?;
        let base = format!("http://{}", listener.local_addr()?);
        let (sender, receiver) = std::sync::mpsc::channel();
        let thread = std::thread::Builder::new().name("bench-server".into()).spawn(move || {
            actix_web::rt::System::new().block_on(async move {
                // Every batch runs inside its request: no job queue, no rate limit in the way.
                let state = AppState::new(pool, verifier).with_import_limits(1000, usize::MAX);
                let options = ServerOptions { workers: 0, shutdown_timeout: 1 };
                let server = finsam_api::server(state, listener, &options)?;
                let _ = sender.send(server.handle());
                server.await
            })
        })?;
        let Ok(handle) = receiver.recv() else {
            return match thread.join() {
                Ok(Err(error)) => Err(error).context("the server did not start"),
                _ => bail!("the server did not start"),
            };
        };
        Ok(Server { base, secret, handle, thread })
    }

    fn token(&self, forbund: &str) -> String {
        let now = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
        let claims = Claims {
            sub: "bench-import".into(),
            role: finsam_domain::Role::Integration,
            forbund: Some(forbund.to_owned()),
            iss: ISSUER.into(),
            aud: ISSUER.into(),
            exp: now + 3600,
            nbf: None,
            iat: Some(now),
        };
        mint_hs256(&self.secret, &claims)
    }

    fn stop(self) -> anyhow::Result<()> {
        actix_web::rt::System::new().block_on(self.handle.stop(true));
        match self.thread.join() {
            Ok(result) => Ok(result?),
            Err(_) => bail!("the server thread panicked"),
        }
    }
}

fn random_secret() -> anyhow::Result<Vec<u8>> {
    let mut secret = vec![0; 32];
    std::io::Read::read_exact(&mut std::fs::File::open("/dev/urandom")?, &mut secret)?;
    Ok(secret)
}

/// The import, as a case system sends it (with an Idempotency-Key), ready to send.
fn request(
    base: &str,
    forbund: &str,
    token: &str,
    format: Format,
    body: Vec<u8>,
    run: usize,
) -> anyhow::Result<reqwest::blocking::RequestBuilder> {
    let client = reqwest::blocking::Client::builder().timeout(Duration::from_secs(3600)).build()?;
    Ok(client
        .post(format!("{base}/api/v1/forbund/{forbund}/imports"))
        .bearer_auth(token)
        .header("Content-Type", format.content_type())
        .header("Idempotency-Key", format!("bench-import-run-{run}"))
        .body(body))
}

/// Sends the import and reads its summary.
fn send(request: reqwest::blocking::RequestBuilder) -> anyhow::Result<serde_json::Value> {
    let response = request.send()?;
    let status = response.status();
    let text = response.text()?;
    ensure!(status == reqwest::StatusCode::OK, "the import answered {status}: {text}");
    Ok(serde_json::from_str(&text)?)
}

fn audit_events(conn: &mut PgConnection) -> anyhow::Result<i64> {
    Ok(finsam_store::schema::audit_events::table.count().get_result(conn)?)
}

/// What both sides must have written alike: every column COPY fills, in external_ref order.
fn checksum(conn: &mut PgConnection, rows: u32) -> anyhow::Result<String> {
    #[derive(QueryableByName)]
    struct Sum {
        #[diesel(sql_type = BigInt)]
        n: i64,
        #[diesel(sql_type = Text)]
        md5: String,
    }
    let sum: Sum = diesel::sql_query(
        "SELECT count(*) AS n, md5(string_agg(concat_ws(',', i.forbund_key, i.external_ref, i.name, i.kind,
                i.orientation, i.start_date, y.kind, y.year, y.participants_women, y.participants_men, y.budget),
                '|' ORDER BY i.external_ref)) AS md5
         FROM insatser i JOIN insats_years y ON y.insats_id = i.id",
    )
    .get_result(conn)?;
    ensure!(sum.n == i64::from(rows), "{} insats-years written, not {rows}", sum.n);
    Ok(sum.md5)
}

/// Resets VmHWM to the current RSS (Linux ≥ 4.0), so that it measures the import only.
fn reset_peak() -> bool {
    std::fs::write("/proc/self/clear_refs", "5").is_ok()
}

/// A `kB` line of /proc/self/status.
fn status_kib(field: &str) -> anyhow::Result<u64> {
    let status = std::fs::read_to_string("/proc/self/status")?;
    let line = status
        .lines()
        .find_map(|l| l.strip_prefix(field)?.strip_prefix(':'))
        .with_context(|| format!("no {field} in /proc/self/status"))?;
    Ok(line.trim().trim_end_matches("kB").trim().parse()?)
}

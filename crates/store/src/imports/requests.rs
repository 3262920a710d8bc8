//! Import requests: the Idempotency-Key record of each import, and the queue of jobs.
//!
//! A synchronous import claims its key by inserting the request row first, in the import's own
//! transaction: a concurrent request with the same key waits on the unique index until the first
//! commits (then finds it and replays its summary) or rolls back (then goes ahead itself). A job
//! is taken with `FOR NO KEY UPDATE SKIP LOCKED` in the transaction that applies it and marks it
//! done: killed half-way, it rolls back to `queued` and is taken again after a restart; done, it
//! is never taken again.

use chrono::{DateTime, Utc};
use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::sql_types::{Bytea, Text};
use finsam_domain::Role;
use finsam_domain::codes::Code;
use finsam_domain::import::{self, Batch, Format, ImportSummary, Mode};
use serde::Serialize;

use super::apply;
use crate::registration::{Actor, WriteError};
use crate::schema::{import_progress, import_requests};

/// What a request is, for claiming its key.
pub struct NewRequest<'a> {
    pub forbund: &'a str,
    pub idempotency_key: Option<&'a str>,
    pub format: Format,
    pub mode: Mode,
    pub body: &'a [u8],
    pub rows_total: usize,
}

/// A stored request, as `GET …/imports/{id}` shows it.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ImportRequest {
    pub id: i64,
    pub forbund_key: String,
    pub idempotency_key: Option<String>,
    /// queued, done or failed
    pub state: String,
    pub mode: Mode,
    pub rows_total: i32,
    /// Rows written so far by a running job.
    pub rows_done: i32,
    pub summary: Option<ImportSummary>,
    pub error: Option<String>,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
    pub finished_at: Option<DateTime<Utc>>,
    #[serde(skip)]
    pub fingerprint: String,
}

/// How a request with an Idempotency-Key went.
pub enum Claim {
    /// First time: imported now (synchronous) or queued (a job), with the request's id.
    New(i64, Option<ImportSummary>),
    /// The same key and body as an earlier request: nothing is done again.
    Replay(Box<ImportRequest>),
    /// The key was used for a different body.
    KeyReused,
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = import_requests)]
struct Row {
    id: i64,
    forbund_key: String,
    idempotency_key: Option<String>,
    fingerprint: String,
    mode: String,
    state: String,
    rows_total: i32,
    summary: Option<serde_json::Value>,
    error: Option<String>,
    created_by: String,
    created_at: DateTime<Utc>,
    finished_at: Option<DateTime<Utc>>,
}

fn mode(code: &str) -> Mode {
    Mode::from_code(code).unwrap_or_else(|| panic!("the database holds an unknown mode {code:?}"))
}

fn request(row: Row, rows_done: i32) -> ImportRequest {
    ImportRequest {
        id: row.id,
        forbund_key: row.forbund_key,
        idempotency_key: row.idempotency_key,
        state: row.state,
        mode: mode(&row.mode),
        rows_total: row.rows_total,
        rows_done,
        summary: row.summary.map(|s| serde_json::from_value(s).expect("stored summaries read back")),
        error: row.error,
        created_by: row.created_by,
        created_at: row.created_at,
        finished_at: row.finished_at,
        fingerprint: row.fingerprint,
    }
}

/// sha256 of what makes two requests the same import: format, mode and body.
fn fingerprint(conn: &mut PgConnection, new: &NewRequest<'_>) -> QueryResult<String> {
    #[derive(QueryableByName)]
    struct Hash {
        #[diesel(sql_type = Text)]
        hex: String,
    }
    let mut bytes = format!("{}\n{}\n", new.format.code(), new.mode.code()).into_bytes();
    bytes.extend_from_slice(new.body);
    let hash: Hash =
        diesel::sql_query("SELECT encode(sha256($1), 'hex') AS hex").bind::<Bytea, _>(bytes).get_result(conn)?;
    Ok(hash.hex)
}

/// Inserts the request unless its key is taken; a taken key gives the stored request.
fn claim(
    conn: &mut PgConnection,
    new: &NewRequest<'_>,
    actor: &Actor<'_>,
    queued: bool,
) -> Result<Result<i64, Claim>, WriteError> {
    let print = fingerprint(conn, new)?;
    let rows_total = i32::try_from(new.rows_total).expect("batches are bounded by MAX_ROWS");
    let id: Option<i64> = diesel::insert_into(import_requests::table)
        .values((
            import_requests::forbund_key.eq(new.forbund),
            import_requests::idempotency_key.eq(new.idempotency_key),
            import_requests::fingerprint.eq(&print),
            import_requests::content_type.eq(new.format.code()),
            import_requests::mode.eq(new.mode.code()),
            import_requests::state.eq(if queued { "queued" } else { "running" }),
            import_requests::rows_total.eq(rows_total),
            import_requests::body.eq(queued.then_some(new.body)),
            import_requests::created_by.eq(actor.sub),
            import_requests::created_role.eq(actor.role.code()),
            import_requests::request_id.eq(actor.request_id),
        ))
        .on_conflict((import_requests::forbund_key, import_requests::idempotency_key))
        .do_nothing()
        .returning(import_requests::id)
        .get_result(conn)
        .optional()?;
    if let Some(id) = id {
        return Ok(Ok(id));
    }
    let key = new.idempotency_key.expect("only a key can conflict");
    let stored = import_requests::table
        .filter(import_requests::forbund_key.eq(new.forbund))
        .filter(import_requests::idempotency_key.eq(key))
        .select(Row::as_select())
        .first(conn)?;
    Ok(Err(if stored.fingerprint == print {
        Claim::Replay(Box::new(with_progress(conn, stored)?))
    } else {
        Claim::KeyReused
    }))
}

fn with_progress(conn: &mut PgConnection, row: Row) -> QueryResult<ImportRequest> {
    let done: Option<i32> =
        import_progress::table.find(row.id).select(import_progress::rows_done).first(conn).optional()?;
    let done = if row.state == "done" { row.rows_total } else { done.unwrap_or(0) };
    Ok(request(row, done))
}

/// Imports now, in one transaction. With an Idempotency-Key the request is remembered with its
/// summary (also when an atomic batch is refused: a retry gets the same answer).
pub fn import_now(
    conn: &mut PgConnection,
    new: &NewRequest<'_>,
    batch: &Batch,
    actor: &Actor<'_>,
) -> Result<Claim, WriteError> {
    conn.transaction(|conn| {
        let id = match new.idempotency_key {
            Some(_) => match claim(conn, new, actor, false)? {
                Ok(id) => Some(id),
                Err(claim) => return Ok(claim),
            },
            None => None,
        };
        let summary = apply(conn, new.forbund, batch, actor, false, &mut |_| {})?;
        if let Some(id) = id {
            finish(conn, id, &summary)?;
        }
        Ok(Claim::New(id.unwrap_or_default(), Some(summary)))
    })
}

fn finish(conn: &mut PgConnection, id: i64, summary: &ImportSummary) -> QueryResult<()> {
    diesel::update(import_requests::table.find(id))
        .set((
            import_requests::state.eq("done"),
            import_requests::summary.eq(serde_json::to_value(summary).expect("summaries serialise")),
            import_requests::body.eq(None::<Vec<u8>>),
            import_requests::finished_at.eq(diesel::dsl::now),
        ))
        .execute(conn)?;
    Ok(())
}

/// Queues a large batch as a job (already checked as a whole; its rows are checked when it runs).
pub fn queue(conn: &mut PgConnection, new: &NewRequest<'_>, actor: &Actor<'_>) -> Result<Claim, WriteError> {
    conn.transaction(|conn| match claim(conn, new, actor, true)? {
        Ok(id) => Ok(Claim::New(id, None)),
        Err(claim) => Ok(claim),
    })
}

/// Takes the oldest queued job nobody else is running and applies it, marking it done in the
/// same transaction. `progress(id, rows)` is told how far it is (write it on another
/// connection: this transaction's writes are invisible until it commits). `None`: no job waits.
pub fn run_next_job(conn: &mut PgConnection, progress: &mut dyn FnMut(i64, usize)) -> Result<Option<i64>, WriteError> {
    #[derive(Queryable, Selectable)]
    #[diesel(table_name = import_requests)]
    struct Job {
        id: i64,
        forbund_key: String,
        content_type: String,
        mode: String,
        body: Option<Vec<u8>>,
        created_by: String,
        created_role: String,
        request_id: Option<String>,
    }
    let mut taken: Option<i64> = None;
    let result = conn.transaction(|conn| {
        // A job of 200 000 rows may take longer than the pool's statement timeout, which is
        // meant for requests a client waits on.
        conn.batch_execute("SET LOCAL statement_timeout = 0")?;
        let job: Option<Job> = import_requests::table
            .filter(import_requests::state.eq("queued"))
            .order(import_requests::id)
            .select(Job::as_select())
            .for_no_key_update()
            .skip_locked()
            .first(conn)
            .optional()?;
        let Some(job) = job else { return Ok(None) };
        taken = Some(job.id);
        let format = Format::from_code(&job.content_type).expect("the database keeps the format to the list");
        // Only a valid token's role is ever stored with a job.
        let role = Role::from_code(&job.created_role).ok_or_else(|| {
            diesel::result::Error::DeserializationError(format!("a job of unknown role {:?}", job.created_role).into())
        })?;
        let actor = Actor { sub: &job.created_by, role, request_id: job.request_id.as_deref() };
        match import::parse(format, job.body.as_deref().unwrap_or_default(), mode(&job.mode)) {
            Ok(batch) => {
                let summary = apply(conn, &job.forbund_key, &batch, &actor, false, &mut |rows| progress(job.id, rows))?;
                finish(conn, job.id, &summary)?;
            }
            // Checked when queued, so only a change of rules in between can get here.
            Err(errors) => fail(conn, job.id, &format!("the batch no longer reads: {errors:?}"))?,
        }
        Ok(Some(job.id))
    });
    match (result, taken) {
        // The job's writes are rolled back. A job the database refuses (a conflict with data
        // registered since it was queued) is failed rather than retried for ever; one whose
        // connection broke stays queued for the next try.
        (Err(WriteError::Database(error)), Some(_)) if !matches!(error, diesel::result::Error::DatabaseError(..)) => {
            Err(WriteError::Database(error))
        }
        (Err(error), Some(id)) => {
            fail(conn, id, &error.to_string())?;
            Ok(Some(id))
        }
        (result, _) => result,
    }
}

/// Marks a job failed (its body is dropped: nothing of it was written).
pub fn fail(conn: &mut PgConnection, id: i64, error: &str) -> QueryResult<()> {
    diesel::update(import_requests::table.find(id).filter(import_requests::state.eq("queued")))
        .set((
            import_requests::state.eq("failed"),
            import_requests::error.eq(error),
            import_requests::body.eq(None::<Vec<u8>>),
            import_requests::finished_at.eq(diesel::dsl::now),
        ))
        .execute(conn)?;
    Ok(())
}

/// The oldest queued job's id, for a worker that must give up on a job that keeps failing.
pub fn next_queued(conn: &mut PgConnection) -> QueryResult<Option<i64>> {
    import_requests::table
        .filter(import_requests::state.eq("queued"))
        .order(import_requests::id)
        .select(import_requests::id)
        .first(conn)
        .optional()
}

/// Writes how far a job has come (outside the job's transaction).
pub fn record_progress(conn: &mut PgConnection, id: i64, rows_done: usize) -> QueryResult<()> {
    let rows_done = i32::try_from(rows_done).unwrap_or(i32::MAX);
    diesel::insert_into(import_progress::table)
        .values((import_progress::import_id.eq(id), import_progress::rows_done.eq(rows_done)))
        .on_conflict(import_progress::import_id)
        .do_update()
        .set((import_progress::rows_done.eq(rows_done), import_progress::updated_at.eq(diesel::dsl::now)))
        .execute(conn)?;
    Ok(())
}

/// One request of a förbund.
pub fn get(conn: &mut PgConnection, forbund: &str, id: i64) -> QueryResult<Option<ImportRequest>> {
    let row = import_requests::table
        .filter(import_requests::forbund_key.eq(forbund))
        .filter(import_requests::id.eq(id))
        .select(Row::as_select())
        .first(conn)
        .optional()?;
    row.map(|row| with_progress(conn, row)).transpose()
}

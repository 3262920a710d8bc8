//! A bulk import from a förbund's case system: checked whole, then imported now (in one
//! transaction, a chunk at a time: see `finsam_store::imports`) or, when large, queued as a job
//! that the worker runs in its own transaction as the same actor.

use std::borrow::Cow;

use diesel::PgConnection;
use finsam_domain::ErrorCode;
use finsam_domain::FieldError;
use finsam_domain::access::Action;
use finsam_domain::import::{self, Charset, Format, ImportSummary, Mode};
use finsam_store::imports::{self, Claim, ImportRequest, NewRequest, requests};

use crate::{Acting, Refused};

/// A batch as it came: its bytes and how to read them.
pub struct Batch<'a> {
    pub sent: Sent<'a>,
    pub body: &'a [u8],
    /// The mode asked for by the query (a JSON batch may say its own).
    pub mode: Mode,
    /// Check and report, write nothing.
    pub dry_run: bool,
    pub idempotency_key: Option<&'a str>,
    /// Batches of more insatser than this become jobs.
    pub job_rows: usize,
}

/// What a batch was sent as: the import's two forms, and a workbook, which is read into the CSV
/// form (and kept so, for a job) so that its rules and errors are the CSV import's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sent<'a> {
    Json,
    /// With the charset its `Content-Type` declares, if any.
    Csv(Option<Charset>),
    /// The sheet to read, or the first.
    Xlsx(Option<&'a str>),
}

pub enum Imported {
    /// The summary, and whether it is a stored one replayed (the same key and batch again).
    Done { summary: ImportSummary, replayed: bool },
    /// A job; `new` when this call queued it (the worker should be woken).
    Queued { job: Box<ImportRequest>, new: bool },
}

pub fn import(
    conn: &mut PgConnection,
    who: &Acting<'_>,
    forbund: &str,
    batch: &Batch<'_>,
) -> Result<Imported, Refused> {
    who.may(Action::WriteRegistration, Some(forbund))?;
    if !finsam_store::reference::forbund_exists(conn, forbund)? {
        return Err(Refused::NotFound(format!("no förbund {forbund:?}")));
    }
    let (format, body): (Format, Cow<[u8]>) = match batch.sent {
        Sent::Json => (Format::Json, Cow::Borrowed(batch.body)),
        // Kept as UTF-8: a job reads its body again with no Content-Type to go by.
        Sent::Csv(Some(Charset::Windows1252)) => {
            let text = import::csv_text(batch.body, Some(Charset::Windows1252));
            (Format::Csv, Cow::Owned(text.into_owned().into_bytes()))
        }
        // A declared charset is the sender's word: bytes that are no UTF-8 are refused, not
        // read as Windows-1252 as undeclared ones are.
        Sent::Csv(Some(Charset::Utf8)) if std::str::from_utf8(batch.body).is_err() => {
            return Err(Refused::Invalid(vec![FieldError::new(
                "Content-Type",
                ErrorCode::NotUtf8,
                "the body is declared charset=utf-8 but is not UTF-8: declare windows-1252, or none to have it found",
            )]));
        }
        Sent::Csv(_) => (Format::Csv, Cow::Borrowed(batch.body)),
        Sent::Xlsx(sheet) => {
            let text = finsam_sheets::xlsx_to_csv(batch.body, sheet, import::MAX_BYTES).map_err(Refused::Invalid)?;
            (Format::Csv, Cow::Owned(text.into_bytes()))
        }
    };
    let source = import::scan(format, &body, batch.mode).map_err(Refused::Invalid)?;
    let actor = who.store();
    if batch.dry_run {
        let summary = imports::apply(conn, forbund, &source, &actor, true, &mut |_| {})?;
        return Ok(Imported::Done { summary, replayed: false });
    }
    let new = NewRequest {
        forbund,
        idempotency_key: batch.idempotency_key,
        format,
        mode: source.mode,
        body: &body,
        rows_total: source.total,
    };
    // A job's body waits in the database until the job runs; one with a person in it is
    // imported now instead, which keeps only its summary. (Finding out reads every row, so only
    // a batch large enough to be a job is read for it.)
    let claim = if source.total > batch.job_rows && !source.has_identity_number() {
        requests::queue(conn, &new, &actor)?
    } else {
        requests::import_now(conn, &new, &source, &actor)?
    };
    Ok(match claim {
        Claim::New(_, Some(summary)) => Imported::Done { summary, replayed: false },
        Claim::New(id, None) => {
            let job = requests::get(conn, forbund, id)?.ok_or_else(|| Refused::NotFound(format!("no job {id}")))?;
            Imported::Queued { job: Box::new(job), new: true }
        }
        Claim::Replay(stored) => match stored.summary.clone() {
            Some(summary) => Imported::Done { summary, replayed: true },
            None => Imported::Queued { job: stored, new: false },
        },
        Claim::KeyReused => {
            return Err(Refused::Invalid(vec![FieldError::new(
                "Idempotency-Key",
                ErrorCode::IdempotencyKeyReused,
                "this key was used for a different batch; use a new key for new data",
            )]));
        }
    })
}

//! Applying a batch: its rows read and checked a chunk at a time (see [`Source::chunks`]), every
//! row upserted by external_ref, set-based (a few statements per chunk rather than several per
//! row), each change audited in the same transaction exactly as a single registration would be.
//! Only one chunk's rows, and the records they change, are held at once; the rows of a chunk
//! are locked when the chunk is read, so a long import holds locks on what it has read so far
//! and no lock that writers of other insatser wait on.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::io::Write;

use chrono::{DateTime, NaiveDate, Utc};
use diesel::pg::Pg;
use diesel::prelude::*;
use diesel::serialize::{self, IsNull, Output, ToSql};
use diesel::sql_types::{BigInt, Integer, Jsonb, Timestamptz};
use finsam_domain::codes::Code;
use finsam_domain::import::{Chunk, ImportRow, ImportStatus, ImportSummary, Mode, RowError, Source};
use finsam_domain::insats::Insats;
use finsam_domain::insats_year::InsatsYear;
use finsam_domain::records::{InsatsRecord, InsatsYearRecord};
use finsam_domain::reporting_year::YearBlock;
use serde::Serialize;

use crate::registration::insats_years::{NewYear, YearValues};
use crate::registration::insatser::{
    InsatsValues, by_ids, check_years_allow, check_years_still_fit, lock_by_ids, write_groups,
};
use crate::registration::{Actor, INSATS_ENTITY, WriteError, YEAR_ENTITY, reporting_years};
use crate::schema::{audit_events, insats_target_groups, insats_years, insatser as insatser_table};

/// Rows (insatser) per chunk: read, checked, locked, written and audited together. Large enough
/// that a chunk's statements cost little per row, small enough that a chunk's rows and records
/// are a few MiB. Also the most rows per multi-row INSERT (PostgreSQL takes at most 65 535
/// parameters per statement).
const CHUNK: usize = 2_000;

/// An existing insats the batch changes.
struct Changed<'a> {
    row: &'a ImportRow,
    before: &'a InsatsRecord,
    insats_changed: bool,
    /// (year, new figures, figures before if any) for the years that differ.
    years: Vec<(i32, &'a InsatsYear, Option<&'a InsatsYearRecord>)>,
}

/// Why the writing of a batch stopped.
enum Stop {
    /// An atomic batch has a rejected row: what its earlier chunks wrote is rolled back.
    Refused,
    Failed(WriteError),
}

impl From<WriteError> for Stop {
    fn from(error: WriteError) -> Stop {
        Stop::Failed(error)
    }
}

impl From<diesel::result::Error> for Stop {
    fn from(error: diesel::result::Error) -> Stop {
        Stop::Failed(error.into())
    }
}

/// Upserts the rows of `source` into the förbund's insatser, in one transaction (a savepoint
/// when called in one). `progress` hears how many rows are written as the writing goes on.
/// Refuses nothing as a whole: rows the store cannot take (their years would fall outside a
/// changed span) are rejected like rows that broke a rule.
pub fn apply(
    conn: &mut PgConnection,
    forbund: &str,
    source: &Source<'_>,
    actor: &Actor<'_>,
    dry_run: bool,
    progress: &mut dyn FnMut(usize),
) -> Result<ImportSummary, WriteError> {
    let mut run = Run {
        forbund,
        actor,
        mode: source.mode,
        dry_run,
        blocks: HashMap::new(),
        known: None,
        now: None,
        summary: ImportSummary {
            status: ImportStatus::Applied,
            mode: source.mode,
            total: source.total,
            created: 0,
            updated: 0,
            unchanged: 0,
            rejected: 0,
            errors: Vec::new(),
        },
        written: 0,
        progress,
    };
    let applied = conn.transaction(|conn| {
        source.chunks(CHUNK, |chunk| run.chunk(conn, chunk))?;
        if run.refused() {
            return Err(Stop::Refused);
        }
        Ok(())
    });
    match applied {
        Ok(()) | Err(Stop::Refused) => {}
        Err(Stop::Failed(error)) => return Err(error),
    }
    let mut summary = run.summary;
    summary.status = match (dry_run, source.mode, summary.rejected) {
        (true, _, _) => ImportStatus::DryRun,
        (false, Mode::Atomic, 1..) => ImportStatus::Refused,
        _ => ImportStatus::Applied,
    };
    // A summary is kept as jsonb, which cannot hold U+0000; a row's problem can name a key with
    // one in it. Spelt out as `\u0000` here, so that what is answered is what a replay answers.
    for error in &mut summary.errors {
        for text in [&mut error.field, &mut error.detail] {
            if text.contains('\0') {
                *text = text.replace('\0', "\\u0000");
            }
        }
    }
    Ok(summary)
}

/// One import under way: what it has found so far.
struct Run<'a, 'p> {
    forbund: &'a str,
    actor: &'a Actor<'a>,
    mode: Mode,
    dry_run: bool,
    /// Each year met so far, with why the actor may not write it (its shared lock is held).
    blocks: HashMap<i32, Option<YearBlock>>,
    /// The förbund's live insatser by external_ref when the import began.
    known: Option<HashMap<String, i64>>,
    /// The transaction's time, which the database gives the rows it writes.
    now: Option<DateTime<Utc>>,
    /// The counts and errors so far (the status is set at the end).
    summary: ImportSummary,
    written: usize,
    progress: &'p mut dyn FnMut(usize),
}

impl Run<'_, '_> {
    fn refused(&self) -> bool {
        !self.dry_run && self.mode == Mode::Atomic && self.summary.rejected > 0
    }

    /// Classifies a chunk's rows against what is stored (locking the insatser they match), and
    /// writes them unless the import writes nothing (a dry run, an atomic batch with a rejected row).
    fn chunk(&mut self, conn: &mut PgConnection, chunk: Chunk) -> Result<(), Stop> {
        let Chunk { rows, mut errors } = chunk;
        // The rows a chunk matches are found among the insatser that were there when the import
        // began (its refs are unique in the batch, so no chunk matches what an earlier one
        // wrote), and locked by id. Not `external_ref = ANY(refs)` per chunk: on the statistics
        // of a table filling up in this transaction that is planned as a scan of the förbund
        // with a linear search of the refs, which made a 100 000-row import take minutes.
        let known = match &mut self.known {
            Some(known) => known,
            None => self.known.insert(live_refs(conn, self.forbund)?),
        };
        let ids: Vec<i64> = rows.iter().filter_map(|r| known.get(&r.external_ref).copied()).collect();
        let existing: Vec<InsatsRecord> =
            if ids.is_empty() { Vec::new() } else { lock_by_ids(conn, self.forbund, &ids)? };
        let by_ref: HashMap<&str, &InsatsRecord> =
            existing.iter().filter_map(|r| Some((r.insats.external_ref.as_deref()?, r))).collect();
        // A year closed (or past its deadline, for all but admins) refuses every row with
        // figures for it; each year is looked up, and its lock taken, once.
        for year in rows.iter().flat_map(|r| r.years.keys().copied()).collect::<BTreeSet<_>>() {
            if !self.blocks.contains_key(&year) {
                let block = reporting_years::write_block(conn, year, self.actor.role)?;
                self.blocks.insert(year, block);
            }
        }
        let (mut new, mut changed, mut unchanged) = (Vec::new(), Vec::new(), 0);
        for row in &rows {
            let before = by_ref.get(row.external_ref.as_str()).copied();
            let insats_changed = before.is_some_and(|b| b.insats != row.insats);
            let years: Vec<_> = row
                .years
                .iter()
                .filter_map(|(&year, figures)| {
                    let old = before.and_then(|b| b.years.iter().find(|y| y.year == year));
                    (old.map(|o| &o.figures) != Some(figures)).then_some((year, figures, old))
                })
                .collect();
            if let Some((year, block)) = years.iter().find_map(|(year, _, _)| Some((*year, self.blocks[year]?))) {
                let field = format!("/insatser/{}/years/{year}", row.index);
                let (code, detail) = (block.code(), block.message());
                errors.push(RowError { index: row.index, line: row.line, field, code, detail });
                continue;
            }
            let Some(before) = before else {
                new.push(row);
                continue;
            };
            if insats_changed {
                let fits = check_years_still_fit(before, &row.insats)
                    .and_then(|()| check_years_allow(conn, before, Some(&row.insats), self.actor));
                if let Err(error) = fits {
                    errors.push(rejection(row, error)?);
                    continue;
                }
            }
            if insats_changed || !years.is_empty() {
                changed.push(Changed { row, before, insats_changed, years });
            } else {
                unchanged += 1;
            }
        }
        errors.sort_by_key(|e| (e.index, e.line));
        let summary = &mut self.summary;
        summary.rejected += errors.iter().map(|e| e.index).collect::<HashSet<_>>().len();
        summary.created += new.len();
        summary.updated += changed.len();
        summary.unchanged += unchanged;
        summary.errors.extend(errors);
        if self.dry_run || self.refused() {
            return Ok(());
        }
        let now = match self.now {
            Some(now) => now,
            None => *self.now.insert(diesel::select(diesel::dsl::sql::<Timestamptz>("now()")).get_result(conn)?),
        };
        write(conn, self.forbund, &new, &changed, self.actor, now)?;
        self.written += new.len() + changed.len();
        (self.progress)(self.written);
        Ok(())
    }
}

/// The förbund's live insatser with an external_ref, by it.
fn live_refs(conn: &mut PgConnection, forbund: &str) -> QueryResult<HashMap<String, i64>> {
    Ok(insatser_table::table
        .filter(insatser_table::forbund_key.eq(forbund))
        .filter(insatser_table::deleted_at.is_null())
        .filter(insatser_table::external_ref.is_not_null())
        .select((insatser_table::external_ref.assume_not_null(), insatser_table::id))
        .load::<(String, i64)>(conn)?
        .into_iter()
        .collect())
}

/// A row the store refuses, as the summary reports it; other errors stop the import.
fn rejection(row: &ImportRow, error: WriteError) -> Result<RowError, WriteError> {
    match error {
        WriteError::Conflict { code, field, detail } => {
            let field =
                if field.starts_with('/') { format!("/insatser/{}{field}", row.index) } else { field.to_owned() };
            Ok(RowError { index: row.index, line: row.line, field, code, detail })
        }
        other => Err(other),
    }
}

#[derive(QueryableByName)]
struct Id {
    #[diesel(sql_type = BigInt)]
    id: i64,
}

/// Writes one chunk's new and changed insatser, and their audit events.
fn write(
    conn: &mut PgConnection,
    forbund: &str,
    new: &[&ImportRow],
    changed: &[Changed<'_>],
    actor: &Actor<'_>,
    now: DateTime<Utc>,
) -> Result<(), WriteError> {
    // New insatser by COPY (the rows, constraints and triggers of multi-row INSERTs in less
    // time) with ids taken from the identity's sequence first: COPY returns none, and reading
    // them back by external_ref costs a lookup per row. (COPY writes an identity column given
    // to it, as INSERT … OVERRIDING SYSTEM VALUE would.)
    let mut new_ids: Vec<i64> = Vec::with_capacity(new.len());
    if !new.is_empty() {
        let count = i32::try_from(new.len()).expect("a chunk is small");
        new_ids.extend(
            diesel::sql_query(
                "SELECT nextval(pg_get_serial_sequence('insatser', 'id')) AS id FROM generate_series(1, $1) ORDER BY 1",
            )
            .bind::<Integer, _>(count)
            .load::<Id>(conn)?
            .into_iter()
            .map(|r| r.id),
        );
        let rows: Vec<NewInsats<'_>> =
            new.iter().zip(&new_ids).map(|(row, &id)| NewInsats::new(id, forbund, &row.insats)).collect();
        diesel::copy_from(insatser_table::table).from_insertable(&rows).execute(conn)?;
        let groups: Vec<_> = new
            .iter()
            .zip(&new_ids)
            .flat_map(|(row, &id)| {
                row.insats.target_groups.iter().map(move |g| {
                    (insats_target_groups::insats_id.eq(id), insats_target_groups::target_group.eq(g.code()))
                })
            })
            .collect();
        for part in groups.chunks(CHUNK) {
            diesel::insert_into(insats_target_groups::table).values(part).execute(conn)?;
        }
        let years: Vec<NewYear<'_>> = new
            .iter()
            .zip(&new_ids)
            .flat_map(|(row, &id)| {
                let kind = row.insats.kind.code();
                row.years.iter().map(move |(&year, figures)| NewYear::new(id, kind, year, figures))
            })
            .collect();
        if !years.is_empty() {
            diesel::copy_from(insats_years::table).from_insertable(&years).execute(conn)?;
        }
    }
    for change in changed {
        let id = change.before.id;
        if change.insats_changed {
            // Groups first: changing the kind cascades to them, and they may only be individual.
            write_groups(conn, id, &[])?;
            diesel::update(insatser_table::table.find(id))
                .set((
                    InsatsValues::from(&change.row.insats),
                    insatser_table::version.eq(insatser_table::version + 1),
                    insatser_table::updated_at.eq(diesel::dsl::now),
                ))
                .execute(conn)?;
            write_groups(conn, id, &change.row.insats.target_groups)?;
        }
        for &(year, figures, before) in &change.years {
            let values = YearValues::from(figures);
            if before.is_some() {
                diesel::update(insats_years::table.find((id, year)))
                    .set((
                        &values,
                        insats_years::version.eq(insats_years::version + 1),
                        insats_years::updated_at.eq(diesel::dsl::now),
                    ))
                    .execute(conn)?;
            } else {
                diesel::insert_into(insats_years::table)
                    .values((
                        insats_years::insats_id.eq(id),
                        insats_years::kind.eq(change.row.insats.kind.code()),
                        insats_years::year.eq(year),
                        &values,
                    ))
                    .execute(conn)?;
            }
        }
    }
    let created: Vec<InsatsRecord> =
        new.iter().zip(&new_ids).map(|(row, &id)| created_record(id, forbund, row, now)).collect();
    audit(conn, forbund, &created, changed, actor)
}

/// A new insats as the database now holds it, without reading it back: what was written, with
/// the defaults of a new row (version 1, the transaction's time) and amounts at the scale of
/// their NUMERIC(16,2) columns.
fn created_record(id: i64, forbund: &str, row: &ImportRow, now: DateTime<Utc>) -> InsatsRecord {
    let at_column_scale = |mut amount: rust_decimal::Decimal| {
        amount.rescale(2);
        amount
    };
    let years = row
        .years
        .iter()
        .map(|(&year, figures)| InsatsYearRecord {
            year,
            figures: InsatsYear {
                budget: at_column_scale(figures.budget),
                outcome: figures.outcome.map(at_column_scale),
                ..figures.clone()
            },
            version: 1,
            updated_at: now,
        })
        .collect();
    InsatsRecord {
        id,
        forbund_key: forbund.to_owned(),
        insats: row.insats.clone(),
        version: 1,
        created_at: now,
        updated_at: now,
        years,
    }
}

/// One event per insats and per year written, as the single registrations record them.
fn audit(
    conn: &mut PgConnection,
    forbund: &str,
    created: &[InsatsRecord],
    changed: &[Changed<'_>],
    actor: &Actor<'_>,
) -> Result<(), WriteError> {
    let ids: Vec<i64> = changed.iter().map(|c| c.before.id).collect();
    let after: HashMap<i64, InsatsRecord> =
        if ids.is_empty() { HashMap::new() } else { by_ids(conn, &ids)?.into_iter().map(|r| (r.id, r)).collect() };
    let mut events: Vec<Event<'_>> = Vec::new();
    for record in created {
        let id = record.id;
        events.push(Event::new(INSATS_ENTITY, id.to_string(), "create", None, Some(Json::Insats(record))));
        for year in &record.years {
            let after = Some(Json::Year(year));
            events.push(Event::new(YEAR_ENTITY, format!("{id}/{}", year.year), "create", None, after));
        }
    }
    for change in changed {
        let id = change.before.id;
        let record = &after[&id];
        if change.insats_changed {
            let (before, after) = (Some(Json::Insats(change.before)), Some(Json::Insats(record)));
            events.push(Event::new(INSATS_ENTITY, id.to_string(), "replace", before, after));
        }
        for &(year, _, before) in &change.years {
            let now = record.years.iter().find(|y| y.year == year).expect("just written");
            let action = if before.is_some() { "replace" } else { "create" };
            let (before, after) = (before.map(Json::Year), Some(Json::Year(now)));
            events.push(Event::new(YEAR_ENTITY, format!("{id}/{year}"), action, before, after));
        }
    }
    if events.is_empty() {
        return Ok(());
    }
    // COPY rather than multi-row INSERTs: the same rows, constraints and triggers, without
    // binding and planning a hundred statements of 20 000 parameters.
    let rows: Vec<EventRow<'_>> = events
        .into_iter()
        .map(|event| EventRow {
            actor: actor.sub,
            actor_role: actor.role.code(),
            forbund_key: Some(forbund),
            entity: event.entity,
            entity_id: event.entity_id,
            action: event.action,
            before: event.before,
            after: event.after,
            reason: None,
            request_id: actor.request_id,
        })
        .collect();
    diesel::copy_from(audit_events::table).from_insertable(&rows).execute(conn)?;
    Ok(())
}

/// A new insats as COPY writes it: [`InsatsValues`] with its id and förbund, every column given (COPY
/// cannot leave a value to its default row by row; none of these has another than NULL).
#[derive(Insertable)]
#[diesel(table_name = insatser_table, treat_none_as_default_value = false)]
struct NewInsats<'a> {
    id: i64,
    forbund_key: &'a str,
    external_ref: Option<&'a str>,
    name: &'a str,
    description: Option<&'a str>,
    kind: &'a str,
    orientation: &'a str,
    start_date: NaiveDate,
    end_date: Option<NaiveDate>,
}

impl<'a> NewInsats<'a> {
    fn new(id: i64, forbund: &'a str, insats: &'a Insats) -> NewInsats<'a> {
        NewInsats {
            id,
            forbund_key: forbund,
            external_ref: insats.external_ref.as_deref(),
            name: &insats.name,
            description: insats.description.as_deref(),
            kind: insats.kind.code(),
            orientation: insats.orientation.code(),
            start_date: insats.start_date,
            end_date: insats.end_date,
        }
    }
}

/// An audit event as COPY writes it: [`crate::audit::NewAuditEvent`] with every column given
/// (COPY cannot leave a value to its default row by row; none of these has another than NULL;
/// the columns not named, such as the writing transaction, take their defaults).
#[derive(Insertable)]
#[diesel(table_name = audit_events, treat_none_as_default_value = false)]
struct EventRow<'a> {
    actor: &'a str,
    actor_role: &'a str,
    forbund_key: Option<&'a str>,
    entity: &'a str,
    entity_id: String,
    action: &'a str,
    before: Option<Json<'a>>,
    after: Option<Json<'a>>,
    reason: Option<&'a str>,
    request_id: Option<&'a str>,
}

/// One audit event to write.
struct Event<'a> {
    entity: &'static str,
    entity_id: String,
    action: &'static str,
    before: Option<Json<'a>>,
    after: Option<Json<'a>>,
}

impl<'a> Event<'a> {
    fn new(
        entity: &'static str,
        entity_id: String,
        action: &'static str,
        before: Option<Json<'a>>,
        after: Option<Json<'a>>,
    ) -> Event<'a> {
        Event { entity, entity_id, action, before, after }
    }
}

/// A record for a jsonb column of the audit log, serialised as COPY sends it rather than built
/// as a `serde_json::Value` first: the stored jsonb is the same (jsonb keeps no key order or
/// spacing), without a map allocated per event, and while PostgreSQL stores the rows before.
#[derive(Debug, Serialize, diesel::AsExpression)]
#[serde(untagged)]
#[diesel(sql_type = Jsonb)]
enum Json<'a> {
    Insats(&'a InsatsRecord),
    Year(&'a InsatsYearRecord),
}

impl ToSql<Jsonb, Pg> for Json<'_> {
    fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, Pg>) -> serialize::Result {
        // PostgreSQL's binary jsonb: a version byte, then the text (as diesel sends a Value).
        out.write_all(&[1])?;
        serde_json::to_writer(out, self)?;
        Ok(IsNull::No)
    }
}

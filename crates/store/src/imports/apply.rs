//! Applying a checked batch: every row upserted by external_ref, set-based (a few statements
//! per thousand rows rather than several per row), each change audited in the same transaction
//! exactly as a single registration would be.

use std::collections::HashMap;
use std::io::Write;

use chrono::NaiveDate;
use diesel::pg::Pg;
use diesel::prelude::*;
use diesel::serialize::{self, IsNull, Output, ToSql};
use diesel::sql_types::Jsonb;
use finsam_domain::codes::Code;
use finsam_domain::import::{Batch, ImportRow, ImportStatus, ImportSummary, Mode, RowError};
use finsam_domain::insats::Insats;
use finsam_domain::insats_year::InsatsYear;
use finsam_domain::records::{InsatsRecord, InsatsYearRecord};
use serde::Serialize;

use crate::registration::insats_years::{NewYear, YearValues};
use crate::registration::insatser::{
    InsatsValues, by_ids, check_years_allow, check_years_still_fit, lock_by_refs, write_groups,
};
use crate::registration::{Actor, INSATS_ENTITY, WriteError, YEAR_ENTITY, reporting_years};
use crate::schema::{audit_events, insats_target_groups, insats_years, insatser as insatser_table};

/// Rows per multi-row INSERT (PostgreSQL takes at most 65 535 parameters per statement), and
/// new insatser per COPY between two reports of progress.
const CHUNK: usize = 2_000;

/// An existing insats the batch changes.
struct Changed<'a> {
    row: &'a ImportRow,
    before: &'a InsatsRecord,
    insats_changed: bool,
    /// (year, new figures, figures before if any) for the years that differ.
    years: Vec<(i32, &'a InsatsYear, Option<&'a InsatsYearRecord>)>,
}

/// Upserts `batch` into the förbund's insatser, in one transaction. `progress` hears how many
/// rows are done as the writing goes on. Refuses nothing as a whole: rows the store cannot take
/// (their years would fall outside a changed span) are rejected like rows that broke a rule.
pub fn apply(
    conn: &mut PgConnection,
    forbund: &str,
    batch: &Batch,
    actor: &Actor<'_>,
    dry_run: bool,
    progress: &mut dyn FnMut(usize),
) -> Result<ImportSummary, WriteError> {
    conn.transaction(|conn| {
        let refs: Vec<&str> = batch.rows.iter().map(|r| r.external_ref.as_str()).collect();
        let existing: Vec<InsatsRecord> = lock_by_refs(conn, forbund, &refs)?;
        let by_ref: HashMap<&str, &InsatsRecord> =
            existing.iter().filter_map(|r| Some((r.insats.external_ref.as_deref()?, r))).collect();
        let mut errors = batch.errors.clone();
        // A year closed (or past its deadline, for all but admins) refuses every row with
        // figures for it; each year is looked up, and its lock taken, once.
        let mut blocks = HashMap::new();
        for year in batch.rows.iter().flat_map(|r| r.years.keys().copied()).collect::<std::collections::BTreeSet<_>>() {
            blocks.insert(year, reporting_years::write_block(conn, year, actor.role)?);
        }
        let (mut new, mut changed, mut unchanged) = (Vec::new(), Vec::new(), 0);
        for row in &batch.rows {
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
            if let Some((year, block)) = years.iter().find_map(|(year, _, _)| Some((*year, blocks[year]?))) {
                let field = format!("/insatser/{}/years/{year}", row.index);
                let (code, detail) = (block.code().to_owned(), block.message());
                errors.push(RowError { index: row.index, line: row.line, field, code, detail });
                continue;
            }
            let Some(before) = before else {
                new.push(row);
                continue;
            };
            if insats_changed {
                let fits = check_years_still_fit(before, &row.insats)
                    .and_then(|()| check_years_allow(conn, before, Some(&row.insats), actor));
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
        let rejected = errors.iter().map(|e| e.index).collect::<std::collections::HashSet<_>>().len();
        let status = match (dry_run, batch.mode, rejected) {
            (true, _, _) => ImportStatus::DryRun,
            (false, Mode::Atomic, 1..) => ImportStatus::Refused,
            _ => ImportStatus::Applied,
        };
        let summary = ImportSummary {
            status,
            mode: batch.mode,
            total: batch.total,
            created: new.len(),
            updated: changed.len(),
            unchanged,
            rejected,
            errors,
        };
        if status == ImportStatus::Applied {
            write(conn, forbund, &new, &changed, actor, progress)?;
        }
        Ok(summary)
    })
}

/// A row the store refuses, as the summary reports it; other errors stop the import.
fn rejection(row: &ImportRow, error: WriteError) -> Result<RowError, WriteError> {
    match error {
        WriteError::Conflict { code, field, detail } => {
            let field =
                if field.starts_with('/') { format!("/insatser/{}{field}", row.index) } else { field.to_owned() };
            Ok(RowError { index: row.index, line: row.line, field, code: code.to_owned(), detail })
        }
        other => Err(other),
    }
}

fn write(
    conn: &mut PgConnection,
    forbund: &str,
    new: &[&ImportRow],
    changed: &[Changed<'_>],
    actor: &Actor<'_>,
    progress: &mut dyn FnMut(usize),
) -> Result<(), WriteError> {
    let mut done = 0;
    // New insatser by COPY (the rows, constraints and triggers of multi-row INSERTs in less
    // time), then their ids by external_ref in one read of the förbund's live insatser: COPY
    // returns none, and the batch's refs are unique and new among them. (Not `= ANY(refs)` per
    // chunk: planned as a scan of the förbund with a linear search of the refs, as it may be on
    // fresh statistics, that took a minute for 100 000 rows.) Then their groups and years.
    for chunk in new.chunks(CHUNK) {
        let rows: Vec<NewInsats<'_>> = chunk.iter().map(|row| NewInsats::new(forbund, &row.insats)).collect();
        diesel::copy_from(insatser_table::table).from_insertable(&rows).execute(conn)?;
        done += chunk.len();
        progress(done);
    }
    let mut new_ids: Vec<i64> = Vec::with_capacity(new.len());
    if !new.is_empty() {
        let by_ref: HashMap<String, i64> = insatser_table::table
            .filter(insatser_table::forbund_key.eq(forbund))
            .filter(insatser_table::deleted_at.is_null())
            .filter(insatser_table::external_ref.is_not_null())
            .select((insatser_table::external_ref.assume_not_null(), insatser_table::id))
            .load::<(String, i64)>(conn)?
            .into_iter()
            .collect();
        new_ids.extend(new.iter().map(|row| *by_ref.get(&row.external_ref).expect("just copied")));
    }
    let groups: Vec<_> =
        new.iter()
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
        done += 1;
        if done % CHUNK == 0 {
            progress(done);
        }
    }
    audit(conn, forbund, &new_ids, changed, actor)?;
    progress(done);
    Ok(())
}

/// One event per insats and per year written, as the single registrations record them.
fn audit(
    conn: &mut PgConnection,
    forbund: &str,
    new_ids: &[i64],
    changed: &[Changed<'_>],
    actor: &Actor<'_>,
) -> Result<(), WriteError> {
    let mut ids = new_ids.to_vec();
    ids.extend(changed.iter().map(|c| c.before.id));
    let mut after: HashMap<i64, InsatsRecord> = HashMap::new();
    for chunk in ids.chunks(CHUNK * 10) {
        after.extend(by_ids(conn, chunk)?.into_iter().map(|r| (r.id, r)));
    }
    let mut events: Vec<Event<'_>> = Vec::new();
    for id in new_ids {
        let record = &after[id];
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

/// A new insats as COPY writes it: [`InsatsValues`] with its förbund, every column given (COPY
/// cannot leave a value to its default row by row; none of these has another than NULL).
#[derive(Insertable)]
#[diesel(table_name = insatser_table, treat_none_as_default_value = false)]
struct NewInsats<'a> {
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
    fn new(forbund: &'a str, insats: &'a Insats) -> NewInsats<'a> {
        NewInsats {
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

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use finsam_domain::codes::Code;
use finsam_domain::insats::Insats;
use finsam_domain::records::InsatsRecord;
use finsam_domain::{Kind, Orientation, TargetGroup};

use super::{Actor, Change, WriteError, insats_years, is_unique_violation, record, reporting_years};
use crate::schema::{insats_target_groups, insatser};

const ENTITY: &str = super::INSATS_ENTITY;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = insatser)]
struct InsatsRow {
    id: i64,
    forbund_key: String,
    external_ref: Option<String>,
    name: String,
    description: Option<String>,
    kind: String,
    orientation: String,
    start_date: NaiveDate,
    end_date: Option<NaiveDate>,
    version: i32,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

#[derive(Insertable, AsChangeset)]
#[diesel(table_name = insatser, treat_none_as_null = true)]
pub(crate) struct InsatsValues<'a> {
    external_ref: Option<&'a str>,
    name: &'a str,
    description: Option<&'a str>,
    kind: &'a str,
    orientation: &'a str,
    start_date: NaiveDate,
    end_date: Option<NaiveDate>,
}

impl<'a> From<&'a Insats> for InsatsValues<'a> {
    fn from(insats: &'a Insats) -> Self {
        InsatsValues {
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

/// The database's check constraints keep these columns to the code lists.
fn code<T: Code>(value: &str) -> T {
    T::from_code(value).unwrap_or_else(|| panic!("the database holds an unknown code {value:?}"))
}

fn assemble(
    row: InsatsRow,
    groups: Vec<TargetGroup>,
    years: Vec<finsam_domain::records::InsatsYearRecord>,
) -> InsatsRecord {
    InsatsRecord {
        id: row.id,
        forbund_key: row.forbund_key,
        insats: Insats {
            external_ref: row.external_ref,
            name: row.name,
            description: row.description,
            kind: code::<Kind>(&row.kind),
            orientation: code::<Orientation>(&row.orientation),
            target_groups: groups,
            start_date: row.start_date,
            end_date: row.end_date,
        },
        version: row.version,
        created_at: row.created_at,
        updated_at: row.updated_at,
        years,
    }
}

/// Target groups and years of many insatser in two queries.
fn complete(conn: &mut PgConnection, rows: Vec<InsatsRow>) -> QueryResult<Vec<InsatsRecord>> {
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let mut groups: BTreeMap<i64, Vec<TargetGroup>> = BTreeMap::new();
    for (id, group) in insats_target_groups::table
        .filter(insats_target_groups::insats_id.eq_any(&ids))
        .select((insats_target_groups::insats_id, insats_target_groups::target_group))
        .load::<(i64, String)>(conn)?
    {
        groups.entry(id).or_default().push(code::<TargetGroup>(&group));
    }
    let mut years = insats_years::for_insatser(conn, &ids)?;
    Ok(rows
        .into_iter()
        .map(|row| {
            let id = row.id;
            let mut own_groups = groups.remove(&id).unwrap_or_default();
            own_groups.sort();
            assemble(row, own_groups, years.remove(&id).unwrap_or_default())
        })
        .collect())
}

fn live(forbund: &str) -> insatser::BoxedQuery<'_, diesel::pg::Pg> {
    insatser::table.filter(insatser::forbund_key.eq(forbund)).filter(insatser::deleted_at.is_null()).into_boxed()
}

/// The förbund's insatser, optionally only those running at some time during `year`.
pub fn list(conn: &mut PgConnection, forbund: &str, year: Option<i32>) -> QueryResult<Vec<InsatsRecord>> {
    let mut query = live(forbund);
    if let Some(year) = year {
        let first = NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or(NaiveDate::MIN);
        let last = NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or(NaiveDate::MAX);
        query = query
            .filter(insatser::start_date.le(last))
            .filter(insatser::end_date.is_null().or(insatser::end_date.ge(first)));
    }
    let rows = query.order(insatser::id).select(InsatsRow::as_select()).load(conn)?;
    complete(conn, rows)
}

pub fn get(conn: &mut PgConnection, forbund: &str, id: i64) -> QueryResult<Option<InsatsRecord>> {
    let row = live(forbund).filter(insatser::id.eq(id)).select(InsatsRow::as_select()).first(conn).optional()?;
    Ok(match row {
        Some(row) => complete(conn, vec![row])?.pop(),
        None => None,
    })
}

/// The live insatser of a förbund with these ids, locked until the transaction ends.
pub(crate) fn lock_by_ids(conn: &mut PgConnection, forbund: &str, ids: &[i64]) -> QueryResult<Vec<InsatsRecord>> {
    let rows = insatser::table
        .filter(insatser::forbund_key.eq(forbund))
        .filter(insatser::deleted_at.is_null())
        .filter(insatser::id.eq_any(ids))
        .order(insatser::id)
        .select(InsatsRow::as_select())
        .for_update()
        .load(conn)?;
    complete(conn, rows)
}

/// Insatser by id, as they are now (in this transaction).
pub(crate) fn by_ids(conn: &mut PgConnection, ids: &[i64]) -> QueryResult<Vec<InsatsRecord>> {
    let rows = insatser::table
        .filter(insatser::id.eq_any(ids))
        .order(insatser::id)
        .select(InsatsRow::as_select())
        .load(conn)?;
    complete(conn, rows)
}

/// Reads and locks the insats against concurrent changes until the transaction ends.
pub fn get_for_update(conn: &mut PgConnection, forbund: &str, id: i64) -> Result<InsatsRecord, WriteError> {
    let row = insatser::table
        .filter(insatser::forbund_key.eq(forbund))
        .filter(insatser::deleted_at.is_null())
        .filter(insatser::id.eq(id))
        .select(InsatsRow::as_select())
        .for_update()
        .first(conn)
        .optional()?
        .ok_or(WriteError::NotFound)?;
    Ok(complete(conn, vec![row])?.pop().expect("one row in, one record out"))
}

pub(crate) fn write_groups(conn: &mut PgConnection, id: i64, groups: &[TargetGroup]) -> QueryResult<()> {
    diesel::delete(insats_target_groups::table.filter(insats_target_groups::insats_id.eq(id))).execute(conn)?;
    insert_groups(conn, id, groups)
}

fn insert_groups(conn: &mut PgConnection, id: i64, groups: &[TargetGroup]) -> QueryResult<()> {
    // Diesel sends an empty insert too (as a statement that matches nothing): a round trip saved.
    if groups.is_empty() {
        return Ok(());
    }
    let rows: Vec<_> = groups
        .iter()
        .map(|g| (insats_target_groups::insats_id.eq(id), insats_target_groups::target_group.eq(g.code())))
        .collect();
    diesel::insert_into(insats_target_groups::table).values(rows).execute(conn)?;
    Ok(())
}

fn duplicate_ref(error: diesel::result::Error, insats: &Insats) -> WriteError {
    if is_unique_violation(&error, "insatser_external_ref_key") {
        return WriteError::Conflict {
            code: "external_ref_taken",
            field: "/external_ref",
            detail: format!(
                "another insats of this förbund has external_ref {:?}",
                insats.external_ref.as_deref().unwrap_or_default()
            ),
        };
    }
    error.into()
}

pub fn create(
    conn: &mut PgConnection,
    forbund: &str,
    insats: &Insats,
    actor: &Actor<'_>,
) -> Result<InsatsRecord, WriteError> {
    conn.transaction(|conn| {
        // The record from the insert itself rather than read back: a new insats has no years,
        // and its groups are the ones just written.
        let row = diesel::insert_into(insatser::table)
            .values((insatser::forbund_key.eq(forbund), InsatsValues::from(insats)))
            .returning(InsatsRow::as_returning())
            .get_result(conn)
            .map_err(|e| duplicate_ref(e, insats))?;
        let id = row.id;
        insert_groups(conn, id, &insats.target_groups)?;
        let mut groups = insats.target_groups.clone();
        groups.sort();
        let created = assemble(row, groups, Vec::new());
        let change = Change {
            forbund_key: forbund,
            entity: ENTITY,
            entity_id: id.to_string(),
            action: "create",
            before: None,
            after: Some(&created),
        };
        record(conn, actor, change)?;
        Ok(created)
    })
}

pub fn replace(
    conn: &mut PgConnection,
    forbund: &str,
    id: i64,
    insats: &Insats,
    expected_version: Option<i32>,
    actor: &Actor<'_>,
) -> Result<InsatsRecord, WriteError> {
    conn.transaction(|conn| {
        let before = get_for_update(conn, forbund, id)?;
        WriteError::check_version(expected_version, before.version)?;
        check_years_allow(conn, &before, Some(insats), actor)?;
        check_years_still_fit(&before, insats)?;
        // Groups first: changing the kind cascades to them, and they may only be individual.
        write_groups(conn, id, &[])?;
        diesel::update(insatser::table.find(id))
            .set((
                InsatsValues::from(insats),
                insatser::version.eq(insatser::version + 1),
                insatser::updated_at.eq(diesel::dsl::now),
            ))
            .execute(conn)
            .map_err(|e| duplicate_ref(e, insats))?;
        write_groups(conn, id, &insats.target_groups)?;
        let after = get_for_update(conn, forbund, id)?;
        let change = Change {
            forbund_key: forbund,
            entity: ENTITY,
            entity_id: id.to_string(),
            action: "replace",
            before: Some(&before),
            after: Some(&after),
        };
        record(conn, actor, change)?;
        Ok(after)
    })
}

/// The first field, if any, of those that decide where the insats counts in a year's tables.
fn classification_change(before: &Insats, after: &Insats) -> Option<&'static str> {
    let sorted = |groups: &[TargetGroup]| {
        let mut groups = groups.to_vec();
        groups.sort();
        groups
    };
    if before.kind != after.kind {
        Some("/kind")
    } else if before.orientation != after.orientation {
        Some("/orientation")
    } else if sorted(&before.target_groups) != sorted(&after.target_groups) {
        Some("/target_groups")
    } else {
        None
    }
}

/// Deleting an insats (`after: None`), or changing its kind, orientation or target groups,
/// changes the tables of every year it has figures for; each of those years must be open to the
/// actor (see [`reporting_years::check_writable`]). Its name, description and dates may change
/// whatever the years (the dates cannot leave out a year with figures, see below). Call it with
/// the insats locked, in the transaction of the change; public for bulk imports.
pub fn check_years_allow(
    conn: &mut PgConnection,
    before: &InsatsRecord,
    after: Option<&Insats>,
    actor: &Actor<'_>,
) -> Result<(), WriteError> {
    let field = match after {
        None => "id",
        Some(after) => match classification_change(&before.insats, after) {
            Some(field) => field,
            None => return Ok(()),
        },
    };
    for year in before.years.iter().map(|y| y.year) {
        if let Some(block) = reporting_years::write_block(conn, year, actor.role)? {
            let detail = format!(
                "insats {} has figures for {year} (deleting it or changing its kind, orientation or target groups \
                 changes that year's tables); {}",
                before.id,
                block.message()
            );
            return Err(reporting_years::conflict(block, field, detail));
        }
    }
    Ok(())
}

/// Years already registered must stay inside the span, and an individual insats must have
/// counted participants in each of them.
pub(crate) fn check_years_still_fit(before: &InsatsRecord, insats: &Insats) -> Result<(), WriteError> {
    let outside: Vec<String> =
        before.years.iter().filter(|y| !insats.active_in(y.year)).map(|y| y.year.to_string()).collect();
    if !outside.is_empty() {
        return Err(WriteError::Conflict {
            code: "years_outside_span",
            field: "/start_date",
            detail: format!(
                "figures are registered for {}, outside the new span; delete them first",
                outside.join(", ")
            ),
        });
    }
    let untracked: Vec<String> =
        before.years.iter().filter(|y| y.figures.participants.is_none()).map(|y| y.year.to_string()).collect();
    if insats.kind == Kind::Individual && !untracked.is_empty() {
        return Err(WriteError::Conflict {
            code: "untracked_years_for_individual",
            field: "/kind",
            detail: format!(
                "an individual insats must count participants, but {} have none; register them first",
                untracked.join(", ")
            ),
        });
    }
    Ok(())
}

/// Soft delete: the insats disappears from lists and tables but stays in the history, and its
/// external_ref becomes free again.
pub fn delete(
    conn: &mut PgConnection,
    forbund: &str,
    id: i64,
    expected_version: Option<i32>,
    actor: &Actor<'_>,
) -> Result<(), WriteError> {
    conn.transaction(|conn| {
        let before = get_for_update(conn, forbund, id)?;
        WriteError::check_version(expected_version, before.version)?;
        check_years_allow(conn, &before, None, actor)?;
        diesel::update(insatser::table.find(id))
            .set((
                insatser::deleted_at.eq(diesel::dsl::now),
                insatser::version.eq(insatser::version + 1),
                insatser::updated_at.eq(diesel::dsl::now),
            ))
            .execute(conn)?;
        let change = Change::<InsatsRecord> {
            forbund_key: forbund,
            entity: ENTITY,
            entity_id: id.to_string(),
            action: "delete",
            before: Some(&before),
            after: None,
        };
        record(conn, actor, change)?;
        Ok(())
    })
}

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use finsam_domain::changes;
use finsam_domain::codes::Code;
use finsam_domain::insats::Insats;
use finsam_domain::records::InsatsRecord;
use finsam_domain::{ErrorCode, Kind, Orientation, TargetGroup};

use super::{Actor, WriteError, insats_years, is_foreign_key_violation, is_unique_violation, reporting_years};
use crate::schema::{insats_target_groups, insatser};

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
        .ok_or(WriteError::NotFound("insats"))?;
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

pub(super) fn refused(error: diesel::result::Error, insats: &Insats) -> WriteError {
    if is_foreign_key_violation(&error, "insatser_forbund_key_fkey") {
        return WriteError::NotFound("förbund");
    }
    if is_unique_violation(&error, "insatser_external_ref_key") {
        return WriteError::Conflict {
            code: ErrorCode::ExternalRefTaken,
            field: "/external_ref",
            detail: format!(
                "another insats of this förbund has external_ref {:?}",
                insats.external_ref.as_deref().unwrap_or_default()
            ),
        };
    }
    error.into()
}

/// Replaces the fields of a (locked) insats; its years stay as they were.
pub fn update(conn: &mut PgConnection, before: &InsatsRecord, insats: &Insats) -> Result<InsatsRecord, WriteError> {
    let id = before.id;
    let groups_change = sorted(&before.insats.target_groups) != sorted(&insats.target_groups);
    // Groups first: changing the kind cascades to them, and they may only be individual.
    if groups_change || before.insats.kind != insats.kind {
        write_groups(conn, id, &[])?;
    }
    let row = diesel::update(insatser::table.find(id))
        .set((
            InsatsValues::from(insats),
            insatser::version.eq(insatser::version + 1),
            insatser::updated_at.eq(diesel::dsl::now),
        ))
        .returning(InsatsRow::as_returning())
        .get_result(conn)
        .map_err(|e| refused(e, insats))?;
    if groups_change || before.insats.kind != insats.kind {
        insert_groups(conn, id, &insats.target_groups)?;
    }
    Ok(assemble(row, sorted(&insats.target_groups), before.years.clone()))
}

fn sorted(groups: &[TargetGroup]) -> Vec<TargetGroup> {
    let mut groups = groups.to_vec();
    groups.sort();
    groups
}

/// Soft delete: the insats disappears from lists and tables but stays in the history, and its
/// external_ref becomes free again.
pub fn mark_deleted(conn: &mut PgConnection, id: i64) -> QueryResult<()> {
    diesel::update(insatser::table.find(id))
        .set((
            insatser::deleted_at.eq(diesel::dsl::now),
            insatser::version.eq(insatser::version + 1),
            insatser::updated_at.eq(diesel::dsl::now),
        ))
        .execute(conn)?;
    Ok(())
}

/// Refuses a change that touches the tables of a year closed, or past its deadline, for the
/// actor (the rule: [`finsam_domain::changes::years_touched`]). Call it with the insats locked,
/// in the transaction of the change; bulk imports call it too.
pub fn check_years_allow(
    conn: &mut PgConnection,
    before: &InsatsRecord,
    after: Option<&Insats>,
    actor: &Actor<'_>,
) -> Result<(), WriteError> {
    let Some((field, years)) = changes::years_touched(before, after) else { return Ok(()) };
    for year in years {
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

/// See [`finsam_domain::changes::years_still_fit`].
pub(crate) fn check_years_still_fit(before: &InsatsRecord, insats: &Insats) -> Result<(), WriteError> {
    Ok(changes::years_still_fit(before, insats)?)
}

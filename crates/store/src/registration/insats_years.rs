use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use finsam_domain::codes::Code;
use finsam_domain::insats_year::{Exits, GenderCounts, InsatsYear};
use finsam_domain::records::{InsatsRecord, InsatsYearRecord};
use rust_decimal::Decimal;

use crate::schema::insats_years;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = insats_years)]
struct YearRow {
    insats_id: i64,
    year: i32,
    participants_women: Option<i32>,
    participants_men: Option<i32>,
    budget: Decimal,
    outcome: Option<Decimal>,
    exits_work_women: Option<i32>,
    exits_work_men: Option<i32>,
    exits_studies_women: Option<i32>,
    exits_studies_men: Option<i32>,
    exits_job_seeking_women: Option<i32>,
    exits_job_seeking_men: Option<i32>,
    exits_other_women: Option<i32>,
    exits_other_men: Option<i32>,
    version: i32,
    updated_at: DateTime<Utc>,
}

#[derive(Insertable, AsChangeset)]
#[diesel(table_name = insats_years, treat_none_as_null = true)]
pub(crate) struct YearValues {
    participants_women: Option<i32>,
    participants_men: Option<i32>,
    budget: Decimal,
    outcome: Option<Decimal>,
    exits_work_women: Option<i32>,
    exits_work_men: Option<i32>,
    exits_studies_women: Option<i32>,
    exits_studies_men: Option<i32>,
    exits_job_seeking_women: Option<i32>,
    exits_job_seeking_men: Option<i32>,
    exits_other_women: Option<i32>,
    exits_other_men: Option<i32>,
}

/// A new year as a bulk import COPYs it: [`YearValues`] with its keys. Every column is given
/// (COPY cannot leave a value to its default row by row; none of these has another than NULL).
/// Flat rather than embedding `YearValues`: diesel's COPY takes no embedded structs.
#[derive(Insertable)]
#[diesel(table_name = insats_years, treat_none_as_default_value = false)]
pub(crate) struct NewYear<'a> {
    insats_id: i64,
    kind: &'a str,
    year: i32,
    participants_women: Option<i32>,
    participants_men: Option<i32>,
    budget: Decimal,
    outcome: Option<Decimal>,
    exits_work_women: Option<i32>,
    exits_work_men: Option<i32>,
    exits_studies_women: Option<i32>,
    exits_studies_men: Option<i32>,
    exits_job_seeking_women: Option<i32>,
    exits_job_seeking_men: Option<i32>,
    exits_other_women: Option<i32>,
    exits_other_men: Option<i32>,
}

impl<'a> NewYear<'a> {
    pub(crate) fn new(insats_id: i64, kind: &'a str, year: i32, figures: &InsatsYear) -> NewYear<'a> {
        let v = YearValues::from(figures);
        NewYear {
            insats_id,
            kind,
            year,
            participants_women: v.participants_women,
            participants_men: v.participants_men,
            budget: v.budget,
            outcome: v.outcome,
            exits_work_women: v.exits_work_women,
            exits_work_men: v.exits_work_men,
            exits_studies_women: v.exits_studies_women,
            exits_studies_men: v.exits_studies_men,
            exits_job_seeking_women: v.exits_job_seeking_women,
            exits_job_seeking_men: v.exits_job_seeking_men,
            exits_other_women: v.exits_other_women,
            exits_other_men: v.exits_other_men,
        }
    }
}

/// Counts are bounded far below i32::MAX by the domain.
fn db(count: u32) -> i32 {
    i32::try_from(count).expect("counts are bounded by the domain")
}

fn counts(women: Option<i32>, men: Option<i32>) -> Option<GenderCounts> {
    Some(GenderCounts { women: u32::try_from(women?).ok()?, men: u32::try_from(men?).ok()? })
}

impl From<&InsatsYear> for YearValues {
    fn from(y: &InsatsYear) -> Self {
        let p = y.participants;
        let e = y.exits;
        let exit = |pick: fn(&Exits) -> GenderCounts| e.map(|e| pick(&e));
        let (work, studies, job_seeking, other) =
            (exit(|e| e.work), exit(|e| e.studies), exit(|e| e.job_seeking), exit(|e| e.other));
        YearValues {
            participants_women: p.map(|p| db(p.women)),
            participants_men: p.map(|p| db(p.men)),
            budget: y.budget,
            outcome: y.outcome,
            exits_work_women: work.map(|c| db(c.women)),
            exits_work_men: work.map(|c| db(c.men)),
            exits_studies_women: studies.map(|c| db(c.women)),
            exits_studies_men: studies.map(|c| db(c.men)),
            exits_job_seeking_women: job_seeking.map(|c| db(c.women)),
            exits_job_seeking_men: job_seeking.map(|c| db(c.men)),
            exits_other_women: other.map(|c| db(c.women)),
            exits_other_men: other.map(|c| db(c.men)),
        }
    }
}

impl From<YearRow> for InsatsYearRecord {
    fn from(r: YearRow) -> Self {
        let exits = counts(r.exits_work_women, r.exits_work_men).map(|work| Exits {
            work,
            studies: counts(r.exits_studies_women, r.exits_studies_men).unwrap_or_default(),
            job_seeking: counts(r.exits_job_seeking_women, r.exits_job_seeking_men).unwrap_or_default(),
            other: counts(r.exits_other_women, r.exits_other_men).unwrap_or_default(),
        });
        InsatsYearRecord {
            year: r.year,
            figures: InsatsYear {
                participants: counts(r.participants_women, r.participants_men),
                budget: r.budget,
                outcome: r.outcome,
                exits,
            },
            version: r.version,
            updated_at: r.updated_at,
        }
    }
}

/// The years of many insatser, oldest first per insats.
pub(crate) fn for_insatser(conn: &mut PgConnection, ids: &[i64]) -> QueryResult<BTreeMap<i64, Vec<InsatsYearRecord>>> {
    let rows = insats_years::table
        .filter(insats_years::insats_id.eq_any(ids))
        .order((insats_years::insats_id, insats_years::year))
        .select(YearRow::as_select())
        .load(conn)?;
    let mut out: BTreeMap<i64, Vec<InsatsYearRecord>> = BTreeMap::new();
    for row in rows {
        out.entry(row.insats_id).or_default().push(row.into());
    }
    Ok(out)
}

/// One year of an insats, as it is now.
pub fn find(conn: &mut PgConnection, insats_id: i64, year: i32) -> QueryResult<Option<InsatsYearRecord>> {
    Ok(insats_years::table.find((insats_id, year)).select(YearRow::as_select()).first(conn).optional()?.map(Into::into))
}

/// Writes the figures of one year of a (locked) insats: a new year when `before` is `None`,
/// else a new version of it. The record comes from the statement itself.
pub fn upsert(
    conn: &mut PgConnection,
    insats: &InsatsRecord,
    year: i32,
    figures: &InsatsYear,
    before: Option<&InsatsYearRecord>,
) -> QueryResult<InsatsYearRecord> {
    let values = YearValues::from(figures);
    let row = match before {
        Some(_) => diesel::update(insats_years::table.find((insats.id, year)))
            .set((
                &values,
                insats_years::version.eq(insats_years::version + 1),
                insats_years::updated_at.eq(diesel::dsl::now),
            ))
            .returning(YearRow::as_returning())
            .get_result(conn)?,
        None => diesel::insert_into(insats_years::table)
            .values((
                insats_years::insats_id.eq(insats.id),
                insats_years::kind.eq(insats.insats.kind.code()),
                insats_years::year.eq(year),
                &values,
            ))
            .returning(YearRow::as_returning())
            .get_result(conn)?,
    };
    Ok(row.into())
}

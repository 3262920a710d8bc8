//! Registration completeness of a year, förbund by förbund, read in a few set-based queries
//! from one snapshot. "Registered" and "expected" follow the statistics (see
//! `finsam_stats`' completeness table): figures of a live insats or finances for the year;
//! member municipalities at some time during the year.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{DateTime, NaiveDate, Utc};
use diesel::dsl::{exists, not};
use diesel::prelude::*;
use diesel::sql_types::{Integer, Nullable, Text, Timestamptz};
use finsam_domain::completeness::{self, Completeness, CompletenessTotals, ForbundCompleteness, Missing};
use finsam_domain::reporting_year::YearState;

use crate::registration::reporting_years;
use crate::schema::{forbund, forbund_finances, forbund_years, insats_years, insatser, memberships};

pub fn for_year(conn: &mut PgConnection, year: i32) -> QueryResult<Completeness> {
    conn.build_transaction().read_only().repeatable_read().run(|conn| {
        let first = NaiveDate::from_ymd_opt(year, 1, 1).expect("a valid year");
        let last = NaiveDate::from_ymd_opt(year, 12, 31).expect("a valid year");
        let reporting_year = reporting_years::get(conn, year)?;

        let all: Vec<(String, String)> =
            forbund::table.select((forbund::forbund_key, forbund::name)).order(forbund::forbund_key).load(conn)?;
        // valid_to is exclusive: a membership ending on 1 January did not reach into the year.
        let expected: HashSet<String> = memberships::table
            .filter(memberships::valid_from.le(last))
            .filter(memberships::valid_to.is_null().or(memberships::valid_to.gt(first)))
            .select(memberships::forbund_key)
            .distinct()
            .load::<String>(conn)?
            .into_iter()
            .collect();
        let with_figures: HashSet<String> = insats_years::table
            .inner_join(insatser::table.on(insatser::id.eq(insats_years::insats_id)))
            .filter(insats_years::year.eq(year))
            .filter(insatser::deleted_at.is_null())
            .select(insatser::forbund_key)
            .distinct()
            .load::<String>(conn)?
            .into_iter()
            .collect();
        let with_finances: HashSet<String> = forbund_finances::table
            .filter(forbund_finances::year.eq(year))
            .select(forbund_finances::forbund_key)
            .load::<String>(conn)?
            .into_iter()
            .collect();
        let submitted: HashMap<String, Option<DateTime<Utc>>> = forbund_years::table
            .filter(forbund_years::year.eq(year))
            .filter(forbund_years::status.eq("submitted"))
            .select((forbund_years::forbund_key, forbund_years::submitted_at))
            .load(conn)?
            .into_iter()
            .collect();
        let mut without_figures: BTreeMap<String, Vec<i64>> = BTreeMap::new();
        for (key, id) in insatser::table
            .filter(insatser::deleted_at.is_null())
            .filter(insatser::start_date.le(last))
            .filter(insatser::end_date.is_null().or(insatser::end_date.ge(first)))
            .filter(not(exists(
                insats_years::table
                    .filter(insats_years::insats_id.eq(insatser::id))
                    .filter(insats_years::year.eq(year)),
            )))
            .order(insatser::id)
            .select((insatser::forbund_key, insatser::id))
            .load::<(String, i64)>(conn)?
        {
            without_figures.entry(key).or_default().push(id);
        }
        let mut last_changes = last_changes(conn, year)?;

        let closed = reporting_year.state == YearState::Closed;
        let forbund: Vec<ForbundCompleteness> = all
            .into_iter()
            .map(|(key, name)| {
                let registered = with_figures.contains(&key) || with_finances.contains(&key);
                let submitted_at = submitted.get(&key).copied().flatten();
                ForbundCompleteness {
                    state: completeness::state(closed, submitted.contains_key(&key), registered),
                    expected: expected.contains(&key),
                    registered,
                    submitted_at,
                    last_change: last_changes.remove(&key),
                    missing: Missing {
                        finances: !with_finances.contains(&key),
                        insatser_without_figures: without_figures.remove(&key).unwrap_or_default(),
                    },
                    forbund_key: key,
                    name,
                }
            })
            .collect();
        Ok(Completeness { year: reporting_year, totals: CompletenessTotals::of(&forbund), forbund })
    })
}

#[derive(QueryableByName)]
struct LastChange {
    #[diesel(sql_type = Text)]
    forbund_key: String,
    #[diesel(sql_type = Nullable<Timestamptz>)]
    last_change: Option<DateTime<Utc>>,
}

/// Per förbund, its latest audit event about the year: figures of an insats, finances or the
/// submission for the year (their entity ids end in `/<year>`), or an insats running during
/// the year.
fn last_changes(conn: &mut PgConnection, year: i32) -> QueryResult<HashMap<String, DateTime<Utc>>> {
    let rows = diesel::sql_query(
        "SELECT forbund_key, max(occurred_at) AS last_change FROM (
             SELECT e.forbund_key, e.occurred_at FROM audit_events e
              WHERE e.entity IN ('insats_year', 'finances', 'forbund_year')
                AND e.entity_id LIKE '%/' || $1::text
             UNION ALL
             SELECT e.forbund_key, e.occurred_at FROM audit_events e
               JOIN insatser i ON i.id::text = e.entity_id
              WHERE e.entity = 'insats'
                AND i.start_date <= make_date($1, 12, 31)
                AND (i.end_date IS NULL OR i.end_date >= make_date($1, 1, 1))
         ) touching
         WHERE forbund_key IS NOT NULL
         GROUP BY forbund_key",
    )
    .bind::<Integer, _>(year)
    .load::<LastChange>(conn)?;
    Ok(rows.into_iter().filter_map(|r| Some((r.forbund_key, r.last_change?))).collect())
}

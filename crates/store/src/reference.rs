//! Reference data: counties, municipalities, förbund and membership, loaded from the CSV files in
//! `data/reference/` (compiled in, so the binary needs no files beside it).

use std::collections::BTreeMap;

use chrono::NaiveDate;
use diesel::prelude::*;
use serde::{Deserialize, Serialize};

use finsam_domain::codes::Code;

use crate::StoreError;
use crate::audit::{self, NewAuditEvent};
use crate::schema::{counties, forbund, memberships, municipalities};

const COUNTIES_CSV: &str = include_str!("../../../data/reference/counties.csv");
const MUNICIPALITIES_CSV: &str = include_str!("../../../data/reference/municipalities.csv");
const MEMBERSHIP_CSV: &str = include_str!("../../../data/reference/samordningsforbund-2023.csv");

/// The membership file lists members at the end of 2023; it is loaded as valid from the start
/// of 2023 and open-ended, until a later file records a change.
pub fn membership_2023_valid_from() -> NaiveDate {
    NaiveDate::from_ymd_opt(2023, 1, 1).expect("valid date")
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[diesel(table_name = counties)]
pub struct County {
    #[serde(alias = "county_code")]
    pub code: String,
    #[serde(alias = "county_name")]
    pub name: String,
    #[serde(alias = "county_name_short")]
    pub name_short: String,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[diesel(table_name = municipalities)]
pub struct Municipality {
    #[serde(alias = "municipality_code")]
    pub code: String,
    #[serde(alias = "municipality_name")]
    pub name: String,
    #[serde(alias = "municipality_name_short")]
    pub name_short: String,
    pub county_code: String,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable, PartialEq)]
#[diesel(table_name = forbund)]
pub struct ForbundRow {
    pub forbund_key: String,
    pub name: String,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable, PartialEq)]
#[diesel(table_name = memberships)]
pub struct Membership {
    pub forbund_key: String,
    pub municipality_code: String,
    pub valid_from: NaiveDate,
    pub valid_to: Option<NaiveDate>,
}

/// A förbund with the municipalities that were members at some time during `year`, and the
/// counties those lie in.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Forbund {
    pub forbund_key: String,
    pub name: String,
    pub year: i32,
    pub municipality_codes: Vec<String>,
    pub county_codes: Vec<String>,
}

/// Rows added by one seed run; all zero when the reference data was already there.
#[derive(Debug, Default, Clone, Copy, Serialize, PartialEq, Eq)]
pub struct SeedReport {
    pub counties: usize,
    pub municipalities: usize,
    pub forbund: usize,
    pub memberships: usize,
}

impl SeedReport {
    pub fn total(&self) -> usize {
        self.counties + self.municipalities + self.forbund + self.memberships
    }
}

#[derive(Deserialize)]
struct MembershipCsvRow {
    forbund_key: String,
    forbund_name: String,
    municipality_code: String,
}

fn parse<T: for<'de> Deserialize<'de>>(file: &'static str, text: &str) -> Result<Vec<T>, StoreError> {
    csv::Reader::from_reader(text.as_bytes())
        .deserialize()
        .collect::<Result<Vec<T>, _>>()
        .map_err(|e| StoreError::ReferenceData { file, detail: e.to_string() })
}

/// Loads the reference data; rows already present are left as they are, so running it again
/// changes nothing. What it adds is audited in the same transaction.
/// The county codes of the reference data the service seeds (what `?county=` takes).
pub fn county_codes() -> Vec<String> {
    let rows: Vec<County> = parse("counties.csv", COUNTIES_CSV).expect("the embedded counties read");
    rows.into_iter().map(|county| county.code).collect()
}

pub fn seed(conn: &mut PgConnection) -> Result<SeedReport, StoreError> {
    let county_rows: Vec<County> = parse("counties.csv", COUNTIES_CSV)?;
    let municipality_rows: Vec<Municipality> = parse("municipalities.csv", MUNICIPALITIES_CSV)?;
    let membership_rows: Vec<MembershipCsvRow> = parse("samordningsforbund-2023.csv", MEMBERSHIP_CSV)?;

    let mut forbund_rows: Vec<ForbundRow> = Vec::new();
    for row in &membership_rows {
        if !forbund_rows.iter().any(|f| f.forbund_key == row.forbund_key) {
            forbund_rows.push(ForbundRow { forbund_key: row.forbund_key.clone(), name: row.forbund_name.clone() });
        }
    }
    let valid_from = membership_2023_valid_from();
    let membership_rows: Vec<Membership> = membership_rows
        .into_iter()
        .map(|row| Membership {
            forbund_key: row.forbund_key,
            municipality_code: row.municipality_code,
            valid_from,
            valid_to: None,
        })
        .collect();

    let report = conn.transaction::<_, diesel::result::Error, _>(|conn| {
        let report = SeedReport {
            counties: diesel::insert_into(counties::table)
                .values(&county_rows)
                .on_conflict_do_nothing()
                .execute(conn)?,
            municipalities: diesel::insert_into(municipalities::table)
                .values(&municipality_rows)
                .on_conflict_do_nothing()
                .execute(conn)?,
            forbund: diesel::insert_into(forbund::table)
                .values(&forbund_rows)
                .on_conflict_do_nothing()
                .execute(conn)?,
            memberships: diesel::insert_into(memberships::table)
                .values(&membership_rows)
                .on_conflict_do_nothing()
                .execute(conn)?,
        };
        if report.total() > 0 {
            audit::record(
                conn,
                &NewAuditEvent {
                    actor: "finsam seed",
                    actor_role: finsam_domain::Role::System.code(),
                    forbund_key: None,
                    entity: "reference_data",
                    entity_id: "reference-2023",
                    action: "seed",
                    before: None,
                    after: Some(serde_json::to_value(report).expect("report serialises")),
                    reason: None,
                    request_id: None,
                },
            )?;
        }
        Ok(report)
    })?;
    Ok(report)
}

pub fn list_counties(conn: &mut PgConnection) -> QueryResult<Vec<County>> {
    counties::table.order(counties::code).select(County::as_select()).load(conn)
}

/// (code, name) pairs in code order.
pub type NameList = Vec<(String, String)>;

/// (code, name) of every county and (key, name) of every förbund, in code order: the labels of
/// tables broken down by county or förbund.
pub fn names(conn: &mut PgConnection) -> QueryResult<(NameList, NameList)> {
    let counties = counties::table.order(counties::code).select((counties::code, counties::name)).load(conn)?;
    let forbund =
        forbund::table.order(forbund::forbund_key).select((forbund::forbund_key, forbund::name)).load(conn)?;
    Ok((counties, forbund))
}

pub fn list_municipalities(conn: &mut PgConnection, county: Option<&str>) -> QueryResult<Vec<Municipality>> {
    let mut query = municipalities::table.into_boxed();
    if let Some(county) = county {
        query = query.filter(municipalities::county_code.eq(county.to_owned()));
    }
    query.order(municipalities::code).select(Municipality::as_select()).load(conn)
}

/// Every förbund with its members during `year`, ordered by key.
pub fn list_forbund(conn: &mut PgConnection, year: i32) -> QueryResult<Vec<Forbund>> {
    let rows: Vec<ForbundRow> =
        forbund::table.order(forbund::forbund_key).select(ForbundRow::as_select()).load(conn)?;
    let mut members = members_during(conn, year, None)?;
    Ok(rows
        .into_iter()
        .map(|row| {
            let (municipality_codes, county_codes) = members.remove(&row.forbund_key).unwrap_or_default();
            Forbund { forbund_key: row.forbund_key, name: row.name, year, municipality_codes, county_codes }
        })
        .collect())
}

pub fn get_forbund(conn: &mut PgConnection, key: &str, year: i32) -> QueryResult<Option<Forbund>> {
    let Some(row) = forbund::table.find(key).select(ForbundRow::as_select()).first(conn).optional()? else {
        return Ok(None);
    };
    let (municipality_codes, county_codes) = members_during(conn, year, Some(key))?.remove(key).unwrap_or_default();
    Ok(Some(Forbund { forbund_key: row.forbund_key, name: row.name, year, municipality_codes, county_codes }))
}

pub fn forbund_exists(conn: &mut PgConnection, key: &str) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(forbund::table.find(key))).get_result(conn)
}

type Members = BTreeMap<String, (Vec<String>, Vec<String>)>;

/// Membership that overlaps the calendar year, per förbund: (municipality codes, county codes).
fn members_during(conn: &mut PgConnection, year: i32, only: Option<&str>) -> QueryResult<Members> {
    let (first, next) = year_bounds(year);
    let mut query = memberships::table
        .inner_join(municipalities::table)
        .filter(memberships::valid_from.lt(next))
        .filter(memberships::valid_to.is_null().or(memberships::valid_to.gt(first)))
        .select((memberships::forbund_key, memberships::municipality_code, municipalities::county_code))
        .order((memberships::forbund_key, memberships::municipality_code))
        .into_boxed();
    if let Some(key) = only {
        query = query.filter(memberships::forbund_key.eq(key.to_owned()));
    }
    let mut out = Members::new();
    for (key, municipality, county) in query.load::<(String, String, String)>(conn)? {
        let entry = out.entry(key).or_default();
        if entry.0.last() != Some(&municipality) {
            entry.0.push(municipality);
        }
        if !entry.1.contains(&county) {
            entry.1.push(county);
        }
    }
    for (_, counties) in out.values_mut() {
        counties.sort();
    }
    Ok(out)
}

fn year_bounds(year: i32) -> (NaiveDate, NaiveDate) {
    let first = NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or(NaiveDate::MIN);
    let next = NaiveDate::from_ymd_opt(year + 1, 1, 1).unwrap_or(NaiveDate::MAX);
    (first, next)
}

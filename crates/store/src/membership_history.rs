//! The membership history as the yearly report reads it: who were members at the end of a year,
//! and who joined or left during it, by name.

use chrono::NaiveDate;
use diesel::prelude::*;

use crate::schema::{counties, forbund, memberships, municipalities};

/// A membership with the names the report prints.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NamedMembership {
    pub forbund: String,
    pub municipality: String,
    pub county: String,
    pub valid_from: NaiveDate,
    /// Exclusive; `None` while still a member.
    pub valid_to: Option<NaiveDate>,
}

/// Every membership there has been, ordered by county, förbund and municipality name.
pub fn all(conn: &mut PgConnection) -> QueryResult<Vec<NamedMembership>> {
    let rows: Vec<(String, String, String, NaiveDate, Option<NaiveDate>)> = memberships::table
        .inner_join(forbund::table)
        .inner_join(municipalities::table.inner_join(counties::table))
        .select((forbund::name, municipalities::name, counties::name, memberships::valid_from, memberships::valid_to))
        .order((counties::name, forbund::name, municipalities::name, memberships::valid_from))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(forbund, municipality, county, valid_from, valid_to)| NamedMembership {
            forbund,
            municipality,
            county,
            valid_from,
            valid_to,
        })
        .collect())
}

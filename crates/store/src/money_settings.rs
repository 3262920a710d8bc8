//! What an admin set for each year's money follow-up (`finsam_domain::money_settings`).

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use finsam_domain::money_settings::{EquityStep, MoneySettings};
use rust_decimal::Decimal;
use serde::Serialize;

use crate::schema::money_settings;

pub const ENTITY: &str = "money_settings";

/// The settings as stored and audited.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StoredSettings {
    #[serde(flatten)]
    pub settings: MoneySettings,
    pub version: i32,
    pub updated_at: DateTime<Utc>,
}

type Row = (i32, Option<serde_json::Value>, Option<Decimal>, Option<Decimal>, i32, DateTime<Utc>);

fn columns() -> (
    money_settings::year,
    money_settings::equity_recommendation,
    money_settings::administration_share_limit_percent,
    money_settings::national_support_spent,
    money_settings::version,
    money_settings::updated_at,
) {
    (
        money_settings::year,
        money_settings::equity_recommendation,
        money_settings::administration_share_limit_percent,
        money_settings::national_support_spent,
        money_settings::version,
        money_settings::updated_at,
    )
}

fn read((year, steps, limit, spent, version, updated_at): Row) -> QueryResult<StoredSettings> {
    let equity_recommendation = steps
        .map(serde_json::from_value::<Vec<EquityStep>>)
        .transpose()
        .map_err(|e| diesel::result::Error::DeserializationError(Box::new(e)))?;
    let settings = MoneySettings {
        year,
        equity_recommendation,
        administration_share_limit_percent: limit,
        national_support_spent: spent,
    };
    Ok(StoredSettings { settings, version, updated_at })
}

/// The settings of `year`, if any were set; `for_update` locks them until the transaction ends.
pub fn get(conn: &mut PgConnection, year: i32, for_update: bool) -> QueryResult<Option<StoredSettings>> {
    let query = money_settings::table.find(year).select(columns());
    let row: Option<Row> =
        if for_update { query.for_update().first(conn).optional()? } else { query.first(conn).optional()? };
    row.map(read).transpose()
}

/// Every year's settings, oldest first.
pub fn all(conn: &mut PgConnection) -> QueryResult<Vec<MoneySettings>> {
    let rows: Vec<Row> = money_settings::table.order(money_settings::year).select(columns()).load(conn)?;
    rows.into_iter().map(|row| read(row).map(|s| s.settings)).collect()
}

/// Replaces the settings of the year, counting the version up.
pub fn put(conn: &mut PgConnection, settings: &MoneySettings) -> QueryResult<StoredSettings> {
    let steps = settings.equity_recommendation.as_ref().map(|s| serde_json::to_value(s).expect("steps serialise"));
    let values = (
        money_settings::equity_recommendation.eq(&steps),
        money_settings::administration_share_limit_percent.eq(settings.administration_share_limit_percent),
        money_settings::national_support_spent.eq(settings.national_support_spent),
    );
    let row: Row = diesel::insert_into(money_settings::table)
        .values((money_settings::year.eq(settings.year), values))
        .on_conflict(money_settings::year)
        .do_update()
        .set((
            values,
            money_settings::version.eq(money_settings::version + 1),
            money_settings::updated_at.eq(diesel::dsl::now),
        ))
        .returning(columns())
        .get_result(conn)?;
    read(row)
}

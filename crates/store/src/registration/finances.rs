use chrono::{DateTime, Utc};
use diesel::prelude::*;
use finsam_domain::finances::{Administration, Contributions, Equity, Finances};
use finsam_domain::records::FinancesRecord;
use rust_decimal::Decimal;

use super::{WriteError, is_foreign_key_violation};
use crate::schema::forbund_finances;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = forbund_finances)]
struct FinancesRow {
    forbund_key: String,
    year: i32,
    contributions_state: Decimal,
    contributions_regions: Decimal,
    contributions_municipalities: Decimal,
    administration_budget: Decimal,
    administration_outcome: Option<Decimal>,
    equity_opening: Decimal,
    equity_closing: Option<Decimal>,
    version: i32,
    updated_at: DateTime<Utc>,
}

#[derive(Insertable, AsChangeset)]
#[diesel(table_name = forbund_finances, treat_none_as_null = true)]
struct FinancesValues {
    contributions_state: Decimal,
    contributions_regions: Decimal,
    contributions_municipalities: Decimal,
    administration_budget: Decimal,
    administration_outcome: Option<Decimal>,
    equity_opening: Decimal,
    equity_closing: Option<Decimal>,
}

impl From<&Finances> for FinancesValues {
    fn from(f: &Finances) -> Self {
        FinancesValues {
            contributions_state: f.contributions.state,
            contributions_regions: f.contributions.regions,
            contributions_municipalities: f.contributions.municipalities,
            administration_budget: f.administration.budget,
            administration_outcome: f.administration.outcome,
            equity_opening: f.equity.opening,
            equity_closing: f.equity.closing,
        }
    }
}

impl From<FinancesRow> for FinancesRecord {
    fn from(r: FinancesRow) -> Self {
        let finances = Finances {
            contributions: Contributions {
                state: r.contributions_state,
                regions: r.contributions_regions,
                municipalities: r.contributions_municipalities,
            },
            administration: Administration { budget: r.administration_budget, outcome: r.administration_outcome },
            equity: Equity { opening: r.equity_opening, closing: r.equity_closing },
        };
        FinancesRecord {
            forbund_key: r.forbund_key,
            year: r.year,
            result: finances.result(),
            warnings: finances.warnings(),
            finances,
            version: r.version,
            updated_at: r.updated_at,
        }
    }
}

pub fn get(conn: &mut PgConnection, forbund: &str, year: i32) -> QueryResult<Option<FinancesRecord>> {
    Ok(forbund_finances::table
        .find((forbund, year))
        .select(FinancesRow::as_select())
        .first(conn)
        .optional()?
        .map(Into::into))
}

/// The förbund's finances for a year, locked until the transaction ends.
pub fn find_for_update(conn: &mut PgConnection, forbund: &str, year: i32) -> QueryResult<Option<FinancesRecord>> {
    Ok(forbund_finances::table
        .find((forbund, year))
        .select(FinancesRow::as_select())
        .for_update()
        .first(conn)
        .optional()?
        .map(Into::into))
}

/// Writes a förbund's finances for a year: new when `exists` is false, else a new version. An
/// unknown förbund is [`WriteError::NotFound`], by its foreign key.
pub fn upsert(
    conn: &mut PgConnection,
    forbund: &str,
    year: i32,
    finances: &Finances,
    exists: bool,
) -> Result<FinancesRecord, WriteError> {
    let values = FinancesValues::from(finances);
    let row = if exists {
        diesel::update(forbund_finances::table.find((forbund, year)))
            .set((
                &values,
                forbund_finances::version.eq(forbund_finances::version + 1),
                forbund_finances::updated_at.eq(diesel::dsl::now),
            ))
            .returning(FinancesRow::as_returning())
            .get_result(conn)?
    } else {
        diesel::insert_into(forbund_finances::table)
            .values((forbund_finances::forbund_key.eq(forbund), forbund_finances::year.eq(year), &values))
            .returning(FinancesRow::as_returning())
            .get_result(conn)
            .map_err(|e| match is_foreign_key_violation(&e, "forbund_finances_forbund_key_fkey") {
                true => WriteError::NotFound("förbund"),
                false => e.into(),
            })?
    };
    Ok(row.into())
}

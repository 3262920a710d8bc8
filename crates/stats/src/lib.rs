//! The national tables of the Finsam follow-up (CONTRACT.md), for any year or series of years
//! and any selection (the nation, a county, a förbund), plus data-quality flags. Pure: the
//! registered data comes in as plain rows, the tables go out as `Table`s; polars does the work
//! in between. Shares are computed from exact counts and rounded once, here, as the metadata
//! of each table states.

pub mod catalog;
pub mod compute;
pub mod quality;
mod scope;
pub mod table;
#[cfg(test)]
mod test_support;

/// The plain rows a table is computed from. They live in the domain, so that the store, which
/// loads them, builds without polars; here under their old name for the statistics' users.
pub use finsam_domain::statistics_rows as inputs;

pub use catalog::{TableId, TableInfo};
pub use compute::{Frames, StatsError, compute, compute_all};
pub use inputs::{FinancesRow, ForbundYearRow, Inputs, InsatsRow, InsatsYearRow, MembershipRow};
pub use quality::{QualityFlag, quality};
pub use table::{Category, Dimension, Selection, Table, Unit};

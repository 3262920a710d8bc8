//! Tables as files: JSON-stat 2.0 (for statistical software), CSV (one row per cell, for
//! spreadsheets and scripts) and XLSX. Labels in Swedish or English.

pub mod csv;
pub mod disclosure;
pub mod jsonstat;
mod labels;
pub mod open;
pub mod text;
pub mod xlsx;

pub use labels::Lang;

/// What a writer needs besides the table: when it was made, and any status per cell (`"."` for
/// a suppressed value in open tables; empty in exact ones).
#[derive(Debug, Clone, Default)]
pub struct Meta {
    /// RFC 3339 time the data was read.
    pub updated: String,
    /// One entry per value, or empty when no cell has a status.
    pub status: Vec<Option<String>>,
    /// Extra notes, e.g. how disclosure control was applied.
    pub notes: Vec<String>,
    /// The threshold, for a table that went through disclosure control (see [`open`]).
    pub disclosure_threshold: Option<i64>,
}

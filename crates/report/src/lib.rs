//! The yearly national report, generated from the service's tables: every figure is a table
//! cell printed by one rule, and every sentence that states or implies a number is made from
//! those figures, so the report cannot contradict its tables or itself. Pure: tables in, a
//! [`model::Report`] out, and its HTML edition; the PDF edition is `finsam-report-pdf`'s.

mod build;
pub mod chart;
pub mod html;
pub mod model;
pub mod number;
pub mod sentences;
pub mod words;

pub use build::{ForbundEntry, Inputs, MembershipChange, SERIES_FROM, SourceTable, build};
pub use model::Report;

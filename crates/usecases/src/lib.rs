//! What finsam's users do, one function per use case: register, replace or delete an insats,
//! put a year's figures or a förbund's finances, submit a year, close, reopen or set the
//! deadline of a reporting year, put a förbund's annual report, audit and discharge;
//! write an analyst's commentary on a report section. Each takes
//! who is acting and the parsed input, checks that they may, opens the one transaction the
//! change is made in, applies the rules that need stored data (versions, closed years,
//! registered years, memberships) and records the audit event in it.
//! The routes parse and respond; the store holds the SQL.

mod acting;
pub mod allocations;
pub mod annual_reports;
pub mod finances;
pub mod forbund_years;
pub mod imports;
pub mod insats_years;
pub mod insatser;
pub mod memberships;
pub mod money_settings;
pub mod reference_statistics;
mod refused;
pub mod report_commentary;
pub mod reporting_years;
pub mod reports;

pub use acting::Acting;
pub use refused::Refused;

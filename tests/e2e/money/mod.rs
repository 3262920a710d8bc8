//! The money side (issue 17): finances with pending equity, reference statistics, the allocation,
//! and the annual report, audit and discharge.
mod allocation;
mod annual_reports;
mod memberships;
mod pending_equity;
pub(crate) mod reference_statistics;
mod tables;

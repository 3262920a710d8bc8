//! The money side (issue 17): finances with pending equity, reference statistics, the allocation.
mod allocation;
mod memberships;
mod pending_equity;
mod reference_statistics;
mod tables;

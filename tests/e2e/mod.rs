//! End-to-end: the real server on a real port, a real PostgreSQL database per test, HTTP from a
//! client.
mod authorization;
mod concurrency;
mod docs;
mod health;
mod identity_provider;
mod imports;
mod metrics;
pub(crate) mod money;
mod open;
mod privacy;
mod pxweb;
mod read_replica;
mod reference;
mod registration;
mod report;
mod report_commentary;
// The server and tokens, for the browser tests as well.
pub(crate) mod support;
mod tables;
mod validation;
mod years;

//! The use cases against a real PostgreSQL (see finsam-test-db).
mod freshness;
mod insatser;
mod registration_throughput;
mod reporting_years;
mod support;

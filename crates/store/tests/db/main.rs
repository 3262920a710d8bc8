//! The store against a real PostgreSQL (see finsam-test-db).
mod audit;
mod freshness;
mod imports;
mod insatser;
mod local_cluster;
mod migrations;
mod pool;
mod reference;
mod registration_throughput;
mod reporting_years;
mod support;

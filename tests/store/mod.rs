//! The store against a real PostgreSQL (see finsam-test-db).
mod audit;
mod code_tables;
mod imports;
mod local_cluster;
mod migrations;
mod pool;
mod reference;

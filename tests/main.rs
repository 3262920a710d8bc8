//! Every integration test of the workspace that needs no binary of it (`CARGO_BIN_EXE_*`; those
//! of the `finsam` command are in crates/cli/tests), in one test binary, so that the workspace
//! links its tests once: `cargo test -p finsam-e2e --test integration [module::path]`.
//! Each tree is a module, and its tests are named by their module path (`store::audit::…`,
//! `browser::analyst::…`).
//!
//! All of them share one process: one shared test PostgreSQL server (finsam-test-db) and one
//! global tracing subscriber, which `e2e::privacy` installs to read what the servers log.
mod browser;
mod demo;
mod e2e;
mod fuzz;
mod store;
mod usecases;

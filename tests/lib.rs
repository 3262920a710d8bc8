//! The integration tests are in `main.rs` and the trees it names; this crate has no library code
//! of its own.

//! End-to-end: the real server on a real port, a real PostgreSQL database per test, HTTP from a
//! client. One test binary, so the workspace links tests once.
mod health;
mod reference;
mod support;

//! `finsam demo`: a synthetic 2023 (and the equity series 2016–2022) for the real förbund whose
//! national tables reproduce the published figures of Försäkringskassan's report for 2023
//! (shared/reference/national-report-2023.md). Everything is registered through the domain's
//! validation and the store's audited writes, as the API would; nothing is written around them.

mod figures;
mod plan;
mod random;
mod register;

pub use register::{DemoError, DemoSummary, load};

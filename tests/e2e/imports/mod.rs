//! Bulk imports (`POST /api/v1/forbund/{key}/imports`) over HTTP: dry runs, atomic and partial
//! batches, Idempotency-Key replays (also concurrent ones), upserts by external_ref, CSV, jobs
//! for large batches, the limits, and the template to fill in.

mod bad_requests;
mod batch;
mod chunks;
mod csv;
mod dry_run_and_modes;
mod idempotency;
mod jobs;
mod limits;
mod reporting_years;
mod spreadsheets;
mod template;
mod upsert;

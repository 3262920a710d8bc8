//! Bulk imports from the förbund's case systems: applying a batch, and remembering requests
//! (Idempotency-Key) and the jobs that large batches become.

mod apply;
pub mod requests;

pub use apply::apply;
pub use requests::{Claim, ImportRequest, NewRequest};

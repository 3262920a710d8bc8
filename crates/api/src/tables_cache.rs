//! The registered data in memory, as frames ready for the statistics. Keyed by the data version
//! (moved by every audited write, in commit order), which is read before each use: a table read
//! after a committed write always reflects it, on every replica, with no nightly rebuild and no
//! cross-replica invalidation. After a write only the rows the audit log names are read again.

use std::sync::{Arc, Mutex};

use diesel::PgConnection;
use finsam_stats::{Frames, Inputs};
use finsam_store::statistics;

use crate::ApiError;
use crate::metrics::Histogram;

#[derive(Default)]
pub struct TableCache {
    current: Mutex<Option<Snapshot>>,
    /// How long each load or refresh took, for `/metrics`.
    pub refresh_seconds: Histogram,
}

/// One consistent reading of the data.
#[derive(Clone)]
pub struct Snapshot {
    pub version: i64,
    pub inputs: Arc<Inputs>,
    pub frames: Arc<Frames>,
}

impl TableCache {
    pub fn snapshot(&self, conn: &mut PgConnection) -> Result<Snapshot, ApiError> {
        let version = statistics::data_version(conn)?;
        // Held while reloading: concurrent readers want the same data and wait for it once.
        let mut current = self.current.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some(snapshot) = current.as_ref().filter(|s| s.version == version) {
            return Ok(snapshot.clone());
        }
        let started = std::time::Instant::now();
        let patched = match current.take() {
            Some(mut old) => {
                // Usually no request holds the old inputs any more, and this patches them in place.
                let inputs = Arc::make_mut(&mut old.inputs);
                statistics::refresh(conn, old.version, inputs)?.map(|version| (version, old.inputs))
            }
            None => None,
        };
        let (version, inputs) = match patched {
            Some(found) => found,
            None => {
                let (version, inputs) = statistics::load_inputs(conn)?;
                (version, Arc::new(inputs))
            }
        };
        let frames = Frames::new(&inputs).map_err(|e| ApiError::internal(&e))?;
        self.refresh_seconds.observe(started.elapsed());
        tracing::info!(version, elapsed_ms = started.elapsed().as_millis() as u64, "statistics data refreshed");
        let snapshot = Snapshot { version, inputs, frames: Arc::new(frames) };
        *current = Some(snapshot.clone());
        Ok(snapshot)
    }
}

//! The registered data in memory, as frames ready for the statistics. Keyed by the data version
//! (which audited writes a reading includes, see finsam_store::freshness), checked before each
//! use with one indexed look-up: a table read after a committed write always reflects it, on
//! every replica, with no nightly rebuild and no cross-replica invalidation. After a write only
//! the rows the new audit events name are read again.

use std::sync::{Arc, Mutex};

use diesel::PgConnection;
use finsam_stats::{Frames, Inputs};
use finsam_store::freshness::{self, DataVersion};
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
    pub version: DataVersion,
    pub inputs: Arc<Inputs>,
    pub frames: Arc<Frames>,
}

impl TableCache {
    pub fn snapshot(&self, conn: &mut PgConnection) -> Result<Snapshot, ApiError> {
        let cached = self.lock().clone();
        // Only the version is kept: a clone of the inputs held on would make the patch copy them.
        let checked = match cached {
            Some(snapshot) if freshness::is_current(conn, &snapshot.version)? => return Ok(snapshot),
            Some(snapshot) => Some(snapshot.version),
            None => None,
        };
        // Held while reloading: concurrent readers want the same data and wait for it once.
        let mut current = self.lock();
        // Another reader may have refreshed while this one waited, from a snapshot taken before
        // this read began: it is used only if nothing is new to it now either.
        if let Some(snapshot) = current.as_ref()
            && checked.as_ref() != Some(&snapshot.version)
            && freshness::is_current(conn, &snapshot.version)?
        {
            return Ok(snapshot.clone());
        }
        let started = std::time::Instant::now();
        let patched = match current.take() {
            Some(mut old) => {
                // Usually no request holds the old inputs any more, and this patches them in place.
                let inputs = Arc::make_mut(&mut old.inputs);
                statistics::refresh(conn, &old.version, inputs)?.map(|refreshed| (refreshed.version, old.inputs))
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
        tracing::info!(
            snapshot = %version.snapshot,
            last_event = version.last_event,
            elapsed_ms = started.elapsed().as_millis() as u64,
            "statistics data refreshed"
        );
        let snapshot = Snapshot { version, inputs, frames: Arc::new(frames) };
        *current = Some(snapshot.clone());
        Ok(snapshot)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Option<Snapshot>> {
        self.current.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

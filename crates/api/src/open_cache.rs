//! Open tables after disclosure control, per year and data version. Protecting a year means
//! computing every table at every level and solving its LPs (a fraction of a second to seconds),
//! so it is done once per data version and year and shared by every open request.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use diesel::PgConnection;
use finsam_export::open::OpenYear;
use finsam_store::reference;

use crate::ApiError;
use crate::metrics::Histogram;
use crate::tables_cache::TableCache;

#[derive(Default)]
pub struct OpenCache {
    /// (data version, year) → the year's open tables; only the newest version is kept.
    years: Mutex<HashMap<(i64, i32), Arc<OpenYear>>>,
    /// How long protecting each year took, for `/metrics`.
    pub protect_seconds: Histogram,
}

impl OpenCache {
    /// The open tables of each of `years`, as of the data now committed.
    pub fn years(
        &self,
        conn: &mut PgConnection,
        tables: &TableCache,
        years: &[i32],
        threshold: i64,
    ) -> Result<Vec<Arc<OpenYear>>, ApiError> {
        let snapshot = tables.snapshot(conn)?;
        // Held while protecting: concurrent readers of the same year wait for one computation.
        let mut cache = self.years.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        cache.retain(|(version, _), _| *version == snapshot.version);
        let mut counties: Option<Vec<String>> = None;
        let mut out = Vec::with_capacity(years.len());
        for &year in years {
            if let Some(found) = cache.get(&(snapshot.version, year)) {
                out.push(found.clone());
                continue;
            }
            if counties.is_none() {
                counties = Some(reference::names(conn)?.0.into_iter().map(|(code, _)| code).collect());
            }
            let started = std::time::Instant::now();
            let open = OpenYear::build(&snapshot.frames, counties.as_deref().unwrap_or_default(), year, threshold)
                .map_err(|e| ApiError::internal(&e))?;
            self.protect_seconds.observe(started.elapsed());
            tracing::info!(
                year,
                version = snapshot.version,
                elapsed_ms = started.elapsed().as_millis() as u64,
                "open tables protected"
            );
            let open = Arc::new(open);
            cache.insert((snapshot.version, year), open.clone());
            out.push(open);
        }
        Ok(out)
    }
}

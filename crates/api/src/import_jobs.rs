//! The worker that runs queued import jobs, one at a time per server process (several
//! processes may share a database: `SKIP LOCKED` hands each job to one of them). It wakes when a
//! job is queued here, and every few seconds for jobs queued elsewhere or left by a restart.

use std::sync::{Arc, Condvar, Mutex, Weak};
use std::time::Duration;

use finsam_store::PgPool;
use finsam_store::imports::requests;

const POLL: Duration = Duration::from_secs(5);

pub struct ImportJobs {
    pool: PgPool,
    queued: Mutex<bool>,
    wake: Condvar,
}

impl ImportJobs {
    /// Starts the worker; it stops once the last handle to the returned value is dropped.
    pub fn start(pool: PgPool) -> Arc<ImportJobs> {
        let jobs = Arc::new(ImportJobs { pool, queued: Mutex::new(true), wake: Condvar::new() });
        let weak = Arc::downgrade(&jobs);
        std::thread::Builder::new()
            .name("import-jobs".into())
            .spawn(move || work(&weak))
            .expect("a thread for import jobs");
        jobs
    }

    /// A job was queued: run it now rather than at the next poll.
    pub fn notify(&self) {
        *self.queued.lock().unwrap_or_else(|p| p.into_inner()) = true;
        self.wake.notify_one();
    }

    /// Runs queued jobs until none is left; false when the database could not be reached.
    fn run_queued(&self) -> bool {
        loop {
            let Ok(mut conn) = self.pool.get() else { return false };
            let mut progress = |id: i64, rows: usize| {
                if let Ok(mut other) = self.pool.get()
                    && let Err(error) = requests::record_progress(&mut other, id, rows)
                {
                    tracing::warn!(%error, id, "could not record import progress");
                }
            };
            match requests::run_next_job(&mut conn, &mut progress) {
                Ok(Some(id)) => tracing::info!(id, "import job finished"),
                Ok(None) => return true,
                Err(error) => {
                    tracing::error!(%error, "import job failed; it stays queued and is retried");
                    return false;
                }
            }
        }
    }
}

fn work(jobs: &Weak<ImportJobs>) {
    loop {
        let Some(this) = jobs.upgrade() else { return };
        let ok = this.run_queued();
        let guard = this.queued.lock().unwrap_or_else(|p| p.into_inner());
        let (mut queued, _) = this
            .wake
            .wait_timeout_while(guard, if ok { POLL } else { POLL * 2 }, |queued| !*queued)
            .unwrap_or_else(|p| p.into_inner());
        *queued = false;
    }
}

//! Requests per client and time window, for the endpoints that do heavy work (imports, the
//! PxWeb API). In memory, per server process: the limit protects this process's workers and
//! database connections.

use finsam_domain::ErrorCode;
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use actix_web::http::StatusCode;

use crate::ApiError;

pub struct RateLimit {
    limit: u32,
    window: Duration,
    /// What is limited, for the 429's detail ("imports", "calls").
    what: &'static str,
    /// client → (start of its current window, requests in it)
    windows: Mutex<HashMap<String, (Instant, u32)>>,
}

/// What is left of a client's window after a request was counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Quota {
    pub limit: u32,
    pub remaining: u32,
    /// Seconds until the window starts again.
    pub reset: u64,
    /// The window's length in seconds.
    pub window: u64,
}

impl RateLimit {
    pub fn per_minute(per_minute: u32) -> RateLimit {
        RateLimit::new(per_minute, Duration::from_secs(60), "imports")
    }

    pub fn new(limit: u32, window: Duration, what: &'static str) -> RateLimit {
        RateLimit { limit, window, what, windows: Mutex::new(HashMap::new()) }
    }

    pub fn limit(&self) -> u32 {
        self.limit
    }

    pub fn window(&self) -> Duration {
        self.window
    }

    /// What is left of `client`'s window, without counting a request.
    pub fn peek(&self, client: &str) -> Quota {
        let now = Instant::now();
        let windows = self.windows.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let (used, wait) = match windows.get(client) {
            Some((start, count)) if now.duration_since(*start) < self.window => {
                (*count, self.window.saturating_sub(now.duration_since(*start)).as_secs().max(1))
            }
            _ => (0, self.window.as_secs()),
        };
        Quota {
            limit: self.limit,
            remaining: self.limit.saturating_sub(used),
            reset: wait,
            window: self.window.as_secs(),
        }
    }

    /// Counts one request of `client`; 429 with Retry-After once it has had its share.
    pub fn check(&self, client: &str) -> Result<Quota, ApiError> {
        let now = Instant::now();
        let mut windows = self.windows.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        windows.retain(|_, (start, _)| now.duration_since(*start) < self.window);
        let (start, count) = windows.entry(client.to_owned()).or_insert((now, 0));
        let wait = self.window.saturating_sub(now.duration_since(*start)).as_secs().max(1);
        if *count >= self.limit {
            return Err(ApiError {
                retry_after: Some(u32::try_from(wait).unwrap_or(60)),
                ..ApiError::new(
                    StatusCode::TOO_MANY_REQUESTS,
                    ErrorCode::RateLimited,
                    format!(
                        "at most {} {} per {} s per client; retry in {wait} s",
                        self.limit,
                        self.what,
                        self.window.as_secs()
                    ),
                )
            });
        }
        *count += 1;
        Ok(Quota { limit: self.limit, remaining: self.limit - *count, reset: wait, window: self.window.as_secs() })
    }
}

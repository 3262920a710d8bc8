//! Requests per client and minute, for the endpoints that do heavy work (imports). In memory,
//! per server process: the limit protects this process's workers and database connections.

use finsam_domain::ErrorCode;
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use actix_web::http::StatusCode;

use crate::ApiError;

const WINDOW: Duration = Duration::from_secs(60);

pub struct RateLimit {
    per_minute: u32,
    /// client → (start of its current window, requests in it)
    windows: Mutex<HashMap<String, (Instant, u32)>>,
}

impl RateLimit {
    pub fn per_minute(per_minute: u32) -> RateLimit {
        RateLimit { per_minute, windows: Mutex::new(HashMap::new()) }
    }

    /// Counts one request of `client`; 429 with Retry-After once it has had its share.
    pub fn check(&self, client: &str) -> Result<(), ApiError> {
        let now = Instant::now();
        let mut windows = self.windows.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        windows.retain(|_, (start, _)| now.duration_since(*start) < WINDOW);
        let (start, count) = windows.entry(client.to_owned()).or_insert((now, 0));
        if *count >= self.per_minute {
            let wait = WINDOW.saturating_sub(now.duration_since(*start)).as_secs().max(1);
            return Err(ApiError {
                retry_after: Some(u32::try_from(wait).unwrap_or(60)),
                ..ApiError::new(
                    StatusCode::TOO_MANY_REQUESTS,
                    ErrorCode::RateLimited,
                    format!("at most {} imports a minute per client; retry in {wait} s", self.per_minute),
                )
            });
        }
        *count += 1;
        Ok(())
    }
}

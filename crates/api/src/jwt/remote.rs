//! An identity provider's key set at its JWKS URL: fetched at start, and again when a token
//! names a key it lacks, so a key rotation at the provider needs no restart here.

use std::sync::Mutex;
use std::time::{Duration, Instant};

use jsonwebtoken::jwk::JwkSet;

/// Real key sets are a few KiB; a larger answer is refused rather than parsed.
const MAX_JWKS_BYTES: usize = 256 * 1024;

#[derive(Debug)]
pub struct RemoteKeys {
    url: String,
    client: reqwest::Client,
    /// The least time between two fetches: a stream of tokens with made-up `kid`s costs the
    /// provider one request per interval, not one per token.
    min_interval: Duration,
    last_fetch: Mutex<Option<Instant>>,
}

impl RemoteKeys {
    pub fn new(url: impl Into<String>, client: reqwest::Client, min_interval: Duration) -> RemoteKeys {
        RemoteKeys { url: url.into(), client, min_interval, last_fetch: Mutex::new(None) }
    }

    pub fn url(&self) -> &str {
        &self.url
    }

    pub(super) async fn fetch(&self) -> Result<JwkSet, String> {
        *self.last_fetch.lock().expect("no holder panics") = Some(Instant::now());
        let response = self
            .client
            .get(&self.url)
            .header("Accept", "application/json")
            .send()
            .await
            .map_err(|e| format!("cannot fetch the JWKS at {}: {e}", self.url))?;
        if !response.status().is_success() {
            return Err(format!("the JWKS at {} answered {}", self.url, response.status()));
        }
        let body = response.bytes().await.map_err(|e| format!("cannot read the JWKS at {}: {e}", self.url))?;
        if body.len() > MAX_JWKS_BYTES {
            return Err(format!("the JWKS at {} is larger than {MAX_JWKS_BYTES} bytes", self.url));
        }
        serde_json::from_slice(&body).map_err(|e| format!("{} is not a JWK set: {e}", self.url))
    }

    /// A new fetch, unless the last one was less than the interval ago; `None` also when it fails
    /// (logged: the keys we have stay in use).
    pub(super) async fn fetch_again(&self) -> Option<JwkSet> {
        {
            let mut last = self.last_fetch.lock().expect("no holder panics");
            if last.is_some_and(|at| at.elapsed() < self.min_interval) {
                return None;
            }
            *last = Some(Instant::now());
        }
        match self.fetch().await {
            Ok(set) => Some(set),
            Err(error) => {
                tracing::warn!(%error, "fetching the identity provider's keys again failed");
                None
            }
        }
    }
}

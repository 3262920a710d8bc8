//! Sign-in to the pages through the organisation's identity provider: OpenID Connect's
//! authorization code flow with PKCE (S256), `state` and `nonce`, as a backend for the frontend.
//! The server keeps the flow's secrets and the sessions (in PostgreSQL, by hash; the provider's
//! tokens are checked and dropped); the browser holds one opaque, HttpOnly, SameSite=Lax cookie,
//! and sends the session's CSRF token in `X-CSRF-Token` with every state-changing request.
//! Tokens never reach a URL or the browser's storage. The API's roles apply unchanged: a session
//! is an `Actor` like a token.

mod provider;
mod routes;
pub(crate) mod session;

use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use sha2::{Digest, Sha256};

pub use provider::Provider;
pub use routes::configure;

use crate::jwt::{ClaimNames, RemoteKeys, Verifier};

pub const SESSION_COOKIE: &str = "finsam_session";
pub const CSRF_HEADER: &str = "X-CSRF-Token";
/// How long a started sign-in may take at the provider before its state is forgotten.
const ATTEMPT_TTL: Duration = Duration::from_secs(10 * 60);

/// What `serve --oidc-*` configures.
#[derive(Debug, Clone)]
pub struct SignInConfig {
    /// The provider's issuer URL; its discovery document is at `/.well-known/openid-configuration`.
    pub issuer: String,
    pub client_id: String,
    /// Absent for a public client (PKCE alone protects the code).
    pub client_secret: Option<String>,
    /// Scopes asked for; `openid` is always among them.
    pub scopes: Vec<String>,
    /// This service's address as browsers reach it: the redirect URI is `<public_url>/auth/callback`.
    pub public_url: String,
    pub claim_names: ClaimNames,
    pub session_ttl: Duration,
    /// The least time between two fetches of the provider's keys.
    pub jwks_refresh: Duration,
    pub leeway_seconds: u64,
}

/// A configured and discovered provider: ready to sign people in.
pub struct SignIn {
    pub config: SignInConfig,
    pub provider: Provider,
    /// Verifies ID tokens: the provider's keys, its issuer, this client as audience.
    id_tokens: Verifier,
    client: reqwest::Client,
}

impl SignIn {
    /// Reads the provider's discovery document and keys; fails if the provider is unusable.
    pub async fn discover(config: SignInConfig) -> Result<SignIn, String> {
        let client = http_client()?;
        let provider = Provider::discover(&client, &config.issuer).await?;
        let keys = RemoteKeys::new(provider.jwks_uri.clone(), client.clone(), config.jwks_refresh);
        let id_tokens = Verifier::from_remote_jwks(keys, &provider.issuer, &config.client_id, config.leeway_seconds)
            .await
            .map_err(|e| e.to_string())?
            .with_claim_names(config.claim_names.clone());
        Ok(SignIn { config, provider, id_tokens, client })
    }

    /// A verifier of the provider's access tokens for the API (`audience` as the API expects).
    pub async fn access_token_verifier(&self, audience: &str) -> Result<Verifier, String> {
        let keys = RemoteKeys::new(self.provider.jwks_uri.clone(), self.client.clone(), self.config.jwks_refresh);
        Ok(Verifier::from_remote_jwks(keys, &self.provider.issuer, audience, self.config.leeway_seconds)
            .await
            .map_err(|e| e.to_string())?
            .with_claim_names(self.config.claim_names.clone()))
    }

    fn redirect_uri(&self) -> String {
        format!("{}/auth/callback", self.config.public_url.trim_end_matches('/'))
    }

    fn secure_cookies(&self) -> bool {
        self.config.public_url.starts_with("https://")
    }
}

/// The client for the provider: bounded waits, no redirects (a provider's endpoints answer directly).
pub fn http_client() -> Result<reqwest::Client, String> {
    reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .map_err(|e| format!("cannot build the HTTP client for the identity provider: {e}"))
}

/// 32 random bytes, base64url: unguessable state, nonce, PKCE verifier, session id, CSRF token.
fn random_token() -> String {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).expect("the operating system's random source works");
    URL_SAFE_NO_PAD.encode(bytes)
}

/// What the database keeps of a secret the browser holds.
fn hash(secret: &str) -> Vec<u8> {
    Sha256::digest(secret.as_bytes()).to_vec()
}

/// RFC 7636 §4.2: `BASE64URL(SHA256(verifier))`.
fn pkce_challenge(verifier: &str) -> String {
    URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()))
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_pkce_challenge_is_rfc_7636s() {
        // RFC 7636, appendix B.
        assert_eq!(
            super::pkce_challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"),
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        );
        assert_ne!(super::random_token(), super::random_token());
        assert_eq!(super::random_token().len(), 43);
    }
}

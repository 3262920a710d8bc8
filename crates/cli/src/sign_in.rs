//! `serve --oidc-*`: sign-in to the pages through the organisation's identity provider, and the
//! provider's keys for the API's bearer tokens.

use std::time::Duration;

use anyhow::{Context, bail};
use clap::Args;
use finsam_api::jwt::{ClaimNames, RemoteKeys, Verifier};
use finsam_api::sign_in::{SignIn, SignInConfig, http_client};

#[derive(Debug, Args)]
pub struct SignInArgs {
    /// The identity provider's issuer URL (OpenID Connect discovery). Without it the pages keep
    /// the development sign-in.
    #[arg(long, env = "FINSAM_OIDC_ISSUER")]
    pub oidc_issuer: Option<String>,
    /// This service's client id at the provider.
    #[arg(long, env = "FINSAM_OIDC_CLIENT_ID", requires = "oidc_issuer")]
    pub oidc_client_id: Option<String>,
    /// The client secret (confidential client); without it a public client, PKCE alone.
    #[arg(long, env = "FINSAM_OIDC_CLIENT_SECRET", hide_env_values = true)]
    pub oidc_client_secret: Option<String>,
    /// Scopes to ask for, space separated; `openid` is always asked for.
    #[arg(long, env = "FINSAM_OIDC_SCOPES", default_value = "openid profile")]
    pub oidc_scopes: String,
    /// The address browsers reach this service at; the redirect URI is <URL>/auth/callback.
    /// Default: http://<bind>.
    #[arg(long, env = "FINSAM_PUBLIC_URL")]
    pub public_url: Option<String>,
    /// The claim holding the role (ID tokens and the API's bearer tokens).
    #[arg(long, env = "FINSAM_OIDC_ROLE_CLAIM", default_value = "role")]
    pub oidc_role_claim: String,
    /// The claim holding the förbund's key.
    #[arg(long, env = "FINSAM_OIDC_FORBUND_CLAIM", default_value = "forbund")]
    pub oidc_forbund_claim: String,
    /// A claim listing groups, read when the role claim is absent: `finsam-<role>` or
    /// `finsam-<role>:<forbund_key>`.
    #[arg(long, env = "FINSAM_OIDC_GROUPS_CLAIM")]
    pub oidc_groups_claim: Option<String>,
    /// How long a session of the pages lasts; then the person signs in again.
    #[arg(long, env = "FINSAM_SESSION_TTL_SECONDS", default_value_t = 8 * 3600)]
    pub session_ttl_seconds: u64,
    /// The provider's JWKS URL for the API's bearer tokens (default with --oidc-issuer: the
    /// discovered `jwks_uri`). Refetched when a token names an unknown key.
    #[arg(long, env = "FINSAM_JWKS_URL")]
    pub jwks_url: Option<String>,
    /// The least seconds between two fetches of the provider's keys.
    #[arg(long, env = "FINSAM_JWKS_REFRESH_SECONDS", default_value_t = 30)]
    pub jwks_refresh_seconds: u64,
}

impl SignInArgs {
    pub fn claim_names(&self) -> ClaimNames {
        ClaimNames {
            role: self.oidc_role_claim.clone(),
            forbund: self.oidc_forbund_claim.clone(),
            groups: self.oidc_groups_claim.clone(),
        }
    }

    /// The provider, discovered, if one is configured.
    pub async fn sign_in(&self, bind: &str, leeway_seconds: u64) -> anyhow::Result<Option<SignIn>> {
        let Some(issuer) = &self.oidc_issuer else { return Ok(None) };
        let Some(client_id) = &self.oidc_client_id else { bail!("--oidc-issuer needs --oidc-client-id") };
        let mut scopes: Vec<String> = self.oidc_scopes.split_whitespace().map(str::to_owned).collect();
        if !scopes.iter().any(|s| s == "openid") {
            scopes.insert(0, "openid".to_owned());
        }
        let config = SignInConfig {
            issuer: issuer.clone(),
            client_id: client_id.clone(),
            client_secret: self.oidc_client_secret.clone(),
            scopes,
            public_url: self.public_url.clone().unwrap_or_else(|| format!("http://{bind}")),
            claim_names: self.claim_names(),
            session_ttl: Duration::from_secs(self.session_ttl_seconds),
            jwks_refresh: Duration::from_secs(self.jwks_refresh_seconds),
            leeway_seconds,
        };
        let sign_in = SignIn::discover(config)
            .await
            .map_err(anyhow::Error::msg)
            .with_context(|| format!("the identity provider {issuer} cannot be used"))?;
        Ok(Some(sign_in))
    }

    /// The API's verifier from a JWKS URL, if one is given.
    pub async fn remote_verifier(&self, issuer: &str, audience: &str, leeway: u64) -> anyhow::Result<Option<Verifier>> {
        let Some(url) = &self.jwks_url else { return Ok(None) };
        let keys = RemoteKeys::new(
            url,
            http_client().map_err(anyhow::Error::msg)?,
            Duration::from_secs(self.jwks_refresh_seconds),
        );
        let verifier = Verifier::from_remote_jwks(keys, issuer, audience, leeway).await?;
        Ok(Some(verifier.with_claim_names(self.claim_names())))
    }
}

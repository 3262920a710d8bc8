//! The identity provider as its discovery document describes it (OpenID Connect Discovery 1.0).

use serde::Deserialize;

/// The endpoints this service uses.
#[derive(Debug, Clone, Deserialize)]
pub struct Provider {
    pub issuer: String,
    pub authorization_endpoint: String,
    pub token_endpoint: String,
    pub jwks_uri: String,
    /// RP-initiated logout, where the provider offers it.
    #[serde(default)]
    pub end_session_endpoint: Option<String>,
    #[serde(default)]
    code_challenge_methods_supported: Option<Vec<String>>,
}

impl Provider {
    pub async fn discover(client: &reqwest::Client, issuer: &str) -> Result<Provider, String> {
        let url = format!("{}/.well-known/openid-configuration", issuer.trim_end_matches('/'));
        let response = client.get(&url).send().await.map_err(|e| format!("cannot reach {url}: {e}"))?;
        if !response.status().is_success() {
            return Err(format!("{url} answered {}", response.status()));
        }
        let provider: Provider =
            response.json().await.map_err(|e| format!("{url} is not a discovery document: {e}"))?;
        // Discovery §4.3: the document must name the issuer it was fetched for, or a provider
        // could speak for another.
        if provider.issuer != issuer {
            return Err(format!("{url} names the issuer {:?}, not {issuer:?}", provider.issuer));
        }
        if provider.code_challenge_methods_supported.as_ref().is_some_and(|m| !m.iter().any(|m| m == "S256")) {
            return Err(format!("{issuer} does not offer PKCE with S256"));
        }
        Ok(provider)
    }
}

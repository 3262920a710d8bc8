//! Bearer-token verification: which keys and algorithms we trust, and which claims a caller must carry.

mod claim_names;
mod remote;

use std::path::Path;
use std::str::FromStr;
use std::sync::{Arc, RwLock};
use std::time::{SystemTime, UNIX_EPOCH};

use finsam_domain::Role;
use jsonwebtoken::errors::ErrorKind;
use jsonwebtoken::jwk::{AlgorithmParameters, EllipticCurve, Jwk, JwkSet, KeyAlgorithm, PublicKeyUse};
use jsonwebtoken::{Algorithm, DecodingKey, DecodingKeyKind, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

pub use claim_names::{ClaimNames, GROUP_PREFIX, Granted};
pub use remote::RemoteKeys;

const RSA_ALGORITHMS: [Algorithm; 3] = [Algorithm::RS256, Algorithm::RS384, Algorithm::RS512];
// Real tokens are a few KiB at most; refusing larger ones bounds the work an anonymous caller can cause.
const MAX_TOKEN_LEN: usize = 16 * 1024;
// RFC 7518 §3.2: an HS256 key shorter than the hash output weakens the MAC.
const MIN_SECRET_LEN: usize = 32;
// Below 2048 bits RSA is breakable; above 4096 the RustCrypto backend refuses the key at verify time.
const RSA_MODULUS_BYTES: std::ops::RangeInclusive<usize> = 256..=512;

/// Where the verification keys come from; the source also fixes which algorithms are accepted.
pub enum KeySource {
    /// A shared secret; accepts HS256 only.
    Hs256Secret(Vec<u8>),
    /// A `PUBLIC KEY` (or `RSA PUBLIC KEY`) PEM: RSA accepts RS256/RS384/RS512, EC P-256 ES256, EC P-384 ES384.
    PublicKeyPem(Vec<u8>),
    /// Public keys picked by the token's `kid`; each accepts the algorithms its `kty`/`crv`/`alg` allow.
    Jwks(JwkSet),
}

pub struct VerifierConfig {
    pub keys: KeySource,
    pub issuer: String,
    pub audience: String,
    pub leeway_seconds: u64,
}

#[derive(Debug, thiserror::Error)]
#[error("JWT verifier configuration: {0}")]
pub struct ConfigError(String);

fn config_error(message: impl Into<String>) -> ConfigError {
    ConfigError(message.into())
}

/// Verified claims. `aud` is the audience this service matched, whichever form the token used.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Claims {
    pub sub: String,
    /// Parsed once, by the verifier; a token cannot claim `system`.
    pub role: Role,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub forbund: Option<String>,
    pub iss: String,
    pub aud: String,
    pub exp: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nbf: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub iat: Option<u64>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TokenError {
    #[error("the token is not a well-formed JWT")]
    Malformed,
    #[error("the algorithm {0:?} is not accepted for the verifying key")]
    UnsupportedAlgorithm(String),
    #[error("the token signature does not verify")]
    BadSignature,
    #[error("the token has expired")]
    Expired,
    #[error("the token is not valid yet")]
    NotYetValid,
    #[error("the token comes from an issuer we do not trust")]
    WrongIssuer,
    #[error("the token is meant for another audience")]
    WrongAudience,
    #[error("the token lacks the `{0}` claim")]
    MissingClaim(&'static str),
    #[error("the role {0:?} is not one of registrar, integration, analyst, admin")]
    UnknownRole(String),
    #[error("the token's role acts for a förbund but the token names none")]
    MissingForbund,
    #[error("the token's signing key is not among the configured keys")]
    UnknownKey,
    #[error("the ID token's nonce is not the one this sign-in sent")]
    WrongNonce,
}

impl TokenError {
    /// Fixed text for a `WWW-Authenticate` `error_description`: printable ASCII without `"` or `\` (RFC 6750 §3).
    pub fn description(&self) -> &'static str {
        match self {
            TokenError::Malformed => "The token is malformed",
            TokenError::UnsupportedAlgorithm(_) => "The token algorithm is not accepted",
            TokenError::BadSignature => "The token signature is invalid",
            TokenError::Expired => "The token has expired",
            TokenError::NotYetValid => "The token is not yet valid",
            TokenError::WrongIssuer => "The token issuer is not accepted",
            TokenError::WrongAudience => "The token audience is not accepted",
            TokenError::MissingClaim(_) => "The token lacks a required claim",
            TokenError::UnknownRole(_) => "The token role is not recognised",
            TokenError::MissingForbund => "The token role requires a forbund claim",
            TokenError::UnknownKey => "The token signing key is unknown",
            TokenError::WrongNonce => "The token nonce is not the expected one",
        }
    }

    // These strings come from the caller and end up in logs, so they are bounded.
    fn from_caller(text: &str) -> String {
        text.chars().take(40).collect()
    }
}

/// Development tokens: HS256 with the shared secret.
pub fn mint_hs256(secret: &[u8], claims: &Claims) -> String {
    let key = EncodingKey::from_secret(secret);
    jsonwebtoken::encode(&Header::new(Algorithm::HS256), claims, &key).expect("HMAC over a plain struct cannot fail")
}

/// Checks bearer tokens; build once at startup, clone freely (the keys are shared).
#[derive(Debug, Clone)]
pub struct Verifier {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    /// Replaced whole when a remote key set is fetched again.
    keys: RwLock<Arc<Vec<TrustedKey>>>,
    select_by_kid: bool,
    issuer: String,
    audience: String,
    leeway: u64,
    names: ClaimNames,
    remote: Option<RemoteKeys>,
}

#[derive(Debug)]
struct TrustedKey {
    kid: Option<String>,
    key: DecodingKey,
    algorithms: Vec<Algorithm>,
}

#[derive(Deserialize)]
struct RawHeader {
    alg: String,
    kid: Option<String>,
    crit: Option<Value>,
}

impl Verifier {
    pub fn new(config: VerifierConfig) -> Result<Verifier, ConfigError> {
        if config.issuer.is_empty() || config.audience.is_empty() {
            return Err(config_error("issuer and audience must both be set"));
        }
        let (keys, select_by_kid) = match config.keys {
            KeySource::Hs256Secret(secret) if secret.len() < MIN_SECRET_LEN => {
                return Err(config_error(format!(
                    "the HS256 secret must be at least {MIN_SECRET_LEN} bytes, got {}",
                    secret.len()
                )));
            }
            KeySource::Hs256Secret(secret) => {
                let key = DecodingKey::from_secret(&secret);
                (vec![TrustedKey { kid: None, key, algorithms: vec![Algorithm::HS256] }], false)
            }
            KeySource::PublicKeyPem(pem) => (vec![pem_key(&pem)?], false),
            KeySource::Jwks(set) => (jwks_keys(&set)?, true),
        };
        let (issuer, audience, leeway) = (config.issuer, config.audience, config.leeway_seconds);
        let keys = RwLock::new(Arc::new(keys));
        let (names, remote) = (ClaimNames::default(), None);
        Ok(Verifier { inner: Arc::new(Inner { keys, select_by_kid, issuer, audience, leeway, names, remote }) })
    }

    /// Reads the role and förbund from these claims (an identity provider's names for them).
    pub fn with_claim_names(mut self, names: ClaimNames) -> Verifier {
        Arc::get_mut(&mut self.inner).expect("configured before it is shared").names = names;
        self
    }

    /// The keys of an identity provider's JWKS URL, fetched now and again when a token names a
    /// key they lack (a rotation), at most once per `remote`'s interval.
    pub async fn from_remote_jwks(
        remote: RemoteKeys,
        issuer: impl Into<String>,
        audience: impl Into<String>,
        leeway_seconds: u64,
    ) -> Result<Verifier, ConfigError> {
        let set = remote.fetch().await.map_err(config_error)?;
        let mut verifier = Verifier::new(VerifierConfig {
            keys: KeySource::Jwks(set),
            issuer: issuer.into(),
            audience: audience.into(),
            leeway_seconds,
        })?;
        Arc::get_mut(&mut verifier.inner).expect("just built").remote = Some(remote);
        Ok(verifier)
    }

    /// [`Verifier::verify_now`], fetching a remote key set again when the token's key is not in
    /// it (at most once per interval, so unknown `kid`s cannot make us hammer the provider).
    pub async fn verify_fresh(&self, token: &str) -> Result<Claims, TokenError> {
        match self.verify_now(token) {
            Err(TokenError::UnknownKey) if self.refresh().await => self.verify_now(token),
            other => other,
        }
    }

    /// The claims of an ID token for this client (`audience` is its client id), its `nonce` the
    /// one this sign-in sent; the role is not required here (a person without one is told so).
    pub async fn verify_id_token(&self, token: &str, nonce: &str) -> Result<Map<String, Value>, TokenError> {
        let now = SystemTime::now().duration_since(UNIX_EPOCH).map_or(u64::MAX, |d| d.as_secs());
        let claims = match self.verified_claims(token, now) {
            Err(TokenError::UnknownKey) if self.refresh().await => self.verified_claims(token, now),
            other => other,
        }?;
        match claims.get("nonce") {
            Some(Value::String(sent)) if sent == nonce => Ok(claims),
            _ => Err(TokenError::WrongNonce),
        }
    }

    /// The claim names this verifier reads the role and förbund by.
    pub fn claim_names(&self) -> &ClaimNames {
        &self.inner.names
    }

    /// Fetches the remote key set again if it may; whether the keys were replaced.
    async fn refresh(&self) -> bool {
        let Some(remote) = &self.inner.remote else { return false };
        let Some(set) = remote.fetch_again().await else { return false };
        match jwks_keys(&set) {
            Ok(keys) => {
                *self.inner.keys.write().expect("no writer panics") = Arc::new(keys);
                true
            }
            Err(error) => {
                tracing::warn!(%error, "the identity provider's key set is unusable; keeping the keys we had");
                false
            }
        }
    }

    pub fn from_jwks_file(
        path: impl AsRef<Path>,
        issuer: impl Into<String>,
        audience: impl Into<String>,
        leeway_seconds: u64,
    ) -> Result<Verifier, ConfigError> {
        let path = path.as_ref();
        let text = std::fs::read_to_string(path)
            .map_err(|e| config_error(format!("cannot read the JWKS file {}: {e}", path.display())))?;
        let set: JwkSet = serde_json::from_str(&text)
            .map_err(|e| config_error(format!("{} is not a JWK set: {e}", path.display())))?;
        let keys = KeySource::Jwks(set);
        Verifier::new(VerifierConfig { keys, issuer: issuer.into(), audience: audience.into(), leeway_seconds })
    }

    /// [`Verifier::verify`] at the system time. A clock before 1970 fails closed: every token reads as expired.
    pub fn verify_now(&self, token: &str) -> Result<Claims, TokenError> {
        let now = SystemTime::now().duration_since(UNIX_EPOCH).map_or(u64::MAX, |d| d.as_secs());
        self.verify(token, now)
    }

    pub fn verify(&self, token: &str, now_unix: u64) -> Result<Claims, TokenError> {
        let claims = self.verified_claims(token, now_unix)?;
        self.check_claims(claims)
    }

    /// The claims of a token signed by a trusted key, live at `now_unix`, from our issuer to our
    /// audience; nothing yet about roles.
    fn verified_claims(&self, token: &str, now_unix: u64) -> Result<Map<String, Value>, TokenError> {
        if token.len() > MAX_TOKEN_LEN || token.split('.').count() != 3 {
            return Err(TokenError::Malformed);
        }
        let header = read_header(token)?;
        let unsupported = || TokenError::UnsupportedAlgorithm(TokenError::from_caller(&header.alg));
        let alg = Algorithm::from_str(&header.alg).map_err(|_| unsupported())?;
        // RFC 7515 §4.1.11: we understand no header extensions, so one marked critical must be refused.
        if header.crit.is_some() {
            return Err(TokenError::Malformed);
        }
        let keys = self.inner.keys.read().expect("no writer panics").clone();
        let trusted = self.select(&keys, header.kid.as_deref())?;
        // The key decides the algorithm, never the token: this stops an HS256 token "signed" with our public key.
        if !trusted.algorithms.contains(&alg) {
            return Err(unsupported());
        }
        let mut validation = Validation::new(alg);
        // The crate's time checks read the system clock and its claim errors are coarser than ours, so it only
        // checks the signature here and `check_claims` does the rest.
        validation.required_spec_claims.clear();
        validation.validate_exp = false;
        validation.validate_aud = false;
        let data = jsonwebtoken::decode::<Value>(token, &trusted.key, &validation).map_err(|e| match e.kind() {
            ErrorKind::InvalidSignature => TokenError::BadSignature,
            ErrorKind::InvalidAlgorithm => unsupported(),
            _ => TokenError::Malformed,
        })?;
        self.check_time_and_parties(data.claims, now_unix)
    }

    fn select<'k>(&self, keys: &'k [TrustedKey], kid: Option<&str>) -> Result<&'k TrustedKey, TokenError> {
        match (self.inner.select_by_kid, kid, keys) {
            (false, _, [only]) | (true, None, [only]) => Ok(only),
            (true, Some(kid), keys) => {
                keys.iter().find(|k| k.kid.as_deref() == Some(kid)).ok_or(TokenError::UnknownKey)
            }
            _ => Err(TokenError::UnknownKey),
        }
    }

    fn check_time_and_parties(&self, claims: Value, now: u64) -> Result<Map<String, Value>, TokenError> {
        let Value::Object(map) = claims else { return Err(TokenError::Malformed) };
        required_str(&map, "sub")?;
        let iss = required_str(&map, "iss")?;
        let audiences = audiences(&map)?;
        let exp = numeric_date(&map, "exp")?.ok_or(TokenError::MissingClaim("exp"))?;
        let nbf = numeric_date(&map, "nbf")?;
        numeric_date(&map, "iat")?;
        let Inner { issuer, audience, leeway, .. } = &*self.inner;
        // RFC 7519 §4.1.4: the token is dead from the `exp` instant on; leeway only forgives clock skew.
        if now >= exp.saturating_add(*leeway) {
            return Err(TokenError::Expired);
        }
        if nbf.is_some_and(|nbf| now.saturating_add(*leeway) < nbf) {
            return Err(TokenError::NotYetValid);
        }
        if iss != issuer {
            return Err(TokenError::WrongIssuer);
        }
        if !audiences.contains(&audience.as_str()) {
            return Err(TokenError::WrongAudience);
        }
        Ok(map)
    }

    /// The caller the verified claims name: the role and förbund by this verifier's claim names.
    fn check_claims(&self, map: Map<String, Value>) -> Result<Claims, TokenError> {
        let Granted { role, forbund } = self.inner.names.granted(&map)?;
        let (sub, iss) = (required_str(&map, "sub")?.to_owned(), required_str(&map, "iss")?.to_owned());
        let (exp, nbf, iat) =
            (numeric_date(&map, "exp")?.unwrap_or_default(), numeric_date(&map, "nbf")?, numeric_date(&map, "iat")?);
        Ok(Claims { sub, role, forbund, iss, aud: self.inner.audience.clone(), exp, nbf, iat })
    }
}

fn read_header(token: &str) -> Result<RawHeader, TokenError> {
    let segment = token.split('.').next().unwrap_or_default();
    // The crate's header type cannot hold an unknown alg such as "none"; decoding the segment in the payload slot
    // reuses its base64url decoder and keeps the name, so the refusal can say which algorithm it was.
    jsonwebtoken::dangerous::insecure_decode_claims(format!(".{segment}.")).map_err(|_| TokenError::Malformed)
}

fn required_str<'a>(map: &'a Map<String, Value>, name: &'static str) -> Result<&'a str, TokenError> {
    match map.get(name) {
        Some(Value::String(value)) if !value.is_empty() => Ok(value),
        None | Some(Value::Null | Value::String(_)) => Err(TokenError::MissingClaim(name)),
        Some(_) => Err(TokenError::Malformed),
    }
}

fn audiences(map: &Map<String, Value>) -> Result<Vec<&str>, TokenError> {
    match map.get("aud") {
        Some(Value::String(aud)) => Ok(vec![aud.as_str()]),
        Some(Value::Array(items)) => items.iter().map(|v| v.as_str().ok_or(TokenError::Malformed)).collect(),
        None | Some(Value::Null) => Err(TokenError::MissingClaim("aud")),
        Some(_) => Err(TokenError::Malformed),
    }
}

// RFC 7519 NumericDate may be fractional; dropping the fraction makes `exp` earlier, never later.
fn numeric_date(map: &Map<String, Value>, name: &'static str) -> Result<Option<u64>, TokenError> {
    let Some(value) = map.get(name).filter(|v| !v.is_null()) else { return Ok(None) };
    let fractional = value.as_f64().filter(|f| f.is_finite() && *f >= 0.0 && *f < u64::MAX as f64);
    value.as_u64().or(fractional.map(|f| f as u64)).map(Some).ok_or(TokenError::Malformed)
}

fn pem_key(pem: &[u8]) -> Result<TrustedKey, ConfigError> {
    let text = String::from_utf8_lossy(pem);
    match text.split("-----BEGIN ").nth(1).and_then(|rest| rest.split("-----").next()) {
        Some("PUBLIC KEY" | "RSA PUBLIC KEY") => {}
        Some(label) if label.contains("PRIVATE") => {
            return Err(config_error("the PEM holds a private key; give the verifier the public key only"));
        }
        Some(label) => return Err(config_error(format!("expected a PUBLIC KEY PEM block, found {label:?}"))),
        None => return Err(config_error("no PEM block found; expected -----BEGIN PUBLIC KEY-----")),
    }
    let key = DecodingKey::from_rsa_pem(pem)
        .or_else(|_| DecodingKey::from_ec_pem(pem))
        .map_err(|_| config_error("the PEM is neither an RSA nor an EC public key"))?;
    // Re-reading the key as a JWK parses it fully, so a broken key fails here rather than on every request, and
    // PEM and JWKS keys then share one set of checks.
    let jwk = Jwk::from_decoding_key(&key, None).map_err(|e| config_error(format!("unusable public key PEM: {e}")))?;
    trusted_key(&jwk).map_err(|e| config_error(format!("public key PEM: {e}")))
}

fn jwks_keys(set: &JwkSet) -> Result<Vec<TrustedKey>, ConfigError> {
    let mut keys: Vec<TrustedKey> = Vec::new();
    for jwk in &set.keys {
        // Identity providers publish encryption keys alongside signing keys; those never sign a token.
        let encryption = jwk.common.public_key_use == Some(PublicKeyUse::Encryption)
            || matches!(
                jwk.common.key_algorithm,
                Some(KeyAlgorithm::RSA1_5 | KeyAlgorithm::RSA_OAEP | KeyAlgorithm::RSA_OAEP_256)
            );
        if encryption {
            continue;
        }
        let kid = jwk.common.key_id.as_deref().unwrap_or("(no kid)");
        let key = trusted_key(jwk).map_err(|e| config_error(format!("JWKS key {kid:?}: {e}")))?;
        if key.kid.is_some() && keys.iter().any(|k| k.kid == key.kid) {
            return Err(config_error(format!("the JWKS has two keys with kid {kid:?}")));
        }
        keys.push(key);
    }
    if keys.is_empty() {
        return Err(config_error("the JWKS holds no signing keys"));
    }
    Ok(keys)
}

fn trusted_key(jwk: &Jwk) -> Result<TrustedKey, String> {
    let key = DecodingKey::from_jwk(jwk).map_err(|e| format!("unusable key material: {e}"))?;
    let algorithms = match &jwk.algorithm {
        AlgorithmParameters::RSA(_) => {
            let modulus_bytes = match key.kind() {
                DecodingKeyKind::RsaModulusExponent { n, .. } => n.iter().skip_while(|b| **b == 0).count(),
                DecodingKeyKind::SecretOrDer(_) => 0,
            };
            if !RSA_MODULUS_BYTES.contains(&modulus_bytes) {
                return Err(format!("RSA keys must be 2048 to 4096 bits, this one is {} bits", modulus_bytes * 8));
            }
            RSA_ALGORITHMS.to_vec()
        }
        AlgorithmParameters::EllipticCurve(params) => {
            let alg = match params.curve {
                EllipticCurve::P256 => Algorithm::ES256,
                EllipticCurve::P384 => Algorithm::ES384,
                _ => return Err("EC keys must be on P-256 or P-384".to_owned()),
            };
            // Building a verifier decodes the point, so an off-curve key is caught now; the empty signature
            // simply fails to verify.
            jsonwebtoken::crypto::verify("", b"", &key, alg).map_err(|_| "the EC point is not on its curve")?;
            vec![alg]
        }
        AlgorithmParameters::OctetKey(_) => return Err("symmetric keys are only accepted as Hs256Secret".to_owned()),
        _ => return Err("unsupported key type; expected RSA or EC".to_owned()),
    };
    let algorithms = match jwk.common.key_algorithm {
        None => algorithms,
        Some(declared) => match Algorithm::try_from(declared) {
            Ok(alg) if algorithms.contains(&alg) => vec![alg],
            _ => return Err(format!("the declared alg {declared} does not fit the key type")),
        },
    };
    Ok(TrustedKey { kid: jwk.common.key_id.clone(), key, algorithms })
}

#[cfg(test)]
mod tests;

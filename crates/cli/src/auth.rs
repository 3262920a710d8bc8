//! Token keys: which key verifies tokens (and, in development, signs them).

use std::io::Read;
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use clap::Args;
use finsam_api::jwt::{KeySource, Verifier, VerifierConfig};

const DEV_SECRET_FILE: &str = "jwt-dev-secret";

#[derive(Debug, Args)]
pub struct AuthArgs {
    /// Shared secret for HS256 tokens (development). Without any key option, a random secret
    /// is kept in <data-dir>/jwt-dev-secret and used by both `serve` and `token`.
    #[arg(long, global = true, env = "FINSAM_JWT_SECRET", hide_env_values = true)]
    pub jwt_secret: Option<String>,
    /// PEM public key (RSA or EC) of the identity provider, for RS256/ES256 tokens.
    #[arg(long, global = true, env = "FINSAM_JWT_PUBLIC_KEY")]
    pub jwt_public_key: Option<PathBuf>,
    /// JWKS file of the identity provider; the token's `kid` picks the key.
    #[arg(long, global = true, env = "FINSAM_JWKS_FILE")]
    pub jwks_file: Option<PathBuf>,
    /// Required `iss` of tokens.
    #[arg(long, global = true, env = "FINSAM_JWT_ISSUER", default_value = "finsam")]
    pub jwt_issuer: String,
    /// Required `aud` of tokens.
    #[arg(long, global = true, env = "FINSAM_JWT_AUDIENCE", default_value = "finsam")]
    pub jwt_audience: String,
    /// Seconds of clock difference tolerated in `exp` and `nbf`.
    #[arg(long, global = true, env = "FINSAM_JWT_LEEWAY", default_value_t = 30)]
    pub jwt_leeway: u64,
}

impl AuthArgs {
    pub fn verifier(&self, data_dir: &Path) -> anyhow::Result<Verifier> {
        let keys = match (&self.jwt_secret, &self.jwt_public_key, &self.jwks_file) {
            (Some(secret), None, None) => KeySource::Hs256Secret(checked_secret(secret)?),
            (None, Some(path), None) => KeySource::PublicKeyPem(read(path, "FINSAM_JWT_PUBLIC_KEY")?),
            (None, None, Some(path)) => {
                return Ok(Verifier::from_jwks_file(path, &self.jwt_issuer, &self.jwt_audience, self.jwt_leeway)?);
            }
            (None, None, None) => KeySource::Hs256Secret(dev_secret(data_dir)?),
            _ => bail!("set only one of FINSAM_JWT_SECRET, FINSAM_JWT_PUBLIC_KEY and FINSAM_JWKS_FILE"),
        };
        Ok(Verifier::new(VerifierConfig {
            keys,
            issuer: self.jwt_issuer.clone(),
            audience: self.jwt_audience.clone(),
            leeway_seconds: self.jwt_leeway,
        })?)
    }

    /// Whether a secret, PEM or JWKS file is set (rather than the development secret).
    pub fn has_explicit_key(&self) -> bool {
        self.jwt_secret.is_some() || self.jwt_public_key.is_some() || self.jwks_file.is_some()
    }

    /// The HS256 secret that development tokens are signed with.
    pub fn signing_secret(&self, data_dir: &Path) -> anyhow::Result<Vec<u8>> {
        match (&self.jwt_secret, &self.jwt_public_key, &self.jwks_file) {
            (Some(secret), _, _) => checked_secret(secret),
            (None, None, None) => dev_secret(data_dir),
            _ => bail!(
                "tokens for a public key or JWKS come from the identity provider; `finsam token` signs only with \
                 FINSAM_JWT_SECRET (HS256)"
            ),
        }
    }
}

fn checked_secret(secret: &str) -> anyhow::Result<Vec<u8>> {
    if secret.len() < 32 {
        bail!("FINSAM_JWT_SECRET must be at least 32 characters");
    }
    Ok(secret.as_bytes().to_vec())
}

fn read(path: &Path, what: &str) -> anyhow::Result<Vec<u8>> {
    std::fs::read(path).with_context(|| format!("{what} {} cannot be read", path.display()))
}

/// A random secret kept beside the data, so that `serve` and `token` agree without set-up.
fn dev_secret(data_dir: &Path) -> anyhow::Result<Vec<u8>> {
    let path = data_dir.join(DEV_SECRET_FILE);
    if let Ok(secret) = std::fs::read(&path) {
        return Ok(secret);
    }
    std::fs::create_dir_all(data_dir)
        .with_context(|| format!("data directory {} is not usable", data_dir.display()))?;
    let mut random = [0u8; 32];
    std::fs::File::open("/dev/urandom")
        .and_then(|mut f| f.read_exact(&mut random))
        .context("cannot read /dev/urandom for a development secret")?;
    let secret: String = random.iter().map(|b| format!("{b:02x}")).collect();
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(&path)
        .and_then(|mut f| std::io::Write::write_all(&mut f, secret.as_bytes()))
        .with_context(|| format!("cannot write the development secret {}", path.display()))?;
    tracing::warn!(path = %path.display(), "no token key configured: using a development secret (set FINSAM_JWT_SECRET, FINSAM_JWT_PUBLIC_KEY or FINSAM_JWKS_FILE in production)");
    Ok(secret.into_bytes())
}

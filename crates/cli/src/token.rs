use std::time::{SystemTime, UNIX_EPOCH};

use anyhow::bail;
use clap::Args;
use finsam_api::jwt::{Claims, mint_hs256};
use finsam_domain::Role;

use crate::auth::AuthArgs;
use crate::database::DatabaseArgs;

#[derive(Debug, Args)]
pub struct TokenArgs {
    /// registrar | integration | analyst | admin
    #[arg(long)]
    pub role: String,
    /// The förbund a registrar or integration acts for (its forbund_key).
    #[arg(long)]
    pub forbund: Option<String>,
    /// Who the token is for (the `sub` claim, recorded in the audit log).
    #[arg(long, default_value = "developer")]
    pub sub: String,
    /// Lifetime in seconds.
    #[arg(long, default_value_t = 3600)]
    pub ttl_seconds: u64,
}

/// Prints a development token signed with the server's HS256 secret.
pub fn run(db: &DatabaseArgs, auth: &AuthArgs, args: &TokenArgs) -> anyhow::Result<()> {
    println!("{}", mint(db, auth, args)?);
    Ok(())
}

/// A development token signed with the server's HS256 secret.
pub fn mint(db: &DatabaseArgs, auth: &AuthArgs, args: &TokenArgs) -> anyhow::Result<String> {
    let Some(role) = Role::from_claim(&args.role) else {
        bail!("--role must be one of: {}", Role::claimable().join(", "));
    };
    if role.needs_forbund() && args.forbund.as_deref().is_none_or(str::is_empty) {
        bail!("a {role} token needs --forbund <forbund_key>");
    }
    let now = SystemTime::now().duration_since(UNIX_EPOCH)?.as_secs();
    let claims = Claims {
        sub: args.sub.clone(),
        role,
        forbund: args.forbund.clone().filter(|_| role.needs_forbund()),
        iss: auth.jwt_issuer.clone(),
        aud: auth.jwt_audience.clone(),
        exp: now + args.ttl_seconds,
        nbf: None,
        iat: Some(now),
    };
    Ok(mint_hs256(&auth.signing_secret(&db.data_dir)?, &claims))
}

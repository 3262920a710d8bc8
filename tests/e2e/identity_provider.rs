//! Tokens from an identity provider: RS256 against a configured public key, ES256 by `kid`
//! from a JWKS, and the algorithm-confusion attack refused over HTTP.

use finsam_api::jwt::KeySource;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use reqwest::Method;

use crate::e2e::support::{OWN, TestApp, claims};

const KEYS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../crates/api/testdata/jwt/");

fn key_file(name: &str) -> Vec<u8> {
    std::fs::read(format!("{KEYS}{name}")).unwrap()
}

fn sign(alg: Algorithm, kid: Option<&str>, key: &EncodingKey) -> String {
    let mut header = Header::new(alg);
    header.kid = kid.map(str::to_owned);
    jsonwebtoken::encode(&header, &claims("registrar", Some(OWN)), key).unwrap()
}

async fn status(app: &TestApp, token: &str) -> u16 {
    app.request(Method::GET, &format!("/api/v1/forbund/{OWN}/insatser"), Some(token))
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

#[actix_rt::test]
async fn rs256_tokens_verify_against_the_configured_public_key() {
    let app = TestApp::spawn_with(KeySource::PublicKeyPem(key_file("rsa-public.pem"))).await;
    let private = EncodingKey::from_rsa_pem(&key_file("rsa-private.pem")).unwrap();
    assert_eq!(status(&app, &sign(Algorithm::RS256, None, &private)).await, 200);

    let other = EncodingKey::from_rsa_pem(&key_file("other-rsa-private.pem")).unwrap();
    assert_eq!(status(&app, &sign(Algorithm::RS256, None, &other)).await, 401, "another key");
    // HS256 "signed" with the public key's bytes: the classic confusion attack.
    let confused = EncodingKey::from_secret(&key_file("rsa-public.pem"));
    assert_eq!(status(&app, &sign(Algorithm::HS256, None, &confused)).await, 401, "algorithm confusion");
    app.stop().await;
}

#[actix_rt::test]
async fn jwks_keys_are_chosen_by_kid() {
    let jwks = serde_json::from_slice(&key_file("jwks.json")).unwrap();
    let app = TestApp::spawn_with(KeySource::Jwks(jwks)).await;
    let ec = EncodingKey::from_ec_pem(&key_file("ec-private.pem")).unwrap();
    let rsa = EncodingKey::from_rsa_pem(&key_file("rsa-private.pem")).unwrap();
    assert_eq!(status(&app, &sign(Algorithm::ES256, Some("ec-1"), &ec)).await, 200);
    assert_eq!(status(&app, &sign(Algorithm::RS256, Some("rsa-1"), &rsa)).await, 200);
    assert_eq!(status(&app, &sign(Algorithm::RS256, Some("ec-1"), &rsa)).await, 401, "kid of another key");
    assert_eq!(status(&app, &sign(Algorithm::ES256, Some("unknown"), &ec)).await, 401, "unknown kid");
    app.stop().await;
}

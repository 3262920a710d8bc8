//! The verifier against real keys (testdata/jwt) and hand-made hostile tokens.

use finsam_domain::Role;
use finsam_domain::codes::Code;

use super::*;
use serde_json::json;

const NOW: u64 = 1_700_000_000;
const SECRET: &[u8] = b"dev-secret-dev-secret-dev-secret-0123";
const ISSUER: &str = "https://login.example.se/finsam";
const AUDIENCE: &str = "finsam-api";
const RSA_PRIVATE: &[u8] = include_bytes!("../../testdata/jwt/rsa-private.pem");
const RSA_PUBLIC: &[u8] = include_bytes!("../../testdata/jwt/rsa-public.pem");
const OTHER_RSA_PRIVATE: &[u8] = include_bytes!("../../testdata/jwt/other-rsa-private.pem");
const OTHER_RSA_PUBLIC: &[u8] = include_bytes!("../../testdata/jwt/other-rsa-public.pem");
const EC_PRIVATE: &[u8] = include_bytes!("../../testdata/jwt/ec-private.pem");
const EC_PUBLIC: &[u8] = include_bytes!("../../testdata/jwt/ec-public.pem");
const JWKS: &str = include_str!("../../testdata/jwt/jwks.json");
// base64url of {"alg":"none","typ":"JWT"}
const NONE_HEADER: &str = "eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0";

fn claims(role: &str, forbund: Option<&str>) -> Claims {
    Claims {
        sub: "user-17".into(),
        role: Role::from_code(role).expect("a role"),
        forbund: forbund.map(Into::into),
        iss: ISSUER.into(),
        aud: AUDIENCE.into(),
        exp: NOW + 300,
        nbf: None,
        iat: Some(NOW),
    }
}

fn payload(edit: impl FnOnce(&mut Map<String, Value>)) -> Value {
    let Ok(Value::Object(mut map)) = serde_json::to_value(claims("registrar", Some("SE-01"))) else { panic!() };
    edit(&mut map);
    Value::Object(map)
}

fn verifier(keys: KeySource) -> Verifier {
    let config = VerifierConfig { keys, issuer: ISSUER.into(), audience: AUDIENCE.into(), leeway_seconds: 60 };
    Verifier::new(config).unwrap()
}

fn hs() -> Verifier {
    verifier(KeySource::Hs256Secret(SECRET.to_vec()))
}

fn sign(alg: Algorithm, kid: Option<&str>, key: &EncodingKey, payload: &Value) -> String {
    let header = Header { kid: kid.map(Into::into), ..Header::new(alg) };
    jsonwebtoken::encode(&header, payload, key).unwrap()
}

fn hs_token(payload: &Value) -> String {
    sign(Algorithm::HS256, None, &EncodingKey::from_secret(SECRET), payload)
}

fn rsa_key(pem: &[u8]) -> EncodingKey {
    EncodingKey::from_rsa_pem(pem).unwrap()
}

#[test]
fn hs256_round_trip() {
    let mut expected = claims("registrar", Some("SE-01"));
    expected.nbf = Some(NOW - 10);
    assert_eq!(hs().verify(&mint_hs256(SECRET, &expected), NOW), Ok(expected));
}

#[test]
fn wrong_secret_is_a_bad_signature() {
    let token = mint_hs256(b"another-secret-another-secret-0123", &claims("admin", None));
    assert_eq!(hs().verify(&token, NOW), Err(TokenError::BadSignature));
}

#[test]
fn expiry_honours_leeway_and_nothing_more() {
    let token = |exp: u64| hs_token(&payload(|m| _ = m.insert("exp".into(), exp.into())));
    assert!(hs().verify(&token(NOW - 59), NOW).is_ok());
    assert_eq!(hs().verify(&token(NOW - 60), NOW), Err(TokenError::Expired));
    assert_eq!(hs().verify(&token(NOW - 3600), NOW), Err(TokenError::Expired));
}

#[test]
fn nbf_in_the_future_is_not_yet_valid() {
    let token = |nbf: u64| hs_token(&payload(|m| _ = m.insert("nbf".into(), nbf.into())));
    assert!(hs().verify(&token(NOW + 60), NOW).is_ok());
    assert_eq!(hs().verify(&token(NOW + 61), NOW), Err(TokenError::NotYetValid));
}

#[test]
fn issuer_and_audience_must_match_exactly() {
    let with = |name: &str, value: Value| hs_token(&payload(|m| _ = m.insert(name.into(), value)));
    let wrong_iss = with("iss", json!("https://login.example.se/finsam/"));
    assert_eq!(hs().verify(&wrong_iss, NOW), Err(TokenError::WrongIssuer));
    assert_eq!(hs().verify(&with("aud", json!("finsam-web")), NOW), Err(TokenError::WrongAudience));
    assert_eq!(hs().verify(&with("aud", json!(["a", "b"])), NOW), Err(TokenError::WrongAudience));
    let array = hs().verify(&with("aud", json!(["finsam-web", AUDIENCE])), NOW).unwrap();
    assert_eq!(array.aud, AUDIENCE);
}

#[test]
fn every_required_claim_is_named_when_missing() {
    for name in ["sub", "role", "iss", "aud", "exp"] {
        let token = hs_token(&payload(|m| _ = m.remove(name)));
        assert_eq!(hs().verify(&token, NOW), Err(TokenError::MissingClaim(name)), "{name}");
    }
    let token = hs_token(&payload(|m| _ = m.insert("exp".into(), json!("tomorrow"))));
    assert_eq!(hs().verify(&token, NOW), Err(TokenError::Malformed));
}

#[test]
fn roles_and_forbund() {
    // As an identity provider might send them: any text as the role.
    let verify = |role: &str, forbund: Option<&str>| {
        let token = hs_token(&payload(|m| {
            m.insert("role".into(), json!(role));
            match forbund {
                Some(key) => m.insert("forbund".into(), json!(key)),
                None => m.remove("forbund"),
            };
        }));
        hs().verify(&token, NOW)
    };
    assert_eq!(verify("registrar", None), Err(TokenError::MissingForbund));
    assert_eq!(verify("integration", Some("  ")), Err(TokenError::MissingForbund));
    assert_eq!(verify("analyst", None), Ok(claims("analyst", None)));
    // Only roles that act for a förbund keep it, so nothing downstream can mistake it for a restriction.
    assert_eq!(verify("admin", Some("SE-01")).unwrap().forbund, None);
    assert_eq!(verify("superuser", None), Err(TokenError::UnknownRole("superuser".into())));
    assert_eq!(verify("Admin", None), Err(TokenError::UnknownRole("Admin".into())));
    // The service's own role is exempt from deadlines: a token that claims it is refused.
    assert_eq!(verify("system", None), Err(TokenError::UnknownRole("system".into())));
}

#[test]
fn alg_none_is_refused() {
    let body = hs_token(&payload(|_| ())).split('.').nth(1).unwrap().to_owned();
    for token in [format!("{NONE_HEADER}.{body}."), format!("{NONE_HEADER}.{body}.c2ln")] {
        let refused = Err(TokenError::UnsupportedAlgorithm("none".into()));
        assert_eq!(hs().verify(&token, NOW), refused);
        assert_eq!(verifier(KeySource::PublicKeyPem(RSA_PUBLIC.to_vec())).verify(&token, NOW), refused);
    }
}

#[test]
fn rsa_pem_accepts_rs256_to_rs512() {
    let v = verifier(KeySource::PublicKeyPem(RSA_PUBLIC.to_vec()));
    for alg in [Algorithm::RS256, Algorithm::RS384, Algorithm::RS512] {
        let token = sign(alg, None, &rsa_key(RSA_PRIVATE), &payload(|_| ()));
        assert_eq!(v.verify(&token, NOW).unwrap().forbund.as_deref(), Some("SE-01"), "{alg:?}");
    }
}

#[test]
fn another_rsa_key_is_a_bad_signature() {
    let token = sign(Algorithm::RS256, None, &rsa_key(OTHER_RSA_PRIVATE), &payload(|_| ()));
    let ours = verifier(KeySource::PublicKeyPem(RSA_PUBLIC.to_vec()));
    assert_eq!(ours.verify(&token, NOW), Err(TokenError::BadSignature));
    assert!(verifier(KeySource::PublicKeyPem(OTHER_RSA_PUBLIC.to_vec())).verify(&token, NOW).is_ok());
}

#[test]
fn ec_pem_accepts_es256_only() {
    let v = verifier(KeySource::PublicKeyPem(EC_PUBLIC.to_vec()));
    let token = sign(Algorithm::ES256, None, &EncodingKey::from_ec_pem(EC_PRIVATE).unwrap(), &payload(|_| ()));
    assert!(v.verify(&token, NOW).is_ok());
    let rs = sign(Algorithm::RS256, None, &rsa_key(RSA_PRIVATE), &payload(|_| ()));
    assert_eq!(v.verify(&rs, NOW), Err(TokenError::UnsupportedAlgorithm("RS256".into())));
}

#[test]
fn algorithm_confusion_is_refused() {
    // The attacker knows our public key and uses its PEM bytes as an HMAC secret.
    for (public, kid) in [(RSA_PUBLIC, "rsa-1"), (EC_PUBLIC, "ec-1")] {
        let forged = sign(Algorithm::HS256, Some(kid), &EncodingKey::from_secret(public), &payload(|_| ()));
        let refused = Err(TokenError::UnsupportedAlgorithm("HS256".into()));
        assert_eq!(verifier(KeySource::PublicKeyPem(public.to_vec())).verify(&forged, NOW), refused);
        assert_eq!(verifier(KeySource::Jwks(serde_json::from_str(JWKS).unwrap())).verify(&forged, NOW), refused);
    }
}

#[test]
fn jwks_picks_the_key_by_kid() {
    let v = verifier(KeySource::Jwks(serde_json::from_str(JWKS).unwrap()));
    let (rsa, ec) = (rsa_key(RSA_PRIVATE), EncodingKey::from_ec_pem(EC_PRIVATE).unwrap());
    let p = payload(|_| ());
    assert!(v.verify(&sign(Algorithm::RS256, Some("rsa-1"), &rsa, &p), NOW).is_ok());
    assert!(v.verify(&sign(Algorithm::ES256, Some("ec-1"), &ec, &p), NOW).is_ok());
    // The JWK declares RS256, which narrows what its key type alone would allow.
    let rs512 = sign(Algorithm::RS512, Some("rsa-1"), &rsa, &p);
    assert_eq!(v.verify(&rs512, NOW), Err(TokenError::UnsupportedAlgorithm("RS512".into())));
    let swapped = sign(Algorithm::RS256, Some("ec-1"), &rsa, &p);
    assert_eq!(v.verify(&swapped, NOW), Err(TokenError::UnsupportedAlgorithm("RS256".into())));
    assert_eq!(v.verify(&sign(Algorithm::RS256, Some("rsa-2"), &rsa, &p), NOW), Err(TokenError::UnknownKey));
    assert_eq!(v.verify(&sign(Algorithm::RS256, None, &rsa, &p), NOW), Err(TokenError::UnknownKey));
    let other = sign(Algorithm::RS256, Some("rsa-1"), &rsa_key(OTHER_RSA_PRIVATE), &p);
    assert_eq!(v.verify(&other, NOW), Err(TokenError::BadSignature));
}

#[test]
fn jwks_file_loads() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/testdata/jwt/jwks.json");
    let v = Verifier::from_jwks_file(path, ISSUER, AUDIENCE, 0).unwrap();
    let token = sign(Algorithm::RS256, Some("rsa-1"), &rsa_key(RSA_PRIVATE), &payload(|_| ()));
    assert!(v.verify(&token, NOW).is_ok());
    assert!(Verifier::from_jwks_file("/nonexistent/jwks.json", ISSUER, AUDIENCE, 0).is_err());
}

#[test]
fn critical_header_extensions_are_refused() {
    let header = Header { crit: Some(vec!["exp".into()]), ..Header::new(Algorithm::HS256) };
    let token = jsonwebtoken::encode(&header, &payload(|_| ()), &EncodingKey::from_secret(SECRET)).unwrap();
    assert_eq!(hs().verify(&token, NOW), Err(TokenError::Malformed));
}

#[test]
fn garbage_never_panics_and_never_passes() {
    let huge = "a".repeat(1 << 20);
    let huge_dots = format!("{huge}.{huge}.{huge}");
    let inputs = "|.|..|...|a.b.c|a.b|Bearer x.y.z|ä.ö.ü|🦀.🦀.🦀|\0.\0.\0|eyJ9.e30.|e30.e30.e30".split('|');
    let jwks = verifier(KeySource::Jwks(serde_json::from_str(JWKS).unwrap()));
    for input in inputs.chain([huge.as_str(), huge_dots.as_str()]) {
        assert!(hs().verify(input, NOW).is_err(), "{input:.20}");
        assert!(jwks.verify(input, NOW).is_err(), "{input:.20}");
    }
    // Every single-character change to a good token must be caught somewhere.
    let token = hs_token(&payload(|_| ()));
    for i in 0..token.len() {
        for replacement in ["A", "_", ".", "ä", ""] {
            if token[i..=i] == *replacement {
                continue;
            }
            let mutated = format!("{}{replacement}{}", &token[..i], &token[i + 1..]);
            assert!(hs().verify(&mutated, NOW).is_err(), "byte {i} -> {replacement:?}");
        }
    }
}

#[test]
fn configuration_errors_are_one_line() {
    let config = |keys| VerifierConfig { keys, issuer: ISSUER.into(), audience: AUDIENCE.into(), leeway_seconds: 0 };
    let bad = [
        KeySource::Hs256Secret(b"short".to_vec()),
        KeySource::PublicKeyPem(RSA_PRIVATE.to_vec()),
        KeySource::PublicKeyPem(b"not a pem".to_vec()),
        KeySource::PublicKeyPem(b"-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n".to_vec()),
        KeySource::Jwks(JwkSet { keys: vec![] }),
        KeySource::Jwks(serde_json::from_value(json!({"keys": [{"kty": "oct", "k": "c2VjcmV0"}]})).unwrap()),
    ];
    for keys in bad {
        let message = Verifier::new(config(keys)).unwrap_err().to_string();
        assert!(!message.contains('\n'), "{message}");
    }
    let message = Verifier::new(config(KeySource::PublicKeyPem(EC_PRIVATE.to_vec()))).unwrap_err().to_string();
    assert!(message.contains("private key"), "{message}");
}

#[test]
fn descriptions_fit_www_authenticate() {
    use TokenError::*;
    let caller = || "\"\\".to_owned();
    let all = [Malformed, UnsupportedAlgorithm(caller()), BadSignature, Expired, NotYetValid, WrongIssuer];
    let more = [WrongAudience, MissingClaim("sub"), UnknownRole(caller()), MissingForbund, UnknownKey];
    for error in all.into_iter().chain(more) {
        let text = error.description();
        assert!(text.bytes().all(|b| (0x20..=0x7e).contains(&b) && b != b'"' && b != b'\\'), "{text}");
    }
}

#[test]
fn verifier_is_shareable() {
    fn assert_shareable<T: Clone + Send + Sync + 'static>() {}
    assert_shareable::<Verifier>();
}

//! The provider's access tokens at the API, across a rotation of its signing key.

use super::*;

/// PKCE for the test's own client: (verifier, challenge).
fn pkce() -> (String, String) {
    let mut bytes = [0u8; 32];
    std::io::Read::read_exact(&mut std::fs::File::open("/dev/urandom").unwrap(), &mut bytes).unwrap();
    let verifier = URL_SAFE_NO_PAD.encode(bytes);
    let challenge = URL_SAFE_NO_PAD.encode(sha2::Sha256::digest(verifier.as_bytes()));
    (verifier, challenge)
}

/// The test as a client of the provider (public, PKCE): (access token, ID token).
fn provider_tokens(browser: &mut Browser, idp: &Idp, username: &str) -> (String, String) {
    let (verifier, challenge) = pkce();
    let state = pkce().0;
    let mut authorization = Url::parse(&format!("{}/auth", idp.issuer)).unwrap();
    authorization.query_pairs_mut().extend_pairs([
        ("response_type", "code"),
        ("client_id", TEST_CLIENT_ID),
        ("redirect_uri", TEST_CLIENT_REDIRECT),
        ("scope", SCOPES),
        ("state", &state),
        ("nonce", &pkce().0),
        ("code_challenge", &challenge),
        ("code_challenge_method", "S256"),
    ]);
    let password = format!("{username}-password");
    let AtIdp::Back(back) = through_idp(browser, authorization, &idp.issuer, Some((username, &password))) else {
        panic!("the provider did not take {username}'s password");
    };
    assert!(back.as_str().starts_with(TEST_CLIENT_REDIRECT), "{back}");
    let params: HashMap<String, String> = back.query_pairs().into_owned().collect();
    assert_eq!(params.get("state"), Some(&state));
    let code = params.get("code").expect("a code");
    let response = Client::new()
        .post(format!("{}/token", idp.issuer))
        .form(&[
            ("grant_type", "authorization_code"),
            ("code", code),
            ("redirect_uri", TEST_CLIENT_REDIRECT),
            ("code_verifier", &verifier),
            ("client_id", TEST_CLIENT_ID),
        ])
        .send()
        .unwrap();
    assert_eq!(response.status(), 200);
    let tokens: Value = response.json().unwrap();
    (tokens["access_token"].as_str().unwrap().to_owned(), tokens["id_token"].as_str().unwrap().to_owned())
}

fn kid(token: &str) -> String {
    jsonwebtoken::decode_header(token).unwrap().kid.expect("a kid")
}

fn bearer(finsam: &Finsam, path: &str, token: &str) -> u16 {
    answer(finsam, path, token).0
}

/// The status and body, for a failure to say why a token was refused.
fn answer(finsam: &Finsam, path: &str, token: &str) -> (u16, String) {
    let response = Client::new().get(finsam.url(path)).bearer_auth(token).send().unwrap();
    (response.status().as_u16(), response.text().unwrap_or_default())
}

/// Acceptance: the API takes the provider's access tokens, keeps taking them after the provider
/// rotates its signing key (no restart), and refuses a token signed by a key the provider never
/// published.
#[test]
fn provider_access_tokens_work_across_key_rotation() {
    let Some((idp, finsam)) = with_real_idp(&["--jwks-refresh-seconds", "1"], json!({})) else { return };
    let own = format!("/api/v1/forbund/{FORBUND}/insatser");
    let other = format!("/api/v1/forbund/{OTHER_FORBUND}/insatser");
    let mut browser = Browser::new();
    let (first, id_token) = provider_tokens(&mut browser, &idp, "registrar");
    let (status, body) = answer(&finsam, &own, &first);
    assert_eq!(status, 200, "the provider's access token as the registrar: {body}; token header {:?}", {
        jsonwebtoken::decode_header(&first).map(|h| (h.alg, h.kid))
    });
    assert_eq!(bearer(&finsam, &other, &first), 403, "for their own förbund only");
    // The ID token is for the client (aud = its client_id), not for the API: taking it as a bearer
    // token would let any client of the provider call the API with its users' ID tokens.
    assert_eq!(bearer(&finsam, &own, &id_token), 401, "an ID token is not an access token");

    let rotated = idp.rotate();
    assert_ne!(kid(&first), rotated);
    // Past --jwks-refresh-seconds: the unknown kid makes finsam fetch the JWKS again.
    std::thread::sleep(Duration::from_millis(1500));
    let (second, _) = provider_tokens(&mut browser, &idp, "registrar");
    assert_eq!(kid(&second), rotated, "the new token is signed with the new key");
    assert_eq!(bearer(&finsam, &own, &second), 200, "a token signed with the rotated key, no restart");
    assert_eq!(bearer(&finsam, &own, &first), 200, "the old key is still published, so its tokens still work");

    // A token with all the right claims, signed by a key the provider never published.
    let now = rogue_idp::now();
    let claims = json!({"iss": idp.issuer, "aud": "finsam", "sub": "u-registrar", "iat": now, "exp": now + 600,
                        "finsam_role": "admin", "finsam_forbund": FORBUND, "client_id": TEST_CLIENT_ID,
                        "scope": "finsam", "jti": "forged-1"});
    for forged_kid in ["never-published", rotated.as_str()] {
        let mut header = jsonwebtoken::Header::new(jsonwebtoken::Algorithm::RS256);
        header.kid = Some(forged_kid.into());
        header.typ = Some("at+jwt".into());
        let key = jsonwebtoken::EncodingKey::from_rsa_pem(&rogue_idp::testdata("other-rsa-private.pem")).unwrap();
        let forged = jsonwebtoken::encode(&header, &claims, &key).unwrap();
        assert_eq!(bearer(&finsam, &own, &forged), 401, "signed by an unpublished key, kid {forged_kid}");
        assert_eq!(bearer(&finsam, "/api/v1/years/2023/completeness", &forged), 401, "kid {forged_kid}");
    }
}

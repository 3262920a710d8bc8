//! Attacks on the sign-in, each refused with no session: forged, replayed and swapped callbacks,
//! crafted ID tokens, forged and expired session cookies, cross-site writes.

use super::*;

/// Acceptance (attacks on the callback, real provider): each is refused with 400 sign_in_failed
/// and sets no session cookie.
#[test]
fn forged_and_replayed_callbacks_are_refused() {
    let Some((idp, finsam)) = with_real_idp(&[], json!({})) else { return };
    let callback_with = |url: &Url, replace: &[(&str, Option<&str>)]| -> String {
        let mut params: Vec<(String, String)> = url.query_pairs().into_owned().collect();
        for (name, value) in replace {
            params.retain(|(n, _)| n != name);
            if let Some(value) = value {
                params.push(((*name).into(), (*value).into()));
            }
        }
        let pairs: Vec<(&str, &str)> = params.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect();
        finsam.url(&format!("/auth/callback?{}", url_pairs(&pairs)))
    };

    // A state this server never issued, with a real code: this is how login CSRF works (the
    // attacker signs in as themselves, stops before the callback and makes the victim's browser
    // visit it; the victim then works in the attacker's account). The state ties the callback to
    // a sign-in that this browser began.
    let mut browser = Browser::new();
    let callback = to_callback(&mut browser, &finsam, &idp, "registrar", "/");
    let wrong = browser.get(&callback_with(&callback, &[("state", Some("a-state-that-finsam-never-issued-0123"))]));
    assert_sign_in_failed(&wrong, "wrong state");
    // No state at all: a client that only checks a state when one is sent is no better.
    let missing = browser.get(&callback_with(&callback, &[("state", None)]));
    assert_sign_in_failed(&missing, "missing state");

    // The same code and state twice (a callback URL from a log, a Referer or the history). The
    // first is a proper sign-in; the second must not make a second session: the state is single
    // use (and the provider would refuse the code again too, but finsam must not rely on it).
    let mut browser = Browser::new();
    let callback = to_callback(&mut browser, &finsam, &idp, "registrar", "/");
    assert_signed_in(&browser.get(callback.as_str()), "/");
    let replayed = browser.get(callback.as_str());
    assert_sign_in_failed(&replayed, "replayed callback, same browser");
    let replayed = Browser::new().get(callback.as_str());
    assert_sign_in_failed(&replayed, "replayed callback, another browser");

    // A code from one sign-in with the state of another (code injection: an attacker's code, or
    // a code stolen from another sign-in, put into a sign-in the victim began). The state is
    // genuine and unused, so only PKCE (the verifier kept with that state does not match the
    // challenge the code was issued for) and the nonce catch it.
    let mut browser = Browser::new();
    let first = begin(&mut browser, &finsam, &idp.issuer, "/");
    let first_state = first.query_pairs().find(|(n, _)| n == "state").unwrap().1.into_owned();
    let second = to_callback(&mut browser, &finsam, &idp, "registrar", "/");
    let mixed = browser.get(&callback_with(&second, &[("state", Some(&first_state))]));
    assert_sign_in_failed(&mixed, "a code of one sign-in with another's state");

    // The same with two browsers: the attacker's code into the victim's sign-in.
    let mut victim = Browser::new();
    let victims = begin(&mut victim, &finsam, &idp.issuer, "/");
    let victims_state = victims.query_pairs().find(|(n, _)| n == "state").unwrap().1.into_owned();
    let mut attacker = Browser::new();
    let attackers = to_callback(&mut attacker, &finsam, &idp, "analyst", "/");
    let injected = victim.get(&callback_with(&attackers, &[("state", Some(&victims_state))]));
    assert_sign_in_failed(&injected, "the attacker's code with the victim's state");

    // A made-up code with a genuine state: the provider refuses the exchange.
    let mut browser = Browser::new();
    let started = begin(&mut browser, &finsam, &idp.issuer, "/");
    let state = started.query_pairs().find(|(n, _)| n == "state").unwrap().1.into_owned();
    let made_up = browser.get(&finsam.url(&format!(
        "/auth/callback?{}",
        url_pairs(&[("code", "made-up-code"), ("state", &state), ("iss", &idp.issuer)])
    )));
    assert_sign_in_failed(&made_up, "a code the provider never issued");

    // The provider's error response (the user cancelled).
    let mut browser = Browser::new();
    let started = begin(&mut browser, &finsam, &idp.issuer, "/");
    let state = started.query_pairs().find(|(n, _)| n == "state").unwrap().1.into_owned();
    let error = browser.get(&finsam.url(&format!(
        "/auth/callback?{}",
        url_pairs(&[("error", "access_denied"), ("state", &state), ("iss", &idp.issuer)])
    )));
    assert_sign_in_failed(&error, "the provider's error");

    // A callback naming another issuer (RFC 9207; the mix-up attack: a response from another
    // provider presented as this one's).
    let mut browser = Browser::new();
    let callback = to_callback(&mut browser, &finsam, &idp, "registrar", "/");
    let mixed_up = browser.get(&callback_with(&callback, &[("iss", Some("http://evil.example"))]));
    assert_sign_in_failed(&mixed_up, "another issuer in the callback");
}

/// Acceptance (attacks on the ID token): a provider the test controls returns crafted ID tokens;
/// each is refused with 400 sign_in_failed and no session cookie. A correct token from the same
/// provider first shows that the refusals are the token's doing.
#[test]
fn crafted_id_tokens_are_refused() {
    let rogue = RogueIdp::start(json!({"finsam_role": "admin"}));
    let public = format!("http://127.0.0.1:{}", free_port());
    let finsam = Finsam::start(&public, &rogue.issuer, rogue_idp::CLIENT_SECRET, &["--jwks-refresh-seconds", "60"]);
    let sign_in = |forge: Forge| -> Reply {
        rogue.forge(forge);
        let mut browser = Browser::new();
        let authorization = begin(&mut browser, &finsam, &rogue.issuer, "/admin");
        let back = browser.get(authorization.as_str());
        assert_eq!(back.status, 302, "{back:?}");
        browser.get(back.location().as_str())
    };

    let valid = sign_in(Forge::Valid);
    assert_signed_in(&valid, "/admin");
    // The client sent PKCE as it should: the verifier hashes to the challenge it sent, and the
    // redirect_uri is the one of the authorization request.
    let auth = rogue.last_authorization().unwrap().params;
    let token = rogue.last_token_request().unwrap();
    let verifier = token.get("code_verifier").expect("a code_verifier in the token request");
    assert_eq!(URL_SAFE_NO_PAD.encode(sha2::Sha256::digest(verifier.as_bytes())), auth["code_challenge"]);
    assert_eq!(token.get("redirect_uri"), auth.get("redirect_uri"));
    assert_eq!(token.get("grant_type").map(String::as_str), Some("authorization_code"));

    let cases = [
        // Without the nonce check, an ID token from another sign-in (of the same user, at the same
        // client: aud, iss and signature all fine) could be replayed into this one.
        (Forge::WrongNonce, "a nonce of another sign-in"),
        (Forge::NoNonce, "no nonce"),
        // The provider signs tokens for all its clients with the same keys: a token meant for
        // another application must not sign anyone in here.
        (Forge::WrongAud, "aud of another client"),
        (Forge::WrongIss, "another issuer"),
        // `alg: none`: a verifier that takes the algorithm from the token accepts it unsigned.
        (Forge::AlgNone, "alg none"),
        // HS256 keyed with the public key's bytes: a verifier that takes the algorithm from the
        // token and feeds "the key" to HMAC accepts a token anyone can make from the JWKS.
        (Forge::Hs256WithPublicKey, "HS256 with the public key"),
        (Forge::Expired, "expired"),
        (Forge::UnpublishedKey, "a key and kid not in the JWKS"),
        // A verifier that skips the signature when the kid is known would take this one.
        (Forge::UnpublishedKeyPublishedKid, "a key not in the JWKS under the published kid"),
        (Forge::TokenRefused, "the token endpoint refuses the code"),
    ];
    for (forge, what) in cases {
        assert_sign_in_failed(&sign_in(forge), what);
    }

    // Unknown kids make finsam look at the JWKS again, but not every time: else every forged
    // token would cost a request to the provider (--jwks-refresh-seconds 60 here).
    let before = rogue.jwks_fetches();
    for _ in 0..5 {
        assert_sign_in_failed(&sign_in(Forge::UnpublishedKey), "a key and kid not in the JWKS, again");
    }
    let fetched = rogue.jwks_fetches() - before;
    assert!(fetched <= 1, "{fetched} JWKS fetches for 5 unknown kids within a minute");

    // And the correct token still works afterwards.
    assert_signed_in(&sign_in(Forge::Valid), "/admin");
}

/// Sessions end when they expire; cookies the server did not make are worth nothing.
#[test]
fn expired_and_forged_session_cookies_are_refused() {
    let Some((idp, finsam)) = with_real_idp(&["--session-ttl-seconds", "2"], json!({})) else { return };
    let mut browser = Browser::new();
    let callback = to_callback(&mut browser, &finsam, &idp, "registrar", "/");
    let cookie = assert_signed_in(&browser.get(callback.as_str()), "/");
    assert_eq!(session(&mut browser, &finsam).status, 200);

    // Forged: a made-up value, and the real value with one character changed (a session id
    // that is a counter or a signed-but-unchecked value would let this through).
    for forged in ["forged-session-value".to_owned(), tweak(&cookie)] {
        let mut other = browser_with_session(&forged);
        let reply = session(&mut other, &finsam);
        assert_eq!(reply.status, 401, "forged cookie {forged:?}: {reply:?}");
        let api = other.get(&finsam.url(&format!("/api/v1/forbund/{FORBUND}/insatser")));
        assert_eq!(api.status, 401, "forged cookie at the API: {api:?}");
    }

    std::thread::sleep(Duration::from_millis(3500));
    // The server must not rely on the browser dropping the cookie: it refuses it itself.
    let mut stale = browser_with_session(&cookie);
    let reply = session(&mut stale, &finsam);
    assert_eq!(reply.status, 401, "expired session: {reply:?}");
    let api = stale.get(&finsam.url(&format!("/api/v1/forbund/{FORBUND}/insatser")));
    assert_eq!(api.status, 401, "expired session at the API: {api:?}");
}

/// The last character of `value` changed to another of the same alphabet.
fn tweak(value: &str) -> String {
    let mut chars: Vec<char> = value.chars().collect();
    let last = chars.last_mut().unwrap();
    *last = match *last {
        'A' => 'B',
        'a' => 'b',
        '0' => '1',
        _ => 'A',
    };
    chars.into_iter().collect()
}

/// Acceptance: a state-changing request on the session cookie needs the CSRF token.
#[test]
fn cross_site_writes_on_the_session_cookie_are_refused() {
    let Some((idp, finsam)) = with_real_idp(&[], json!({})) else { return };
    let mut browser = Browser::new();
    let callback = to_callback(&mut browser, &finsam, &idp, "registrar", "/");
    assert_signed_in(&browser.get(callback.as_str()), "/");
    let csrf = session(&mut browser, &finsam).json()["csrf_token"].as_str().unwrap().to_owned();
    let insatser = finsam.url(&format!("/api/v1/forbund/{FORBUND}/insatser"));

    // A page on another site posts to the API; the browser adds the cookie. SameSite=Lax keeps
    // the cookie out of cross-site POSTs in current browsers, but "site" is the registrable
    // domain: another port or a sibling subdomain (say a compromised app on the same domain) is
    // the same site, and older browsers ignore SameSite. Without the token check this creates
    // an insats in the registrar's name.
    let evil = [("Origin", "http://evil.example")];
    let reply = browser.send("POST", &insatser, &evil, None, Some(&new_insats()));
    assert_eq!((reply.status, problem_code(&reply)), (403, "csrf_failed".into()), "{reply:?}");
    // A plain HTML form (no script needed) can send no custom header. Whether the CSRF check or
    // the body's content type refuses it first is the server's business; it must not pass.
    let form = browser.post_form(&insatser, &[("name", "x")], &evil);
    assert!(
        (form.status, problem_code(&form)) == (403, "csrf_failed".into()) || matches!(form.status, 400 | 415),
        "{form:?}"
    );
    // A wrong token, and one of another session, are no better than none.
    let wrong = browser.send(
        "POST",
        &insatser,
        &[("Origin", "http://evil.example"), ("X-CSRF-Token", &tweak(&csrf))],
        None,
        Some(&new_insats()),
    );
    assert_eq!((wrong.status, problem_code(&wrong)), (403, "csrf_failed".into()), "{wrong:?}");
    let mut second = Browser::new();
    let callback = to_callback(&mut second, &finsam, &idp, "registrar", "/");
    assert_signed_in(&second.get(callback.as_str()), "/");
    let second_csrf = session(&mut second, &finsam).json()["csrf_token"].as_str().unwrap().to_owned();
    assert_ne!(second_csrf, csrf);
    let crossed = browser.send("POST", &insatser, &[("X-CSRF-Token", &second_csrf)], None, Some(&new_insats()));
    assert_eq!((crossed.status, problem_code(&crossed)), (403, "csrf_failed".into()), "{crossed:?}");
    // PUT and DELETE too.
    let put = browser.send("PUT", &format!("{insatser}/1"), &evil, None, Some(&new_insats()));
    assert_eq!((put.status, problem_code(&put)), (403, "csrf_failed".into()), "{put:?}");
    let delete = browser.send("DELETE", &format!("{insatser}/1"), &evil, None, None);
    assert_eq!((delete.status, problem_code(&delete)), (403, "csrf_failed".into()), "{delete:?}");
    let listed = browser.get(&insatser).json();
    assert_eq!(listed, json!([]), "nothing was written");

    // Sign-out is state-changing too: a cross-site page must not sign the user out (or, worse,
    // into another account), so it needs the token as well.
    let out = browser.post_form(&finsam.url("/auth/sign-out"), &[], &evil);
    assert_eq!((out.status, problem_code(&out)), (403, "csrf_failed".into()), "{out:?}");
    assert_eq!(session(&mut browser, &finsam).status, 200, "still signed in");

    // With the token, from finsam's own page, the same write goes through.
    let reply = browser.send(
        "POST",
        &insatser,
        &[("X-CSRF-Token", &csrf), ("Origin", &finsam.public)],
        None,
        Some(&new_insats()),
    );
    assert_eq!(reply.status, 201, "{reply:?}");
    // And sign-out by form field works.
    let out = browser.post_form(&finsam.url("/auth/sign-out"), &[("csrf_token", &csrf)], &[("Origin", &finsam.public)]);
    assert_eq!(out.status, 303, "{out:?}");
    assert_eq!(session(&mut browser, &finsam).status, 401);
}

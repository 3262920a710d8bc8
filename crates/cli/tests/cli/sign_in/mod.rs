//! Sign-in through OpenID Connect (issue 16), black-box: the real `finsam serve` against the real
//! provider of tests/idp (oidc-provider) and against a rogue provider the test controls
//! (rogue_idp.rs). A `Browser` follows each step by hand (no automatic redirects, its own cookie
//! jar), so every redirect, cookie and status is seen and checked.
//!
//! The contract tested: GET /auth/sign-in?return=… → the provider's authorization endpoint (code
//! flow, state, nonce, PKCE S256); GET /auth/callback → 303 to the return path with an HttpOnly,
//! SameSite=Lax `finsam_session` cookie, or 400 problem `sign_in_failed` with no cookie; a user with
//! no role → /ingen-behorighet without a session; GET /auth/session; the API on the session cookie
//! with `X-CSRF-Token` for writes (403 `csrf_failed`); POST /auth/sign-out → the provider's
//! end_session_endpoint; and, with --oidc-issuer, the provider's access tokens as bearer tokens,
//! across key rotation.

use std::collections::HashMap;
use std::net::TcpListener;
use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use finsam_test_db::TestDb;
use finsam_test_idp::Idp;
use reqwest::Url;
use reqwest::blocking::Client;
use serde_json::{Value, json};
use sha2::Digest;

use super::rogue_idp::{self, Forge, RogueIdp};
use super::{Served, finsam, serve};

const FORBUND: &str = "samordningsforbundet-i-blekinge";
const OTHER_FORBUND: &str = "finsam-i-malmo";
const CLIENT_ID: &str = "finsam-web";
const CLIENT_SECRET: &str = "finsam-web-secret-for-the-tests";
/// A client of the provider that the test itself plays, to get access tokens of its own.
const TEST_CLIENT_ID: &str = "finsam-test-client";
const TEST_CLIENT_REDIRECT: &str = "http://127.0.0.1:9/test-client/callback";
const SCOPES: &str = "openid profile finsam";
const SESSION_COOKIE: &str = "finsam_session";

mod attacks;
mod browser;
mod flow;
mod rotation;

use browser::*;
use flow::*;

// ---- the tests ------------------------------------------------------------------------------------

#[test]
fn serve_help_names_the_sign_in_flags() {
    let output = finsam().args(["serve", "--help"]).output().unwrap();
    assert!(output.status.success());
    let help = String::from_utf8_lossy(&output.stdout);
    for flag in [
        "--oidc-issuer",
        "FINSAM_OIDC_ISSUER",
        "--oidc-client-id",
        "FINSAM_OIDC_CLIENT_ID",
        "--oidc-client-secret",
        "FINSAM_OIDC_CLIENT_SECRET",
        "--oidc-scopes",
        "FINSAM_OIDC_SCOPES",
        "--public-url",
        "FINSAM_PUBLIC_URL",
        "--oidc-role-claim",
        "--oidc-forbund-claim",
        "--oidc-groups-claim",
        "--session-ttl-seconds",
        "--jwks-refresh-seconds",
    ] {
        assert!(help.contains(flag), "{flag} missing from serve --help:\n{help}");
    }
}

/// Acceptance (happy path): a registrar and an analyst sign in on the provider's login page; the
/// session carries the role and förbund from their claims (also from the groups claim); the API
/// takes the cookie as that role; sign-out ends the session here and at the provider.
#[test]
fn registrar_and_analyst_sign_in_through_the_provider_and_act_in_their_roles() {
    let Some((idp, finsam)) = with_real_idp(&[], json!({})) else { return };

    // The registrar.
    let mut browser = Browser::new();
    let callback = to_callback(&mut browser, &finsam, &idp, "registrar", "/registrera/insatser");
    let params: HashMap<String, String> = callback.query_pairs().into_owned().collect();
    assert_eq!(params.get("iss"), Some(&idp.issuer), "the provider names itself (RFC 9207)");
    let reply = browser.get(callback.as_str());
    let cookie = assert_signed_in(&reply, "/registrera/insatser");
    let me = session(&mut browser, &finsam);
    assert_eq!(me.status, 200, "{me:?}");
    let me = me.json();
    assert_eq!(
        (&me["sub"], &me["role"], &me["forbund"]),
        (&json!("u-registrar"), &json!("registrar"), &json!(FORBUND))
    );
    let csrf = me["csrf_token"].as_str().expect("a csrf_token").to_owned();
    assert!(csrf.len() >= 16, "{csrf:?}");
    assert!(!me["expires_at"].is_null(), "{me}");
    // The session id is not the CSRF token: else a page that can read one knows the other.
    assert_ne!(csrf, cookie);

    let own = browser.get(&finsam.url(&format!("/api/v1/forbund/{FORBUND}/insatser")));
    assert_eq!(own.status, 200, "the registrar reads their own förbund: {own:?}");
    assert!(own.json().is_array());
    let other = browser.get(&finsam.url(&format!("/api/v1/forbund/{OTHER_FORBUND}/insatser")));
    assert_eq!(other.status, 403, "but not another förbund: {other:?}");
    // A write with the CSRF token works.
    let created = browser.send(
        "POST",
        &finsam.url(&format!("/api/v1/forbund/{FORBUND}/insatser")),
        &[("X-CSRF-Token", &csrf), ("Origin", &finsam.public)],
        None,
        Some(&new_insats()),
    );
    assert_eq!(created.status, 201, "a registrar's write with the session and its CSRF token: {created:?}");

    // Sign-out: the session ends here, then at the provider.
    let out =
        browser.post_form(&finsam.url("/auth/sign-out"), &[], &[("X-CSRF-Token", &csrf), ("Origin", &finsam.public)]);
    assert_eq!(out.status, 303, "{out:?}");
    let end = out.location().clone();
    assert!(end.as_str().starts_with(&format!("{}/session/end", idp.issuer)), "to end_session_endpoint: {end}");
    let params: HashMap<String, String> = end.query_pairs().into_owned().collect();
    // No token in a URL: the client is named by its id, not by an id_token_hint.
    assert!(!params.contains_key("id_token_hint"), "{end}");
    assert_eq!(params.get("client_id").map(String::as_str), Some(CLIENT_ID), "{end}");
    assert_eq!(params.get("post_logout_redirect_uri"), Some(&finsam.url("/")), "{end}");
    let stolen = browser_with_session(&cookie).get(&finsam.url("/auth/session"));
    assert_eq!(stolen.status, 401, "the old cookie no longer works once signed out: {stolen:?}");
    let api = browser_with_session(&cookie).get(&finsam.url(&format!("/api/v1/forbund/{FORBUND}/insatser")));
    assert_eq!(api.status, 401, "at the API neither: {api:?}");
    assert_eq!(session(&mut browser, &finsam).status, 401);
    sign_out_at_idp(&mut browser, &end, &idp, &finsam.url("/"));
    // Signed out at the provider too: a new sign-in asks for the password again.
    let authorization = begin(&mut browser, &finsam, &idp.issuer, "/");
    assert!(
        matches!(through_idp(&mut browser, authorization, &idp.issuer, None), AtIdp::LoginForm(_)),
        "after sign-out the provider shows its login form again"
    );

    // The analyst, in another browser.
    let mut browser = Browser::new();
    let callback = to_callback(&mut browser, &finsam, &idp, "analyst", "/tabeller");
    assert_signed_in(&browser.get(callback.as_str()), "/tabeller");
    let me = session(&mut browser, &finsam).json();
    assert_eq!((&me["sub"], &me["role"], &me["forbund"]), (&json!("u-analyst"), &json!("analyst"), &Value::Null));
    let tables = browser.get(&finsam.url("/api/v1/tables"));
    assert_eq!(tables.status, 200, "{tables:?}");
    let table = browser.get(&finsam.url("/api/v1/tables/insatser-by-kind?year=2023"));
    assert_eq!(table.status, 200, "the analyst reads a table: {table:?}");
    let write = browser.send(
        "POST",
        &finsam.url(&format!("/api/v1/forbund/{FORBUND}/insatser")),
        &[("X-CSRF-Token", me["csrf_token"].as_str().unwrap())],
        None,
        Some(&new_insats()),
    );
    assert_eq!(write.status, 403, "an analyst may not register: {write:?}");

    // A registrar known by the groups claim only (`finsam-registrar:<förbund>`).
    let mut browser = Browser::new();
    let callback = to_callback(&mut browser, &finsam, &idp, "group-registrar", "/");
    assert_signed_in(&browser.get(callback.as_str()), "/");
    let me = session(&mut browser, &finsam).json();
    assert_eq!((&me["role"], &me["forbund"]), (&json!("registrar"), &json!(OTHER_FORBUND)));
    let own = browser.get(&finsam.url(&format!("/api/v1/forbund/{OTHER_FORBUND}/insatser")));
    assert_eq!(own.status, 200, "{own:?}");
    let other = browser.get(&finsam.url(&format!("/api/v1/forbund/{FORBUND}/insatser")));
    assert_eq!(other.status, 403, "{other:?}");
}

/// Acceptance: someone the provider knows but finsam gives no role lands on /ingen-behorighet,
/// with no session.
#[test]
fn a_user_without_a_role_gets_no_session() {
    let Some((idp, finsam)) = with_real_idp(&[], json!({})) else { return };
    let mut browser = Browser::new();
    let callback = to_callback(&mut browser, &finsam, &idp, "nobody", "/registrera");
    let reply = browser.get(callback.as_str());
    assert_eq!(reply.status, 303, "{reply:?}");
    assert_eq!(reply.location().path(), "/ingen-behorighet", "{reply:?}");
    assert_eq!(reply.sets_cookie(SESSION_COOKIE), None, "{reply:?}");
    assert_eq!(session(&mut browser, &finsam).status, 401);
    assert_eq!(browser.get(&finsam.url("/api/v1/tables")).status, 401);
}

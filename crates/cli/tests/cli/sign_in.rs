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

// ---- a browser, by hand ------------------------------------------------------------------------

#[derive(Debug, Clone)]
struct Cookie {
    name: String,
    value: String,
    path: String,
}

/// A user agent that follows nothing by itself and keeps one cookie jar for 127.0.0.1, as a
/// browser does (browsers do not separate cookies by port, so the provider's and finsam's share
/// it).
struct Browser {
    client: Client,
    cookies: Vec<Cookie>,
}

#[derive(Debug)]
struct Reply {
    url: Url,
    status: u16,
    location: Option<Url>,
    set_cookies: Vec<String>,
    content_type: String,
    body: String,
}

impl Reply {
    fn json(&self) -> Value {
        serde_json::from_str(&self.body)
            .unwrap_or_else(|e| panic!("{} {}: not JSON ({e}): {}", self.status, self.url, self.body))
    }

    /// The Set-Cookie header that gives `name` a value, if any (a deletion does not count).
    fn sets_cookie(&self, name: &str) -> Option<&str> {
        self.set_cookies.iter().map(String::as_str).find(|c| {
            let first = c.split(';').next().unwrap_or_default();
            first.split_once('=').is_some_and(|(n, v)| n.trim() == name && !v.trim().is_empty() && !deletes(c))
        })
    }

    fn location(&self) -> &Url {
        self.location.as_ref().unwrap_or_else(|| panic!("{} {}: no Location: {}", self.status, self.url, self.body))
    }
}

/// Whether a Set-Cookie header removes its cookie (Max-Age of 0 or less, or an Expires before 2000).
fn deletes(set_cookie: &str) -> bool {
    set_cookie.split(';').skip(1).filter_map(|a| a.split_once('=')).any(|(name, value)| {
        let (name, value) = (name.trim().to_ascii_lowercase(), value.trim());
        (name == "max-age" && value.parse::<i64>().is_ok_and(|age| age <= 0))
            || (name == "expires"
                && value.split_whitespace().any(|w| w.parse::<u32>().is_ok_and(|y| (1970..2000).contains(&y))))
    })
}

impl Browser {
    fn new() -> Browser {
        let client = Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(Duration::from_secs(60))
            .build()
            .unwrap();
        Browser { client, cookies: Vec::new() }
    }

    /// Puts a cookie in the jar as if a server had set it (for forged and stolen cookies).
    fn put_cookie(&mut self, name: &str, value: &str) {
        self.cookies.retain(|c| c.name != name);
        self.cookies.push(Cookie { name: name.into(), value: value.into(), path: "/".into() });
    }

    fn get(&mut self, url: &str) -> Reply {
        self.send("GET", url, &[], None, None)
    }

    fn post_form(&mut self, url: &str, form: &[(&str, &str)], headers: &[(&str, &str)]) -> Reply {
        self.send("POST", url, headers, Some(form), None)
    }

    fn send(
        &mut self,
        method: &str,
        url: &str,
        headers: &[(&str, &str)],
        form: Option<&[(&str, &str)]>,
        json: Option<&Value>,
    ) -> Reply {
        let url = Url::parse(url).unwrap_or_else(|e| panic!("{url}: {e}"));
        let mut request = self.client.request(method.parse().unwrap(), url.clone());
        let jar: Vec<String> = self
            .cookies
            .iter()
            .filter(|c| url.path().starts_with(&c.path))
            .map(|c| format!("{}={}", c.name, c.value))
            .collect();
        if !jar.is_empty() {
            request = request.header("Cookie", jar.join("; "));
        }
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        if let Some(form) = form {
            request = request.form(form);
        }
        if let Some(json) = json {
            request = request.json(json);
        }
        let response = request.send().unwrap_or_else(|e| panic!("{method} {url}: {e}"));
        let status = response.status().as_u16();
        let location = response
            .headers()
            .get("location")
            .map(|l| url.join(l.to_str().unwrap()).unwrap_or_else(|e| panic!("Location {l:?}: {e}")));
        let set_cookies: Vec<String> =
            response.headers().get_all("set-cookie").iter().map(|v| v.to_str().unwrap().to_owned()).collect();
        let content_type =
            response.headers().get("content-type").map(|v| v.to_str().unwrap().to_owned()).unwrap_or_default();
        let body = response.text().unwrap_or_default();
        for set in &set_cookies {
            self.store(set);
        }
        Reply { url, status, location, set_cookies, content_type, body }
    }

    fn store(&mut self, set_cookie: &str) {
        let mut parts = set_cookie.split(';');
        let Some((name, value)) = parts.next().and_then(|p| p.split_once('=')) else { return };
        let (name, value) = (name.trim().to_owned(), value.trim().to_owned());
        let path = parts
            .filter_map(|p| p.split_once('='))
            .find(|(k, _)| k.trim().eq_ignore_ascii_case("path"))
            .map_or("/".to_owned(), |(_, v)| v.trim().to_owned());
        self.cookies.retain(|c| !(c.name == name && c.path == path));
        if !value.is_empty() && !deletes(set_cookie) {
            self.cookies.push(Cookie { name, value, path });
        }
    }
}

// ---- finsam and the provider -------------------------------------------------------------------

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

fn user(sub: &str, username: &str, claims: Value) -> Value {
    json!({"sub": sub, "username": username, "password": format!("{username}-password"), "claims": claims})
}

/// The users of the real provider.
fn users() -> Value {
    json!([
        user("u-registrar", "registrar", json!({"finsam_role": "registrar", "finsam_forbund": FORBUND})),
        user("u-analyst", "analyst", json!({"finsam_role": "analyst"})),
        // No finsam_role: the groups claim says who they are.
        user(
            "u-group-registrar",
            "group-registrar",
            json!({"groups": [format!("finsam-registrar:{OTHER_FORBUND}"), "staff"]})
        ),
        // Known to the provider, but not given any role in finsam.
        user("u-nobody", "nobody", json!({"groups": ["staff"]})),
    ])
}

/// The provider's config for a finsam at `public`.
fn idp_config(public: &str, ttl: Value) -> Value {
    json!({
        "port": 0,
        "access_token_audience": "finsam",
        "clients": [
            {"client_id": CLIENT_ID, "client_secret": CLIENT_SECRET,
             "redirect_uris": [format!("{public}/auth/callback")],
             "post_logout_redirect_uris": [format!("{public}/")]},
            {"client_id": TEST_CLIENT_ID, "redirect_uris": [TEST_CLIENT_REDIRECT],
             "post_logout_redirect_uris": [TEST_CLIENT_REDIRECT]},
        ],
        "users": users(),
        "ttl": ttl,
    })
}

/// A finsam signing in through `issuer`, at `public` (which fixes its port), on its own database.
struct Finsam {
    _served: Served,
    public: String,
    _db: TestDb,
    _dir: tempfile::TempDir,
}

impl Finsam {
    fn start(public: &str, issuer: &str, client_secret: &str, extra: &[&str]) -> Finsam {
        let db = TestDb::new();
        let dir = tempfile::tempdir().unwrap();
        let bind = public.trim_start_matches("http://");
        let mut command = finsam();
        command
            .args(["--database-url", db.url(), "serve", "--bind", bind, "--workers", "1"])
            .args(["--oidc-issuer", issuer, "--oidc-client-id", CLIENT_ID, "--oidc-client-secret", client_secret])
            .args(["--oidc-scopes", SCOPES, "--public-url", public])
            .args(["--oidc-role-claim", "finsam_role", "--oidc-forbund-claim", "finsam_forbund"])
            .args(["--oidc-groups-claim", "groups"])
            .args(extra)
            .current_dir(dir.path());
        let served = serve(command);
        assert_eq!(served.base, public, "finsam serves where its public URL says");
        Finsam { _served: served, public: public.to_owned(), _db: db, _dir: dir }
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.public)
    }
}

/// The real provider and a finsam that uses it; None when the provider cannot run here.
fn with_real_idp(extra: &[&str], ttl: Value) -> Option<(Idp, Finsam)> {
    let public = format!("http://127.0.0.1:{}", free_port());
    let idp = Idp::start(&idp_config(&public, ttl))?;
    let finsam = Finsam::start(&public, &idp.issuer, CLIENT_SECRET, extra);
    Some((idp, finsam))
}

// ---- the flow, step by step ---------------------------------------------------------------------

/// GET /auth/sign-in?return=…: a redirect to `issuer`'s authorization endpoint with everything a
/// code flow with PKCE needs. Returns the authorization URL.
fn begin(browser: &mut Browser, finsam: &Finsam, issuer: &str, return_path: &str) -> Url {
    let reply = browser.get(&finsam.url(&format!("/auth/sign-in?return={}", urlencode(return_path))));
    assert!(matches!(reply.status, 302 | 303), "sign-in redirects: {reply:?}");
    let to = reply.location().clone();
    assert!(to.as_str().starts_with(issuer), "to the provider: {to}");
    let params: HashMap<String, String> = to.query_pairs().into_owned().collect();
    assert_eq!(params.get("response_type").map(String::as_str), Some("code"), "{to}");
    assert_eq!(params.get("client_id").map(String::as_str), Some(CLIENT_ID), "{to}");
    assert_eq!(params.get("redirect_uri"), Some(&finsam.url("/auth/callback")), "{to}");
    assert_eq!(params.get("code_challenge_method").map(String::as_str), Some("S256"), "{to}");
    let scope: Vec<&str> = params.get("scope").map_or(vec![], |s| s.split(' ').collect());
    assert!(scope.contains(&"openid") && scope.contains(&"finsam"), "{to}");
    for name in ["state", "nonce", "code_challenge"] {
        let value = params.get(name).unwrap_or_else(|| panic!("no {name} in {to}"));
        // Guessable values would let an attacker forge them: ask for some entropy.
        assert!(value.len() >= 16, "{name} {value:?} is too short to be unguessable");
    }
    to
}

fn urlencode(s: &str) -> String {
    url_pairs(&[("x", s)])[2..].to_owned()
}

fn url_pairs(pairs: &[(&str, &str)]) -> String {
    let mut url = Url::parse("http://x/").unwrap();
    url.query_pairs_mut().extend_pairs(pairs);
    url.query().unwrap_or_default().to_owned()
}

/// Where the provider left the browser.
#[derive(Debug)]
enum AtIdp {
    /// Redirected out of the provider, to this URL (the callback).
    Back(Url),
    /// The provider shows its login form (and no credentials were given, or they were used already).
    LoginForm(Url),
}

/// Follows the provider's redirects from `start`, signing in with `login` if the form shows up.
fn through_idp(browser: &mut Browser, start: Url, issuer: &str, mut login: Option<(&str, &str)>) -> AtIdp {
    let mut url = start;
    for _ in 0..20 {
        if !url.as_str().starts_with(issuer) {
            return AtIdp::Back(url);
        }
        let reply = browser.get(url.as_str());
        match reply.status {
            302 | 303 => url = reply.location().clone(),
            200 if reply.body.contains(r#"id="login-form""#) => {
                assert!(reply.body.contains(r#"id="username""#) && reply.body.contains(r#"id="password""#));
                let Some((username, password)) = login.take() else { return AtIdp::LoginForm(reply.url) };
                let posted = browser.post_form(
                    reply.url.as_str(),
                    &[("username", username), ("password", password)],
                    &[("Origin", issuer)],
                );
                assert!(matches!(posted.status, 302 | 303), "login of {username} accepted: {posted:?}");
                url = posted.location().clone();
            }
            _ => panic!("unexpected answer from the provider: {reply:?}"),
        }
    }
    panic!("too many redirects at the provider");
}

/// Begins a sign-in and signs in at the real provider; returns the callback URL it sent the
/// browser to (not yet visited).
fn to_callback(browser: &mut Browser, finsam: &Finsam, idp: &Idp, username: &str, return_path: &str) -> Url {
    let authorization = begin(browser, finsam, &idp.issuer, return_path);
    let password = format!("{username}-password");
    match through_idp(browser, authorization, &idp.issuer, Some((username, &password))) {
        AtIdp::Back(url) => {
            assert!(url.as_str().starts_with(&finsam.url("/auth/callback?")), "back at finsam: {url}");
            url
        }
        AtIdp::LoginForm(url) => panic!("the provider did not take {username}'s password: {url}"),
    }
}

/// The provider's sign-out page at `end` (a browser submits its form by script), submitted; the
/// provider sends the browser back to `back`.
fn sign_out_at_idp(browser: &mut Browser, end: &Url, idp: &Idp, back: &str) {
    let page = browser.get(end.as_str());
    assert_eq!(page.status, 200, "{page:?}");
    let xsrf = page.body.split(r#"name="xsrf" value=""#).nth(1).and_then(|s| s.split('"').next()).expect("xsrf");
    let action =
        page.body.split(r#"id="op.logoutForm" method="post" action=""#).nth(1).unwrap().split('"').next().unwrap();
    let action = page.url.join(action).unwrap();
    let confirmed =
        browser.post_form(action.as_str(), &[("xsrf", xsrf), ("logout", "yes")], &[("Origin", &idp.issuer)]);
    assert!(matches!(confirmed.status, 302 | 303), "{confirmed:?}");
    assert!(confirmed.location().as_str().starts_with(back), "back at {back}: {confirmed:?}");
}

/// A successful callback: 303 to `return_path` and a session cookie as the contract says.
fn assert_signed_in(reply: &Reply, return_path: &str) -> String {
    assert_eq!(reply.status, 303, "signed in: {reply:?}");
    assert_eq!(reply.location().path(), return_path, "{reply:?}");
    let cookie = reply.sets_cookie(SESSION_COOKIE).unwrap_or_else(|| panic!("no session cookie: {reply:?}"));
    let lower = cookie.to_ascii_lowercase();
    // HttpOnly: a script injected into a page cannot read the session. SameSite=Lax: other sites'
    // pages cannot make the browser send it with their POSTs. Path=/: the pages and the API.
    for attribute in ["httponly", "samesite=lax", "path=/"] {
        assert!(lower.split(';').any(|a| a.trim() == attribute), "{attribute} missing from {cookie}");
    }
    cookie.split(';').next().unwrap().split_once('=').unwrap().1.to_owned()
}

/// A refused callback: 400 problem `sign_in_failed` and no session cookie.
#[track_caller]
fn assert_sign_in_failed(reply: &Reply, what: &str) {
    assert_eq!(reply.status, 400, "{what}: {reply:?}");
    assert!(reply.content_type.starts_with("application/problem+json"), "{what}: {reply:?}");
    assert_eq!(reply.json()["code"], "sign_in_failed", "{what}: {reply:?}");
    assert_eq!(reply.sets_cookie(SESSION_COOKIE), None, "{what}: a session cookie was set: {reply:?}");
}

fn session(browser: &mut Browser, finsam: &Finsam) -> Reply {
    browser.get(&finsam.url("/auth/session"))
}

/// A browser that holds only the session cookie `value`.
fn browser_with_session(value: &str) -> Browser {
    let mut browser = Browser::new();
    browser.put_cookie(SESSION_COOKIE, value);
    browser
}

fn problem_code(reply: &Reply) -> String {
    reply.json()["code"].as_str().unwrap_or_default().to_owned()
}

fn new_insats() -> Value {
    json!({"name": "Arbetsträning via sign-in", "kind": "individual", "orientation": "work_oriented",
           "start_date": "2024-01-01"})
}

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
    Client::new().get(finsam.url(path)).bearer_auth(token).send().unwrap().status().as_u16()
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
    assert_eq!(bearer(&finsam, &own, &first), 200, "the provider's access token as the registrar");
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

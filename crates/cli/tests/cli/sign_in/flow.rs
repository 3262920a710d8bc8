//! finsam and the provider started for a test, and the sign-in flow step by step.

use super::*;

// ---- finsam and the provider -------------------------------------------------------------------

pub(super) fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

pub(super) fn user(sub: &str, username: &str, claims: Value) -> Value {
    json!({"sub": sub, "username": username, "password": format!("{username}-password"), "claims": claims})
}

/// The users of the real provider.
pub(super) fn users() -> Value {
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
pub(super) fn idp_config(public: &str, ttl: Value) -> Value {
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
pub(super) struct Finsam {
    pub(super) _served: Served,
    pub(super) public: String,
    pub(super) _db: TestDb,
    pub(super) _dir: tempfile::TempDir,
}

impl Finsam {
    pub(super) fn start(public: &str, issuer: &str, client_secret: &str, extra: &[&str]) -> Finsam {
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

    pub(super) fn url(&self, path: &str) -> String {
        format!("{}{path}", self.public)
    }
}

/// The real provider and a finsam that uses it; None when the provider cannot run here.
pub(super) fn with_real_idp(extra: &[&str], ttl: Value) -> Option<(Idp, Finsam)> {
    let public = format!("http://127.0.0.1:{}", free_port());
    let idp = Idp::start(&idp_config(&public, ttl))?;
    let finsam = Finsam::start(&public, &idp.issuer, CLIENT_SECRET, extra);
    Some((idp, finsam))
}

// ---- the flow, step by step ---------------------------------------------------------------------

/// GET /auth/sign-in?return=…: a redirect to `issuer`'s authorization endpoint with everything a
/// code flow with PKCE needs. Returns the authorization URL.
pub(super) fn begin(browser: &mut Browser, finsam: &Finsam, issuer: &str, return_path: &str) -> Url {
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

pub(super) fn urlencode(s: &str) -> String {
    url_pairs(&[("x", s)])[2..].to_owned()
}

pub(super) fn url_pairs(pairs: &[(&str, &str)]) -> String {
    let mut url = Url::parse("http://x/").unwrap();
    url.query_pairs_mut().extend_pairs(pairs);
    url.query().unwrap_or_default().to_owned()
}

/// Where the provider left the browser.
#[derive(Debug)]
pub(super) enum AtIdp {
    /// Redirected out of the provider, to this URL (the callback).
    Back(Url),
    /// The provider shows its login form (and no credentials were given, or they were used already).
    LoginForm(Url),
}

/// Follows the provider's redirects from `start`, signing in with `login` if the form shows up.
pub(super) fn through_idp(browser: &mut Browser, start: Url, issuer: &str, mut login: Option<(&str, &str)>) -> AtIdp {
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
pub(super) fn to_callback(browser: &mut Browser, finsam: &Finsam, idp: &Idp, username: &str, return_path: &str) -> Url {
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
pub(super) fn sign_out_at_idp(browser: &mut Browser, end: &Url, idp: &Idp, back: &str) {
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
pub(super) fn assert_signed_in(reply: &Reply, return_path: &str) -> String {
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
pub(super) fn assert_sign_in_failed(reply: &Reply, what: &str) {
    assert_eq!(reply.status, 400, "{what}: {reply:?}");
    assert!(reply.content_type.starts_with("application/problem+json"), "{what}: {reply:?}");
    assert_eq!(reply.json()["code"], "sign_in_failed", "{what}: {reply:?}");
    assert_eq!(reply.sets_cookie(SESSION_COOKIE), None, "{what}: a session cookie was set: {reply:?}");
}

pub(super) fn session(browser: &mut Browser, finsam: &Finsam) -> Reply {
    browser.get(&finsam.url("/auth/session"))
}

/// A browser that holds only the session cookie `value`.
pub(super) fn browser_with_session(value: &str) -> Browser {
    let mut browser = Browser::new();
    browser.put_cookie(SESSION_COOKIE, value);
    browser
}

pub(super) fn problem_code(reply: &Reply) -> String {
    reply.json()["code"].as_str().unwrap_or_default().to_owned()
}

pub(super) fn new_insats() -> Value {
    json!({"name": "Arbetsträning via sign-in", "kind": "individual", "orientation": "work_oriented",
           "start_date": "2024-01-01"})
}

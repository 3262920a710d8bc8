//! An OpenID Connect provider that the test controls completely, to hand finsam ID tokens that a
//! real provider never would. finsam is configured with it as its issuer; each sign-in gets, from
//! /token, an ID token crafted as the current `Forge` says.
//!
//! A plain HTTP/1.1 server on std::net, one thread per connection, `Connection: close`:
//! - /.well-known/openid-configuration: the discovery document;
//! - /jwks: crates/api/testdata/jwt/jwks.json (kids `rsa-1` and `ec-1`);
//! - /auth: no login, straight back to `redirect_uri` with a fresh code, the given `state` and `iss`;
//! - /token: the crafted ID token for the code's `nonce`;
//! - /session/end: a page.
//!
//! The keys are the public test keys of crates/api/testdata/jwt (never used for anything real).

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{SystemTime, UNIX_EPOCH};

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use serde_json::{Value, json};

/// What the next ID tokens look like.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Forge {
    /// A correct token: RS256 with the published key `rsa-1`, right iss, aud, nonce, exp.
    Valid,
    /// Another nonce than the authorization request's.
    WrongNonce,
    /// No nonce at all.
    NoNonce,
    /// `aud` is another client.
    WrongAud,
    /// `iss` is another issuer.
    WrongIss,
    /// `alg: none` and no signature.
    AlgNone,
    /// HS256, the MAC keyed with the bytes of the published RSA public key's PEM.
    Hs256WithPublicKey,
    /// Expired an hour ago.
    Expired,
    /// RS256 with a key that is not in the JWKS, under a kid that is not either.
    UnpublishedKey,
    /// RS256 with a key that is not in the JWKS, claiming to be the published `rsa-1`.
    UnpublishedKeyPublishedKid,
    /// The token endpoint refuses the code: 400 invalid_grant.
    TokenRefused,
}

/// An authorization request as /auth received it.
#[derive(Debug, Clone)]
pub(crate) struct AuthRequest {
    pub(crate) params: HashMap<String, String>,
}

struct State {
    forge: Forge,
    /// The claims that go into every ID token besides the standard ones.
    claims: Value,
    codes: HashMap<String, AuthRequest>,
    authorizations: Vec<AuthRequest>,
    /// The token requests' form fields.
    token_requests: Vec<HashMap<String, String>>,
}

pub(crate) struct RogueIdp {
    pub(crate) issuer: String,
    state: Arc<Mutex<State>>,
    jwks_fetches: Arc<AtomicU64>,
    stop: Arc<AtomicBool>,
}

pub(crate) const CLIENT_ID: &str = "finsam-web";
pub(crate) const CLIENT_SECRET: &str = "rogue-client-secret";

pub(crate) fn testdata(file: &str) -> Vec<u8> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../api/testdata/jwt").join(file);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

pub(crate) fn now() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs()
}

fn random_hex() -> String {
    let mut bytes = [0u8; 16];
    std::fs::File::open("/dev/urandom").and_then(|mut f| f.read_exact(&mut bytes)).unwrap();
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

impl RogueIdp {
    /// Starts the provider; every ID token carries `claims` (e.g. the finsam role).
    pub(crate) fn start(claims: Value) -> RogueIdp {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let issuer = format!("http://{}", listener.local_addr().unwrap());
        let state = Arc::new(Mutex::new(State {
            forge: Forge::Valid,
            claims,
            codes: HashMap::new(),
            authorizations: Vec::new(),
            token_requests: Vec::new(),
        }));
        let jwks_fetches = Arc::new(AtomicU64::new(0));
        let stop = Arc::new(AtomicBool::new(false));
        let rogue = RogueIdp { issuer: issuer.clone(), state: state.clone(), jwks_fetches: jwks_fetches.clone(), stop };
        let stop = rogue.stop.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                if stop.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(stream) = stream else { continue };
                let (issuer, state, jwks_fetches) = (issuer.clone(), state.clone(), jwks_fetches.clone());
                std::thread::spawn(move || {
                    if let Err(e) = handle(stream, &issuer, &state, &jwks_fetches) {
                        eprintln!("[rogue-idp] connection error: {e}");
                    }
                });
            }
        });
        rogue
    }

    pub(crate) fn forge(&self, forge: Forge) {
        self.state.lock().unwrap().forge = forge;
    }

    pub(crate) fn jwks_fetches(&self) -> u64 {
        self.jwks_fetches.load(Ordering::SeqCst)
    }

    pub(crate) fn last_authorization(&self) -> Option<AuthRequest> {
        self.state.lock().unwrap().authorizations.last().cloned()
    }

    pub(crate) fn last_token_request(&self) -> Option<HashMap<String, String>> {
        self.state.lock().unwrap().token_requests.last().cloned()
    }
}

impl Drop for RogueIdp {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wake the accept loop so that it sees the flag.
        let _ = TcpStream::connect(self.issuer.trim_start_matches("http://"));
    }
}

struct Request {
    method: String,
    path: String,
    query: HashMap<String, String>,
    headers: HashMap<String, String>,
    body: Vec<u8>,
}

fn read_request(stream: &TcpStream) -> std::io::Result<Request> {
    let mut reader = BufReader::new(stream);
    let mut line = String::new();
    reader.read_line(&mut line)?;
    let mut parts = line.split_whitespace();
    let method = parts.next().unwrap_or_default().to_owned();
    let target = parts.next().unwrap_or_default().to_owned();
    let mut headers = HashMap::new();
    loop {
        let mut header = String::new();
        if reader.read_line(&mut header)? == 0 || header.trim().is_empty() {
            break;
        }
        if let Some((name, value)) = header.split_once(':') {
            headers.insert(name.trim().to_ascii_lowercase(), value.trim().to_owned());
        }
    }
    let length: usize = headers.get("content-length").and_then(|v| v.parse().ok()).unwrap_or(0);
    let mut body = vec![0; length];
    reader.read_exact(&mut body)?;
    let url = reqwest::Url::parse(&format!("http://rogue{target}")).unwrap();
    let query = url.query_pairs().into_owned().collect();
    Ok(Request { method, path: url.path().to_owned(), query, headers, body })
}

fn respond(mut stream: &TcpStream, status: u16, content_type: &str, extra: &[(&str, String)], body: &[u8]) {
    let reason = match status {
        200 => "OK",
        302 => "Found",
        400 => "Bad Request",
        404 => "Not Found",
        _ => "Whatever",
    };
    let mut head = format!(
        "HTTP/1.1 {status} {reason}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nCache-Control: no-store\r\nConnection: close\r\n",
        body.len()
    );
    for (name, value) in extra {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    let _ = stream.write_all(head.as_bytes());
    let _ = stream.write_all(body);
    let _ = stream.flush();
}

fn handle(stream: TcpStream, issuer: &str, state: &Mutex<State>, jwks_fetches: &AtomicU64) -> std::io::Result<()> {
    let request = read_request(&stream)?;
    eprintln!("[rogue-idp] {} {}", request.method, request.path);
    match request.path.as_str() {
        "/.well-known/openid-configuration" => {
            let discovery = json!({
                "issuer": issuer,
                "authorization_endpoint": format!("{issuer}/auth"),
                "token_endpoint": format!("{issuer}/token"),
                "jwks_uri": format!("{issuer}/jwks"),
                "end_session_endpoint": format!("{issuer}/session/end"),
                "response_types_supported": ["code"],
                "subject_types_supported": ["public"],
                "id_token_signing_alg_values_supported": ["RS256", "ES256"],
                "code_challenge_methods_supported": ["S256"],
                "grant_types_supported": ["authorization_code"],
                "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post", "none"],
                "scopes_supported": ["openid", "profile", "finsam"],
                "authorization_response_iss_parameter_supported": true,
            });
            respond(&stream, 200, "application/json", &[], discovery.to_string().as_bytes());
        }
        "/jwks" => {
            jwks_fetches.fetch_add(1, Ordering::SeqCst);
            respond(&stream, 200, "application/json", &[], &testdata("jwks.json"));
        }
        "/auth" => {
            let auth = AuthRequest { params: request.query.clone() };
            let code = random_hex();
            let mut state = state.lock().unwrap();
            state.codes.insert(code.clone(), auth.clone());
            state.authorizations.push(auth);
            let mut back =
                reqwest::Url::parse(request.query.get("redirect_uri").map_or("http://invalid/", |s| s)).unwrap();
            {
                let mut pairs = back.query_pairs_mut();
                pairs.append_pair("code", &code);
                if let Some(s) = request.query.get("state") {
                    pairs.append_pair("state", s);
                }
                pairs.append_pair("iss", issuer);
            }
            respond(&stream, 302, "text/plain", &[("Location", back.to_string())], b"");
        }
        "/token" => {
            let form: HashMap<String, String> =
                reqwest::Url::parse(&format!("http://rogue/?{}", String::from_utf8_lossy(&request.body)))
                    .unwrap()
                    .query_pairs()
                    .into_owned()
                    .collect();
            let mut state = state.lock().unwrap();
            state.token_requests.push(form.clone());
            let _ = request.headers.get("authorization");
            let auth = form.get("code").and_then(|c| state.codes.get(c)).cloned();
            let (Some(auth), false) = (auth, state.forge == Forge::TokenRefused) else {
                respond(&stream, 400, "application/json", &[], br#"{"error":"invalid_grant"}"#);
                return Ok(());
            };
            let id_token = forge_id_token(state.forge, issuer, &auth, &state.claims);
            let body = json!({
                "access_token": format!("rogue-access-{}", random_hex()),
                "token_type": "Bearer",
                "expires_in": 600,
                "scope": "openid profile finsam",
                "id_token": id_token,
            });
            respond(&stream, 200, "application/json", &[], body.to_string().as_bytes());
        }
        "/session/end" => respond(&stream, 200, "text/html", &[], b"<p>signed out</p>"),
        _ => respond(&stream, 404, "text/plain", &[], b"not found"),
    }
    Ok(())
}

fn b64(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

/// The ID token for `auth` as `forge` says.
pub(crate) fn forge_id_token(forge: Forge, issuer: &str, auth: &AuthRequest, extra: &Value) -> String {
    let now = now();
    let nonce = auth.params.get("nonce").cloned().unwrap_or_default();
    let mut claims = json!({
        "iss": issuer,
        "sub": "rogue-user",
        "aud": auth.params.get("client_id").cloned().unwrap_or_else(|| CLIENT_ID.into()),
        "iat": now,
        "exp": now + 600,
        "auth_time": now,
        "nonce": nonce,
    });
    for (name, value) in extra.as_object().into_iter().flatten() {
        claims[name] = value.clone();
    }
    match forge {
        Forge::WrongNonce => claims["nonce"] = json!("a-nonce-of-another-sign-in"),
        Forge::NoNonce => {
            claims.as_object_mut().unwrap().remove("nonce");
        }
        Forge::WrongAud => claims["aud"] = json!("another-client"),
        Forge::WrongIss => claims["iss"] = json!("http://evil.example"),
        Forge::Expired => {
            claims["iat"] = json!(now - 7200);
            claims["auth_time"] = json!(now - 7200);
            claims["exp"] = json!(now - 3600);
        }
        _ => {}
    }
    let rs256 = |kid: &str, pem: &str| {
        let mut header = Header::new(Algorithm::RS256);
        header.kid = Some(kid.into());
        jsonwebtoken::encode(&header, &claims, &EncodingKey::from_rsa_pem(&testdata(pem)).unwrap()).unwrap()
    };
    match forge {
        Forge::AlgNone => {
            let header = json!({"alg": "none", "typ": "JWT", "kid": "rsa-1"});
            format!("{}.{}.", b64(header.to_string().as_bytes()), b64(claims.to_string().as_bytes()))
        }
        Forge::Hs256WithPublicKey => {
            let mut header = Header::new(Algorithm::HS256);
            header.kid = Some("rsa-1".into());
            jsonwebtoken::encode(&header, &claims, &EncodingKey::from_secret(&testdata("rsa-public.pem"))).unwrap()
        }
        Forge::UnpublishedKey => rs256("rsa-unpublished", "other-rsa-private.pem"),
        Forge::UnpublishedKeyPublishedKid => rs256("rsa-1", "other-rsa-private.pem"),
        _ => rs256("rsa-1", "rsa-private.pem"),
    }
}

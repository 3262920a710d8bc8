//! `/auth/…`: starting a sign-in, the provider's callback, the session as the pages read it,
//! and signing out (here and at the provider).

use actix_web::cookie::{Cookie, SameSite, time};
use actix_web::http::{StatusCode, header};
use actix_web::{HttpRequest, HttpResponse, web};
use chrono::Utc;
use finsam_domain::ErrorCode;
use finsam_store::sessions::{self, Attempt, Session};
use serde::{Deserialize, Serialize};

use super::{ATTEMPT_TTL, CSRF_HEADER, SESSION_COOKIE, SignIn, hash, pkce_challenge, random_token};
use crate::jwt::TokenError;
use crate::routes::with_conn;
use crate::{ApiError, AppState};

/// Where a person without a role in this service is sent (a page in Swedish saying so).
pub const NO_ROLE_PAGE: &str = "/ingen-behorighet";

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/auth/sign-in", web::get().to(sign_in))
        .route("/auth/callback", web::get().to(callback))
        .route("/auth/session", web::get().to(session))
        .route("/auth/sign-out", web::post().to(sign_out));
}

fn configured(state: &AppState) -> Result<&SignIn, ApiError> {
    state
        .sign_in
        .as_deref()
        .ok_or_else(|| ApiError::not_found("sign-in through an identity provider is not configured"))
}

fn failed(detail: impl Into<String>) -> ApiError {
    ApiError::new(StatusCode::BAD_REQUEST, ErrorCode::SignInFailed, detail)
}

/// A path of this site only: anything else (another origin, `//host`, `/\host`) returns to `/`.
fn same_site_path(wanted: Option<&str>) -> String {
    match wanted {
        Some(path)
            if path.starts_with('/')
                && !path.starts_with("//")
                && !path.starts_with("/\\")
                && !path.chars().any(|c| c.is_control() || c == '\\') =>
        {
            path.to_owned()
        }
        _ => "/".to_owned(),
    }
}

fn see_other(location: &str) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((header::LOCATION, location))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .finish()
}

#[derive(Deserialize)]
struct SignInQuery {
    #[serde(rename = "return")]
    return_to: Option<String>,
}

async fn sign_in(state: web::Data<AppState>, query: web::Query<SignInQuery>) -> Result<HttpResponse, ApiError> {
    let sign_in = configured(&state)?;
    let (state_token, nonce, verifier) = (random_token(), random_token(), random_token());
    let attempt = Attempt {
        state_hash: hash(&state_token),
        nonce: nonce.clone(),
        pkce_verifier: verifier.clone(),
        return_to: same_site_path(query.return_to.as_deref()),
        expires_at: Utc::now() + ATTEMPT_TTL,
    };
    with_conn(&state, move |conn| Ok(sessions::insert_attempt(conn, &attempt)?)).await?;
    let scopes = sign_in.config.scopes.join(" ");
    let url = reqwest::Url::parse_with_params(
        &sign_in.provider.authorization_endpoint,
        [
            ("response_type", "code"),
            ("client_id", sign_in.config.client_id.as_str()),
            ("redirect_uri", sign_in.redirect_uri().as_str()),
            ("scope", scopes.as_str()),
            ("state", state_token.as_str()),
            ("nonce", nonce.as_str()),
            ("code_challenge", pkce_challenge(&verifier).as_str()),
            ("code_challenge_method", "S256"),
        ],
    )
    .map_err(|e| ApiError::internal(&e))?;
    Ok(see_other(url.as_str()))
}

#[derive(Deserialize)]
struct CallbackQuery {
    code: Option<String>,
    state: Option<String>,
    error: Option<String>,
    iss: Option<String>,
}

#[derive(Deserialize)]
struct TokenResponse {
    id_token: Option<String>,
}

async fn callback(state: web::Data<AppState>, query: web::Query<CallbackQuery>) -> Result<HttpResponse, ApiError> {
    let sign_in = configured(&state)?;
    let Some(state_token) = query.state.clone().filter(|s| !s.is_empty() && s.len() <= 200) else {
        return Err(failed("the callback carries no state: start the sign-in again"));
    };
    // The state is taken whatever follows: a callback URL works once.
    let attempt = with_conn(&state, move |conn| Ok(sessions::take_attempt(conn, &hash(&state_token))?))
        .await?
        .ok_or_else(|| failed("no sign-in was started with this state, or it was finished or has expired"))?;
    if let Some(error) = &query.error {
        return Err(failed(format!("the identity provider refused: {}", error.chars().take(100).collect::<String>())));
    }
    // RFC 9207: a response naming another issuer is a mix-up attack.
    if query.iss.as_deref().is_some_and(|iss| iss != sign_in.provider.issuer) {
        return Err(failed("the callback names another issuer"));
    }
    let code = query.code.as_deref().filter(|c| !c.is_empty()).ok_or_else(|| failed("the callback carries no code"))?;
    let id_token = exchange(sign_in, code, &attempt.pkce_verifier).await?;
    let claims = sign_in.id_tokens.verify_id_token(&id_token, &attempt.nonce).await.map_err(|e| {
        tracing::warn!(error = %e, "an ID token was refused");
        failed(format!("the ID token was refused: {e}"))
    })?;
    let granted = match sign_in.config.claim_names.granted(&claims) {
        Ok(granted) => granted,
        Err(TokenError::MissingClaim(_) | TokenError::UnknownRole(_) | TokenError::MissingForbund) => {
            tracing::info!("a person without a role in this service signed in at the provider");
            return Ok(see_other(NO_ROLE_PAGE));
        }
        Err(other) => return Err(failed(format!("the ID token was refused: {other}"))),
    };
    let sub = claims.get("sub").and_then(|s| s.as_str()).unwrap_or_default().to_owned();
    let (id, now) = (random_token(), Utc::now());
    let session = Session {
        id_hash: hash(&id),
        sub,
        role: finsam_domain::codes::Code::code(granted.role).to_owned(),
        forbund_key: granted.forbund,
        csrf_token: random_token(),
        created_at: now,
        expires_at: now + sign_in.config.session_ttl,
    };
    with_conn(&state, move |conn| Ok(sessions::insert_session(conn, &session)?)).await?;
    let cookie = Cookie::build(SESSION_COOKIE, id)
        .path("/")
        .http_only(true)
        .secure(sign_in.secure_cookies())
        // Lax: the cookie rides along on top-level navigations (the provider's redirect back),
        // never on a cross-site POST or fetch.
        .same_site(SameSite::Lax)
        .max_age(time::Duration::seconds(sign_in.config.session_ttl.as_secs() as i64))
        .finish();
    let mut response = see_other(&attempt.return_to);
    response.add_cookie(&cookie).map_err(|e| ApiError::internal(&e))?;
    Ok(response)
}

/// The code for the ID token, at the provider's token endpoint, with the PKCE verifier.
async fn exchange(sign_in: &SignIn, code: &str, verifier: &str) -> Result<String, ApiError> {
    let redirect_uri = sign_in.redirect_uri();
    let mut form = vec![
        ("grant_type", "authorization_code"),
        ("code", code),
        ("redirect_uri", redirect_uri.as_str()),
        ("code_verifier", verifier),
    ];
    let mut request =
        sign_in.client.post(&sign_in.provider.token_endpoint).header(header::ACCEPT.as_str(), "application/json");
    match &sign_in.config.client_secret {
        Some(secret) => {
            request = request.basic_auth(form_encoded(&sign_in.config.client_id), Some(form_encoded(secret)))
        }
        None => form.push(("client_id", sign_in.config.client_id.as_str())),
    }
    let response = request.form(&form).send().await.map_err(|e| {
        tracing::warn!(error = %e, "the identity provider's token endpoint cannot be reached");
        failed("the identity provider cannot be reached")
    })?;
    let status = response.status();
    let body: Result<TokenResponse, _> = response.json().await;
    match (status.is_success(), body) {
        (true, Ok(TokenResponse { id_token: Some(token) })) => Ok(token),
        (true, _) => Err(failed("the identity provider gave no ID token")),
        (false, _) => {
            tracing::warn!(%status, "the identity provider refused the code");
            Err(failed("the identity provider refused the code"))
        }
    }
}

/// RFC 6749 §2.3.1: the client's id and secret are form-encoded before Basic authentication.
fn form_encoded(text: &str) -> String {
    reqwest::Url::parse_with_params("x:", [("v", text)])
        .ok()
        .and_then(|url| url.query().map(|q| q.trim_start_matches("v=").to_owned()))
        .unwrap_or_default()
}

/// The session as the pages read it.
#[derive(Serialize)]
struct SessionView {
    sub: String,
    role: String,
    forbund: Option<String>,
    csrf_token: String,
    expires_at: chrono::DateTime<Utc>,
}

async fn session(req: HttpRequest, state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    configured(&state)?;
    let session = super::session::current(&req, &state)
        .await?
        .ok_or_else(|| ApiError::unauthorized("no session: sign in at /auth/sign-in", false))?;
    Ok(HttpResponse::Ok().insert_header((header::CACHE_CONTROL, "no-store")).json(SessionView {
        sub: session.sub,
        role: session.role,
        forbund: session.forbund_key,
        csrf_token: session.csrf_token,
        expires_at: session.expires_at,
    }))
}

#[derive(Deserialize)]
struct SignOutForm {
    csrf_token: Option<String>,
}

/// Ends the session here and, where the provider offers it, the person's session there.
async fn sign_out(
    req: HttpRequest,
    state: web::Data<AppState>,
    form: Option<web::Form<SignOutForm>>,
) -> Result<HttpResponse, ApiError> {
    let sign_in = configured(&state)?;
    let Some(session) = super::session::current(&req, &state).await? else {
        return Ok(cleared(see_other("/")));
    };
    let sent = req
        .headers()
        .get(CSRF_HEADER)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
        .or_else(|| form.and_then(|f| f.into_inner().csrf_token));
    super::session::check_csrf(&session, sent.as_deref())?;
    let id_hash = session.id_hash.clone();
    with_conn(&state, move |conn| Ok(sessions::delete_session(conn, &id_hash)?)).await?;
    let home = format!("{}/", sign_in.config.public_url.trim_end_matches('/'));
    let location = match &sign_in.provider.end_session_endpoint {
        // RP-Initiated Logout 1.0 §2: `client_id` names the client in place of an
        // `id_token_hint`, so no token is ever put in a URL.
        Some(end) => reqwest::Url::parse_with_params(
            end,
            [("client_id", sign_in.config.client_id.as_str()), ("post_logout_redirect_uri", home.as_str())],
        )
        .map_err(|e| ApiError::internal(&e))?
        .to_string(),
        None => "/".to_owned(),
    };
    Ok(cleared(see_other(&location)))
}

fn cleared(mut response: HttpResponse) -> HttpResponse {
    let mut gone = Cookie::build(SESSION_COOKIE, "").path("/").http_only(true).same_site(SameSite::Lax).finish();
    gone.make_removal();
    let _ = response.add_cookie(&gone);
    response
}

#[cfg(test)]
mod tests {
    use super::{form_encoded, same_site_path};

    #[test]
    fn only_paths_of_this_site_are_returned_to() {
        assert_eq!(same_site_path(Some("/forbund/x/insatser?ar=2025#y")), "/forbund/x/insatser?ar=2025#y");
        for elsewhere in
            ["//evil.example/", "/\\evil.example", "https://evil.example/", "javascript:alert(1)", "/a\nb", ""]
        {
            assert_eq!(same_site_path(Some(elsewhere)), "/", "{elsewhere:?}");
        }
        assert_eq!(same_site_path(None), "/");
        assert_eq!(form_encoded("a b:c&d"), "a+b%3Ac%26d");
    }
}

//! Sign-in through the organisation's identity provider in the browser (issue 16): the real
//! OpenID Connect provider of tests/idp (finsam-test-idp), its own login page, and finsam's
//! session cookie. A registrar and an analyst sign in, work and sign out; a person with no role
//! here meets /ingen-behorighet; a session that runs out while a form is being filled costs a
//! sign-in, not what was typed. In provider mode no page shows the development banner; in
//! development mode every page does.
//!
//! The service runs in-process (TestApp::spawn_with_sign_in) on a listener bound first, since the
//! provider must know the redirect URI; the API keeps the tests' HS256 verifier for the test's own
//! API calls, while the pages use the session.

use std::net::TcpListener;
use std::time::{Duration, Instant};

use diesel::RunQueryDsl;
use finsam_api::jwt::ClaimNames;
use finsam_api::sign_in::SignInConfig;
use finsam_test_idp::Idp;
use serde_json::{Value, json};

use crate::browser::harness::{YEAR, api_get, screenshots, start};
use crate::browser::webdriver::{Browser, browser_available};
use crate::e2e::support::{TestApp, fresh_db, token};

const CLIENT_ID: &str = "finsam-web";
const CLIENT_SECRET: &str = "finsam-web-secret-for-the-browser-tests";
const SESSION_COOKIE: &str = "finsam_session";

/// The service signing in through a running provider, a browser, and the förbund the
/// provider's registrar registers for.
struct WithProvider {
    app: TestApp,
    idp: Idp,
    browser: Browser,
    forbund: String,
}

/// A förbund the demo registered insatser for whose `YEAR` is not submitted: its registrar may
/// still write it.
fn forbund_in_progress(db: &finsam_test_db::TestDb) -> String {
    #[derive(diesel::QueryableByName)]
    struct Row {
        #[diesel(sql_type = diesel::sql_types::Text)]
        key: String,
    }
    let query = format!(
        "SELECT DISTINCT i.forbund_key AS key FROM insatser i WHERE NOT EXISTS (
           SELECT 1 FROM forbund_years y
           WHERE y.forbund_key = i.forbund_key AND y.year = {YEAR} AND y.status = 'submitted')
         ORDER BY 1 LIMIT 1"
    );
    let rows = diesel::sql_query(query).load::<Row>(&mut db.conn()).unwrap();
    rows.into_iter().next().expect("the demo leaves some förbund's year in progress").key
}

fn user(sub: &str, username: &str, claims: Value) -> Value {
    json!({"sub": sub, "username": username, "password": format!("{username}-password"), "claims": claims})
}

/// The demo's data, the provider with a registrar, an analyst and a person with no role here,
/// the service signing in through it (sessions of `session_ttl`), and a browser. None (after a
/// loud message) where Chromium or Node is missing and this is not CI.
async fn start_with_provider(session_ttl: Duration) -> Option<WithProvider> {
    if !browser_available() {
        return None;
    }
    let db = fresh_db();
    finsam_demo::load(&mut db.conn()).expect("the demo loads");
    let forbund = forbund_in_progress(&db);
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let idp = Idp::start(&json!({
        "port": 0,
        "access_token_audience": "finsam",
        "clients": [{
            "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET,
            "redirect_uris": [format!("{base}/auth/callback")],
            "post_logout_redirect_uris": [format!("{base}/")],
        }],
        "users": [
            user("u-registrar", "registrar", json!({"finsam_role": "registrar", "finsam_forbund": forbund})),
            user("u-analyst", "analyst", json!({"finsam_role": "analyst"})),
            user("u-no-role", "no-role", json!({"name": "Utan Roll"})),
        ],
    }))?;
    let config = SignInConfig {
        issuer: idp.issuer.clone(),
        client_id: CLIENT_ID.into(),
        client_secret: Some(CLIENT_SECRET.into()),
        scopes: vec!["openid".into(), "profile".into(), "finsam".into()],
        public_url: base,
        claim_names: ClaimNames { role: "finsam_role".into(), forbund: "finsam_forbund".into(), groups: None },
        session_ttl,
        jwks_refresh: Duration::from_secs(30),
        leeway_seconds: 5,
    };
    let app = TestApp::spawn_with_sign_in(db, listener, config).await;
    let browser = Browser::start().await;
    Some(WithProvider { app, idp, browser, forbund })
}

impl WithProvider {
    fn port(&self) -> String {
        self.app.base.rsplit(':').next().unwrap().to_owned()
    }

    fn idp_port(&self) -> String {
        self.idp.issuer.trim_end_matches('/').rsplit(':').next().unwrap().to_owned()
    }

    /// Waits for the provider's own login page and signs in on it as `username`.
    async fn log_in_at_provider(&self, username: &str) {
        let field = self.browser.find("#username").await;
        let url = self.browser.url().await;
        assert!(url.contains(&format!(":{}/", self.idp_port())), "the login form is the provider's: {url}");
        self.browser.type_into(&field, username).await;
        let password = self.browser.find("#password").await;
        self.browser.type_into(&password, &format!("{username}-password")).await;
        let login = self.browser.find("#login").await;
        self.browser.click(&login).await;
    }

    /// Waits until the browser is back at the service, on `path` (and query), its page ready.
    async fn back_at(&self, path_and_query: &str) {
        self.browser
            .wait_until(&format!(
                "location.port === '{}' && location.pathname + location.search === {} \
                 && (document.querySelector('main').dataset.klar === 'ja' || document.querySelector('#sidmeddelande .meddelande'))",
                self.port(),
                json!(path_and_query)
            ))
            .await;
    }

    /// "Logga ut" in the header: out of the service and out of the provider, and back at the
    /// service's start page, signed out.
    async fn sign_out(&self) {
        let button = self.browser.find("#anvandare button").await;
        assert_eq!(self.browser.text(&button).await, "Logga ut");
        self.browser.click(&button).await;
        self.browser
            .wait_until(&format!(
                "location.port === '{}' && location.pathname === '/' \
                 && document.querySelector('#anvandare a')?.textContent === 'Logga in'",
                self.port()
            ))
            .await;
        assert_provider_mode(&self.browser).await;
        assert!(!self.has_session_cookie().await, "the session cookie is gone");
        assert!(
            self.idp.log().iter().any(|l| l.contains("/session/end")),
            "the provider's session was ended too: {:?}",
            self.idp.log()
        );
    }

    async fn has_session_cookie(&self) -> bool {
        self.browser.cookies().await.iter().any(|c| c["name"] == SESSION_COOKIE)
    }

    /// Signing in again asks for the password: the provider's session ended with the service's.
    async fn assert_password_asked_again(&self) {
        self.browser.goto(&format!("{}/logga-in", self.app.base)).await;
        self.browser.find("#username").await;
        self.browser.find("#password").await;
        let url = self.browser.url().await;
        assert!(url.contains(&format!(":{}/interaction/", self.idp_port())), "the provider's login form: {url}");
    }

    async fn stop(self) {
        self.browser.quit().await;
        self.app.stop().await;
        drop(self.idp);
    }
}

/// The page says it signs in through the provider and shows no development banner.
async fn assert_provider_mode(browser: &Browser) {
    let mode = browser
        .script(
            "return [document.querySelector('#inloggningslage')?.dataset.lage ?? null,
                     document.querySelectorAll('.utvecklingsbanner').length]",
            json!([]),
        )
        .await;
    assert_eq!(mode, json!(["idp", 0]), "provider mode, no development banner, on {}", browser.url().await);
}

/// The new-insats form's fields, typed as a person would (kind, orientation, a target group
/// chosen by clicking).
async fn type_new_insats(browser: &Browser, name: &str, external_ref: &str) {
    browser.fill("#f-name", name).await;
    browser.fill("#f-external_ref", external_ref).await;
    let kind = browser.find("#f-kind option[value='individual']").await;
    browser.click(&kind).await;
    let orientation = browser.find("#f-orientation option[value='work_oriented']").await;
    browser.click(&orientation).await;
    let young = browser.find("#f-tg-young").await;
    browser.click(&young).await;
    browser.fill("#f-start_date", &format!("{YEAR}-01-01")).await;
    browser.fill("#f-end_date", &format!("{}-12-31", YEAR + 1)).await;
}

/// What the new-insats form holds now.
async fn form_values(browser: &Browser) -> Value {
    browser
        .script(
            "const v = (id) => document.getElementById(id).value;
             return {name: v('f-name'), external_ref: v('f-external_ref'), kind: v('f-kind'),
                     orientation: v('f-orientation'), start_date: v('f-start_date'), end_date: v('f-end_date'),
                     target_groups: [...document.querySelectorAll('input[name=\"/target_groups\"]:checked')].map(c => c.value)};",
            json!([]),
        )
        .await
}

async fn save_new_insats(browser: &Browser) {
    let save = browser.find("#insats-form button[type='submit']").await;
    browser.click(&save).await;
    browser.wait_until("/\\/insatser\\/\\d+$/.test(location.pathname)").await;
    browser.wait_until("document.querySelector('main').dataset.klar === 'ja'").await;
    let message = browser.find("#sidmeddelande .meddelande.ok").await;
    assert!(browser.text(&message).await.contains("Insatsen är sparad"));
}

/// Who the audit log says created the insats named `name`.
fn created_by(app: &TestApp, name: &str) -> Vec<(String, String)> {
    #[derive(diesel::QueryableByName)]
    struct Row {
        #[diesel(sql_type = diesel::sql_types::Text)]
        actor: String,
        #[diesel(sql_type = diesel::sql_types::Text)]
        actor_role: String,
    }
    let query =
        diesel::sql_query("SELECT actor, actor_role FROM audit_events WHERE before IS NULL AND after->>'name' = $1")
            .bind::<diesel::sql_types::Text, _>(name);
    query.load::<Row>(&mut app.db.conn()).unwrap().into_iter().map(|r| (r.actor, r.actor_role)).collect()
}

#[actix_rt::test]
async fn a_registrar_signs_in_at_the_provider_creates_an_insats_and_signs_out() {
    let Some(setup) = start_with_provider(Duration::from_secs(600)).await else { return };
    let (app, browser, forbund) = (&setup.app, &setup.browser, &setup.forbund);
    let shots = screenshots();
    let wanted = format!("/forbund/{forbund}/insatser?ar={YEAR}");

    // Not signed in: the page asks for a sign-in and links to it, with the way back.
    browser.goto(&format!("{}{wanted}", app.base)).await;
    let link = browser.find("#sidmeddelande a").await;
    assert_eq!(browser.text(&link).await, "Logga in");
    let href = browser.attribute(&link, "href").await.unwrap_or_default();
    assert!(href.starts_with("/logga-in?tillbaka="), "{href}");
    assert_provider_mode(browser).await;
    browser.click(&link).await;

    // The provider's own login page, then back where the registrar wanted to go.
    browser.find("#username").await;
    browser.screenshot(&shots, "20-leverantorens-inloggning.png").await;
    setup.log_in_at_provider("registrar").await;
    setup.back_at(&wanted).await;
    assert!(setup.has_session_cookie().await, "signed in with the session cookie");
    let who = browser.find("#anvandare span").await;
    let who = browser.text(&who).await;
    assert!(who.starts_with("Inloggad: u-registrar") && who.contains(forbund.as_str()), "{who}");
    assert_provider_mode(browser).await;
    let listed = api_get(app, &format!("/api/v1/forbund/{forbund}/insatser?year={YEAR}"), &token("admin", None)).await;
    assert_eq!(
        browser.find_all("#insatser tbody tr").await.len(),
        listed.as_array().unwrap().len(),
        "the session reads the förbund's insatser"
    );
    browser.screenshot_page(&shots, "21-inloggad-genom-leverantoren.png", 1280).await;

    // One task: a new insats through the form, sent with the session and its CSRF token.
    let new = browser.find("nav.meny a[href*='/insatser/ny']").await;
    browser.click(&new).await;
    browser.wait_until("document.querySelector('main').dataset.klar === 'ja'").await;
    assert_provider_mode(browser).await;
    type_new_insats(browser, "Inloggad genom leverantören", "idp-1").await;
    save_new_insats(browser).await;
    assert_eq!(created_by(app, "Inloggad genom leverantören"), [("u-registrar".to_owned(), "registrar".to_owned())]);

    setup.sign_out().await;
    setup.assert_password_asked_again().await;
    setup.stop().await;
}

#[actix_rt::test]
async fn an_analyst_signs_in_at_the_provider_sees_a_table_and_signs_out() {
    let Some(setup) = start_with_provider(Duration::from_secs(600)).await else { return };
    let (app, browser) = (&setup.app, &setup.browser);
    let wanted = format!("/analys/{YEAR}");

    browser.goto(&format!("{}/logga-in?tillbaka={}", app.base, wanted.replace('/', "%2F"))).await;
    setup.log_in_at_provider("analyst").await;
    setup.back_at(&wanted).await;
    browser.wait_until("document.querySelector('table[data-tabell] tbody tr td')").await;
    let who = browser.find("#anvandare span").await;
    assert!(browser.text(&who).await.starts_with("Inloggad: u-analyst"));
    let tables = browser.find_all("table[data-tabell]").await.len();
    assert!(tables > 0, "the dashboard shows its tables");
    assert_eq!(browser.find_all("#sidmeddelande .meddelande.fel").await.len(), 0, "and no error");
    assert_provider_mode(browser).await;
    browser.screenshot_page(&screenshots(), "22-analytiker-genom-leverantoren.png", 1280).await;

    setup.sign_out().await;
    setup.assert_password_asked_again().await;
    setup.stop().await;
}

#[actix_rt::test]
async fn a_person_with_no_role_sees_why_and_no_data_and_no_page_shows_the_development_banner() {
    let Some(setup) = start_with_provider(Duration::from_secs(600)).await else { return };
    let (app, browser, forbund) = (&setup.app, &setup.browser, &setup.forbund);

    // Every page, in provider mode: no development banner.
    for path in pages(forbund) {
        browser.goto(&format!("{}{path}", app.base)).await;
        browser.find("main").await;
        assert_provider_mode(browser).await;
    }

    browser.goto(&format!("{}/logga-in?tillbaka=%2Fanalys%2F{YEAR}", app.base)).await;
    setup.log_in_at_provider("no-role").await;
    browser
        .wait_until(&format!("location.port === '{}' && location.pathname === '/ingen-behorighet'", setup.port()))
        .await;
    let main = browser.find("main").await;
    let text = browser.text(&main).await;
    assert!(text.contains("Ingen behörighet"), "{text}");
    assert!(
        text.contains("Du är inloggad hos din organisation, men du har ingen behörighet i Finsam uppföljning."),
        "{text}"
    );
    assert!(text.contains("När du har fått behörighet loggar du in på nytt."), "{text}");
    assert_eq!(browser.find_all("main table").await.len(), 0, "no data: {text}");
    assert!(!setup.has_session_cookie().await, "no session for a person with no role");
    let header = browser.find("#anvandare").await;
    assert_eq!(browser.text(&header).await, "Logga in", "no one is signed in");
    assert_provider_mode(browser).await;
    browser.screenshot(&screenshots(), "23-ingen-behorighet.png").await;

    // And the API gives the browser nothing either.
    browser.goto(&format!("{}/analys/{YEAR}", app.base)).await;
    browser.wait_until("document.querySelector('#sidmeddelande .meddelande')").await;
    assert_eq!(browser.find_all("table[data-tabell] tbody tr").await.len(), 0, "no table without a session");
    setup.stop().await;
}

/// The pages of the service, one of each kind.
fn pages(forbund: &str) -> Vec<String> {
    vec![
        "/".into(),
        "/ingen-behorighet".into(),
        format!("/forbund/{forbund}/insatser?ar={YEAR}"),
        format!("/forbund/{forbund}/insatser/ny?ar={YEAR}"),
        format!("/forbund/{forbund}/ekonomi/{YEAR}"),
        format!("/forbund/{forbund}/import"),
        format!("/analys/{YEAR}"),
        format!("/analys/{YEAR}/fullstandighet"),
        format!("/analys/{YEAR}/datakvalitet"),
    ]
}

#[actix_rt::test]
async fn in_development_mode_every_page_shows_the_development_banner() {
    let Some((app, browser)) = start().await else { return };
    for path in pages("samordningsforbundet-i-blekinge").into_iter().chain(["/logga-in".to_owned()]) {
        browser.goto(&format!("{}{path}", app.base)).await;
        browser.find("main").await;
        let mode = browser
            .script(
                "return [document.querySelector('#inloggningslage')?.dataset.lage ?? null,
                         document.querySelector('.utvecklingsbanner')?.textContent.trim() ?? null]",
                json!([]),
            )
            .await;
        assert_eq!(mode[0], "utveckling", "{path}");
        let banner = mode[1].as_str().unwrap_or_else(|| panic!("{path}: no development banner"));
        assert!(banner.starts_with("Utvecklingsinloggning."), "{path}: {banner}");
    }
    browser.quit().await;
    app.stop().await;
}

#[actix_rt::test]
async fn a_session_that_runs_out_while_a_form_is_filled_costs_a_sign_in_not_the_typing() {
    // Long enough that typing fits under a loaded CI machine; the test then waits it out.
    const TTL: Duration = Duration::from_secs(20);
    let Some(setup) = start_with_provider(TTL).await else { return };
    let (app, browser, forbund) = (&setup.app, &setup.browser, &setup.forbund);
    let form = format!("/forbund/{forbund}/insatser/ny?ar={YEAR}");

    // Signed in straight into the form; the session lasts TTL from here.
    browser.goto(&format!("{}/logga-in?tillbaka={}", app.base, urlencode(&form))).await;
    setup.log_in_at_provider("registrar").await;
    setup.back_at(&form).await;
    let signed_in = Instant::now();
    assert_eq!(browser.find_all("#sidmeddelande .meddelande").await.len(), 0, "the form, no message");
    type_new_insats(browser, "Skrevs medan inloggningen gick ut", "idp-utgangen").await;
    let typed = form_values(browser).await;
    assert_eq!(typed["name"], "Skrevs medan inloggningen gick ut", "{typed}");
    assert_eq!(typed["target_groups"], json!(["young"]), "{typed}");
    assert!(
        signed_in.elapsed() < TTL,
        "typed within the session ({:?}); a slower machine needs a longer TTL",
        signed_in.elapsed()
    );

    // Past the session's end, the form is sent.
    tokio::time::sleep(TTL.saturating_sub(signed_in.elapsed()) + Duration::from_secs(2)).await;
    let save = browser.find("#insats-form button[type='submit']").await;
    browser.click(&save).await;

    // Through sign-in: the provider's session still lasts, so it may send the browser straight
    // back, or ask for the password.
    browser
        .wait_until(
            "document.getElementById('username') \
             || document.querySelector('#sidmeddelande')?.textContent.includes('Inloggningen hade gått ut')",
        )
        .await;
    let asked = !browser.find_all("#username").await.is_empty();
    if asked {
        setup.log_in_at_provider("registrar").await;
    }
    eprintln!(
        "the expired session: the provider {}",
        if asked { "asked for the password" } else { "sent the browser straight back" }
    );
    setup.back_at(&form).await;
    let message = browser.find("#sidmeddelande .meddelande").await;
    let message = browser.text(&message).await;
    assert!(message.starts_with("Inloggningen hade gått ut"), "{message}");
    assert!(message.contains("Det du hade skrivit i formuläret är återställt"), "{message}");
    assert_eq!(form_values(browser).await, typed, "what was typed is back");
    assert!(setup.has_session_cookie().await, "a new session");
    assert!(
        created_by(app, "Skrevs medan inloggningen gick ut").is_empty(),
        "nothing was saved with the expired session"
    );
    assert!(
        setup.idp.log().iter().filter(|l| l.contains("GET /auth?")).count() >= 2,
        "two authorizations at the provider: {:?}",
        setup.idp.log()
    );
    browser.screenshot_page(&screenshots(), "24-inloggningen-gick-ut.png", 1280).await;

    // Sent again, in the new session, it is saved.
    save_new_insats(browser).await;
    assert_eq!(
        created_by(app, "Skrevs medan inloggningen gick ut"),
        [("u-registrar".to_owned(), "registrar".to_owned())]
    );
    setup.stop().await;
}

/// A query value, percent-encoded but for the unreserved characters.
fn urlencode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

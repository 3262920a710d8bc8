use std::net::TcpListener;
use std::time::{SystemTime, UNIX_EPOCH};

use diesel::RunQueryDsl;
use finsam_api::jwt::{Claims, KeySource, Verifier, VerifierConfig, mint_hs256};
use finsam_api::sign_in::{SignIn, SignInConfig};
use finsam_api::{AppState, ServerOptions};
use finsam_test_db::TestDb;
use serde_json::{Value, json};

pub const SECRET: &[u8] = b"e2e-secret-that-is-long-enough-for-hs256";
pub const ISSUER: &str = "finsam";
pub const AUDIENCE: &str = "finsam";
/// The förbund most tests register for, and one whose data they must not reach.
pub const OWN: &str = "samordningsforbundet-i-blekinge";
pub const OTHER: &str = "finsam-i-malmo";

/// The service on a free port with a database of its own.
pub struct TestApp {
    pub db: TestDb,
    pub base: String,
    pub client: reqwest::Client,
    server: actix_web::dev::ServerHandle,
}

/// The tests' HTTP client. It lets an idle connection go after a second, well before the
/// server closes it (actix's keep-alive: 5 s): a test that works a few seconds between two
/// requests (scanning a ZIP on a loaded machine) would otherwise send its next request down a
/// connection the server is closing, and read `IncompleteMessage` instead of an answer.
fn client() -> reqwest::Client {
    reqwest::Client::builder().pool_idle_timeout(std::time::Duration::from_secs(1)).build().expect("a client")
}

impl TestApp {
    pub async fn spawn() -> TestApp {
        TestApp::spawn_with(KeySource::Hs256Secret(SECRET.to_vec())).await
    }

    pub async fn spawn_with(keys: KeySource) -> TestApp {
        let db = TestDb::new();
        open_every_year(&db);
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let verifier =
            Verifier::new(VerifierConfig { keys, issuer: ISSUER.into(), audience: AUDIENCE.into(), leeway_seconds: 5 })
                .expect("verifier");
        let options = ServerOptions { workers: 2, shutdown_timeout: 1 };
        let server = finsam_api::server(AppState::new(db.pool(), verifier), listener, &options).unwrap();
        let handle = server.handle();
        actix_rt::spawn(server);
        TestApp { db, base, client: client(), server: handle }
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client.get(format!("{}{path}", self.base)).send().await.expect(path)
    }

    pub fn request(&self, method: reqwest::Method, path: &str, token: Option<&str>) -> reqwest::RequestBuilder {
        let builder = self.client.request(method, format!("{}{path}", self.base));
        match token {
            Some(token) => builder.bearer_auth(token),
            None => builder,
        }
    }

    /// Creates an insats for `forbund` as an admin and returns its record.
    pub async fn create_insats(&self, forbund: &str, body: &Value) -> Value {
        let response = self
            .request(reqwest::Method::POST, &format!("/api/v1/forbund/{forbund}/insatser"), Some(&token("admin", None)))
            .json(body)
            .send()
            .await
            .unwrap();
        let (status, _, record) = parts(response).await;
        assert_eq!(status, 201, "{record}");
        record
    }

    /// Every row of the registration tables and the audit log, to show that nothing changed.
    pub fn snapshot(&self) -> Vec<String> {
        #[derive(diesel::QueryableByName)]
        struct Row {
            #[diesel(sql_type = diesel::sql_types::Text)]
            row: String,
        }
        let mut conn = self.db.conn();
        let mut rows = Vec::new();
        for table in [
            "insatser",
            "insats_target_groups",
            "insats_years",
            "forbund_finances",
            "forbund_years",
            "reporting_years",
            "audit_events",
            "open_releases",
            "open_release_tables",
        ] {
            let query = format!("SELECT '{table}: ' || row_to_json(t)::text AS row FROM {table} t ORDER BY 1");
            rows.extend(diesel::sql_query(query).load::<Row>(&mut conn).unwrap().into_iter().map(|r| r.row));
        }
        rows
    }

    /// Closes `year` (if open) and publishes its next release of open statistics, as an admin;
    /// returns the release.
    pub async fn publish(&self, year: i32, note: &str) -> Value {
        let admin = token("admin", None);
        let close = self.request(reqwest::Method::POST, &format!("/api/v1/years/{year}/close"), Some(&admin));
        let (status, _, body) = parts(close.send().await.unwrap()).await;
        assert_eq!(status, 200, "closing {year}: {body}");
        let publish = self.request(reqwest::Method::POST, &format!("/api/v1/years/{year}/releases"), Some(&admin));
        let (status, _, release) =
            parts(publish.json(&serde_json::json!({ "note": note })).send().await.unwrap()).await;
        assert_eq!(status, 201, "publishing {year}: {release}");
        release
    }

    pub async fn stop(self) {
        self.server.stop(true).await;
    }
}

/// Registrars and integrations may not write a year after its deadline, by default 31 March of
/// the next year: every year the tests write (2023 most) would be past it. Deadlines far ahead
/// keep the other tests about what they test; tests/e2e/years.rs sets its own.
pub const FAR_DEADLINE: &str = "2100-12-31";

fn open_every_year(db: &TestDb) {
    let query = format!(
        "INSERT INTO reporting_years (year, deadline) SELECT y, DATE '{FAR_DEADLINE}' FROM generate_series(2004, 2100) y"
    );
    diesel::sql_query(query).execute(&mut db.conn()).expect("open every reporting year");
}

pub fn now() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs()
}

pub fn claims(role: &str, forbund: Option<&str>) -> Claims {
    Claims {
        sub: format!("{role}-tester"),
        role: finsam_domain::codes::Code::from_code(role).expect("a role"),
        forbund: forbund.map(str::to_owned),
        iss: ISSUER.to_owned(),
        aud: AUDIENCE.to_owned(),
        exp: now() + 600,
        nbf: None,
        iat: Some(now()),
    }
}

pub fn token(role: &str, forbund: Option<&str>) -> String {
    mint_hs256(SECRET, &claims(role, forbund))
}

/// Status, content type and body of a response, for assertions that show all three.
/// A token of the role, acting for [`OWN`] when the role acts for a förbund (the domain says which).
pub fn token_as(role: &str) -> String {
    let acts_for_one = finsam_domain::codes::Code::from_code(role).is_some_and(finsam_domain::Role::needs_forbund);
    token(role, acts_for_one.then_some(OWN))
}

pub async fn parts(response: reqwest::Response) -> (u16, String, Value) {
    let status = response.status().as_u16();
    let content_type =
        response.headers().get("content-type").map(|v| v.to_str().unwrap().to_owned()).unwrap_or_default();
    let text = response.text().await.unwrap_or_default();
    (status, content_type, serde_json::from_str(&text).unwrap_or(Value::String(text)))
}

pub fn individual_insats() -> Value {
    json!({
        "external_ref": "case-system-4711", "name": "Arbetsträning Norr", "description": "Stöd mot arbete",
        "kind": "individual", "orientation": "work_oriented",
        "target_groups": ["young", "long_term_sick_listed"],
        "start_date": "2023-01-01", "end_date": null
    })
}

pub fn structural_insats() -> Value {
    json!({
        "external_ref": "case-system-9000", "name": "Samverkansforum", "kind": "structural",
        "orientation": "develop_cooperation", "target_groups": [], "start_date": "2022-03-01", "end_date": "2024-12-31"
    })
}

pub fn year_figures() -> Value {
    json!({
        "participants": {"women": 12, "men": 8}, "budget": "250000.00", "outcome": "243500.50",
        "exits": {"work": {"women": 2, "men": 1}, "studies": {"women": 0, "men": 1},
                  "job_seeking": {"women": 1, "men": 0}, "other": {"women": 0, "men": 0}}
    })
}

pub fn finances() -> Value {
    json!({
        "contributions": {"state": "2000000.00", "regions": "1000000.00", "municipalities": "1000000.00"},
        "administration": {"budget": "600000.00", "outcome": "580000.00"},
        "equity": {"opening": "1200000.00", "closing": "1100000.00"}
    })
}

/// `base` with the fields of `changes` replaced.
pub fn with(base: Value, changes: Value) -> Value {
    let mut value = base;
    for (key, v) in changes.as_object().unwrap() {
        value[key] = v.clone();
    }
    value
}

impl TestApp {
    /// Like [`TestApp::spawn`], with the default state changed by `configure` (e.g. lower
    /// import limits: `|state| state.with_import_limits(1000, 3)`).
    pub async fn spawn_with_state(configure: impl FnOnce(AppState) -> AppState) -> TestApp {
        let db = TestDb::new();
        open_every_year(&db);
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let verifier = Verifier::new(VerifierConfig {
            keys: KeySource::Hs256Secret(SECRET.to_vec()),
            issuer: ISSUER.into(),
            audience: AUDIENCE.into(),
            leeway_seconds: 5,
        })
        .expect("verifier");
        let options = ServerOptions { workers: 2, shutdown_timeout: 1 };
        let state = configure(AppState::new(db.pool(), verifier));
        let server = finsam_api::server(state, listener, &options).unwrap();
        let handle = server.handle();
        actix_rt::spawn(server);
        TestApp { db, base, client: client(), server: handle }
    }
}

/// A fresh database with every reporting year open (deadlines far ahead), as the spawns give
/// their apps; for a test that registers data before the service starts.
pub fn fresh_db() -> TestDb {
    let db = TestDb::new();
    open_every_year(&db);
    db
}

impl TestApp {
    /// The service on `db` with the pages' sign-in through an identity provider (`config`), on a
    /// listener the test bound before: the provider must know the redirect URI, with its port,
    /// before it starts, and the service discovers the provider as it starts. The API keeps the
    /// tests' HS256 verifier, so [`token`] still works for the API calls of the test itself; the
    /// pages use the session cookie. The service's address is the listener's, as in `config.public_url`.
    pub async fn spawn_with_sign_in(db: TestDb, listener: TcpListener, config: SignInConfig) -> TestApp {
        let base = format!("http://{}", listener.local_addr().unwrap());
        let sign_in = SignIn::discover(config).await.expect("the identity provider is usable");
        let verifier = Verifier::new(VerifierConfig {
            keys: KeySource::Hs256Secret(SECRET.to_vec()),
            issuer: ISSUER.into(),
            audience: AUDIENCE.into(),
            leeway_seconds: 5,
        })
        .expect("verifier");
        let options = ServerOptions { workers: 2, shutdown_timeout: 1 };
        let state = AppState::new(db.pool(), verifier).with_sign_in(sign_in);
        let server = finsam_api::server(state, listener, &options).unwrap();
        let handle = server.handle();
        actix_rt::spawn(server);
        TestApp { db, base, client: client(), server: handle }
    }
}

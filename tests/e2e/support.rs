use std::net::TcpListener;

use finsam_api::{AppState, ServerOptions};
use finsam_test_db::TestDb;

/// The service on a free port with a database of its own.
pub struct TestApp {
    pub db: TestDb,
    pub base: String,
    pub client: reqwest::Client,
    server: actix_web::dev::ServerHandle,
}

impl TestApp {
    pub async fn spawn() -> TestApp {
        let db = TestDb::new();
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let options = ServerOptions { workers: 1, shutdown_timeout: 1 };
        let server = finsam_api::server(AppState { pool: db.pool() }, listener, &options).unwrap();
        let handle = server.handle();
        actix_rt::spawn(server);
        TestApp { db, base, client: reqwest::Client::new(), server: handle }
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client.get(format!("{}{path}", self.base)).send().await.expect(path)
    }

    pub async fn stop(self) {
        self.server.stop(true).await;
    }
}

/// Status, content type and body of a response, for assertions that show all three.
pub async fn parts(response: reqwest::Response) -> (u16, String, serde_json::Value) {
    let status = response.status().as_u16();
    let content_type =
        response.headers().get("content-type").map(|v| v.to_str().unwrap().to_owned()).unwrap_or_default();
    (status, content_type, response.json().await.expect("a JSON body"))
}

//! Just enough of the W3C WebDriver protocol to drive Debian's headless Chromium through its
//! chromedriver: sessions, navigation, elements, keys, scripts, screenshots. Plain JSON over
//! HTTP with the reqwest the e2e tests use already, so the browser tests add no dependency
//! tree of their own.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use base64::Engine;
use serde_json::{Value, json};

const ELEMENT_KEY: &str = "element-6066-11e4-a52e-4f735466cecf";
/// How long a wait for the page lasts: generous, for a 2-core CI machine running two browsers.
pub const WAIT: Duration = Duration::from_secs(45);

pub const CHROMIUM: &str = "/usr/bin/chromium";
pub const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// Keys as WebDriver spells them.
pub const TAB: &str = "\u{E004}";
pub const ENTER: &str = "\u{E007}";

/// Whether the browser tests can run here. Without Chromium or its driver they are skipped
/// loudly on a developer's machine, and fail in CI (where `CI` is set): CI installs both.
pub fn browser_available() -> bool {
    let chromium = std::env::var("FINSAM_CHROMIUM").unwrap_or_else(|_| CHROMIUM.to_owned());
    let driver = std::env::var("FINSAM_CHROMEDRIVER").unwrap_or_else(|_| CHROMEDRIVER.to_owned());
    let missing: Vec<&str> = [(&chromium, "chromium"), (&driver, "chromium-driver")]
        .into_iter()
        .filter(|(path, _)| !Path::new(path.as_str()).exists())
        .map(|(_, package)| package)
        .collect();
    if missing.is_empty() {
        return true;
    }
    let message =
        format!("the browser tests need Debian's {} (apt-get install chromium chromium-driver)", missing.join(" and "));
    if std::env::var_os("CI").is_some() {
        panic!("CI: {message}");
    }
    // Straight to stderr, past the test harness's capture, once per run.
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        use std::io::Write;
        let line = "!".repeat(78);
        let _ = writeln!(std::io::stderr(), "\n{line}\n!! SKIPPED: {message}.\n{line}\n");
    });
    false
}

/// A chromedriver process with one headless Chromium session; both end on drop.
pub struct Browser {
    client: reqwest::Client,
    session: String,
    driver: Child,
    pub downloads: PathBuf,
    _profile: tempfile::TempDir,
    _download_dir: tempfile::TempDir,
}

#[derive(Clone)]
pub struct Element {
    id: String,
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

impl Browser {
    pub async fn start() -> Browser {
        let driver_path = std::env::var("FINSAM_CHROMEDRIVER").unwrap_or_else(|_| CHROMEDRIVER.to_owned());
        let chromium = std::env::var("FINSAM_CHROMIUM").unwrap_or_else(|_| CHROMIUM.to_owned());
        let port = free_port();
        let driver = Command::new(&driver_path)
            .arg(format!("--port={port}"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {driver_path}: {e}"));
        let client = reqwest::Client::new();
        let base = format!("http://127.0.0.1:{port}");
        let started = Instant::now();
        loop {
            let ready = match client.get(format!("{base}/status")).send().await {
                Ok(r) => r.json::<Value>().await.ok().is_some_and(|v| v["value"]["ready"] == true),
                Err(_) => false,
            };
            if ready {
                break;
            }
            assert!(started.elapsed() < WAIT, "chromedriver did not become ready on port {port}");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let profile = tempfile::tempdir().unwrap();
        let download_dir = tempfile::tempdir().unwrap();
        let downloads = download_dir.path().to_path_buf();
        let capabilities = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": chromium,
                "args": [
                    "--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                    "--window-size=1280,1000", "--lang=sv-SE", "--no-first-run", "--no-default-browser-check",
                    format!("--user-data-dir={}", profile.path().display()),
                    // Nothing leaves this machine: Chromium's own background traffic is off, and
                    // any address but loopback goes to a proxy that does not exist.
                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    "--disable-default-apps", "--disable-extensions", "--no-pings",
                    "--disable-client-side-phishing-detection", "--disable-domain-reliability",
                    "--metrics-recording-only", "--safebrowsing-disable-auto-update",
                    "--disable-features=Translate,OptimizationHints,MediaRouter,AutofillServerCommunication",
                    "--proxy-server=http://127.0.0.1:9", "--proxy-bypass-list=<-loopback>;127.0.0.1;localhost",
                ],
                "prefs": {
                    "download.default_directory": downloads.display().to_string(),
                    "download.prompt_for_download": false,
                    "download.directory_upgrade": true,
                    "safebrowsing.enabled": false,
                },
            },
        }}});
        let response: Value =
            client.post(format!("{base}/session")).json(&capabilities).send().await.unwrap().json().await.unwrap();
        let session_id = response["value"]["sessionId"]
            .as_str()
            .unwrap_or_else(|| panic!("no WebDriver session: {response}"))
            .to_owned();
        let browser = Browser {
            client,
            session: format!("{base}/session/{session_id}"),
            driver,
            downloads,
            _profile: profile,
            _download_dir: download_dir,
        };
        // Headless Chromium saves downloads only when told where.
        browser
            .command(
                reqwest::Method::POST,
                "/goog/cdp/execute",
                Some(json!({"cmd": "Browser.setDownloadBehavior", "params": {
                    "behavior": "allow", "downloadPath": browser.downloads.display().to_string()
                }})),
            )
            .await;
        browser
    }

    async fn command(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> Value {
        let (status, value) = self.try_command(method.clone(), path, body).await;
        assert!(status.is_success(), "WebDriver {method} {path}: {status} {value}");
        value
    }

    async fn try_command(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<Value>,
    ) -> (reqwest::StatusCode, Value) {
        let mut request = self.client.request(method.clone(), format!("{}{path}", self.session));
        if let Some(body) = body {
            request = request.json(&body);
        } else if method == reqwest::Method::POST {
            request = request.json(&json!({}));
        }
        let response = request.send().await.unwrap_or_else(|e| panic!("WebDriver {method} {path}: {e}"));
        let status = response.status();
        let value: Value = response.json().await.unwrap_or(Value::Null);
        (status, value["value"].clone())
    }

    pub async fn goto(&self, url: &str) {
        self.command(reqwest::Method::POST, "/url", Some(json!({ "url": url }))).await;
    }

    pub async fn url(&self) -> String {
        self.command(reqwest::Method::GET, "/url", None).await.as_str().unwrap().to_owned()
    }

    /// The first element matching `css`, waiting for it to appear.
    pub async fn find(&self, css: &str) -> Element {
        let started = Instant::now();
        loop {
            let (status, value) = self
                .try_command(reqwest::Method::POST, "/element", Some(json!({"using": "css selector", "value": css})))
                .await;
            if status.is_success() {
                return Element { id: value[ELEMENT_KEY].as_str().unwrap().to_owned() };
            }
            assert!(started.elapsed() < WAIT, "no element {css} on {}", self.url().await);
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    pub async fn find_all(&self, css: &str) -> Vec<Element> {
        let value = self
            .command(reqwest::Method::POST, "/elements", Some(json!({"using": "css selector", "value": css})))
            .await;
        value.as_array().unwrap().iter().map(|e| Element { id: e[ELEMENT_KEY].as_str().unwrap().to_owned() }).collect()
    }

    pub async fn click(&self, element: &Element) {
        self.command(reqwest::Method::POST, &format!("/element/{}/click", element.id), None).await;
    }

    pub async fn clear(&self, element: &Element) {
        self.command(reqwest::Method::POST, &format!("/element/{}/clear", element.id), None).await;
    }

    pub async fn type_into(&self, element: &Element, text: &str) {
        self.command(reqwest::Method::POST, &format!("/element/{}/value", element.id), Some(json!({ "text": text })))
            .await;
    }

    /// Clears a field and types `text` into it.
    pub async fn fill(&self, css: &str, text: &str) {
        let element = self.find(css).await;
        self.clear(&element).await;
        if !text.is_empty() {
            self.type_into(&element, text).await;
        }
    }

    pub async fn text(&self, element: &Element) -> String {
        let value = self.command(reqwest::Method::GET, &format!("/element/{}/text", element.id), None).await;
        value.as_str().unwrap_or_default().to_owned()
    }

    pub async fn attribute(&self, element: &Element, name: &str) -> Option<String> {
        let value =
            self.command(reqwest::Method::GET, &format!("/element/{}/attribute/{name}", element.id), None).await;
        value.as_str().map(str::to_owned)
    }

    /// Keys sent to whatever has focus, as a person at a keyboard would.
    pub async fn press(&self, keys: &str) {
        let mut actions = Vec::new();
        for key in keys.chars() {
            actions.push(json!({"type": "keyDown", "value": key.to_string()}));
            actions.push(json!({"type": "keyUp", "value": key.to_string()}));
        }
        self.command(
            reqwest::Method::POST,
            "/actions",
            Some(json!({"actions": [{"type": "key", "id": "keyboard", "actions": actions}]})),
        )
        .await;
    }

    /// The cookies the browser would send to the current page's address, HttpOnly ones too.
    pub async fn cookies(&self) -> Vec<Value> {
        self.command(reqwest::Method::GET, "/cookie", None).await.as_array().cloned().unwrap_or_default()
    }

    /// Runs a script in the page (`return …`) with `arguments`.
    pub async fn script(&self, script: &str, args: Value) -> Value {
        self.command(reqwest::Method::POST, "/execute/sync", Some(json!({"script": script, "args": args}))).await
    }

    /// Runs `script` at the start of every page loaded from now on, before the page's own
    /// scripts and outside its Content-Security-Policy (through the DevTools protocol).
    pub async fn on_every_page(&self, script: &str) {
        self.command(
            reqwest::Method::POST,
            "/goog/cdp/execute",
            Some(json!({"cmd": "Page.addScriptToEvaluateOnNewDocument", "params": {"source": script}})),
        )
        .await;
    }

    /// Waits until the expression is truthy in the page.
    pub async fn wait_until(&self, expression: &str) {
        let started = Instant::now();
        let script = format!("try {{ return !!({expression}); }} catch (e) {{ return false; }}");
        loop {
            if self.script(&script, json!([])).await == Value::Bool(true) {
                return;
            }
            if started.elapsed() > WAIT {
                let body = self.script("return document.querySelector('main')?.innerText || ''", json!([])).await;
                panic!("waited in vain for `{expression}` on {}; the page says:\n{}", self.url().await, body);
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    pub async fn set_window(&self, width: u32, height: u32) {
        self.command(reqwest::Method::POST, "/window/rect", Some(json!({"width": width, "height": height}))).await;
    }

    /// A PNG of the window, saved as `dir/name`.
    pub async fn screenshot(&self, dir: &Path, name: &str) -> PathBuf {
        let value = self.command(reqwest::Method::GET, "/screenshot", None).await;
        let png = base64::engine::general_purpose::STANDARD.decode(value.as_str().unwrap()).unwrap();
        assert!(png.starts_with(b"\x89PNG"), "a PNG");
        std::fs::create_dir_all(dir).unwrap();
        let path = dir.join(name);
        std::fs::write(&path, png).unwrap();
        path
    }

    /// A PNG of the whole page: the window grows to the page's height first (at most 8000 px).
    pub async fn screenshot_page(&self, dir: &Path, name: &str, width: u32) -> PathBuf {
        self.set_window(width, 1000).await;
        let height = self.script("return document.documentElement.scrollHeight", json!([])).await;
        let height = height.as_u64().unwrap_or(1000).clamp(600, 8000) as u32;
        // The window's frame takes some of its height; a little more keeps the footer in view.
        self.set_window(width, height + 140).await;
        let path = self.screenshot(dir, name).await;
        self.set_window(1280, 1000).await;
        path
    }

    /// Waits for a downloaded file to be complete and returns its bytes.
    pub async fn downloaded(&self, name: &str) -> Vec<u8> {
        let path = self.downloads.join(name);
        let partial = self.downloads.join(format!("{name}.crdownload"));
        let started = Instant::now();
        loop {
            if path.exists() && !partial.exists() {
                let bytes = std::fs::read(&path).unwrap();
                if !bytes.is_empty() {
                    return bytes;
                }
            }
            if started.elapsed() > WAIT {
                let present: Vec<String> = std::fs::read_dir(&self.downloads)
                    .unwrap()
                    .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                    .collect();
                panic!("no download {name}; the folder holds {present:?}");
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    pub async fn quit(self) {
        // Drop ends the session and the driver.
        drop(self);
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        // After a failed assertion there is no runtime to await on: end the session (and with it
        // Chromium) over a plain socket, then the driver.
        if let Some((address, path)) = self.session.strip_prefix("http://").and_then(|rest| rest.split_once('/'))
            && let Ok(mut stream) = std::net::TcpStream::connect(address)
        {
            use std::io::{Read, Write};
            let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
            let request = format!("DELETE /{path} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n");
            if stream.write_all(request.as_bytes()).is_ok() {
                let _ = stream.read_to_end(&mut Vec::new());
            }
        }
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

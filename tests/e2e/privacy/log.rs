//! What the server logs while a test runs. The servers of the tests run in this process, so a
//! global subscriber hears them all; it writes both formats `finsam serve` has, text and JSON
//! with the request's span, as the binary's logging sets them up.

use std::io::Write;
use std::sync::{Mutex, OnceLock};

use tracing_subscriber::fmt::MakeWriter;
use tracing_subscriber::prelude::*;
use tracing_subscriber::{EnvFilter, fmt};

static LOGGED: Mutex<Vec<u8>> = Mutex::new(Vec::new());

#[derive(Clone, Copy)]
struct Capture;

impl Write for Capture {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        LOGGED.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> MakeWriter<'a> for Capture {
    type Writer = Capture;

    fn make_writer(&'a self) -> Capture {
        Capture
    }
}

/// Starts capturing (once per process) and returns where this test's part of the log begins.
pub fn start() -> usize {
    static STARTED: OnceLock<()> = OnceLock::new();
    STARTED.get_or_init(|| {
        // Debug and up from the service's crates, what an operator may turn on; the client's own
        // crates stay out, as they log the URLs the test sends.
        let filter = EnvFilter::new("info,finsam_api=debug,finsam_store=debug,reqwest=off,hyper_util=off");
        tracing_subscriber::registry()
            .with(filter)
            .with(fmt::layer().with_ansi(false).with_writer(Capture))
            .with(fmt::layer().json().with_current_span(false).with_span_list(true).with_writer(Capture))
            .try_init()
            .expect("no other subscriber in the e2e tests");
    });
    LOGGED.lock().unwrap().len()
}

/// Everything logged since `from`.
pub fn since(from: usize) -> String {
    String::from_utf8_lossy(&LOGGED.lock().unwrap()[from..]).into_owned()
}

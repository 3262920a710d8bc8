//! Prometheus metrics at `GET /metrics`, in the text exposition format 0.0.4, written by hand:
//! a few counters and histograms behind mutexes (a short critical section per request), and
//! gauges read at scrape time. HTTP metrics are labelled by route pattern, never by raw path, so
//! their cardinality stays bounded.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::Method;
use actix_web::middleware::Next;
use actix_web::{Error, HttpResponse, web};
use diesel::RunQueryDsl;

use crate::AppState;

pub const CONTENT_TYPE: &str = "text/plain; version=0.0.4; charset=utf-8";

/// Upper bounds, in seconds, of every histogram's buckets (`+Inf` comes on top).
pub const BUCKETS: [f64; 12] = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0];

/// The import job states a scrape always reports, zero when there are none.
const IMPORT_STATES: [&str; 4] = ["queued", "running", "done", "failed"];

#[derive(Default, Clone)]
struct Buckets {
    /// Observations per bucket, not cumulative: `counts[i]` is those in (BUCKETS[i-1], BUCKETS[i]].
    counts: [u64; BUCKETS.len()],
    count: u64,
    sum: f64,
}

impl Buckets {
    fn observe(&mut self, seconds: f64) {
        if let Some(i) = BUCKETS.iter().position(|&le| seconds <= le) {
            self.counts[i] += 1;
        }
        self.count += 1;
        self.sum += seconds;
    }

    /// `_bucket`, `_sum` and `_count` lines; `labels` are the series' own, e.g. `method="GET",`.
    fn render(&self, out: &mut String, name: &str, labels: &str) {
        let mut cumulative = 0;
        for (le, n) in BUCKETS.iter().zip(self.counts) {
            cumulative += n;
            let _ = writeln!(out, "{name}_bucket{{{labels}le=\"{le}\"}} {cumulative}");
        }
        let _ = writeln!(out, "{name}_bucket{{{labels}le=\"+Inf\"}} {}", self.count);
        let braces = if labels.is_empty() { String::new() } else { format!("{{{}}}", labels.trim_end_matches(',')) };
        let _ = writeln!(out, "{name}_sum{braces} {}", self.sum);
        let _ = writeln!(out, "{name}_count{braces} {}", self.count);
    }
}

/// A histogram of durations with no labels.
#[derive(Default)]
pub struct Histogram(Mutex<Buckets>);

impl Histogram {
    pub fn observe(&self, elapsed: Duration) {
        self.0.lock().unwrap_or_else(|p| p.into_inner()).observe(elapsed.as_secs_f64());
    }

    pub fn count(&self) -> u64 {
        self.0.lock().unwrap_or_else(|p| p.into_inner()).count
    }

    fn render(&self, out: &mut String, name: &str, help: &str) {
        let snapshot = self.0.lock().unwrap_or_else(|p| p.into_inner()).clone();
        header(out, name, "histogram", help);
        snapshot.render(out, name, "");
    }
}

#[derive(Default)]
struct RouteStats {
    statuses: BTreeMap<u16, u64>,
    duration: Buckets,
}

/// The HTTP metrics of one server (tests run several, each with its own).
#[derive(Default)]
pub struct Metrics {
    /// (method, route pattern) → responses by status and their durations.
    http: Mutex<BTreeMap<(&'static str, String), RouteStats>>,
}

impl Metrics {
    pub fn record_request(&self, method: &Method, route: Option<&str>, status: u16, elapsed: Duration) {
        let key = (method_label(method), route.unwrap_or("unmatched").to_owned());
        let mut http = self.http.lock().unwrap_or_else(|p| p.into_inner());
        let stats = http.entry(key).or_default();
        *stats.statuses.entry(status).or_default() += 1;
        stats.duration.observe(elapsed.as_secs_f64());
    }

    fn render(&self, out: &mut String) {
        let http = self.http.lock().unwrap_or_else(|p| p.into_inner());
        header(out, "finsam_http_requests_total", "counter", "HTTP responses by method, route pattern and status.");
        for ((method, route), stats) in http.iter() {
            for (status, n) in &stats.statuses {
                let _ = writeln!(
                    out,
                    "finsam_http_requests_total{{method=\"{method}\",route=\"{}\",status=\"{status}\"}} {n}",
                    escape(route)
                );
            }
        }
        let name = "finsam_http_request_duration_seconds";
        header(
            out,
            name,
            "histogram",
            "Time to answer an HTTP request (up to its response head), by method and route.",
        );
        for ((method, route), stats) in http.iter() {
            stats.duration.render(out, name, &format!("method=\"{method}\",route=\"{}\",", escape(route)));
        }
    }
}

/// Methods outside the standard ones count as `other`, so that clients cannot mint series.
fn method_label(method: &Method) -> &'static str {
    match *method {
        Method::GET => "GET",
        Method::HEAD => "HEAD",
        Method::POST => "POST",
        Method::PUT => "PUT",
        Method::PATCH => "PATCH",
        Method::DELETE => "DELETE",
        Method::OPTIONS => "OPTIONS",
        Method::CONNECT => "CONNECT",
        Method::TRACE => "TRACE",
        _ => "other",
    }
}

fn header(out: &mut String, name: &str, kind: &str, help: &str) {
    let _ = writeln!(out, "# HELP {name} {help}");
    let _ = writeln!(out, "# TYPE {name} {kind}");
}

/// A label value as the text format wants it: backslash, double quote and line feed escaped.
pub fn escape(value: &str) -> String {
    value.replace('\\', "\\\\").replace('"', "\\\"").replace('\n', "\\n")
}

/// Counts every request and its duration under its route pattern (`unmatched` when no route
/// matched). Wraps the whole app, so the status is the one the client gets.
pub async fn record(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let metrics = req.app_data::<web::Data<AppState>>().map(|state| state.metrics.clone());
    let method = req.method().clone();
    let started = Instant::now();
    let result = next.call(req).await;
    if let Some(metrics) = metrics {
        match &result {
            Ok(response) => metrics.record_request(
                &method,
                response.request().match_pattern().as_deref(),
                response.status().as_u16(),
                started.elapsed(),
            ),
            // Handlers' errors are responses by now; this is a middleware's, with no route known.
            Err(error) => metrics.record_request(
                &method,
                None,
                error.as_response_error().status_code().as_u16(),
                started.elapsed(),
            ),
        }
    }
    result
}

/// `GET /metrics`: always 200; what needs the database is left out (with a comment) when it
/// does not answer.
pub async fn endpoint(state: web::Data<AppState>) -> HttpResponse {
    let mut out = String::new();
    state.metrics.render(&mut out);

    let pool = state.pool.state();
    header(&mut out, "finsam_db_pool_connections", "gauge", "Database connections held by the pool, by state.");
    let _ = writeln!(out, "finsam_db_pool_connections{{state=\"idle\"}} {}", pool.idle_connections);
    let _ = writeln!(
        out,
        "finsam_db_pool_connections{{state=\"in_use\"}} {}",
        pool.connections.saturating_sub(pool.idle_connections)
    );
    header(&mut out, "finsam_db_pool_max_connections", "gauge", "Most database connections the pool holds.");
    let _ = writeln!(out, "finsam_db_pool_max_connections {}", state.pool.max_size());

    match import_job_counts(&state).await {
        Some(counts) => {
            header(&mut out, "finsam_import_jobs", "gauge", "Import requests in the database, by state.");
            for (job_state, n) in counts {
                let _ = writeln!(out, "finsam_import_jobs{{state=\"{}\"}} {n}", escape(&job_state));
            }
        }
        None => out.push_str("# finsam_import_jobs skipped: the database did not answer\n"),
    }

    state.tables.refresh_seconds.render(
        &mut out,
        "finsam_table_snapshot_refresh_seconds",
        "Time to load or refresh the statistics data after a change.",
    );
    state.open.protect_seconds.render(
        &mut out,
        "finsam_open_tables_protect_seconds",
        "Time to compute and protect (disclosure control) the tables of a release being published.",
    );
    HttpResponse::Ok().content_type(CONTENT_TYPE).body(out)
}

/// Import requests by state, every known state included; None when the database does not answer.
async fn import_job_counts(state: &AppState) -> Option<BTreeMap<String, i64>> {
    #[derive(diesel::QueryableByName)]
    struct Row {
        #[diesel(sql_type = diesel::sql_types::Text)]
        state: String,
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        count: i64,
    }
    let pool = state.pool.clone();
    let rows = web::block(move || {
        // A short wait, as /health: a scrape must not hang on a full pool.
        let mut conn = pool.get_timeout(Duration::from_secs(2)).ok()?;
        diesel::sql_query("SELECT state, count(*) AS count FROM import_requests GROUP BY state")
            .load::<Row>(&mut conn)
            .ok()
    })
    .await
    .ok()
    .flatten()?;
    let mut counts: BTreeMap<String, i64> = IMPORT_STATES.iter().map(|s| (s.to_string(), 0)).collect();
    counts.extend(rows.into_iter().map(|row| (row.state, row.count)));
    Some(counts)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn histogram_buckets_are_cumulative_and_end_with_the_count() {
        let mut buckets = Buckets::default();
        for seconds in [0.0005, 0.003, 0.003, 0.7, 42.0] {
            buckets.observe(seconds);
        }
        let mut out = String::new();
        buckets.render(&mut out, "h", "route=\"/a\",");
        assert!(out.contains("h_bucket{route=\"/a\",le=\"0.001\"} 1\n"), "{out}");
        assert!(out.contains("h_bucket{route=\"/a\",le=\"0.005\"} 3\n"), "{out}");
        assert!(out.contains("h_bucket{route=\"/a\",le=\"0.5\"} 3\n"), "{out}");
        assert!(out.contains("h_bucket{route=\"/a\",le=\"1\"} 4\n"), "{out}");
        assert!(out.contains("h_bucket{route=\"/a\",le=\"10\"} 4\n"), "{out}");
        assert!(out.contains("h_bucket{route=\"/a\",le=\"+Inf\"} 5\n"), "{out}");
        assert!(out.contains("h_count{route=\"/a\"} 5\n"), "{out}");
        let sum = 0.0005 + 0.003 + 0.003 + 0.7 + 42.0;
        assert!(out.contains(&format!("h_sum{{route=\"/a\"}} {sum}\n")), "{out}");

        let mut bare = String::new();
        buckets.render(&mut bare, "h", "");
        assert!(bare.contains("h_bucket{le=\"+Inf\"} 5\n") && bare.contains("h_count 5\n"), "{bare}");
    }

    #[test]
    fn label_values_are_escaped() {
        assert_eq!(escape("a\\b\"c\nd"), "a\\\\b\\\"c\\nd");
        let metrics = Metrics::default();
        metrics.record_request(&Method::from_bytes(b"BREW").unwrap(), Some("/x/{y:\"}"), 418, Duration::ZERO);
        let mut out = String::new();
        metrics.render(&mut out);
        assert!(
            out.contains("finsam_http_requests_total{method=\"other\",route=\"/x/{y:\\\"}\",status=\"418\"} 1\n"),
            "{out}"
        );
    }
}

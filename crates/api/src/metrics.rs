//! Prometheus metrics at `GET /metrics`, in the text exposition format 0.0.4, with the
//! `prometheus` crate. Each server has a registry of its own (tests run several, and each must
//! count alone), so the crate's global default registry is never used. HTTP metrics are labelled
//! by route pattern, never by raw path, so their cardinality stays bounded; gauges are read at
//! scrape time.

use std::collections::{BTreeMap, HashMap};
use std::time::{Duration, Instant};

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::{Method, StatusCode};
use actix_web::middleware::Next;
use actix_web::{Error, HttpResponse, web};
use diesel::RunQueryDsl;
use finsam_store::PgPool;
use prometheus::core::{Collector, Desc};
use prometheus::proto::MetricFamily;
use prometheus::{
    HistogramVec, IntCounterVec, IntGauge, IntGaugeVec, Registry, TextEncoder, histogram_opts, opts,
    register_histogram_vec_with_registry, register_int_counter_vec_with_registry, register_int_gauge_vec_with_registry,
    register_int_gauge_with_registry,
};

use crate::AppState;

/// The encoder's own content type lacks the charset; scrapers and the e2e tests expect it.
pub const CONTENT_TYPE: &str = "text/plain; version=0.0.4; charset=utf-8";

/// Upper bounds, in seconds, of every histogram's buckets (`+Inf` comes on top).
pub const BUCKETS: [f64; 12] = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0];

/// The import job states a scrape always reports, zero when there are none.
const IMPORT_STATES: [&str; 4] = ["queued", "running", "done", "failed"];

/// A histogram of durations with no labels, kept by a cache. The caches are made with `Default`,
/// where no registry is at hand: [`Metrics::new`] registers the histogram under its name.
#[derive(Clone)]
pub struct Histogram(prometheus::Histogram);

impl Default for Histogram {
    fn default() -> Self {
        let opts = histogram_opts!("unregistered_duration_seconds", "Named when registered.", BUCKETS.to_vec());
        Histogram(prometheus::Histogram::with_opts(opts).expect(VALID))
    }
}

impl Histogram {
    pub fn observe(&self, elapsed: Duration) {
        self.0.observe(elapsed.as_secs_f64());
    }
}

const VALID: &str = "constant metric definitions are valid, each registered once";

/// A cache's [`Histogram`] under the name and help it is scraped with.
struct Named {
    desc: Desc,
    histogram: prometheus::Histogram,
}

impl Collector for Named {
    fn desc(&self) -> Vec<&Desc> {
        vec![&self.desc]
    }

    fn collect(&self) -> Vec<MetricFamily> {
        let mut families = self.histogram.collect();
        for family in &mut families {
            family.set_name(self.desc.fq_name.clone());
            family.set_help(self.desc.help.clone());
        }
        families
    }
}

fn register_named(registry: &Registry, histogram: &Histogram, name: &str, help: &str) {
    let desc = Desc::new(name.to_owned(), help.to_owned(), Vec::new(), HashMap::new()).expect(VALID);
    registry.register(Box::new(Named { desc, histogram: histogram.0.clone() })).expect(VALID);
}

/// The gauges of one connection pool, set from the pool's state at each scrape.
struct PoolGauges {
    connections: IntGaugeVec,
    max_connections: IntGauge,
}

impl PoolGauges {
    fn new(registry: &Registry, prefix: &str, [connections_help, max_help]: [&str; 2]) -> PoolGauges {
        let name = format!("{prefix}_connections");
        let connections =
            register_int_gauge_vec_with_registry!(name, connections_help, &["state"], registry).expect(VALID);
        let name = format!("{prefix}_max_connections");
        let max_connections = register_int_gauge_with_registry!(name, max_help, registry).expect(VALID);
        PoolGauges { connections, max_connections }
    }

    fn set(&self, pool: &PgPool) {
        let state = pool.state();
        let in_use = state.connections.saturating_sub(state.idle_connections);
        self.connections.with_label_values(&["idle"]).set(state.idle_connections.into());
        self.connections.with_label_values(&["in_use"]).set(in_use.into());
        self.max_connections.set(pool.max_size().into());
    }
}

/// The metrics of one server.
pub struct Metrics {
    registry: Registry,
    requests: IntCounterVec,
    durations: HistogramVec,
    pool: PoolGauges,
    read_pool: PoolGauges,
}

impl Metrics {
    /// The HTTP metrics, the gauges of both pools and the caches' histograms, in a new registry.
    pub fn new(table_refresh: &Histogram, open_protect: &Histogram) -> Metrics {
        let registry = Registry::new();
        let requests = register_int_counter_vec_with_registry!(
            "finsam_http_requests_total",
            "HTTP responses by method, route pattern and status.",
            &["method", "route", "status"],
            registry
        )
        .expect(VALID);
        let durations = register_histogram_vec_with_registry!(
            histogram_opts!(
                "finsam_http_request_duration_seconds",
                "Time to answer an HTTP request (up to its response head), by method and route.",
                BUCKETS.to_vec()
            ),
            &["method", "route"],
            registry
        )
        .expect(VALID);
        let pool = PoolGauges::new(
            &registry,
            "finsam_db_pool",
            ["Database connections held by the pool, by state.", "Most database connections the pool holds."],
        );
        let read_pool = PoolGauges::new(
            &registry,
            "finsam_db_read_pool",
            [
                "Database connections held by the read pool (the analysts' table reads; the primary's pool unless \
                 a read replica is configured), by state.",
                "Most database connections the read pool holds.",
            ],
        );
        register_named(
            &registry,
            table_refresh,
            "finsam_table_snapshot_refresh_seconds",
            "Time to load or refresh the statistics data after a change.",
        );
        register_named(
            &registry,
            open_protect,
            "finsam_open_tables_protect_seconds",
            "Time to compute and protect (disclosure control) the tables of a release being published.",
        );
        Metrics { registry, requests, durations, pool, read_pool }
    }

    pub fn record_request(&self, method: &Method, route: Option<&str>, status: StatusCode, elapsed: Duration) {
        let labels = [method_label(method), route.unwrap_or("unmatched")];
        self.requests.with_label_values(&[labels[0], labels[1], status.as_str()]).inc();
        self.durations.with_label_values(&labels).observe(elapsed.as_secs_f64());
    }

    /// The registry's families and `extra` in the text format.
    fn render(&self, extra: &[MetricFamily]) -> Result<String, prometheus::Error> {
        let mut out = String::new();
        let encoder = TextEncoder::new();
        encoder.encode_utf8(&self.registry.gather(), &mut out)?;
        encoder.encode_utf8(extra, &mut out)?;
        Ok(out)
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
                response.status(),
                started.elapsed(),
            ),
            // Handlers' errors are responses by now; this is a middleware's, with no route known.
            Err(error) => {
                metrics.record_request(&method, None, error.as_response_error().status_code(), started.elapsed())
            }
        }
    }
    result
}

/// `GET /metrics`: always 200; what needs the database is left out (with a comment) when it
/// does not answer.
pub async fn endpoint(state: web::Data<AppState>) -> HttpResponse {
    state.metrics.pool.set(&state.pool);
    state.metrics.read_pool.set(&state.read_pool);
    let jobs = import_job_counts(&state).await.map(|counts| import_jobs_family(&counts));
    let mut out = match state.metrics.render(jobs.as_deref().unwrap_or_default()) {
        Ok(out) => out,
        Err(error) => {
            tracing::error!(%error, "metrics could not be encoded");
            return HttpResponse::InternalServerError().finish();
        }
    };
    if jobs.is_none() {
        out.push_str("# finsam_import_jobs skipped: the database did not answer\n");
    }
    HttpResponse::Ok().content_type(CONTENT_TYPE).body(out)
}

/// Made at each scrape, not registered: when the database does not answer, the family is left
/// out rather than shown with the values of an earlier scrape.
fn import_jobs_family(counts: &BTreeMap<String, i64>) -> Vec<MetricFamily> {
    let opts = opts!("finsam_import_jobs", "Import requests in the database, by state.");
    let gauges = IntGaugeVec::new(opts, &["state"]).expect(VALID);
    for (job_state, n) in counts {
        gauges.with_label_values(&[job_state.as_str()]).set(*n);
    }
    gauges.collect()
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

    fn metrics() -> (Metrics, Histogram, Histogram) {
        let (tables, open) = (Histogram::default(), Histogram::default());
        (Metrics::new(&tables, &open), tables, open)
    }

    fn has_line(text: &str, line: &str) -> bool {
        text.lines().any(|l| l == line)
    }

    #[test]
    fn histogram_buckets_are_cumulative_and_end_with_the_count() {
        let (metrics, _, _) = metrics();
        let seconds = [0.0005, 0.003, 0.003, 0.7, 42.0];
        for s in seconds {
            metrics.record_request(&Method::GET, Some("/a"), StatusCode::OK, Duration::from_secs_f64(s));
        }
        let out = metrics.render(&[]).unwrap();
        let name = "finsam_http_request_duration_seconds";
        for (le, n) in [("0.001", 1), ("0.005", 3), ("0.5", 3), ("1", 4), ("10", 4), ("+Inf", 5)] {
            let line = format!("{name}_bucket{{method=\"GET\",route=\"/a\",le=\"{le}\"}} {n}");
            assert!(has_line(&out, &line), "no {line} in\n{out}");
        }
        // Every bound of today's buckets, and no other.
        let bounds = out.lines().filter(|l| l.starts_with(&format!("{name}_bucket{{"))).count();
        assert_eq!(bounds, BUCKETS.len() + 1, "{out}");
        assert!(has_line(&out, &format!("{name}_count{{method=\"GET\",route=\"/a\"}} 5")), "{out}");
        let sum: f64 = seconds.iter().map(|&s| Duration::from_secs_f64(s).as_secs_f64()).sum();
        assert!(has_line(&out, &format!("{name}_sum{{method=\"GET\",route=\"/a\"}} {sum}")), "{out}");
        assert!(has_line(&out, r#"finsam_http_requests_total{method="GET",route="/a",status="200"} 5"#), "{out}");
    }

    #[test]
    fn the_caches_histograms_are_scraped_under_their_names() {
        let (metrics, tables, _) = metrics();
        tables.observe(Duration::from_millis(30));
        tables.observe(Duration::from_millis(30));
        let out = metrics.render(&[]).unwrap();
        let name = "finsam_table_snapshot_refresh_seconds";
        assert!(has_line(&out, &format!("# TYPE {name} histogram")), "{out}");
        assert!(has_line(&out, &format!("# HELP {name} Time to load or refresh the statistics data after a change.")));
        assert!(has_line(&out, &format!("{name}_bucket{{le=\"0.025\"}} 0")), "{out}");
        assert!(has_line(&out, &format!("{name}_bucket{{le=\"0.05\"}} 2")), "{out}");
        assert!(has_line(&out, &format!("{name}_count 2")), "{out}");
        assert!(has_line(&out, "finsam_open_tables_protect_seconds_count 0"), "{out}");
        assert!(!out.contains("unregistered"), "{out}");
    }

    #[test]
    fn label_values_are_escaped_and_odd_methods_are_other() {
        let (metrics, _, _) = metrics();
        let status = StatusCode::from_u16(418).unwrap();
        metrics.record_request(&Method::from_bytes(b"BREW").unwrap(), Some("/x/{y:\"}\\\n"), status, Duration::ZERO);
        let out = metrics.render(&[]).unwrap();
        assert!(
            has_line(&out, r#"finsam_http_requests_total{method="other",route="/x/{y:\"}\\\n",status="418"} 1"#),
            "{out}"
        );
    }

    #[test]
    fn both_pools_are_reported_each_under_its_own_names() {
        // Pools that never connect: their sizes tell them apart.
        let pool = |max_size| {
            let manager = diesel::r2d2::ConnectionManager::new("postgres://nowhere.invalid/finsam");
            diesel::r2d2::Pool::builder().max_size(max_size).min_idle(Some(0)).build_unchecked(manager)
        };
        let (metrics, _, _) = metrics();
        metrics.pool.set(&pool(3));
        metrics.read_pool.set(&pool(5));
        let out = metrics.render(&[]).unwrap();
        for line in [
            "finsam_db_pool_max_connections 3",
            r#"finsam_db_pool_connections{state="idle"} 0"#,
            r#"finsam_db_pool_connections{state="in_use"} 0"#,
            "finsam_db_read_pool_max_connections 5",
            r#"finsam_db_read_pool_connections{state="idle"} 0"#,
            r#"finsam_db_read_pool_connections{state="in_use"} 0"#,
            "# TYPE finsam_db_read_pool_connections gauge",
        ] {
            assert!(has_line(&out, line), "no {line} in\n{out}");
        }
    }

    #[test]
    fn each_server_counts_alone() {
        let (first, _, _) = metrics();
        let (second, _, _) = metrics();
        first.record_request(&Method::GET, Some("/health"), StatusCode::OK, Duration::ZERO);
        assert!(first.render(&[]).unwrap().contains("route=\"/health\""));
        assert!(!second.render(&[]).unwrap().contains("route=\"/health\""));
    }

    #[test]
    fn import_jobs_are_one_gauge_family_with_every_state() {
        let (metrics, _, _) = metrics();
        let counts: BTreeMap<String, i64> =
            IMPORT_STATES.iter().map(|s| (s.to_string(), 0)).chain([("done".into(), 3)]).collect();
        let out = metrics.render(&import_jobs_family(&counts)).unwrap();
        assert!(has_line(&out, "# TYPE finsam_import_jobs gauge"), "{out}");
        assert!(has_line(&out, r#"finsam_import_jobs{state="done"} 3"#), "{out}");
        assert!(has_line(&out, r#"finsam_import_jobs{state="queued"} 0"#), "{out}");
        assert_eq!(out.matches("# TYPE finsam_import_jobs ").count(), 1, "{out}");
    }
}

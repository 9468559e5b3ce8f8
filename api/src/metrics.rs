//! Prometheus metrics: request counts and latency by route template and status, in-flight
//! requests, database and Redis pool usage, cache hits and misses, job runs.
//!
//! One recorder per process (tests start many apps in one process, so installation is
//! idempotent); every app renders it from `GET /metrics`. Pool gauges are read at scrape time.
//! Labels are bounded: the route is the matched template (`/api/v1/vehicles/{vehicleId}`),
//! never the raw path, and unknown methods count as `OTHER`.

use std::sync::OnceLock;
use std::time::{Duration, Instant};

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::Method;
use actix_web::middleware::Next;
use actix_web::{HttpMessage, HttpResponse, get, web};
use metrics::{Unit, counter, describe_counter, describe_gauge, describe_histogram, gauge};
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};
use sea_orm::{DatabaseConnection, DatabaseConnectionType};

use crate::state::AppState;

pub const REQUESTS: &str = "motovault_http_requests_total";
pub const DURATION: &str = "motovault_http_request_duration_seconds";
pub const IN_FLIGHT: &str = "motovault_http_requests_in_flight";
pub const DB_POOL: &str = "motovault_db_pool_connections";
pub const DB_POOL_MAX: &str = "motovault_db_pool_max_connections";
pub const REDIS_POOL: &str = "motovault_redis_pool_connections";
pub const REDIS_POOL_WAITING: &str = "motovault_redis_pool_waiting";
/// Emitted by the cache (`infra/cache.rs`): labels `cache`, `result` = hit | miss.
pub const CACHE_REQUESTS: &str = "motovault_cache_requests_total";
/// Emitted by the job scheduler (`jobs/`): labels `job`, `outcome` = ok | error.
pub const JOB_RUNS: &str = "motovault_job_runs_total";

/// Route label of requests no route matched (the web app's client-side routes, 404s).
pub const UNMATCHED: &str = "unmatched";

/// Latency buckets in seconds: 1 ms … 30 s, dense where API calls live.
const DURATION_BUCKETS: [f64; 14] = [
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0,
];

/// Histogram samples are folded into buckets at each scrape and at least this often, so an
/// unscraped process does not keep raw samples.
const UPKEEP_EVERY: Duration = Duration::from_secs(5);

static HANDLE: OnceLock<Option<PrometheusHandle>> = OnceLock::new();

/// Installs the process-wide recorder once; later calls return the same handle. `None` when
/// another recorder was installed first (metrics are then not rendered here).
pub fn install() -> Option<&'static PrometheusHandle> {
    HANDLE.get_or_init(build).as_ref()
}

fn build() -> Option<PrometheusHandle> {
    let builder = match PrometheusBuilder::new()
        .set_buckets_for_metric(Matcher::Full(DURATION.to_owned()), &DURATION_BUCKETS)
    {
        Ok(b) => b,
        Err(e) => {
            tracing::error!(error = %e, "metrics: invalid histogram buckets");
            return None;
        }
    };
    let recorder = builder.build_recorder();
    let handle = recorder.handle();
    if let Err(e) = metrics::set_global_recorder(recorder) {
        tracing::error!(error = %e, "metrics: another recorder is installed; /metrics stays empty");
        return None;
    }
    describe();
    let upkeep = handle.clone();
    let spawned = std::thread::Builder::new()
        .name("metrics-upkeep".into())
        .spawn(move || {
            loop {
                std::thread::sleep(UPKEEP_EVERY);
                upkeep.run_upkeep();
            }
        });
    if let Err(e) = spawned {
        // Scrapes still run upkeep themselves.
        tracing::warn!(error = %e, "metrics: no upkeep thread");
    }
    Some(handle)
}

fn describe() {
    describe_counter!(
        REQUESTS,
        "HTTP requests answered, by method, route template and status"
    );
    describe_histogram!(
        DURATION,
        Unit::Seconds,
        "Time to answer an HTTP request (until the response head), by method, route template and status"
    );
    describe_gauge!(IN_FLIGHT, "HTTP requests being handled now");
    describe_gauge!(
        DB_POOL,
        "Database pool connections by state (idle, in_use), read at scrape time"
    );
    describe_gauge!(DB_POOL_MAX, "Configured size of the database pool");
    describe_gauge!(
        REDIS_POOL,
        "Redis pool connections by state (idle, in_use), read at scrape time"
    );
    describe_gauge!(REDIS_POOL_WAITING, "Callers waiting for a Redis connection");
    describe_counter!(
        CACHE_REQUESTS,
        "Cache lookups by cache and result (hit, miss)"
    );
    describe_counter!(
        JOB_RUNS,
        "Background job runs by job and outcome (ok, error)"
    );
    // The cache series exist from the start, so a rate() over them is defined before the
    // first lookup.
    for result in ["hit", "miss"] {
        counter!(CACHE_REQUESTS, "cache" => "summary", "result" => result).increment(0);
    }
}

/// The route template of a request, once per request (the request span and this module both
/// need it).
#[derive(Debug, Clone)]
pub struct RouteTemplate(pub String);

/// The matched route template, or [`UNMATCHED`]; cached in the request's extensions.
pub fn route_of(req: &ServiceRequest) -> String {
    if let Some(route) = req.extensions().get::<RouteTemplate>() {
        return route.0.clone();
    }
    let route = req
        .match_pattern()
        .filter(|p| !p.is_empty())
        .unwrap_or_else(|| UNMATCHED.to_owned());
    req.extensions_mut().insert(RouteTemplate(route.clone()));
    route
}

fn method_label(method: &Method) -> &'static str {
    match *method {
        Method::GET => "GET",
        Method::POST => "POST",
        Method::PUT => "PUT",
        Method::PATCH => "PATCH",
        Method::DELETE => "DELETE",
        Method::HEAD => "HEAD",
        Method::OPTIONS => "OPTIONS",
        _ => "OTHER",
    }
}

/// Lowers the in-flight gauge however the request ends (also when the client goes away and
/// the future is dropped).
struct InFlight;

impl InFlight {
    fn enter() -> InFlight {
        gauge!(IN_FLIGHT).increment(1.0);
        InFlight
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        gauge!(IN_FLIGHT).decrement(1.0);
    }
}

/// Middleware: counts and times each request by method, route template and status.
pub async fn track(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let _in_flight = InFlight::enter();
    let method = method_label(req.method());
    let route = route_of(&req);
    let started = Instant::now();
    let result = next.call(req).await;
    let status = match &result {
        Ok(response) => response.status(),
        Err(e) => e.as_response_error().status_code(),
    };
    let labels = [
        ("method", method.to_owned()),
        ("route", route),
        ("status", status.as_u16().to_string()),
    ];
    counter!(REQUESTS, &labels).increment(1);
    metrics::histogram!(DURATION, &labels).record(started.elapsed().as_secs_f64());
    result
}

/// Sets the pool gauges from this app's pools.
fn sample_pools(state: &AppState) {
    if let Some((size, idle, max)) = db_pool(&state.db) {
        gauge!(DB_POOL, "state" => "idle").set(f64::from(idle));
        gauge!(DB_POOL, "state" => "in_use").set(f64::from(size.saturating_sub(idle)));
        gauge!(DB_POOL_MAX).set(f64::from(max));
    }
    if let Some(redis) = &state.redis {
        let status = redis.pool.status();
        let in_use = status.size.saturating_sub(status.available);
        gauge!(REDIS_POOL, "state" => "idle").set(status.available as f64);
        gauge!(REDIS_POOL, "state" => "in_use").set(in_use as f64);
        gauge!(REDIS_POOL_WAITING).set(status.waiting as f64);
    }
}

/// (open, idle, max) connections of the sqlx pool behind sea-orm.
fn db_pool(db: &DatabaseConnection) -> Option<(u32, u32, u32)> {
    // Matching first: the pool getters panic on the other backend.
    match &db.inner {
        DatabaseConnectionType::SqlxPostgresPoolConnection(_) => {
            let pool = db.get_postgres_connection_pool();
            Some((
                pool.size(),
                u32::try_from(pool.num_idle()).unwrap_or(u32::MAX),
                pool.options().get_max_connections(),
            ))
        }
        DatabaseConnectionType::SqlxSqlitePoolConnection(_) => {
            let pool = db.get_sqlite_connection_pool();
            Some((
                pool.size(),
                u32::try_from(pool.num_idle()).unwrap_or(u32::MAX),
                pool.options().get_max_connections(),
            ))
        }
        _ => None,
    }
}

/// `GET /metrics` in the Prometheus text format. No authentication: expose it inside the
/// cluster only (the Helm chart's NetworkPolicy does).
#[get("/metrics")]
pub async fn endpoint(state: web::Data<AppState>) -> HttpResponse {
    let Some(handle) = install() else {
        return HttpResponse::ServiceUnavailable()
            .content_type("text/plain; charset=utf-8")
            .body("metrics recorder unavailable\n");
    };
    sample_pools(&state);
    handle.run_upkeep();
    HttpResponse::Ok()
        .content_type("text/plain; version=0.0.4; charset=utf-8")
        .body(handle.render())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn methods_are_a_closed_set() {
        let cases = [
            (Method::GET, "GET"),
            (Method::DELETE, "DELETE"),
            (Method::from_bytes(b"PROPFIND").unwrap(), "OTHER"),
            (Method::from_bytes(b"X-RANDOM-1").unwrap(), "OTHER"),
        ];
        for (method, label) in cases {
            assert_eq!(method_label(&method), label, "{method}");
        }
    }

    #[test]
    fn install_is_idempotent() {
        let first = install().map(|h| h as *const PrometheusHandle);
        let second = install().map(|h| h as *const PrometheusHandle);
        assert!(first.is_some());
        assert_eq!(first, second);
    }
}

//! Logs and traces. Logs: JSON lines on stdout, each line inside a request carrying its
//! `request_id` (also returned in `X-Request-Id`; an incoming well-formed one is kept, so ids
//! follow a request through proxies) and its W3C `trace_id`/`span_id`. Traces: OpenTelemetry
//! over OTLP/HTTP when `telemetry.otlp_endpoint` is set; an incoming `traceparent` becomes the
//! parent of the request span. Without an endpoint the ids are still taken from `traceparent`
//! (or made up), so logs correlate with the caller's trace either way.

mod otlp;

use std::time::Instant;

use actix_web::HttpMessage;
use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderMap, HeaderName, HeaderValue};
use actix_web::middleware::Next;
use opentelemetry::propagation::{Extractor, TextMapPropagator};
use opentelemetry::trace::{SpanId, Status, TraceContextExt, TraceId, TracerProvider as _};
use opentelemetry_sdk::propagation::TraceContextPropagator;
use opentelemetry_sdk::trace::SdkTracerProvider;
use tracing::Instrument;
use tracing::field::Empty;
use tracing_opentelemetry::OpenTelemetrySpanExt;
use tracing_subscriber::EnvFilter;
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;

pub use otlp::TelemetryError;

use crate::config::{LogFormat, LogSettings, Settings};

pub const REQUEST_ID_HEADER: &str = "x-request-id";

/// Installs the global subscriber for logs only (commands other than `serve`).
pub fn init(settings: &LogSettings) {
    install(settings, None);
}

/// What `serve` keeps to flush traces at exit.
#[must_use = "call shutdown() at exit, or buffered spans are lost"]
pub struct Telemetry {
    provider: Option<SdkTracerProvider>,
}

impl Telemetry {
    /// Exports the spans still buffered (bounded by the export timeout).
    pub fn shutdown(self) {
        if let Some(provider) = self.provider
            && let Err(e) = provider.shutdown()
        {
            tracing::warn!(error = %e, "flushing traces");
        }
    }
}

/// Logs, plus traces over OTLP when `telemetry.otlp_endpoint` is set.
pub fn init_with_traces(settings: &Settings) -> Result<Telemetry, TelemetryError> {
    let provider = match &settings.telemetry.otlp_endpoint {
        Some(endpoint) => Some(otlp::provider(&settings.telemetry, endpoint)?),
        None => None,
    };
    install(&settings.log, provider.clone());
    Ok(Telemetry { provider })
}

/// `RUST_LOG` overrides the configured level.
fn install(settings: &LogSettings, provider: Option<SdkTracerProvider>) {
    let filter = EnvFilter::try_from_default_env()
        .or_else(|_| EnvFilter::try_new(&settings.level))
        .unwrap_or_else(|_| EnvFilter::new("info"));
    let traces = provider.map(|p| {
        tracing_opentelemetry::layer()
            .with_tracer(p.tracer("motovault"))
            .with_tracked_inactivity(false)
    });
    let registry = tracing_subscriber::registry().with(filter).with(traces);
    let fmt = tracing_subscriber::fmt::layer().with_target(false);
    // A second init (tests start many apps in one process) is harmless; ignore it.
    let _ = match settings.format {
        LogFormat::Json => registry
            .with(
                fmt.json()
                    .flatten_event(true)
                    .with_current_span(true)
                    .with_span_list(false),
            )
            .try_init(),
        LogFormat::Pretty => registry.with(fmt).try_init(),
    };
}

/// The request id of the current request.
#[derive(Debug, Clone)]
pub struct RequestId(pub String);

fn incoming_id(req: &ServiceRequest) -> Option<String> {
    let value = req.headers().get(REQUEST_ID_HEADER)?.to_str().ok()?;
    let ok = !value.is_empty()
        && value.len() <= 64
        && value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    ok.then(|| value.to_owned())
}

fn new_id() -> String {
    hex::encode(random::<12>())
}

/// Reads W3C trace context from actix's header map.
struct Headers<'a>(&'a HeaderMap);

impl Extractor for Headers<'_> {
    fn get(&self, key: &str) -> Option<&str> {
        self.0.get(key).and_then(|v| v.to_str().ok())
    }

    fn keys(&self) -> Vec<&str> {
        self.0.keys().map(HeaderName::as_str).collect()
    }
}

/// The trace and span ids of the request span: from the OpenTelemetry layer when traces are
/// on (its span is a child of the incoming context), else the incoming trace id (or a new
/// one) and a new span id.
fn trace_ids(span: &tracing::Span, parent: opentelemetry::Context) -> (TraceId, SpanId) {
    let incoming = parent.span().span_context().clone();
    if span.set_parent(parent).is_ok() {
        let cx = span.context();
        let own = cx.span().span_context().clone();
        if own.is_valid() {
            return (own.trace_id(), own.span_id());
        }
    }
    let trace_id = if incoming.is_valid() {
        incoming.trace_id()
    } else {
        TraceId::from_bytes(random())
    };
    (trace_id, SpanId::from_bytes(random()))
}

fn random<const N: usize>() -> [u8; N] {
    let mut bytes = [0_u8; N];
    if getrandom::fill(&mut bytes).is_err() {
        // Only for correlation; the clock will do if the OS has no entropy.
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        for (b, n) in bytes.iter_mut().zip(nanos.to_le_bytes().iter().cycle()) {
            *b = *n;
        }
    }
    bytes
}

/// Middleware: request span (child of an incoming `traceparent`), completion log line with
/// status and latency, `X-Request-Id`.
pub async fn request_context(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let id = incoming_id(&req).unwrap_or_else(new_id);
    req.extensions_mut().insert(RequestId(id.clone()));
    let route = crate::metrics::route_of(&req);
    let span = tracing::info_span!(
        "request",
        request_id = %id,
        method = %req.method(),
        path = %loggable_path(req.path(), &route),
        trace_id = Empty,
        span_id = Empty,
        "otel.name" = %format_args!("{} {route}", req.method()),
        "otel.kind" = "server",
    );
    let parent = TraceContextPropagator::new().extract(&Headers(req.headers()));
    let (trace_id, span_id) = trace_ids(&span, parent);
    span.record("trace_id", tracing::field::display(trace_id));
    span.record("span_id", tracing::field::display(span_id));
    span.set_attribute("http.route", route);
    let started = Instant::now();
    async move {
        let mut response = next.call(req).await?;
        if let Ok(value) = HeaderValue::from_str(&id) {
            response
                .headers_mut()
                .insert(HeaderName::from_static(REQUEST_ID_HEADER), value);
        }
        let status = response.status().as_u16();
        let current = tracing::Span::current();
        current.set_attribute("http.response.status_code", i64::from(status));
        let latency_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
        if status >= 500 {
            current.set_status(Status::error("server error"));
            tracing::error!(status, latency_ms, "request finished");
        } else {
            tracing::info!(status, latency_ms, "request finished");
        }
        Ok(response)
    }
    .instrument(span)
    .await
}

/// The request path as logged: the calendar feed's path holds its secret (the URL is the
/// credential a calendar app sends), so that segment is masked. The matched route decides too,
/// since a percent-encoded path (`/api/v1/calendar/%66eed/…`) reaches the same handler.
fn loggable_path<'a>(path: &'a str, route: &str) -> std::borrow::Cow<'a, str> {
    const FEED: &str = "/api/v1/calendar/feed/";
    const FEED_ROUTE: &str = "/api/v1/calendar/feed/{secret}.ics";
    match path.strip_prefix(FEED) {
        Some(rest) if !rest.is_empty() => format!("{FEED}***").into(),
        _ if route == FEED_ROUTE => format!("{FEED}***").into(),
        _ => path.into(),
    }
}

#[cfg(test)]
mod loggable_path_tests {
    use super::loggable_path;

    #[test]
    fn the_feed_secret_is_masked_and_other_paths_are_kept() {
        let feed = "/api/v1/calendar/feed/{secret}.ics";
        let cases = [
            (
                "/api/v1/calendar/feed/0123abcd.ics",
                feed,
                "/api/v1/calendar/feed/***",
            ),
            (
                "/api/v1/calendar/%66eed/0123abcd.ics",
                feed,
                "/api/v1/calendar/feed/***",
            ),
            (
                "/api/v1/calendar/feed",
                "/api/v1/calendar/feed",
                "/api/v1/calendar/feed",
            ),
            (
                "/api/v1/calendar/feed/",
                "unmatched",
                "/api/v1/calendar/feed/",
            ),
            (
                "/api/v1/vehicles/3",
                "/api/v1/vehicles/{vehicleId}",
                "/api/v1/vehicles/3",
            ),
        ];
        for (path, route, logged) in cases {
            assert_eq!(loggable_path(path, route), logged, "{path}");
        }
    }
}

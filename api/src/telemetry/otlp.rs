//! The OTLP/HTTP (protobuf) trace pipeline: batch exporter → `{endpoint}/v1/traces`, resource
//! `service.name`, parent-based ratio sampler.
//!
//! The SDK's batch processor exports from its own thread with a plain executor, while our
//! reqwest 0.12 client needs a Tokio reactor: requests run on a one-thread runtime kept for the
//! process (opentelemetry-otlp's own reqwest support would add reqwest 0.13).

use std::future::Future;
use std::pin::Pin;
use std::sync::OnceLock;
use std::time::Duration;

use opentelemetry_http::{Bytes, HttpClient, HttpError, Request, Response};
use opentelemetry_otlp::{Protocol, WithExportConfig, WithHttpConfig};
use opentelemetry_sdk::Resource;
use opentelemetry_sdk::trace::{Sampler, SdkTracerProvider};

use crate::config::TelemetrySettings;

/// The longest one export may take; a slow collector loses spans, never stalls requests.
const EXPORT_TIMEOUT: Duration = Duration::from_secs(10);

#[derive(Debug, thiserror::Error)]
pub enum TelemetryError {
    #[error("telemetry: cannot start the export runtime: {0}")]
    Runtime(std::io::Error),
    #[error("telemetry: HTTP client: {0}")]
    Client(reqwest::Error),
    #[error("telemetry: OTLP exporter (telemetry.otlp_endpoint): {0}")]
    Exporter(#[from] opentelemetry_otlp::ExporterBuildError),
}

/// `{endpoint}/v1/traces`.
pub fn traces_url(endpoint: &str) -> String {
    format!("{}/v1/traces", endpoint.trim_end_matches('/'))
}

pub fn provider(
    settings: &TelemetrySettings,
    endpoint: &str,
) -> Result<SdkTracerProvider, TelemetryError> {
    let client = ExportClient {
        http: reqwest::Client::builder()
            .timeout(EXPORT_TIMEOUT)
            .build()
            .map_err(TelemetryError::Client)?,
        runtime: export_runtime()?,
    };
    let exporter = opentelemetry_otlp::SpanExporter::builder()
        .with_http()
        .with_http_client(client)
        .with_protocol(Protocol::HttpBinary)
        .with_endpoint(traces_url(endpoint))
        .with_timeout(EXPORT_TIMEOUT)
        .build()?;
    let sampler = Sampler::ParentBased(Box::new(Sampler::TraceIdRatioBased(settings.sample_ratio)));
    Ok(SdkTracerProvider::builder()
        .with_batch_exporter(exporter)
        .with_sampler(sampler)
        .with_resource(
            Resource::builder()
                .with_service_name(settings.service_name.clone())
                .build(),
        )
        .build())
}

static RUNTIME: OnceLock<tokio::runtime::Runtime> = OnceLock::new();

/// One worker thread for the process; kept in a static so it is never dropped inside an
/// async context.
fn export_runtime() -> Result<tokio::runtime::Handle, TelemetryError> {
    if let Some(rt) = RUNTIME.get() {
        return Ok(rt.handle().clone());
    }
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .thread_name("otlp-export")
        .enable_all()
        .build()
        .map_err(TelemetryError::Runtime)?;
    Ok(RUNTIME.get_or_init(|| rt).handle().clone())
}

#[derive(Debug)]
struct ExportClient {
    http: reqwest::Client,
    runtime: tokio::runtime::Handle,
}

type SendFuture<'a> = Pin<Box<dyn Future<Output = Result<Response<Bytes>, HttpError>> + Send + 'a>>;

// The trait is declared with `async_trait`; this is its expanded signature.
impl HttpClient for ExportClient {
    fn send_bytes<'life0, 'async_trait>(
        &'life0 self,
        request: Request<Bytes>,
    ) -> SendFuture<'async_trait>
    where
        'life0: 'async_trait,
        Self: 'async_trait,
    {
        let task = self.runtime.spawn(send(self.http.clone(), request));
        Box::pin(async move { task.await.map_err(|e| Box::new(e) as HttpError)? })
    }
}

async fn send(
    http: reqwest::Client,
    request: Request<Bytes>,
) -> Result<Response<Bytes>, HttpError> {
    let response = http.execute(reqwest::Request::try_from(request)?).await?;
    let status = response.status();
    let headers = response.headers().clone();
    let body = response.bytes().await?;
    let mut out = Response::builder().status(status).body(body)?;
    *out.headers_mut() = headers;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::traces_url;

    #[test]
    fn the_traces_path_is_appended_once() {
        let cases = [
            ("http://collector:4318", "http://collector:4318/v1/traces"),
            ("http://collector:4318/", "http://collector:4318/v1/traces"),
            (
                "https://otel.example.com/otlp",
                "https://otel.example.com/otlp/v1/traces",
            ),
        ];
        for (endpoint, url) in cases {
            assert_eq!(traces_url(endpoint), url);
        }
    }
}

//! Prometheus metrics: request counts and latency by route template and status, pools, cache,
//! jobs. CONTRACT STUB — helper "observability" implements `track` and `endpoint`.

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::{HttpResponse, get};

/// Middleware: counts and times each request.
pub async fn track(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    next.call(req).await
}

/// `GET /metrics` in the Prometheus text format.
#[get("/metrics")]
pub async fn endpoint() -> HttpResponse {
    HttpResponse::Ok().body("")
}

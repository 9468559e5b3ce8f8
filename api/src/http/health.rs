//! Probes. Liveness never touches the database, so a database outage cannot become a restart storm.

use actix_web::{HttpResponse, get, web};
use motovault_shared::dto::{DependencyCheck, Readiness};

use crate::state::AppState;
use crate::store;

#[get("/health/live")]
pub async fn live() -> HttpResponse {
    HttpResponse::Ok().json(serde_json::json!({ "status": "ok" }))
}

/// Ready when the database answers and every migration is applied.
#[get("/health/ready")]
pub async fn ready(state: web::Data<AppState>) -> HttpResponse {
    let database = store::check_ready(&state.db).await;
    let ok = database.is_ok();
    if let Err(detail) = &database {
        tracing::warn!(%detail, "not ready");
    }
    let body = Readiness {
        status: if ok { "ready" } else { "unavailable" }.to_owned(),
        checks: vec![DependencyCheck {
            name: "database".to_owned(),
            ok,
            detail: database.err(),
        }],
    };
    if ok {
        HttpResponse::Ok().json(body)
    } else {
        HttpResponse::ServiceUnavailable().json(body)
    }
}

//! Probes. Liveness never touches the database, so a database outage cannot become a restart storm.

use actix_web::{HttpResponse, get, web};
use motovault_shared::dto::{DependencyCheck, Readiness};

use crate::state::AppState;
use crate::store;

#[get("/health/live")]
pub async fn live() -> HttpResponse {
    HttpResponse::Ok().json(serde_json::json!({ "status": "ok" }))
}

/// Ready when the database answers and every migration is applied. A remote object store and
/// Redis are reported as their own checks (cached a few seconds) but do not make the replica unready:
/// without it only attachment calls fail (503), and taking every replica out of rotation would
/// turn that into a full outage. Its failure shows as `status: "degraded"`.
#[get("/health/ready")]
pub async fn ready(state: web::Data<AppState>) -> HttpResponse {
    if state.draining.load(std::sync::atomic::Ordering::Relaxed) {
        return HttpResponse::ServiceUnavailable().json(Readiness {
            status: "draining".to_owned(),
            checks: Vec::new(),
        });
    }
    let database = store::check_ready(&state.db).await;
    let ok = database.is_ok();
    if let Err(detail) = &database {
        tracing::warn!(%detail, "not ready");
    }
    let mut checks = vec![DependencyCheck {
        name: "database".to_owned(),
        ok,
        detail: database.err(),
    }];
    let mut degraded = false;
    if let Some(objects) = state.objects.check().await {
        if let Err(e) = &objects {
            tracing::warn!(error = %e, "object storage unavailable");
            degraded = true;
        }
        checks.push(DependencyCheck {
            name: "s3".to_owned(),
            ok: objects.is_ok(),
            detail: objects.err().map(|e| e.to_string()),
        });
    }
    if let Some(redis) = &state.redis {
        // Like S3: without Redis every replica falls back to the database and local counters,
        // so its outage degrades but does not unready the replica.
        let answer = redis.check().await;
        if let Err(e) = &answer {
            tracing::warn!(error = %e, "redis unavailable");
            degraded = true;
        }
        checks.push(DependencyCheck {
            name: "redis".to_owned(),
            ok: answer.is_ok(),
            detail: answer.err(),
        });
    }
    let status = match (ok, degraded) {
        (false, _) => "unavailable",
        (true, true) => "degraded",
        (true, false) => "ready",
    };
    let body = Readiness {
        status: status.to_owned(),
        checks,
    };
    if ok {
        HttpResponse::Ok().json(body)
    } else {
        HttpResponse::ServiceUnavailable().json(body)
    }
}

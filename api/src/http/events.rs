//! `GET /api/v1/events`: live changes as Server-Sent Events (see `events::live`).

use actix_web::http::header;
use actix_web::{HttpResponse, get, web};
use motovault_shared::problem::Problem;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::auth::Caller;
use crate::events::live;
use crate::events::visibility::Viewer;
use crate::state::AppState;

pub fn register(cfg: &mut ServiceConfig) {
    cfg.service(stream);
}

/// A `text/event-stream` of changes to the vehicles the caller can view, made by anyone on any
/// replica: `event: change` with `data: {"vehicleId","entity","op","recordId"}` (`entity` is
/// the reference §3.10 name, e.g. `gasrecord`; `op` is `add`, `update` or `delete`), an
/// `event: resync` when changes were skipped (refresh everything), and a comment every 15 s.
/// Signed-in session or API key (any role).
#[utoipa::path(
    tag = "events",
    responses(
        (status = 200, content_type = "text/event-stream", body = String),
        (status = 401, body = Problem)
    )
)]
#[get("/api/v1/events")]
pub async fn stream(state: web::Data<AppState>, caller: Caller) -> HttpResponse {
    // Subscribe before answering, so a change made right after the answer is not missed.
    let changes = state.hub.subscribe();
    let viewer = Viewer::load(&state.db, caller.user).await;
    let body = live::sse(state.db.clone(), changes, viewer, state.draining.clone());
    HttpResponse::Ok()
        .content_type("text/event-stream")
        .insert_header((header::CACHE_CONTROL, "no-cache"))
        // Compression and proxy buffering would hold events back.
        .insert_header((header::CONTENT_ENCODING, "identity"))
        .insert_header(("x-accel-buffering", "no"))
        .streaming(body)
}

//! `/api/v1/api-keys`: the caller's own API keys (signed-in sessions only).

use actix_web::{HttpRequest, HttpResponse, delete, get, post, web};
use motovault_shared::dto::access::{ApiKeyInput, ApiKeyList, CreatedApiKey};
use motovault_shared::problem::Problem;
use utoipa_actix_web::service_config::ServiceConfig;

use super::json::ValidJson;
use crate::auth::Caller;
use crate::domain::api_keys;
use crate::error::{AppError, AppResult};
use crate::state::AppState;

pub fn register(cfg: &mut ServiceConfig) {
    cfg.service(list).service(create).service(remove);
}

/// A positive integer path segment; anything else names nothing (404).
pub(super) fn id_segment(req: &HttpRequest, name: &str) -> AppResult<i64> {
    req.match_info()
        .get(name)
        .and_then(|raw| raw.parse::<i64>().ok())
        .filter(|id| *id > 0)
        .ok_or(AppError::NotFound)
}

/// The caller's keys; never the keys themselves.
#[utoipa::path(
    tag = "api-keys",
    responses((status = 200, body = ApiKeyList), (status = 403, body = Problem))
)]
#[get("/api/v1/api-keys")]
pub async fn list(state: web::Data<AppState>, caller: Caller) -> AppResult<web::Json<ApiKeyList>> {
    Ok(web::Json(api_keys::list(&state.db, &caller).await?))
}

/// A new key: `secret` is in this answer only. Send it as `Authorization: Bearer <secret>` or
/// `x-api-key: <secret>`; for reads only, also as the `apiKey` query parameter.
#[utoipa::path(
    tag = "api-keys",
    request_body = ApiKeyInput,
    responses(
        (status = 201, body = CreatedApiKey),
        (status = 403, body = Problem),
        (status = 409, body = Problem),
        (status = 422, body = Problem)
    )
)]
#[post("/api/v1/api-keys")]
pub async fn create(
    state: web::Data<AppState>,
    caller: Caller,
    body: ValidJson<ApiKeyInput>,
) -> AppResult<HttpResponse> {
    let created = api_keys::create(&state.db, &caller, body.0).await?;
    Ok(HttpResponse::Created().json(created))
}

/// Revokes the key at once.
#[utoipa::path(
    tag = "api-keys",
    params(("keyId" = i64, Path)),
    responses((status = 204), (status = 403, body = Problem), (status = 404, body = Problem))
)]
#[delete("/api/v1/api-keys/{keyId}")]
pub async fn remove(
    state: web::Data<AppState>,
    caller: Caller,
    req: HttpRequest,
) -> AppResult<HttpResponse> {
    let key = id_segment(&req, "keyId")?;
    api_keys::delete(&state.db, &caller, key).await?;
    Ok(HttpResponse::NoContent().finish())
}

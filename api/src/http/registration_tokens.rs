//! `/api/v1/registration-tokens` (administrators): single-use tokens bound to an e-mail.

use actix_web::{HttpRequest, HttpResponse, delete, get, post, web};
use motovault_shared::dto::users::{
    CreatedRegistrationToken, RegistrationTokenInput, RegistrationTokenList,
};
use motovault_shared::problem::Problem;
use utoipa_actix_web::service_config::ServiceConfig;

use super::json::ValidJson;
use super::registration::{base_url, positive_id};
use crate::auth::Caller;
use crate::domain::registration;
use crate::error::AppResult;
use crate::state::AppState;

pub fn register(cfg: &mut ServiceConfig) {
    cfg.service(list).service(create).service(remove);
}

/// Every token, newest first (the tokens themselves are never shown again).
#[utoipa::path(
    tag = "users",
    responses((status = 200, body = RegistrationTokenList), (status = 403, body = Problem))
)]
#[get("/api/v1/registration-tokens")]
pub async fn list(
    state: web::Data<AppState>,
    caller: Caller,
) -> AppResult<web::Json<RegistrationTokenList>> {
    Ok(web::Json(
        registration::list_tokens(&state.db, &caller).await?,
    ))
}

/// Issues a token for an e-mail, optionally expiring and optionally mailed. The answer is the
/// only time the token is shown.
#[utoipa::path(
    tag = "users",
    request_body = RegistrationTokenInput,
    responses(
        (status = 201, body = CreatedRegistrationToken),
        (status = 403, body = Problem),
        (status = 422, body = Problem),
        (status = 503, body = Problem, description = "The e-mail could not be sent (no token is kept)"),
    )
)]
#[post("/api/v1/registration-tokens")]
pub async fn create(
    state: web::Data<AppState>,
    req: HttpRequest,
    caller: Caller,
    body: ValidJson<RegistrationTokenInput>,
) -> AppResult<HttpResponse> {
    let base = base_url(&state, &req);
    let created =
        registration::create_token(&state.db, state.mailer.as_deref(), &base, &caller, body.0)
            .await?;
    Ok(HttpResponse::Created().json(created))
}

/// Withdraws a token.
#[utoipa::path(
    tag = "users",
    params(("tokenId" = i64, Path)),
    responses((status = 204), (status = 403, body = Problem), (status = 404, body = Problem))
)]
#[delete("/api/v1/registration-tokens/{tokenId}")]
pub async fn remove(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
) -> AppResult<HttpResponse> {
    registration::delete_token(&state.db, &caller, positive_id(&id)?).await?;
    Ok(HttpResponse::NoContent().finish())
}

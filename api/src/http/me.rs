//! `/api/v1/me/password` and `/api/v1/me/email`: the signed-in user's own account.

use actix_web::{HttpResponse, put, web};
use motovault_shared::dto::CurrentUser;
use motovault_shared::dto::users::{EmailChange, PasswordChange};
use motovault_shared::problem::Problem;
use utoipa_actix_web::service_config::ServiceConfig;

use super::accounts::session_cookie;
use super::json::ValidJson;
use crate::auth::Caller;
use crate::domain::me;
use crate::error::AppResult;
use crate::state::AppState;

pub fn register(cfg: &mut ServiceConfig) {
    cfg.service(change_password).service(change_email);
}

/// Changes the password. Every other session ends and this one is replaced: the answer sets
/// a new session cookie (read the new CSRF token from `/api/v1/auth/me`).
#[utoipa::path(
    tag = "accounts",
    request_body = PasswordChange,
    responses(
        (status = 204, description = "Changed; a new session cookie is set"),
        (status = 401, body = Problem),
        (status = 403, body = Problem, description = "Not a browser session (API key)"),
        (status = 422, body = Problem, description = "Wrong current password, or weak new one"),
    )
)]
#[put("/api/v1/me/password")]
pub async fn change_password(
    state: web::Data<AppState>,
    caller: Caller,
    body: ValidJson<PasswordChange>,
) -> AppResult<HttpResponse> {
    let days = state.settings.auth.session_days;
    let s = me::change_password(&state.db, state.redis.as_ref(), &caller, body.0, days).await?;
    Ok(HttpResponse::NoContent()
        .cookie(session_cookie(&state, s.cookie_value, days))
        .finish())
}

/// Changes (or, with an empty value, removes) the e-mail address; needs the password.
#[utoipa::path(
    tag = "accounts",
    request_body = EmailChange,
    responses(
        (status = 200, body = CurrentUser),
        (status = 401, body = Problem),
        (status = 403, body = Problem),
        (status = 409, body = Problem, description = "Another account uses that e-mail"),
        (status = 422, body = Problem),
    )
)]
#[put("/api/v1/me/email")]
pub async fn change_email(
    state: web::Data<AppState>,
    caller: Caller,
    body: ValidJson<EmailChange>,
) -> AppResult<web::Json<CurrentUser>> {
    Ok(web::Json(
        me::change_email(&state.db, state.redis.as_ref(), &caller, body.0).await?,
    ))
}

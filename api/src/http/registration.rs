//! Public account endpoints: `/api/v1/auth/options`, `/api/v1/auth/register` and the password
//! reset by e-mail (`/api/v1/auth/password-reset`, `…/confirm`).

use actix_web::http::{StatusCode, header};
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use motovault_shared::dto::CurrentUser;
use motovault_shared::dto::users::{
    AuthOptions, PasswordResetConfirm, PasswordResetRequest, RegisterRequest,
};
use motovault_shared::problem::Problem;
use utoipa_actix_web::service_config::ServiceConfig;

use super::accounts::session_cookie;
use super::json::ValidJson;
use crate::domain::registration;
use crate::error::{AppError, AppResult};
use crate::state::AppState;

pub fn register(cfg: &mut ServiceConfig) {
    cfg.service(options)
        .service(register_account)
        .service(request_reset)
        .service(confirm_reset);
}

/// An id from the path: anything but a positive integer names nothing (404).
pub(super) fn positive_id(raw: &str) -> AppResult<i64> {
    raw.parse::<i64>()
        .ok()
        .filter(|id| *id > 0)
        .ok_or(AppError::NotFound)
}

/// Where links in e-mails point: `server.public_url`, else the address this request came to.
/// The request's `Host` can be chosen by whoever sends it, so production setups should set
/// `public_url` (README); forwarded headers count only behind a trusted proxy.
pub(super) fn base_url(state: &AppState, req: &HttpRequest) -> String {
    if let Some(url) = state
        .settings
        .server
        .public_url
        .as_deref()
        .map(str::trim)
        .filter(|u| !u.is_empty())
    {
        return url.trim_end_matches('/').to_owned();
    }
    if state.settings.server.trust_forwarded_for {
        let info = req.connection_info();
        return format!("{}://{}", info.scheme(), info.host());
    }
    let scheme = if state.settings.auth.secure_cookies {
        "https"
    } else {
        "http"
    };
    let host = req
        .headers()
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .map(str::to_owned)
        .unwrap_or_else(|| req.app_config().host().to_owned());
    format!("{scheme}://{host}")
}

/// How people may sign in and register here (read by the login page).
#[utoipa::path(tag = "accounts", responses((status = 200, body = AuthOptions)))]
#[get("/api/v1/auth/options")]
pub async fn options(state: web::Data<AppState>) -> web::Json<AuthOptions> {
    web::Json(registration::options(&state))
}

/// Creates an ordinary account as `auth.registration` allows (`token`: a valid unused token
/// issued for this e-mail) and signs it in.
#[utoipa::path(
    tag = "accounts",
    request_body = RegisterRequest,
    responses(
        (status = 201, body = CurrentUser, description = "Created and signed in"),
        (status = 403, body = Problem, description = "Registration is off"),
        (status = 409, body = Problem, description = "Username or e-mail already in use"),
        (status = 422, body = Problem, description = "Invalid input, or the token is not valid for this e-mail"),
    )
)]
#[post("/api/v1/auth/register")]
pub async fn register_account(
    state: web::Data<AppState>,
    body: ValidJson<RegisterRequest>,
) -> AppResult<HttpResponse> {
    let s = registration::register(&state.db, &state.settings.auth, body.0).await?;
    Ok(HttpResponse::build(StatusCode::CREATED)
        .cookie(session_cookie(
            &state,
            s.cookie_value,
            state.settings.auth.session_days,
        ))
        .json(s.user))
}

/// E-mails a reset link when an account has this address. Always 202: the answer does not
/// tell whether the address is known.
#[utoipa::path(
    tag = "accounts",
    request_body = PasswordResetRequest,
    responses(
        (status = 202, description = "A link was mailed if the address belongs to an account"),
        (status = 422, body = Problem),
        (status = 503, body = Problem, description = "E-mail is not configured"),
    )
)]
#[post("/api/v1/auth/password-reset")]
pub async fn request_reset(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: ValidJson<PasswordResetRequest>,
) -> AppResult<HttpResponse> {
    let base = base_url(&state, &req);
    registration::request_reset(&state, &base, body.0).await?;
    Ok(HttpResponse::Accepted().finish())
}

/// Sets a new password from a reset link (single use) and signs the user out everywhere.
#[utoipa::path(
    tag = "accounts",
    request_body = PasswordResetConfirm,
    responses(
        (status = 204),
        (status = 422, body = Problem, description = "Weak password, or the link is invalid, used or expired"),
    )
)]
#[post("/api/v1/auth/password-reset/confirm")]
pub async fn confirm_reset(
    state: web::Data<AppState>,
    body: ValidJson<PasswordResetConfirm>,
) -> AppResult<HttpResponse> {
    registration::confirm_reset(&state.db, state.redis.as_ref(), body.0).await?;
    Ok(HttpResponse::NoContent().finish())
}

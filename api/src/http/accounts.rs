//! `/api/v1/setup`, `/api/v1/auth/*`, `/api/v1/me/settings`.

use actix_web::cookie::{Cookie, SameSite, time::Duration as CookieDuration};
use actix_web::{HttpRequest, HttpResponse, get, post, put, web};
use motovault_shared::dto::{CurrentUser, LoginRequest, SetupRequest, SetupStatus, UserSettings};
use motovault_shared::problem::Problem;

use super::json::ValidJson;
use crate::auth::{Caller, SESSION_COOKIE, rate_limit};
use crate::domain::accounts::{self, SignedIn};
use crate::error::{AppError, AppResult};
use crate::state::AppState;

pub(super) fn session_cookie(
    state: &AppState,
    value: String,
    max_age_days: i64,
) -> Cookie<'static> {
    Cookie::build(SESSION_COOKIE, value)
        .path("/")
        .http_only(true)
        .secure(state.settings.auth.secure_cookies)
        .same_site(SameSite::Strict)
        .max_age(CookieDuration::days(max_age_days))
        .finish()
}

/// The answer to a sign-in: the user, and the cookie of the new session.
pub(crate) fn signed_in(
    state: &AppState,
    status: actix_web::http::StatusCode,
    s: SignedIn,
) -> HttpResponse {
    HttpResponse::build(status)
        .cookie(session_cookie(state, s.cookie_value, s.days))
        .json(s.user)
}

/// Who is asking, for the sign-in limits and the failed-login log.
fn client_address(state: &AppState, req: &HttpRequest) -> String {
    let forwarded_for = req
        .headers()
        .get("x-forwarded-for")
        .and_then(|v| v.to_str().ok());
    rate_limit::client_address(
        req.peer_addr().map(|a| a.ip()),
        forwarded_for,
        state.settings.server.trust_forwarded_for,
    )
}

/// Whether the first account still has to be created.
#[utoipa::path(tag = "accounts", responses((status = 200, body = SetupStatus)))]
#[get("/api/v1/setup")]
pub async fn setup_status(state: web::Data<AppState>) -> AppResult<web::Json<SetupStatus>> {
    Ok(web::Json(SetupStatus {
        needs_setup: accounts::needs_setup(&state.db).await?,
    }))
}

/// Creates the first account as the root administrator and signs it in.
#[utoipa::path(
    tag = "accounts",
    request_body = SetupRequest,
    responses(
        (status = 201, body = CurrentUser, description = "Created and signed in"),
        (status = 409, body = Problem, description = "An account already exists"),
        (status = 422, body = Problem),
    )
)]
#[post("/api/v1/setup")]
pub async fn setup(
    state: web::Data<AppState>,
    body: ValidJson<SetupRequest>,
) -> AppResult<HttpResponse> {
    let s = accounts::setup(&state.db, body.0, state.settings.auth.session_days).await?;
    Ok(signed_in(&state, actix_web::http::StatusCode::CREATED, s))
}

/// Signs in and sets the HttpOnly session cookie (a new session every time; a session cookie
/// sent along is ended). `rememberMe` keeps it for `auth.remember_me_days`.
#[utoipa::path(
    tag = "accounts",
    request_body = LoginRequest,
    responses(
        (status = 200, body = CurrentUser),
        (status = 401, body = Problem),
        (status = 403, body = Problem, description = "Password sign-in is turned off"),
        (status = 422, body = Problem),
        (status = 429, body = Problem, description = "Too many failed sign-ins for this account or address; see Retry-After"),
    )
)]
#[post("/api/v1/auth/login")]
pub async fn login(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: ValidJson<LoginRequest>,
) -> AppResult<HttpResponse> {
    if state.settings.auth.disable_password_login {
        return Err(AppError::Forbidden(
            "password sign-in is turned off: sign in with the single sign-on provider".into(),
        ));
    }
    let address = client_address(&state, &req);
    let old_cookie = req.cookie(SESSION_COOKIE);
    let attempt = accounts::LoginAttempt {
        address: &address,
        old_cookie: old_cookie.as_ref().map(Cookie::value),
        redis: state.redis.as_ref(),
    };
    let s = accounts::login(
        &state.db,
        &state.settings.auth,
        &state.login_limiter,
        body.0,
        attempt,
    )
    .await?;
    Ok(signed_in(&state, actix_web::http::StatusCode::OK, s))
}

/// Ends the session and clears the cookie.
#[utoipa::path(tag = "accounts", responses((status = 204), (status = 401, body = Problem), (status = 403, body = Problem)))]
#[post("/api/v1/auth/logout")]
pub async fn logout(state: web::Data<AppState>, caller: Caller) -> AppResult<HttpResponse> {
    accounts::logout(&state.db, state.redis.as_ref(), &caller).await?;
    let mut gone = session_cookie(&state, String::new(), 0);
    gone.make_removal();
    Ok(HttpResponse::NoContent().cookie(gone).finish())
}

/// The signed-in user, with the CSRF token to send on writes.
#[utoipa::path(tag = "accounts", responses((status = 200, body = CurrentUser), (status = 401, body = Problem)))]
#[get("/api/v1/auth/me")]
pub async fn me(state: web::Data<AppState>, caller: Caller) -> AppResult<web::Json<CurrentUser>> {
    Ok(web::Json(accounts::me(&state.db, &caller).await?))
}

/// The caller's display settings.
#[utoipa::path(tag = "accounts", responses((status = 200, body = UserSettings), (status = 401, body = Problem)))]
#[get("/api/v1/me/settings")]
pub async fn get_settings(
    state: web::Data<AppState>,
    caller: Caller,
) -> AppResult<web::Json<UserSettings>> {
    Ok(web::Json(accounts::me(&state.db, &caller).await?.settings))
}

/// Replaces the caller's display settings.
#[utoipa::path(
    tag = "accounts",
    request_body = UserSettings,
    responses((status = 200, body = UserSettings), (status = 401, body = Problem), (status = 422, body = Problem))
)]
#[put("/api/v1/me/settings")]
pub async fn put_settings(
    state: web::Data<AppState>,
    caller: Caller,
    body: ValidJson<UserSettings>,
) -> AppResult<web::Json<UserSettings>> {
    Ok(web::Json(
        accounts::save_settings(&state.db, &caller, body.0).await?,
    ))
}

//! `/api/v1/setup`, `/api/v1/auth/*`, `/api/v1/me/settings`.

use actix_web::cookie::{Cookie, SameSite, time::Duration as CookieDuration};
use actix_web::{HttpResponse, get, post, put, web};
use motovault_shared::dto::{CurrentUser, LoginRequest, SetupRequest, SetupStatus, UserSettings};
use motovault_shared::problem::Problem;

use super::json::ValidJson;
use crate::auth::{Caller, SESSION_COOKIE};
use crate::domain::accounts::{self, SignedIn};
use crate::error::AppResult;
use crate::state::AppState;

fn session_cookie(state: &AppState, value: String, max_age_days: i64) -> Cookie<'static> {
    Cookie::build(SESSION_COOKIE, value)
        .path("/")
        .http_only(true)
        .secure(state.settings.auth.secure_cookies)
        .same_site(SameSite::Strict)
        .max_age(CookieDuration::days(max_age_days))
        .finish()
}

fn signed_in(state: &AppState, status: actix_web::http::StatusCode, s: SignedIn) -> HttpResponse {
    let days = state.settings.auth.session_days;
    HttpResponse::build(status)
        .cookie(session_cookie(state, s.cookie_value, days))
        .json(s.user)
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

/// Signs in and sets the HttpOnly session cookie.
#[utoipa::path(
    tag = "accounts",
    request_body = LoginRequest,
    responses((status = 200, body = CurrentUser), (status = 401, body = Problem), (status = 422, body = Problem))
)]
#[post("/api/v1/auth/login")]
pub async fn login(
    state: web::Data<AppState>,
    body: ValidJson<LoginRequest>,
) -> AppResult<HttpResponse> {
    let s = accounts::login(&state.db, body.0, state.settings.auth.session_days).await?;
    Ok(signed_in(&state, actix_web::http::StatusCode::OK, s))
}

/// Ends the session and clears the cookie.
#[utoipa::path(tag = "accounts", responses((status = 204), (status = 401, body = Problem), (status = 403, body = Problem)))]
#[post("/api/v1/auth/logout")]
pub async fn logout(state: web::Data<AppState>, caller: Caller) -> AppResult<HttpResponse> {
    accounts::logout(&state.db, &caller).await?;
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

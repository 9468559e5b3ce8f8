//! `/api/v1/users`: user administration (administrators and the root, over a session).

use actix_web::{HttpRequest, HttpResponse, delete, get, patch, post, web};
use motovault_shared::dto::users::{
    AdminPasswordInput, AdminPasswordResult, NewUserInput, UserList, UserSummary, UserUpdate,
};
use motovault_shared::problem::Problem;
use utoipa_actix_web::service_config::ServiceConfig;

use super::json::ValidJson;
use super::registration::{base_url, positive_id};
use crate::auth::Caller;
use crate::domain::users;
use crate::error::AppResult;
use crate::state::AppState;

pub fn register(cfg: &mut ServiceConfig) {
    cfg.service(list)
        .service(create)
        .service(get)
        .service(update)
        .service(remove)
        .service(set_password);
}

/// Every account.
#[utoipa::path(
    tag = "users",
    responses((status = 200, body = UserList), (status = 401, body = Problem), (status = 403, body = Problem))
)]
#[get("/api/v1/users")]
pub async fn list(state: web::Data<AppState>, caller: Caller) -> AppResult<web::Json<UserList>> {
    Ok(web::Json(users::list(&state.db, &caller).await?))
}

/// Creates an account (without a password when none is given: a reset link sets it).
#[utoipa::path(
    tag = "users",
    request_body = NewUserInput,
    responses(
        (status = 201, body = UserSummary),
        (status = 403, body = Problem),
        (status = 409, body = Problem, description = "Username or e-mail already in use"),
        (status = 422, body = Problem),
    )
)]
#[post("/api/v1/users")]
pub async fn create(
    state: web::Data<AppState>,
    caller: Caller,
    body: ValidJson<NewUserInput>,
) -> AppResult<HttpResponse> {
    let created = users::create(&state.db, &caller, body.0).await?;
    Ok(HttpResponse::Created().json(created))
}

/// One account.
#[utoipa::path(
    tag = "users",
    params(("userId" = i64, Path)),
    responses((status = 200, body = UserSummary), (status = 403, body = Problem), (status = 404, body = Problem))
)]
#[get("/api/v1/users/{userId}")]
pub async fn get(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
) -> AppResult<web::Json<UserSummary>> {
    let id = positive_id(&id)?;
    Ok(web::Json(users::get(&state.db, &caller, id).await?))
}

/// Changes e-mail, administrator right or disabled flag. Granting or revoking administrator
/// and disabling end the user's sessions. Not for the root or yourself.
#[utoipa::path(
    tag = "users",
    params(("userId" = i64, Path)),
    request_body = UserUpdate,
    responses(
        (status = 200, body = UserSummary),
        (status = 403, body = Problem, description = "Not an administrator, or the target is the root"),
        (status = 404, body = Problem),
        (status = 409, body = Problem, description = "Your own account, or the e-mail is in use"),
        (status = 422, body = Problem),
    )
)]
#[patch("/api/v1/users/{userId}")]
pub async fn update(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    body: ValidJson<UserUpdate>,
) -> AppResult<web::Json<UserSummary>> {
    let id = positive_id(&id)?;
    Ok(web::Json(
        users::update(&state.db, state.redis.as_ref(), &caller, id, body.0).await?,
    ))
}

/// Deletes an account with its sessions, keys, collaborator and household rows; its vehicles
/// stay. Not for the root or yourself.
#[utoipa::path(
    tag = "users",
    params(("userId" = i64, Path)),
    responses(
        (status = 204),
        (status = 403, body = Problem),
        (status = 404, body = Problem),
        (status = 409, body = Problem),
    )
)]
#[delete("/api/v1/users/{userId}")]
pub async fn remove(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
) -> AppResult<HttpResponse> {
    let id = positive_id(&id)?;
    users::delete(&state.db, state.redis.as_ref(), &caller, id).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Sets a new password, or (without `newPassword`) revokes it and e-mails a reset link when
/// the user has an e-mail and SMTP is configured. Ends the user's sessions.
#[utoipa::path(
    tag = "users",
    params(("userId" = i64, Path)),
    request_body = AdminPasswordInput,
    responses(
        (status = 200, body = AdminPasswordResult),
        (status = 403, body = Problem),
        (status = 404, body = Problem),
        (status = 409, body = Problem),
        (status = 422, body = Problem),
    )
)]
#[post("/api/v1/users/{userId}/password")]
pub async fn set_password(
    state: web::Data<AppState>,
    req: HttpRequest,
    caller: Caller,
    id: web::Path<String>,
    body: ValidJson<AdminPasswordInput>,
) -> AppResult<web::Json<AdminPasswordResult>> {
    let id = positive_id(&id)?;
    let base = base_url(&state, &req);
    Ok(web::Json(
        users::set_password(
            &state.db,
            state.redis.as_ref(),
            state.mailer.as_deref(),
            state.settings.auth.password_reset_minutes,
            &base,
            &caller,
            id,
            body.0,
        )
        .await?,
    ))
}

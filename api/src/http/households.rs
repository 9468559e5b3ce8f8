//! `/api/v1/household`: the household the caller heads and the ones they belong to.

use actix_web::{HttpRequest, HttpResponse, delete, get, post, put, web};
use motovault_shared::dto::access::{
    Household, HouseholdMember, HouseholdMemberInput, HouseholdRoleInput,
};
use motovault_shared::problem::Problem;
use utoipa_actix_web::service_config::ServiceConfig;

use super::api_keys::id_segment;
use super::json::ValidJson;
use crate::auth::Caller;
use crate::domain::households;
use crate::error::AppResult;
use crate::state::AppState;

pub fn register(cfg: &mut ServiceConfig) {
    cfg.service(get_household)
        .service(add_member)
        .service(set_role)
        .service(remove_member)
        .service(leave);
}

/// The members the caller heads and the heads whose vehicles the caller inherits.
#[utoipa::path(
    tag = "household",
    responses((status = 200, body = Household))
)]
#[get("/api/v1/household")]
pub async fn get_household(
    state: web::Data<AppState>,
    caller: Caller,
) -> AppResult<web::Json<Household>> {
    Ok(web::Json(households::get(&state.db, &caller).await?))
}

/// Adds a member to the caller's household with a role.
#[utoipa::path(
    tag = "household",
    request_body = HouseholdMemberInput,
    responses(
        (status = 201, body = HouseholdMember),
        (status = 403, body = Problem),
        (status = 409, body = Problem),
        (status = 422, body = Problem)
    )
)]
#[post("/api/v1/household/members")]
pub async fn add_member(
    state: web::Data<AppState>,
    caller: Caller,
    body: ValidJson<HouseholdMemberInput>,
) -> AppResult<HttpResponse> {
    let added = households::add_member(&state.db, &caller, body.0).await?;
    Ok(HttpResponse::Created().json(added))
}

/// Changes a member's role.
#[utoipa::path(
    tag = "household",
    params(("userId" = i64, Path)),
    request_body = HouseholdRoleInput,
    responses(
        (status = 200, body = HouseholdMember),
        (status = 403, body = Problem),
        (status = 404, body = Problem),
        (status = 422, body = Problem)
    )
)]
#[put("/api/v1/household/members/{userId}")]
pub async fn set_role(
    state: web::Data<AppState>,
    caller: Caller,
    req: HttpRequest,
    body: ValidJson<HouseholdRoleInput>,
) -> AppResult<web::Json<HouseholdMember>> {
    let member = id_segment(&req, "userId")?;
    Ok(web::Json(
        households::set_role(&state.db, &caller, member, body.0).await?,
    ))
}

/// Removes a member from the caller's household.
#[utoipa::path(
    tag = "household",
    params(("userId" = i64, Path)),
    responses((status = 204), (status = 403, body = Problem), (status = 404, body = Problem))
)]
#[delete("/api/v1/household/members/{userId}")]
pub async fn remove_member(
    state: web::Data<AppState>,
    caller: Caller,
    req: HttpRequest,
) -> AppResult<HttpResponse> {
    let member = id_segment(&req, "userId")?;
    households::remove_member(&state.db, &caller, member).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// The caller leaves the household headed by `userId`.
#[utoipa::path(
    tag = "household",
    params(("userId" = i64, Path)),
    responses((status = 204), (status = 403, body = Problem), (status = 404, body = Problem))
)]
#[delete("/api/v1/household/heads/{userId}")]
pub async fn leave(
    state: web::Data<AppState>,
    caller: Caller,
    req: HttpRequest,
) -> AppResult<HttpResponse> {
    let head = id_segment(&req, "userId")?;
    households::leave(&state.db, &caller, head).await?;
    Ok(HttpResponse::NoContent().finish())
}

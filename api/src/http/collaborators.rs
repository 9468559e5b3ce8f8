//! `/api/v1/vehicles/{vehicleId}/collaborators`: a vehicle's co-owners.

use actix_web::{HttpRequest, HttpResponse, delete, get, post, web};
use motovault_shared::dto::access::{Collaborator, CollaboratorInput, CollaboratorList};
use motovault_shared::problem::Problem;
use utoipa_actix_web::service_config::ServiceConfig;

use super::api_keys::id_segment;
use super::json::ValidJson;
use super::path::Id;
use crate::auth::Caller;
use crate::domain::collaborators;
use crate::error::AppResult;
use crate::state::AppState;

pub fn register(cfg: &mut ServiceConfig) {
    cfg.service(list).service(add).service(remove);
}

/// Everyone with full rights on the vehicle; visible to anyone who can see the vehicle.
#[utoipa::path(
    tag = "collaborators",
    params(("vehicleId" = i64, Path)),
    responses((status = 200, body = CollaboratorList), (status = 404, body = Problem))
)]
#[get("/api/v1/vehicles/{vehicleId}/collaborators")]
pub async fn list(
    state: web::Data<AppState>,
    caller: Caller,
    id: Id,
) -> AppResult<web::Json<CollaboratorList>> {
    Ok(web::Json(
        collaborators::list(&state.db, &caller, id.vehicle()).await?,
    ))
}

/// Makes an existing user a co-owner. Owners only, over a signed-in session.
#[utoipa::path(
    tag = "collaborators",
    params(("vehicleId" = i64, Path)),
    request_body = CollaboratorInput,
    responses(
        (status = 201, body = Collaborator),
        (status = 403, body = Problem),
        (status = 404, body = Problem),
        (status = 409, body = Problem),
        (status = 422, body = Problem)
    )
)]
#[post("/api/v1/vehicles/{vehicleId}/collaborators")]
pub async fn add(
    state: web::Data<AppState>,
    caller: Caller,
    id: Id,
    body: ValidJson<CollaboratorInput>,
) -> AppResult<HttpResponse> {
    let added = collaborators::add(&state.db, &caller, id.vehicle(), body.0).await?;
    // Who sees the vehicle changed: their garages refresh.
    let change = crate::events::Change::bare(
        &caller,
        "vehicle",
        crate::events::Op::Update,
        id.vehicle(),
        None,
    );
    state.hub.publish(change).await;
    Ok(HttpResponse::Created().json(added))
}

/// Removes a co-owner (also oneself). The last collaborator cannot be removed (409).
#[utoipa::path(
    tag = "collaborators",
    params(("vehicleId" = i64, Path), ("userId" = i64, Path)),
    responses(
        (status = 204),
        (status = 403, body = Problem),
        (status = 404, body = Problem),
        (status = 409, body = Problem)
    )
)]
#[delete("/api/v1/vehicles/{vehicleId}/collaborators/{userId}")]
pub async fn remove(
    state: web::Data<AppState>,
    caller: Caller,
    id: Id,
    req: HttpRequest,
) -> AppResult<HttpResponse> {
    let user = id_segment(&req, "userId")?;
    collaborators::remove(&state.db, &caller, id.vehicle(), user).await?;
    let change = crate::events::Change::bare(
        &caller,
        "vehicle",
        crate::events::Op::Update,
        id.vehicle(),
        None,
    );
    state.hub.publish(change).await;
    Ok(HttpResponse::NoContent().finish())
}

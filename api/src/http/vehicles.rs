//! `/api/v1/vehicles`.

use actix_web::{HttpResponse, delete, get, post, put, web};
use motovault_shared::dto::{Vehicle, VehicleInput};
use motovault_shared::problem::Problem;

use super::json::ValidJson;
use super::path::Id;
use crate::auth::Caller;
use crate::domain::vehicles;
use crate::error::AppResult;
use crate::events::{Change, Op};
use crate::state::AppState;

/// Vehicles the caller may see.
#[utoipa::path(tag = "vehicles", responses((status = 200, body = Vec<Vehicle>), (status = 401, body = Problem)))]
#[get("/api/v1/vehicles")]
pub async fn list(
    state: web::Data<AppState>,
    caller: Caller,
) -> AppResult<web::Json<Vec<Vehicle>>> {
    Ok(web::Json(vehicles::list(&state.db, &caller).await?))
}

/// Adds a vehicle; its creator becomes its owner.
#[utoipa::path(
    tag = "vehicles",
    request_body = VehicleInput,
    responses((status = 201, body = Vehicle), (status = 401, body = Problem), (status = 422, body = Problem))
)]
#[post("/api/v1/vehicles")]
pub async fn create(
    state: web::Data<AppState>,
    caller: Caller,
    body: ValidJson<VehicleInput>,
) -> AppResult<HttpResponse> {
    let created = vehicles::create(&state.db, &caller, body.0).await?;
    state
        .hub
        .publish(Change::of(&caller, Op::Add, &created))
        .await;
    Ok(HttpResponse::Created().json(created))
}

#[utoipa::path(
    tag = "vehicles",
    params(("vehicleId" = i64, Path)),
    responses((status = 200, body = Vehicle), (status = 404, body = Problem))
)]
#[get("/api/v1/vehicles/{vehicleId}")]
pub async fn get(
    state: web::Data<AppState>,
    caller: Caller,
    id: Id,
) -> AppResult<web::Json<Vehicle>> {
    Ok(web::Json(
        vehicles::get(&state.db, &caller, id.vehicle()).await?,
    ))
}

#[utoipa::path(
    tag = "vehicles",
    params(("vehicleId" = i64, Path)),
    request_body = VehicleInput,
    responses((status = 200, body = Vehicle), (status = 404, body = Problem), (status = 422, body = Problem))
)]
#[put("/api/v1/vehicles/{vehicleId}")]
pub async fn update(
    state: web::Data<AppState>,
    caller: Caller,
    id: Id,
    body: ValidJson<VehicleInput>,
) -> AppResult<web::Json<Vehicle>> {
    let updated = vehicles::update(&state.db, &caller, id.vehicle(), body.0).await?;
    state
        .hub
        .publish(Change::of(&caller, Op::Update, &updated))
        .await;
    Ok(web::Json(updated))
}

/// Deletes the vehicle and every record of it.
#[utoipa::path(tag = "vehicles", params(("vehicleId" = i64, Path)), responses((status = 204), (status = 404, body = Problem)))]
#[delete("/api/v1/vehicles/{vehicleId}")]
pub async fn remove(state: web::Data<AppState>, caller: Caller, id: Id) -> AppResult<HttpResponse> {
    vehicles::delete(&state.db, state.objects.as_ref(), &caller, id.vehicle()).await?;
    state
        .hub
        .publish(Change::bare(
            &caller,
            "vehicle",
            Op::Delete,
            id.vehicle(),
            None,
        ))
        .await;
    Ok(HttpResponse::NoContent().finish())
}

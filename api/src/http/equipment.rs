//! `/api/v1/vehicles/{vehicleId}/equipment`.

use actix_web::{HttpResponse, delete, get, post, put, web};
use motovault_shared::dto::equipment::{Equipment, EquipmentInput, EquipmentList};
use motovault_shared::problem::Problem;
use utoipa_actix_web::service_config::ServiceConfig;

use super::json::ValidJson;
use super::path::Id;
use crate::auth::Caller;
use crate::domain::equipment;
use crate::error::AppResult;
use crate::events::{Change, Op};
use crate::state::AppState;

/// The vehicle's equipment, each with `distanceTraveled` = Σ distance of its linked odometer
/// records (reference §3.3).
#[utoipa::path(
    tag = "equipment",
    params(("vehicleId" = i64, Path)),
    responses((status = 200, body = EquipmentList), (status = 404, body = Problem))
)]
#[get("/api/v1/vehicles/{vehicleId}/equipment")]
pub async fn list(
    state: web::Data<AppState>,
    caller: Caller,
    id: Id,
) -> AppResult<web::Json<EquipmentList>> {
    Ok(web::Json(
        equipment::list(&state.db, &caller, id.vehicle()).await?,
    ))
}

/// Adds an item. Equipped items are linked to every auto-inserted odometer record.
#[utoipa::path(
    tag = "equipment",
    params(("vehicleId" = i64, Path)),
    request_body = EquipmentInput,
    responses((status = 201, body = Equipment), (status = 404, body = Problem), (status = 422, body = Problem))
)]
#[post("/api/v1/vehicles/{vehicleId}/equipment")]
pub async fn create(
    state: web::Data<AppState>,
    caller: Caller,
    id: Id,
    body: ValidJson<EquipmentInput>,
) -> AppResult<HttpResponse> {
    let created = equipment::create(&state.db, &caller, id.vehicle(), body.0).await?;
    state
        .hub
        .publish(Change::of(&caller, Op::Add, &created))
        .await;
    Ok(HttpResponse::Created().json(created))
}

#[utoipa::path(
    tag = "equipment",
    params(("vehicleId" = i64, Path), ("recordId" = i64, Path)),
    responses((status = 200, body = Equipment), (status = 404, body = Problem))
)]
#[get("/api/v1/vehicles/{vehicleId}/equipment/{recordId}")]
pub async fn get(
    state: web::Data<AppState>,
    caller: Caller,
    id: Id,
) -> AppResult<web::Json<Equipment>> {
    let (vehicle, record) = id.vehicle_and_record()?;
    Ok(web::Json(
        equipment::get(&state.db, &caller, vehicle, record).await?,
    ))
}

#[utoipa::path(
    tag = "equipment",
    params(("vehicleId" = i64, Path), ("recordId" = i64, Path)),
    request_body = EquipmentInput,
    responses((status = 200, body = Equipment), (status = 404, body = Problem), (status = 422, body = Problem))
)]
#[put("/api/v1/vehicles/{vehicleId}/equipment/{recordId}")]
pub async fn update(
    state: web::Data<AppState>,
    caller: Caller,
    id: Id,
    body: ValidJson<EquipmentInput>,
) -> AppResult<web::Json<Equipment>> {
    let (vehicle, record) = id.vehicle_and_record()?;
    let updated = equipment::update(&state.db, &caller, vehicle, record, body.0).await?;
    state
        .hub
        .publish(Change::of(&caller, Op::Update, &updated))
        .await;
    Ok(web::Json(updated))
}

/// Deletes the item with its tags and attachments; odometer records lose the link only.
#[utoipa::path(
    tag = "equipment",
    params(("vehicleId" = i64, Path), ("recordId" = i64, Path)),
    responses((status = 204), (status = 404, body = Problem))
)]
#[delete("/api/v1/vehicles/{vehicleId}/equipment/{recordId}")]
pub async fn remove(state: web::Data<AppState>, caller: Caller, id: Id) -> AppResult<HttpResponse> {
    let (vehicle, record) = id.vehicle_and_record()?;
    equipment::delete(&state.db, state.objects.as_ref(), &caller, vehicle, record).await?;
    state
        .hub
        .publish(Change::bare(
            &caller,
            "equipmentrecord",
            Op::Delete,
            vehicle,
            Some(record),
        ))
        .await;
    Ok(HttpResponse::NoContent().finish())
}

pub fn register(cfg: &mut ServiceConfig) {
    cfg.service(list)
        .service(create)
        .service(get)
        .service(update)
        .service(remove);
}

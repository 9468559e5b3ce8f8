//! `/api/v1/vehicles/{vehicleId}/fuel-records`.

use actix_web::{HttpResponse, delete, get, post, put, web};
use motovault_shared::dto::{FuelRecord, FuelRecordInput, FuelRecordList};
use motovault_shared::problem::Problem;

use super::json::ValidJson;
use super::path::Id;
use crate::auth::Caller;
use crate::domain::fuel;
use crate::error::AppResult;
use crate::events::{Change, Op};
use crate::state::AppState;

/// Every fill-up, newest first, with distance, economy and the vehicle's average (reference §3.1).
#[utoipa::path(
    tag = "fuel",
    params(("vehicleId" = i64, Path)),
    responses((status = 200, body = FuelRecordList), (status = 404, body = Problem))
)]
#[get("/api/v1/vehicles/{vehicleId}/fuel-records")]
pub async fn list(
    state: web::Data<AppState>,
    caller: Caller,
    id: Id,
) -> AppResult<web::Json<FuelRecordList>> {
    Ok(web::Json(
        fuel::list(&state.db, &caller, id.vehicle()).await?,
    ))
}

#[utoipa::path(
    tag = "fuel",
    params(("vehicleId" = i64, Path)),
    request_body = FuelRecordInput,
    responses((status = 201, body = FuelRecord), (status = 404, body = Problem), (status = 422, body = Problem))
)]
#[post("/api/v1/vehicles/{vehicleId}/fuel-records")]
pub async fn create(
    state: web::Data<AppState>,
    caller: Caller,
    id: Id,
    body: ValidJson<FuelRecordInput>,
) -> AppResult<HttpResponse> {
    let created = fuel::create(&state.db, &caller, id.vehicle(), body.0).await?;
    state
        .hub
        .publish(Change::of(&caller, Op::Add, &created))
        .await;
    Ok(HttpResponse::Created().json(created))
}

#[utoipa::path(
    tag = "fuel",
    params(("vehicleId" = i64, Path), ("recordId" = i64, Path)),
    responses((status = 200, body = FuelRecord), (status = 404, body = Problem))
)]
#[get("/api/v1/vehicles/{vehicleId}/fuel-records/{recordId}")]
pub async fn get(
    state: web::Data<AppState>,
    caller: Caller,
    id: Id,
) -> AppResult<web::Json<FuelRecord>> {
    let (vehicle, record) = id.vehicle_and_record()?;
    Ok(web::Json(
        fuel::get(&state.db, &caller, vehicle, record).await?,
    ))
}

#[utoipa::path(
    tag = "fuel",
    params(("vehicleId" = i64, Path), ("recordId" = i64, Path)),
    request_body = FuelRecordInput,
    responses((status = 200, body = FuelRecord), (status = 404, body = Problem), (status = 422, body = Problem))
)]
#[put("/api/v1/vehicles/{vehicleId}/fuel-records/{recordId}")]
pub async fn update(
    state: web::Data<AppState>,
    caller: Caller,
    id: Id,
    body: ValidJson<FuelRecordInput>,
) -> AppResult<web::Json<FuelRecord>> {
    let (vehicle, record) = id.vehicle_and_record()?;
    let updated = fuel::update(&state.db, &caller, vehicle, record, body.0).await?;
    state
        .hub
        .publish(Change::of(&caller, Op::Update, &updated))
        .await;
    Ok(web::Json(updated))
}

#[utoipa::path(
    tag = "fuel",
    params(("vehicleId" = i64, Path), ("recordId" = i64, Path)),
    responses((status = 204), (status = 404, body = Problem))
)]
#[delete("/api/v1/vehicles/{vehicleId}/fuel-records/{recordId}")]
pub async fn remove(state: web::Data<AppState>, caller: Caller, id: Id) -> AppResult<HttpResponse> {
    let (vehicle, record) = id.vehicle_and_record()?;
    fuel::delete(&state.db, state.objects.as_ref(), &caller, vehicle, record).await?;
    state
        .hub
        .publish(Change::bare(
            &caller,
            "gasrecord",
            Op::Delete,
            vehicle,
            Some(record),
        ))
        .await;
    Ok(HttpResponse::NoContent().finish())
}

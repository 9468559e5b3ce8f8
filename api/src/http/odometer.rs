//! `/api/v1/vehicles/{vehicleId}/odometer-records`.

use actix_web::{HttpResponse, delete, get, post, put, web};
use motovault_shared::dto::odometer::{OdometerRecord, OdometerRecordInput, OdometerRecordList};
use motovault_shared::problem::Problem;
use utoipa_actix_web::service_config::ServiceConfig;

use super::json::ValidJson;
use super::path::Id;
use crate::auth::Caller;
use crate::domain::odometer;
use crate::error::AppResult;
use crate::events::{Change, Op};
use crate::state::AppState;

/// The vehicle's odometer records, newest first, each with `distance = odometer − initialOdometer`.
#[utoipa::path(
    tag = "odometer",
    params(("vehicleId" = i64, Path)),
    responses((status = 200, body = OdometerRecordList), (status = 404, body = Problem))
)]
#[get("/api/v1/vehicles/{vehicleId}/odometer-records")]
pub async fn list(
    state: web::Data<AppState>,
    caller: Caller,
    id: Id,
) -> AppResult<web::Json<OdometerRecordList>> {
    Ok(web::Json(
        odometer::list(&state.db, &caller, id.vehicle()).await?,
    ))
}

/// Adds a record. An omitted, null or 0 `initialOdometer` becomes the highest reading of the
/// vehicle's odometer records (0 when none), never above `odometer` (reference §3.3).
#[utoipa::path(
    tag = "odometer",
    params(("vehicleId" = i64, Path)),
    request_body = OdometerRecordInput,
    responses((status = 201, body = OdometerRecord), (status = 404, body = Problem), (status = 422, body = Problem))
)]
#[post("/api/v1/vehicles/{vehicleId}/odometer-records")]
pub async fn create(
    state: web::Data<AppState>,
    caller: Caller,
    id: Id,
    body: ValidJson<OdometerRecordInput>,
) -> AppResult<HttpResponse> {
    let created = odometer::create(&state.db, &caller, id.vehicle(), body.0).await?;
    state
        .hub
        .publish(Change::of(&caller, Op::Add, &created))
        .await;
    Ok(HttpResponse::Created().json(created))
}

/// "Recalculate distance": sorted by date then reading, the first record starts at its own
/// reading and each later one at the previous reading; all saved at once. Answers the list.
#[utoipa::path(
    tag = "odometer",
    params(("vehicleId" = i64, Path)),
    responses((status = 200, body = OdometerRecordList), (status = 404, body = Problem))
)]
#[post("/api/v1/vehicles/{vehicleId}/odometer-records/recalculate")]
pub async fn recalculate(
    state: web::Data<AppState>,
    caller: Caller,
    id: Id,
) -> AppResult<web::Json<OdometerRecordList>> {
    let records = odometer::recalculate(&state.db, &caller, id.vehicle()).await?;
    let change = Change::bulk(
        &caller,
        "odometerrecord",
        Op::Update,
        id.vehicle(),
        records.records.len(),
    );
    state.hub.publish(change).await;
    Ok(web::Json(records))
}

#[utoipa::path(
    tag = "odometer",
    params(("vehicleId" = i64, Path), ("recordId" = i64, Path)),
    responses((status = 200, body = OdometerRecord), (status = 404, body = Problem))
)]
#[get("/api/v1/vehicles/{vehicleId}/odometer-records/{recordId}")]
pub async fn get(
    state: web::Data<AppState>,
    caller: Caller,
    id: Id,
) -> AppResult<web::Json<OdometerRecord>> {
    let (vehicle, record) = id.vehicle_and_record()?;
    Ok(web::Json(
        odometer::get(&state.db, &caller, vehicle, record).await?,
    ))
}

/// Replaces a record; an omitted `initialOdometer` keeps the stored one.
#[utoipa::path(
    tag = "odometer",
    params(("vehicleId" = i64, Path), ("recordId" = i64, Path)),
    request_body = OdometerRecordInput,
    responses((status = 200, body = OdometerRecord), (status = 404, body = Problem), (status = 422, body = Problem))
)]
#[put("/api/v1/vehicles/{vehicleId}/odometer-records/{recordId}")]
pub async fn update(
    state: web::Data<AppState>,
    caller: Caller,
    id: Id,
    body: ValidJson<OdometerRecordInput>,
) -> AppResult<web::Json<OdometerRecord>> {
    let (vehicle, record) = id.vehicle_and_record()?;
    let updated = odometer::update(&state.db, &caller, vehicle, record, body.0).await?;
    state
        .hub
        .publish(Change::of(&caller, Op::Update, &updated))
        .await;
    Ok(web::Json(updated))
}

#[utoipa::path(
    tag = "odometer",
    params(("vehicleId" = i64, Path), ("recordId" = i64, Path)),
    responses((status = 204), (status = 404, body = Problem))
)]
#[delete("/api/v1/vehicles/{vehicleId}/odometer-records/{recordId}")]
pub async fn remove(state: web::Data<AppState>, caller: Caller, id: Id) -> AppResult<HttpResponse> {
    let (vehicle, record) = id.vehicle_and_record()?;
    odometer::delete(&state.db, state.objects.as_ref(), &caller, vehicle, record).await?;
    state
        .hub
        .publish(Change::bare(
            &caller,
            "odometerrecord",
            Op::Delete,
            vehicle,
            Some(record),
        ))
        .await;
    Ok(HttpResponse::NoContent().finish())
}

pub fn register(cfg: &mut ServiceConfig) {
    // `recalculate` before `{recordId}` so the literal segment is never read as an id.
    cfg.service(list)
        .service(create)
        .service(recalculate)
        .service(get)
        .service(update)
        .service(remove);
}

//! `/api/v1/vehicles/{vehicleId}/tax-records`.
//!
//! "Today" for the recurring back-fill (reference §3.5) is the UTC date, read here at the edge.

use actix_web::{HttpResponse, delete, get, post, put, web};
use chrono::{NaiveDate, Utc};
use motovault_shared::dto::tax::{TaxRecord, TaxRecordInput, TaxRecordList};
use motovault_shared::problem::Problem;
use utoipa_actix_web::service_config::ServiceConfig;

use super::json::ValidJson;
use super::path::Id;
use crate::auth::Caller;
use crate::domain::tax;
use crate::error::AppResult;
use crate::events::{Change, Op};
use crate::state::AppState;

pub fn register(cfg: &mut ServiceConfig) {
    cfg.service(list)
        .service(create)
        .service(check)
        .service(get)
        .service(update)
        .service(remove);
}

fn today() -> NaiveDate {
    Utc::now().date_naive()
}

/// Every tax record, newest first, with the total cost. Overdue recurring records are
/// back-filled first (reference §3.5).
#[utoipa::path(
    tag = "tax",
    params(("vehicleId" = i64, Path)),
    responses((status = 200, body = TaxRecordList), (status = 404, body = Problem))
)]
#[get("/api/v1/vehicles/{vehicleId}/tax-records")]
pub async fn list(
    state: web::Data<AppState>,
    caller: Caller,
    id: Id,
) -> AppResult<web::Json<TaxRecordList>> {
    Ok(web::Json(
        tax::list(&state.db, &state.objects, &caller, id.vehicle(), today()).await?,
    ))
}

/// A tax record; the vehicle's overdue recurring records are back-filled in the same
/// transaction.
#[utoipa::path(
    tag = "tax",
    params(("vehicleId" = i64, Path)),
    request_body = TaxRecordInput,
    responses((status = 201, body = TaxRecord), (status = 404, body = Problem), (status = 422, body = Problem))
)]
#[post("/api/v1/vehicles/{vehicleId}/tax-records")]
pub async fn create(
    state: web::Data<AppState>,
    caller: Caller,
    id: Id,
    body: ValidJson<TaxRecordInput>,
) -> AppResult<HttpResponse> {
    let created = tax::create(
        &state.db,
        &state.objects,
        &caller,
        id.vehicle(),
        body.0,
        today(),
    )
    .await?;
    state
        .hub
        .publish(Change::of(&caller, Op::Add, &created))
        .await;
    Ok(HttpResponse::Created().json(created))
}

/// Runs the recurring back-fill explicitly and answers the list.
#[utoipa::path(
    tag = "tax",
    params(("vehicleId" = i64, Path)),
    responses((status = 200, body = TaxRecordList), (status = 404, body = Problem))
)]
#[post("/api/v1/vehicles/{vehicleId}/tax-records/check")]
pub async fn check(
    state: web::Data<AppState>,
    caller: Caller,
    id: Id,
) -> AppResult<web::Json<TaxRecordList>> {
    Ok(web::Json(
        tax::list(&state.db, &state.objects, &caller, id.vehicle(), today()).await?,
    ))
}

#[utoipa::path(
    tag = "tax",
    params(("vehicleId" = i64, Path), ("recordId" = i64, Path)),
    responses((status = 200, body = TaxRecord), (status = 404, body = Problem))
)]
#[get("/api/v1/vehicles/{vehicleId}/tax-records/{recordId}")]
pub async fn get(
    state: web::Data<AppState>,
    caller: Caller,
    id: Id,
) -> AppResult<web::Json<TaxRecord>> {
    let (vehicle, record) = id.vehicle_and_record()?;
    Ok(web::Json(
        tax::get(&state.db, &caller, vehicle, record).await?,
    ))
}

#[utoipa::path(
    tag = "tax",
    params(("vehicleId" = i64, Path), ("recordId" = i64, Path)),
    request_body = TaxRecordInput,
    responses((status = 200, body = TaxRecord), (status = 404, body = Problem), (status = 422, body = Problem))
)]
#[put("/api/v1/vehicles/{vehicleId}/tax-records/{recordId}")]
pub async fn update(
    state: web::Data<AppState>,
    caller: Caller,
    id: Id,
    body: ValidJson<TaxRecordInput>,
) -> AppResult<web::Json<TaxRecord>> {
    let (vehicle, record) = id.vehicle_and_record()?;
    let updated = tax::update(&state.db, &caller, vehicle, record, body.0, today()).await?;
    state
        .hub
        .publish(Change::of(&caller, Op::Update, &updated))
        .await;
    Ok(web::Json(updated))
}

#[utoipa::path(
    tag = "tax",
    params(("vehicleId" = i64, Path), ("recordId" = i64, Path)),
    responses((status = 204), (status = 404, body = Problem))
)]
#[delete("/api/v1/vehicles/{vehicleId}/tax-records/{recordId}")]
pub async fn remove(state: web::Data<AppState>, caller: Caller, id: Id) -> AppResult<HttpResponse> {
    let (vehicle, record) = id.vehicle_and_record()?;
    tax::delete(&state.db, state.objects.as_ref(), &caller, vehicle, record).await?;
    state
        .hub
        .publish(Change::bare(
            &caller,
            "taxrecord",
            Op::Delete,
            vehicle,
            Some(record),
        ))
        .await;
    Ok(HttpResponse::NoContent().finish())
}

//! `/api/v1/vehicles/{vehicleId}/supplies` and `/api/v1/shop/supplies` (shop supplies: every
//! signed-in user reads them, administrators write them).

use actix_web::{HttpRequest, HttpResponse, delete, get, post, put, web};
use motovault_shared::dto::supplies::{Supply, SupplyInput, SupplyList};
use motovault_shared::problem::Problem;
use utoipa_actix_web::service_config::ServiceConfig;

use super::json::ValidJson;
use super::path::Id;
use crate::auth::Caller;
use crate::domain::supplies::{self, Scope};
use crate::error::{AppError, AppResult};
use crate::events::{Change, Op};
use crate::state::AppState;

/// `{recordId}` of the shop paths (no vehicle there, so `Id` does not apply): a segment that
/// is not a positive integer names nothing.
fn shop_record(req: &HttpRequest) -> AppResult<i64> {
    req.match_info()
        .get("recordId")
        .and_then(|raw| raw.parse::<i64>().ok())
        .filter(|id| *id > 0)
        .ok_or(AppError::NotFound)
}

/// The vehicle's supplies, newest first, each with its usage history.
#[utoipa::path(
    tag = "supplies",
    params(("vehicleId" = i64, Path)),
    responses((status = 200, body = SupplyList), (status = 404, body = Problem))
)]
#[get("/api/v1/vehicles/{vehicleId}/supplies")]
pub async fn list(
    state: web::Data<AppState>,
    caller: Caller,
    id: Id,
) -> AppResult<web::Json<SupplyList>> {
    Ok(web::Json(
        supplies::list(&state.db, &caller, Scope::Vehicle(id.vehicle())).await?,
    ))
}

#[utoipa::path(
    tag = "supplies",
    params(("vehicleId" = i64, Path)),
    request_body = SupplyInput,
    responses((status = 201, body = Supply), (status = 404, body = Problem), (status = 422, body = Problem))
)]
#[post("/api/v1/vehicles/{vehicleId}/supplies")]
pub async fn create(
    state: web::Data<AppState>,
    caller: Caller,
    id: Id,
    body: ValidJson<SupplyInput>,
) -> AppResult<HttpResponse> {
    let created =
        supplies::create(&state.db, &caller, Scope::Vehicle(id.vehicle()), body.0).await?;
    state
        .hub
        .publish(Change::of(&caller, Op::Add, &created))
        .await;
    Ok(HttpResponse::Created().json(created))
}

#[utoipa::path(
    tag = "supplies",
    params(("vehicleId" = i64, Path), ("recordId" = i64, Path)),
    responses((status = 200, body = Supply), (status = 404, body = Problem))
)]
#[get("/api/v1/vehicles/{vehicleId}/supplies/{recordId}")]
pub async fn get(
    state: web::Data<AppState>,
    caller: Caller,
    id: Id,
) -> AppResult<web::Json<Supply>> {
    let (vehicle, record) = id.vehicle_and_record()?;
    Ok(web::Json(
        supplies::get(&state.db, &caller, Scope::Vehicle(vehicle), record).await?,
    ))
}

#[utoipa::path(
    tag = "supplies",
    params(("vehicleId" = i64, Path), ("recordId" = i64, Path)),
    request_body = SupplyInput,
    responses((status = 200, body = Supply), (status = 404, body = Problem), (status = 422, body = Problem))
)]
#[put("/api/v1/vehicles/{vehicleId}/supplies/{recordId}")]
pub async fn update(
    state: web::Data<AppState>,
    caller: Caller,
    id: Id,
    body: ValidJson<SupplyInput>,
) -> AppResult<web::Json<Supply>> {
    let (vehicle, record) = id.vehicle_and_record()?;
    let updated =
        supplies::update(&state.db, &caller, Scope::Vehicle(vehicle), record, body.0).await?;
    state
        .hub
        .publish(Change::of(&caller, Op::Update, &updated))
        .await;
    Ok(web::Json(updated))
}

#[utoipa::path(
    tag = "supplies",
    params(("vehicleId" = i64, Path), ("recordId" = i64, Path)),
    responses((status = 204), (status = 404, body = Problem))
)]
#[delete("/api/v1/vehicles/{vehicleId}/supplies/{recordId}")]
pub async fn remove(state: web::Data<AppState>, caller: Caller, id: Id) -> AppResult<HttpResponse> {
    let (vehicle, record) = id.vehicle_and_record()?;
    supplies::delete(
        &state.db,
        state.objects.as_ref(),
        &caller,
        Scope::Vehicle(vehicle),
        record,
    )
    .await?;
    state
        .hub
        .publish(Change::bare(
            &caller,
            "supplyrecord",
            Op::Delete,
            vehicle,
            Some(record),
        ))
        .await;
    Ok(HttpResponse::NoContent().finish())
}

/// Shop supplies exist only while `supplies.shop_enabled` is on (reference `EnableShopSupplies`);
/// otherwise every shop path answers 404.
pub(super) fn shop_enabled(state: &AppState) -> AppResult<()> {
    if state.settings.supplies.shop_enabled {
        Ok(())
    } else {
        Err(AppError::NotFound)
    }
}

/// Shop supplies, shared by every vehicle, newest first.
#[utoipa::path(
    tag = "supplies",
    responses((status = 200, body = SupplyList), (status = 404, body = Problem, description = "Shop supplies are turned off"))
)]
#[get("/api/v1/shop/supplies")]
pub async fn shop_list(
    state: web::Data<AppState>,
    caller: Caller,
) -> AppResult<web::Json<SupplyList>> {
    shop_enabled(&state)?;
    Ok(web::Json(
        supplies::list(&state.db, &caller, Scope::Shop).await?,
    ))
}

/// Administrators only (others: 404). Shop supplies carry no tags.
#[utoipa::path(
    tag = "supplies",
    request_body = SupplyInput,
    responses((status = 201, body = Supply), (status = 404, body = Problem), (status = 422, body = Problem))
)]
#[post("/api/v1/shop/supplies")]
pub async fn shop_create(
    state: web::Data<AppState>,
    caller: Caller,
    body: ValidJson<SupplyInput>,
) -> AppResult<HttpResponse> {
    shop_enabled(&state)?;
    let created = supplies::create(&state.db, &caller, Scope::Shop, body.0).await?;
    state
        .hub
        .publish(Change::of(&caller, Op::Add, &created))
        .await;
    Ok(HttpResponse::Created().json(created))
}

#[utoipa::path(
    tag = "supplies",
    params(("recordId" = i64, Path)),
    responses((status = 200, body = Supply), (status = 404, body = Problem))
)]
#[get("/api/v1/shop/supplies/{recordId}")]
pub async fn shop_get(
    state: web::Data<AppState>,
    caller: Caller,
    req: HttpRequest,
) -> AppResult<web::Json<Supply>> {
    shop_enabled(&state)?;
    let record = shop_record(&req)?;
    Ok(web::Json(
        supplies::get(&state.db, &caller, Scope::Shop, record).await?,
    ))
}

#[utoipa::path(
    tag = "supplies",
    params(("recordId" = i64, Path)),
    request_body = SupplyInput,
    responses((status = 200, body = Supply), (status = 404, body = Problem), (status = 422, body = Problem))
)]
#[put("/api/v1/shop/supplies/{recordId}")]
pub async fn shop_update(
    state: web::Data<AppState>,
    caller: Caller,
    req: HttpRequest,
    body: ValidJson<SupplyInput>,
) -> AppResult<web::Json<Supply>> {
    shop_enabled(&state)?;
    let record = shop_record(&req)?;
    let updated = supplies::update(&state.db, &caller, Scope::Shop, record, body.0).await?;
    state
        .hub
        .publish(Change::of(&caller, Op::Update, &updated))
        .await;
    Ok(web::Json(updated))
}

#[utoipa::path(
    tag = "supplies",
    params(("recordId" = i64, Path)),
    responses((status = 204), (status = 404, body = Problem))
)]
#[delete("/api/v1/shop/supplies/{recordId}")]
pub async fn shop_remove(
    state: web::Data<AppState>,
    caller: Caller,
    req: HttpRequest,
) -> AppResult<HttpResponse> {
    shop_enabled(&state)?;
    let record = shop_record(&req)?;
    supplies::delete(
        &state.db,
        state.objects.as_ref(),
        &caller,
        Scope::Shop,
        record,
    )
    .await?;
    state
        .hub
        .publish(Change::bare(
            &caller,
            "supplyrecord",
            Op::Delete,
            0,
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
        .service(remove)
        .service(shop_list)
        .service(shop_create)
        .service(shop_get)
        .service(shop_update)
        .service(shop_remove);
}

//! `/api/v1/vehicles/{vehicleId}/plans` (with `…/{recordId}/progress`) and
//! `/api/v1/vehicles/{vehicleId}/plan-templates` (with `…/{recordId}/use`).

use actix_web::{HttpResponse, delete, get, post, put, web};
use chrono::Utc;
use motovault_shared::dto::plans::{
    Plan, PlanInput, PlanList, PlanProgressInput, PlanTemplate, PlanTemplateInput, PlanTemplateList,
};
use motovault_shared::problem::Problem;
use utoipa_actix_web::service_config::ServiceConfig;

use super::json::ValidJson;
use super::path::Id;
use crate::auth::Caller;
use crate::domain::plans;
use crate::error::AppResult;
use crate::events::{Change, Op};
use crate::state::AppState;

/// Plans by priority (critical first), newest first within a priority.
#[utoipa::path(
    tag = "plans",
    params(("vehicleId" = i64, Path)),
    responses((status = 200, body = PlanList), (status = 404, body = Problem))
)]
#[get("/api/v1/vehicles/{vehicleId}/plans")]
pub async fn list(
    state: web::Data<AppState>,
    caller: Caller,
    id: Id,
) -> AppResult<web::Json<PlanList>> {
    Ok(web::Json(
        plans::list(&state.db, &caller, id.vehicle()).await?,
    ))
}

/// Creates a plan; its `supplies` are requisitioned now (422 when missing or short).
#[utoipa::path(
    tag = "plans",
    params(("vehicleId" = i64, Path)),
    request_body = PlanInput,
    responses((status = 201, body = Plan), (status = 404, body = Problem), (status = 422, body = Problem))
)]
#[post("/api/v1/vehicles/{vehicleId}/plans")]
pub async fn create(
    state: web::Data<AppState>,
    caller: Caller,
    id: Id,
    body: ValidJson<PlanInput>,
) -> AppResult<HttpResponse> {
    let today = Utc::now().date_naive();
    let created = plans::create(
        &state.db,
        &caller,
        id.vehicle(),
        body.0,
        today,
        state.settings.supplies.shop_enabled,
    )
    .await?;
    state
        .hub
        .publish(Change::of(&caller, Op::Add, &created))
        .await;
    Ok(HttpResponse::Created().json(created))
}

#[utoipa::path(
    tag = "plans",
    params(("vehicleId" = i64, Path), ("recordId" = i64, Path)),
    responses((status = 200, body = Plan), (status = 404, body = Problem))
)]
#[get("/api/v1/vehicles/{vehicleId}/plans/{recordId}")]
pub async fn get(state: web::Data<AppState>, caller: Caller, id: Id) -> AppResult<web::Json<Plan>> {
    let (vehicle, record) = id.vehicle_and_record()?;
    Ok(web::Json(
        plans::get(&state.db, &caller, vehicle, record).await?,
    ))
}

/// Replaces an open plan (a done plan: 409).
#[utoipa::path(
    tag = "plans",
    params(("vehicleId" = i64, Path), ("recordId" = i64, Path)),
    request_body = PlanInput,
    responses((status = 200, body = Plan), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem))
)]
#[put("/api/v1/vehicles/{vehicleId}/plans/{recordId}")]
pub async fn update(
    state: web::Data<AppState>,
    caller: Caller,
    id: Id,
    body: ValidJson<PlanInput>,
) -> AppResult<web::Json<Plan>> {
    let (vehicle, record) = id.vehicle_and_record()?;
    let updated = plans::update(&state.db, &caller, vehicle, record, body.0).await?;
    state
        .hub
        .publish(Change::of(&caller, Op::Update, &updated))
        .await;
    Ok(web::Json(updated))
}

/// Deletes a plan; an open plan's supplies go back into stock.
#[utoipa::path(
    tag = "plans",
    params(("vehicleId" = i64, Path), ("recordId" = i64, Path)),
    responses((status = 204), (status = 404, body = Problem))
)]
#[delete("/api/v1/vehicles/{vehicleId}/plans/{recordId}")]
pub async fn remove(state: web::Data<AppState>, caller: Caller, id: Id) -> AppResult<HttpResponse> {
    let (vehicle, record) = id.vehicle_and_record()?;
    let today = Utc::now().date_naive();
    plans::delete(
        &state.db,
        state.objects.as_ref(),
        &caller,
        vehicle,
        record,
        today,
    )
    .await?;
    state
        .hub
        .publish(Change::bare(
            &caller,
            "planrecord",
            Op::Delete,
            vehicle,
            Some(record),
        ))
        .await;
    Ok(HttpResponse::NoContent().finish())
}

/// Moves a plan between columns; `done` (odometer required) converts it into a record.
#[utoipa::path(
    tag = "plans",
    params(("vehicleId" = i64, Path), ("recordId" = i64, Path)),
    request_body = PlanProgressInput,
    responses((status = 200, body = Plan), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem))
)]
#[post("/api/v1/vehicles/{vehicleId}/plans/{recordId}/progress")]
pub async fn progress(
    state: web::Data<AppState>,
    caller: Caller,
    id: Id,
    body: ValidJson<PlanProgressInput>,
) -> AppResult<web::Json<Plan>> {
    let (vehicle, record) = id.vehicle_and_record()?;
    let today = Utc::now().date_naive();
    let moved = plans::progress(
        &state.db,
        &state.objects,
        &caller,
        vehicle,
        record,
        body.0,
        today,
    )
    .await?;
    state
        .hub
        .publish(Change::of(&caller, Op::Update, &moved))
        .await;
    Ok(web::Json(moved))
}

#[utoipa::path(
    tag = "plans",
    params(("vehicleId" = i64, Path)),
    responses((status = 200, body = PlanTemplateList), (status = 404, body = Problem))
)]
#[get("/api/v1/vehicles/{vehicleId}/plan-templates")]
pub async fn list_templates(
    state: web::Data<AppState>,
    caller: Caller,
    id: Id,
) -> AppResult<web::Json<PlanTemplateList>> {
    Ok(web::Json(
        plans::list_templates(&state.db, &caller, id.vehicle()).await?,
    ))
}

#[utoipa::path(
    tag = "plans",
    params(("vehicleId" = i64, Path)),
    request_body = PlanTemplateInput,
    responses((status = 201, body = PlanTemplate), (status = 404, body = Problem), (status = 422, body = Problem))
)]
#[post("/api/v1/vehicles/{vehicleId}/plan-templates")]
pub async fn create_template(
    state: web::Data<AppState>,
    caller: Caller,
    id: Id,
    body: ValidJson<PlanTemplateInput>,
) -> AppResult<HttpResponse> {
    let created = plans::create_template(&state.db, &caller, id.vehicle(), body.0).await?;
    Ok(HttpResponse::Created().json(created))
}

#[utoipa::path(
    tag = "plans",
    params(("vehicleId" = i64, Path), ("recordId" = i64, Path)),
    responses((status = 200, body = PlanTemplate), (status = 404, body = Problem))
)]
#[get("/api/v1/vehicles/{vehicleId}/plan-templates/{recordId}")]
pub async fn get_template(
    state: web::Data<AppState>,
    caller: Caller,
    id: Id,
) -> AppResult<web::Json<PlanTemplate>> {
    let (vehicle, record) = id.vehicle_and_record()?;
    Ok(web::Json(
        plans::get_template(&state.db, &caller, vehicle, record).await?,
    ))
}

#[utoipa::path(
    tag = "plans",
    params(("vehicleId" = i64, Path), ("recordId" = i64, Path)),
    request_body = PlanTemplateInput,
    responses((status = 200, body = PlanTemplate), (status = 404, body = Problem), (status = 422, body = Problem))
)]
#[put("/api/v1/vehicles/{vehicleId}/plan-templates/{recordId}")]
pub async fn update_template(
    state: web::Data<AppState>,
    caller: Caller,
    id: Id,
    body: ValidJson<PlanTemplateInput>,
) -> AppResult<web::Json<PlanTemplate>> {
    let (vehicle, record) = id.vehicle_and_record()?;
    Ok(web::Json(
        plans::update_template(&state.db, &caller, vehicle, record, body.0).await?,
    ))
}

#[utoipa::path(
    tag = "plans",
    params(("vehicleId" = i64, Path), ("recordId" = i64, Path)),
    responses((status = 204), (status = 404, body = Problem))
)]
#[delete("/api/v1/vehicles/{vehicleId}/plan-templates/{recordId}")]
pub async fn remove_template(
    state: web::Data<AppState>,
    caller: Caller,
    id: Id,
) -> AppResult<HttpResponse> {
    let (vehicle, record) = id.vehicle_and_record()?;
    plans::delete_template(&state.db, &caller, vehicle, record).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Creates a Backlog plan from the template, requisitioning its supplies.
#[utoipa::path(
    tag = "plans",
    params(("vehicleId" = i64, Path), ("recordId" = i64, Path)),
    responses((status = 201, body = Plan), (status = 404, body = Problem), (status = 422, body = Problem))
)]
#[post("/api/v1/vehicles/{vehicleId}/plan-templates/{recordId}/use")]
pub async fn use_template(
    state: web::Data<AppState>,
    caller: Caller,
    id: Id,
) -> AppResult<HttpResponse> {
    let (vehicle, record) = id.vehicle_and_record()?;
    let today = Utc::now().date_naive();
    let created = plans::use_template(
        &state.db,
        &caller,
        vehicle,
        record,
        today,
        state.settings.supplies.shop_enabled,
    )
    .await?;
    state
        .hub
        .publish(Change::of(&caller, Op::Add, &created))
        .await;
    Ok(HttpResponse::Created().json(created))
}

pub fn register(cfg: &mut ServiceConfig) {
    cfg.service(list)
        .service(create)
        .service(get)
        .service(update)
        .service(remove)
        .service(progress)
        .service(list_templates)
        .service(create_template)
        .service(get_template)
        .service(update_template)
        .service(remove_template)
        .service(use_template);
}

//! `/api/v1/vehicles/{vehicleId}/inspection-templates` and `/inspections`.

use actix_web::{HttpResponse, delete, get, post, put, web};
use motovault_shared::dto::inspections::{
    Inspection, InspectionInput, InspectionList, InspectionTagsInput, InspectionTemplate,
    InspectionTemplateInput, InspectionTemplateList,
};
use motovault_shared::problem::Problem;
use utoipa_actix_web::service_config::ServiceConfig;

use super::json::ValidJson;
use super::path::Id;
use crate::auth::Caller;
use crate::domain::inspections;
use crate::error::AppResult;
use crate::events::{Change, Op};
use crate::state::AppState;

/// The vehicle's inspection templates, by description.
#[utoipa::path(
    tag = "inspections",
    params(("vehicleId" = i64, Path)),
    responses((status = 200, body = InspectionTemplateList), (status = 404, body = Problem))
)]
#[get("/api/v1/vehicles/{vehicleId}/inspection-templates")]
pub async fn list_templates(
    state: web::Data<AppState>,
    caller: Caller,
    id: Id,
) -> AppResult<web::Json<InspectionTemplateList>> {
    Ok(web::Json(
        inspections::list_templates(&state.db, &caller, id.vehicle()).await?,
    ))
}

/// Adds a template: text, check and radio fields; check and radio fields need at least one
/// option, text fields have none.
#[utoipa::path(
    tag = "inspections",
    params(("vehicleId" = i64, Path)),
    request_body = InspectionTemplateInput,
    responses((status = 201, body = InspectionTemplate), (status = 404, body = Problem), (status = 422, body = Problem))
)]
#[post("/api/v1/vehicles/{vehicleId}/inspection-templates")]
pub async fn create_template(
    state: web::Data<AppState>,
    caller: Caller,
    id: Id,
    body: ValidJson<InspectionTemplateInput>,
) -> AppResult<HttpResponse> {
    let created = inspections::create_template(&state.db, &caller, id.vehicle(), body.0).await?;
    Ok(HttpResponse::Created().json(created))
}

#[utoipa::path(
    tag = "inspections",
    params(("vehicleId" = i64, Path), ("recordId" = i64, Path)),
    responses((status = 200, body = InspectionTemplate), (status = 404, body = Problem))
)]
#[get("/api/v1/vehicles/{vehicleId}/inspection-templates/{recordId}")]
pub async fn get_template(
    state: web::Data<AppState>,
    caller: Caller,
    id: Id,
) -> AppResult<web::Json<InspectionTemplate>> {
    let (vehicle, record) = id.vehicle_and_record()?;
    Ok(web::Json(
        inspections::get_template(&state.db, &caller, vehicle, record).await?,
    ))
}

/// Replaces a template; inspections already made keep their own copy of the fields.
#[utoipa::path(
    tag = "inspections",
    params(("vehicleId" = i64, Path), ("recordId" = i64, Path)),
    request_body = InspectionTemplateInput,
    responses((status = 200, body = InspectionTemplate), (status = 404, body = Problem), (status = 422, body = Problem))
)]
#[put("/api/v1/vehicles/{vehicleId}/inspection-templates/{recordId}")]
pub async fn update_template(
    state: web::Data<AppState>,
    caller: Caller,
    id: Id,
    body: ValidJson<InspectionTemplateInput>,
) -> AppResult<web::Json<InspectionTemplate>> {
    let (vehicle, record) = id.vehicle_and_record()?;
    Ok(web::Json(
        inspections::update_template(&state.db, &caller, vehicle, record, body.0).await?,
    ))
}

/// Deletes a template; inspections made from it stay, with `templateId` null.
#[utoipa::path(
    tag = "inspections",
    params(("vehicleId" = i64, Path), ("recordId" = i64, Path)),
    responses((status = 204), (status = 404, body = Problem))
)]
#[delete("/api/v1/vehicles/{vehicleId}/inspection-templates/{recordId}")]
pub async fn remove_template(
    state: web::Data<AppState>,
    caller: Caller,
    id: Id,
) -> AppResult<HttpResponse> {
    let (vehicle, record) = id.vehicle_and_record()?;
    inspections::delete_template(&state.db, &caller, vehicle, record).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// The vehicle's inspections, newest first, with their total cost.
#[utoipa::path(
    tag = "inspections",
    params(("vehicleId" = i64, Path)),
    responses((status = 200, body = InspectionList), (status = 404, body = Problem))
)]
#[get("/api/v1/vehicles/{vehicleId}/inspections")]
pub async fn list(
    state: web::Data<AppState>,
    caller: Caller,
    id: Id,
) -> AppResult<web::Json<InspectionList>> {
    Ok(web::Json(
        inspections::list(&state.db, &caller, id.vehicle()).await?,
    ))
}

/// Fills in a template. A radio field fails when a fail option is selected, a check field when
/// a fail option is not selected; text never fails. In the same transaction: a Service record,
/// the odometer auto-insert, and a Backlog plan per failed field with an action item. A
/// template that is not this vehicle's answers 404; an answer naming a missing field or
/// option answers 422 and nothing is written.
#[utoipa::path(
    tag = "inspections",
    params(("vehicleId" = i64, Path)),
    request_body = InspectionInput,
    responses((status = 201, body = Inspection), (status = 404, body = Problem), (status = 422, body = Problem))
)]
#[post("/api/v1/vehicles/{vehicleId}/inspections")]
pub async fn create(
    state: web::Data<AppState>,
    caller: Caller,
    id: Id,
    body: ValidJson<InspectionInput>,
) -> AppResult<HttpResponse> {
    let created = inspections::create(&state.db, &caller, id.vehicle(), body.0).await?;
    state
        .hub
        .publish(Change::of(&caller, Op::Add, &created))
        .await;
    Ok(HttpResponse::Created().json(created))
}

#[utoipa::path(
    tag = "inspections",
    params(("vehicleId" = i64, Path), ("recordId" = i64, Path)),
    responses((status = 200, body = Inspection), (status = 404, body = Problem))
)]
#[get("/api/v1/vehicles/{vehicleId}/inspections/{recordId}")]
pub async fn get(
    state: web::Data<AppState>,
    caller: Caller,
    id: Id,
) -> AppResult<web::Json<Inspection>> {
    let (vehicle, record) = id.vehicle_and_record()?;
    Ok(web::Json(
        inspections::get(&state.db, &caller, vehicle, record).await?,
    ))
}

/// Inspections are immutable except their tags: the body is `{"tags": [...]}` and any other
/// field answers 422.
#[utoipa::path(
    tag = "inspections",
    params(("vehicleId" = i64, Path), ("recordId" = i64, Path)),
    request_body = InspectionTagsInput,
    responses((status = 200, body = Inspection), (status = 404, body = Problem), (status = 422, body = Problem))
)]
#[put("/api/v1/vehicles/{vehicleId}/inspections/{recordId}")]
pub async fn update(
    state: web::Data<AppState>,
    caller: Caller,
    id: Id,
    body: ValidJson<InspectionTagsInput>,
) -> AppResult<web::Json<Inspection>> {
    let (vehicle, record) = id.vehicle_and_record()?;
    let updated = inspections::update_tags(&state.db, &caller, vehicle, record, body.0).await?;
    state
        .hub
        .publish(Change::of(&caller, Op::Update, &updated))
        .await;
    Ok(web::Json(updated))
}

/// Deletes the inspection with its tags and attachments; the Service record and plans it added
/// stay.
#[utoipa::path(
    tag = "inspections",
    params(("vehicleId" = i64, Path), ("recordId" = i64, Path)),
    responses((status = 204), (status = 404, body = Problem))
)]
#[delete("/api/v1/vehicles/{vehicleId}/inspections/{recordId}")]
pub async fn remove(state: web::Data<AppState>, caller: Caller, id: Id) -> AppResult<HttpResponse> {
    let (vehicle, record) = id.vehicle_and_record()?;
    inspections::delete(&state.db, state.objects.as_ref(), &caller, vehicle, record).await?;
    state
        .hub
        .publish(Change::bare(
            &caller,
            "inspectionrecord",
            Op::Delete,
            vehicle,
            Some(record),
        ))
        .await;
    Ok(HttpResponse::NoContent().finish())
}

pub fn register(cfg: &mut ServiceConfig) {
    cfg.service(list_templates)
        .service(create_template)
        .service(get_template)
        .service(update_template)
        .service(remove_template)
        .service(list)
        .service(create)
        .service(get)
        .service(update)
        .service(remove);
}

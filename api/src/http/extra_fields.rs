//! `/api/v1/extra-fields` (templates per record type; writes by administrators only) and the
//! values of one record: `/api/v1/vehicles/{vehicleId}/extra-fields` for the vehicle itself,
//! `/api/v1/vehicles/{vehicleId}/{recordType}/{recordId}/extra-fields` for any record type in
//! `store::attachments::RECORD_TABLES`.

use actix_web::{HttpRequest, get, put, web};
use motovault_shared::dto::extra_fields::{
    ExtraFieldTemplate, ExtraFieldTemplateInput, ExtraFieldTemplateList, ExtraFieldValues,
    ExtraFieldValuesInput, RECORD_TYPES,
};
use motovault_shared::problem::Problem;
use utoipa::openapi::RefOr;
use utoipa::openapi::schema::{ObjectBuilder, Schema, Type};
use utoipa::{PartialSchema, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;

use super::attachments::RecordTypeParam;
use super::json::ValidJson;
use super::path::Id;
use crate::auth::Caller;
use crate::domain::extra_fields::{self, Target};
use crate::error::{AppError, AppResult};
use crate::events::{Change, Op};
use crate::state::AppState;

pub fn register(cfg: &mut ServiceConfig) {
    cfg.service(list_templates)
        .service(get_template)
        .service(put_template)
        .service(get_vehicle_values)
        .service(put_vehicle_values)
        .service(get_record_values)
        .service(put_record_values);
}

/// The `recordType` of a template: a `record_type` string of docs/schema.md.
pub struct TemplateTypeParam;

impl PartialSchema for TemplateTypeParam {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(Type::String)
            .enum_values(Some(RECORD_TYPES.iter().copied()))
            .into()
    }
}

impl ToSchema for TemplateTypeParam {}

fn segment(req: &HttpRequest, name: &str) -> AppResult<String> {
    req.match_info()
        .get(name)
        .map(str::to_owned)
        .ok_or(AppError::NotFound)
}

async fn record_target(
    state: &AppState,
    caller: &Caller,
    req: &HttpRequest,
    id: &Id,
) -> AppResult<Target> {
    let (vehicle, record) = id.vehicle_and_record()?;
    let record_type = segment(req, "recordType")?;
    extra_fields::target(&state.db, caller, vehicle, Some((&record_type, record))).await
}

/// Every record type's template, in the order of docs/schema.md; types without fields have an
/// empty list.
#[utoipa::path(
    tag = "extra-fields",
    responses((status = 200, body = ExtraFieldTemplateList), (status = 401, body = Problem))
)]
#[get("/api/v1/extra-fields")]
pub async fn list_templates(
    state: web::Data<AppState>,
    _caller: Caller,
) -> AppResult<web::Json<ExtraFieldTemplateList>> {
    Ok(web::Json(extra_fields::list_templates(&state.db).await?))
}

#[utoipa::path(
    tag = "extra-fields",
    params(("recordType" = inline(TemplateTypeParam), Path)),
    responses((status = 200, body = ExtraFieldTemplate), (status = 404, body = Problem))
)]
#[get("/api/v1/extra-fields/{recordType}")]
pub async fn get_template(
    state: web::Data<AppState>,
    _caller: Caller,
    req: HttpRequest,
) -> AppResult<web::Json<ExtraFieldTemplate>> {
    let record_type = segment(&req, "recordType")?;
    Ok(web::Json(
        extra_fields::get_template(&state.db, &record_type).await?,
    ))
}

/// Replaces the ordered template of one record type. Administrators only: anyone else gets 404.
/// Values already stored are kept; reads merge them with the new template.
#[utoipa::path(
    tag = "extra-fields",
    params(("recordType" = inline(TemplateTypeParam), Path)),
    request_body = ExtraFieldTemplateInput,
    responses((status = 200, body = ExtraFieldTemplate), (status = 404, body = Problem), (status = 422, body = Problem))
)]
#[put("/api/v1/extra-fields/{recordType}")]
pub async fn put_template(
    state: web::Data<AppState>,
    caller: Caller,
    req: HttpRequest,
    body: ValidJson<ExtraFieldTemplateInput>,
) -> AppResult<web::Json<ExtraFieldTemplate>> {
    let record_type = segment(&req, "recordType")?;
    Ok(web::Json(
        extra_fields::put_template(&state.db, &caller, &record_type, body.0).await?,
    ))
}

/// The vehicle's own values, merged with the `vehicle` template.
#[utoipa::path(
    tag = "extra-fields",
    params(("vehicleId" = i64, Path)),
    responses((status = 200, body = ExtraFieldValues), (status = 404, body = Problem))
)]
#[get("/api/v1/vehicles/{vehicleId}/extra-fields")]
pub async fn get_vehicle_values(
    state: web::Data<AppState>,
    caller: Caller,
    id: Id,
) -> AppResult<web::Json<ExtraFieldValues>> {
    let target = extra_fields::target(&state.db, &caller, id.vehicle(), None).await?;
    Ok(web::Json(
        extra_fields::get_values(&state.db, &target).await?,
    ))
}

/// Replaces the vehicle's own values (checked against the `vehicle` template).
#[utoipa::path(
    tag = "extra-fields",
    params(("vehicleId" = i64, Path)),
    request_body = ExtraFieldValuesInput,
    responses((status = 200, body = ExtraFieldValues), (status = 404, body = Problem), (status = 422, body = Problem))
)]
#[put("/api/v1/vehicles/{vehicleId}/extra-fields")]
pub async fn put_vehicle_values(
    state: web::Data<AppState>,
    caller: Caller,
    id: Id,
    body: ValidJson<ExtraFieldValuesInput>,
) -> AppResult<web::Json<ExtraFieldValues>> {
    let target = extra_fields::target(&state.db, &caller, id.vehicle(), None).await?;
    let values = extra_fields::put_values(&state.db, &target, body.0).await?;
    let change = Change::bare(&caller, "vehicle", Op::Update, id.vehicle(), None);
    state.hub.publish(change).await;
    Ok(web::Json(values))
}

/// One record's values merged with its type's template: removed fields dropped, required flag
/// and type refreshed, missing fields appended empty, template order (reference
/// `StaticHelper.AddExtraFields`).
#[utoipa::path(
    tag = "extra-fields",
    params(
        ("vehicleId" = i64, Path),
        ("recordType" = inline(RecordTypeParam), Path, description = "The record's collection"),
        ("recordId" = i64, Path),
    ),
    responses((status = 200, body = ExtraFieldValues), (status = 404, body = Problem))
)]
#[get("/api/v1/vehicles/{vehicleId}/{recordType}/{recordId}/extra-fields")]
pub async fn get_record_values(
    state: web::Data<AppState>,
    caller: Caller,
    req: HttpRequest,
    id: Id,
) -> AppResult<web::Json<ExtraFieldValues>> {
    let target = record_target(&state, &caller, &req, &id).await?;
    Ok(web::Json(
        extra_fields::get_values(&state.db, &target).await?,
    ))
}

/// Replaces one record's values. Required fields must be filled in; `number` is an integer,
/// `decimal` a number, `date` `YYYY-MM-DD`, `time` `HH:MM`; unknown names are refused.
#[utoipa::path(
    tag = "extra-fields",
    params(
        ("vehicleId" = i64, Path),
        ("recordType" = inline(RecordTypeParam), Path, description = "The record's collection"),
        ("recordId" = i64, Path),
    ),
    request_body = ExtraFieldValuesInput,
    responses((status = 200, body = ExtraFieldValues), (status = 404, body = Problem), (status = 422, body = Problem))
)]
#[put("/api/v1/vehicles/{vehicleId}/{recordType}/{recordId}/extra-fields")]
pub async fn put_record_values(
    state: web::Data<AppState>,
    caller: Caller,
    req: HttpRequest,
    id: Id,
    body: ValidJson<ExtraFieldValuesInput>,
) -> AppResult<web::Json<ExtraFieldValues>> {
    let target = record_target(&state, &caller, &req, &id).await?;
    let values = extra_fields::put_values(&state.db, &target, body.0).await?;
    if let (Ok((vehicle, record)), Ok(record_type)) =
        (id.vehicle_and_record(), segment(&req, "recordType"))
    {
        state
            .hub
            .publish(Change::touched(&caller, &record_type, vehicle, record))
            .await;
    }
    Ok(web::Json(values))
}

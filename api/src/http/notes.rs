//! `/api/v1/vehicles/{vehicleId}/notes`.

use actix_web::{HttpResponse, delete, get, post, put, web};
use motovault_shared::dto::notes::{Note, NoteInput, NoteList};
use motovault_shared::problem::Problem;
use utoipa_actix_web::service_config::ServiceConfig;

use super::json::ValidJson;
use super::path::Id;
use crate::auth::Caller;
use crate::domain::notes;
use crate::error::AppResult;
use crate::events::{Change, Op};
use crate::state::AppState;

pub fn register(cfg: &mut ServiceConfig) {
    cfg.service(list)
        .service(create)
        .service(get)
        .service(update)
        .service(remove);
}

/// Every note of the vehicle: pinned first, then newest first.
#[utoipa::path(
    tag = "notes",
    params(("vehicleId" = i64, Path)),
    responses((status = 200, body = NoteList), (status = 404, body = Problem))
)]
#[get("/api/v1/vehicles/{vehicleId}/notes")]
pub async fn list(
    state: web::Data<AppState>,
    caller: Caller,
    id: Id,
) -> AppResult<web::Json<NoteList>> {
    Ok(web::Json(
        notes::list(&state.db, &caller, id.vehicle()).await?,
    ))
}

/// A note; the markdown body is stored as entered.
#[utoipa::path(
    tag = "notes",
    params(("vehicleId" = i64, Path)),
    request_body = NoteInput,
    responses((status = 201, body = Note), (status = 404, body = Problem), (status = 422, body = Problem))
)]
#[post("/api/v1/vehicles/{vehicleId}/notes")]
pub async fn create(
    state: web::Data<AppState>,
    caller: Caller,
    id: Id,
    body: ValidJson<NoteInput>,
) -> AppResult<HttpResponse> {
    let created = notes::create(&state.db, &caller, id.vehicle(), body.0).await?;
    state
        .hub
        .publish(Change::of(&caller, Op::Add, &created))
        .await;
    Ok(HttpResponse::Created().json(created))
}

#[utoipa::path(
    tag = "notes",
    params(("vehicleId" = i64, Path), ("recordId" = i64, Path)),
    responses((status = 200, body = Note), (status = 404, body = Problem))
)]
#[get("/api/v1/vehicles/{vehicleId}/notes/{recordId}")]
pub async fn get(state: web::Data<AppState>, caller: Caller, id: Id) -> AppResult<web::Json<Note>> {
    let (vehicle, record) = id.vehicle_and_record()?;
    Ok(web::Json(
        notes::get(&state.db, &caller, vehicle, record).await?,
    ))
}

#[utoipa::path(
    tag = "notes",
    params(("vehicleId" = i64, Path), ("recordId" = i64, Path)),
    request_body = NoteInput,
    responses((status = 200, body = Note), (status = 404, body = Problem), (status = 422, body = Problem))
)]
#[put("/api/v1/vehicles/{vehicleId}/notes/{recordId}")]
pub async fn update(
    state: web::Data<AppState>,
    caller: Caller,
    id: Id,
    body: ValidJson<NoteInput>,
) -> AppResult<web::Json<Note>> {
    let (vehicle, record) = id.vehicle_and_record()?;
    let updated = notes::update(&state.db, &caller, vehicle, record, body.0).await?;
    state
        .hub
        .publish(Change::of(&caller, Op::Update, &updated))
        .await;
    Ok(web::Json(updated))
}

#[utoipa::path(
    tag = "notes",
    params(("vehicleId" = i64, Path), ("recordId" = i64, Path)),
    responses((status = 204), (status = 404, body = Problem))
)]
#[delete("/api/v1/vehicles/{vehicleId}/notes/{recordId}")]
pub async fn remove(state: web::Data<AppState>, caller: Caller, id: Id) -> AppResult<HttpResponse> {
    let (vehicle, record) = id.vehicle_and_record()?;
    notes::delete(&state.db, state.objects.as_ref(), &caller, vehicle, record).await?;
    state
        .hub
        .publish(Change::bare(
            &caller,
            "note",
            Op::Delete,
            vehicle,
            Some(record),
        ))
        .await;
    Ok(HttpResponse::NoContent().finish())
}

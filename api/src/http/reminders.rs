//! `/api/v1/vehicles/{vehicleId}/reminders`.
//!
//! Urgency (reference §3.2) is judged against the current UTC time and the server's
//! `[reminders]` thresholds, both read here at the edge.

use actix_web::{HttpResponse, delete, get, post, put, web};
use motovault_shared::dto::reminders::{Reminder, ReminderInput, ReminderList};
use motovault_shared::problem::Problem;
use utoipa_actix_web::service_config::ServiceConfig;

use super::json::ValidJson;
use super::path::Id;
use crate::auth::Caller;
use crate::domain::reminders::{self, UrgencyContext};
use crate::error::AppResult;
use crate::events::{Change, Op};
use crate::state::AppState;

pub fn register(cfg: &mut ServiceConfig) {
    cfg.service(list)
        .service(create)
        .service(get)
        .service(update)
        .service(remove)
        .service(done);
}

/// Urgency is judged now, against the configured thresholds.
fn context(state: &AppState) -> UrgencyContext {
    UrgencyContext::now(&state.settings.reminders)
}

/// Every reminder with its urgency, most urgent first.
#[utoipa::path(
    tag = "reminders",
    params(("vehicleId" = i64, Path)),
    responses((status = 200, body = ReminderList), (status = 404, body = Problem))
)]
#[get("/api/v1/vehicles/{vehicleId}/reminders")]
pub async fn list(
    state: web::Data<AppState>,
    caller: Caller,
    id: Id,
) -> AppResult<web::Json<ReminderList>> {
    let ctx = context(&state);
    Ok(web::Json(
        reminders::list(&state.db, &caller, id.vehicle(), ctx).await?,
    ))
}

/// A reminder due by date, odometer, or both (the due value each metric needs is required).
#[utoipa::path(
    tag = "reminders",
    params(("vehicleId" = i64, Path)),
    request_body = ReminderInput,
    responses((status = 201, body = Reminder), (status = 404, body = Problem), (status = 422, body = Problem))
)]
#[post("/api/v1/vehicles/{vehicleId}/reminders")]
pub async fn create(
    state: web::Data<AppState>,
    caller: Caller,
    id: Id,
    body: ValidJson<ReminderInput>,
) -> AppResult<HttpResponse> {
    let ctx = context(&state);
    let created = reminders::create(&state.db, &caller, id.vehicle(), body.0, ctx).await?;
    state
        .hub
        .publish(Change::of(&caller, Op::Add, &created))
        .await;
    Ok(HttpResponse::Created().json(created))
}

#[utoipa::path(
    tag = "reminders",
    params(("vehicleId" = i64, Path), ("recordId" = i64, Path)),
    responses((status = 200, body = Reminder), (status = 404, body = Problem))
)]
#[get("/api/v1/vehicles/{vehicleId}/reminders/{recordId}")]
pub async fn get(
    state: web::Data<AppState>,
    caller: Caller,
    id: Id,
) -> AppResult<web::Json<Reminder>> {
    let (vehicle, record) = id.vehicle_and_record()?;
    let ctx = context(&state);
    Ok(web::Json(
        reminders::get(&state.db, &caller, vehicle, record, ctx).await?,
    ))
}

#[utoipa::path(
    tag = "reminders",
    params(("vehicleId" = i64, Path), ("recordId" = i64, Path)),
    request_body = ReminderInput,
    responses((status = 200, body = Reminder), (status = 404, body = Problem), (status = 422, body = Problem))
)]
#[put("/api/v1/vehicles/{vehicleId}/reminders/{recordId}")]
pub async fn update(
    state: web::Data<AppState>,
    caller: Caller,
    id: Id,
    body: ValidJson<ReminderInput>,
) -> AppResult<web::Json<Reminder>> {
    let (vehicle, record) = id.vehicle_and_record()?;
    let ctx = context(&state);
    let updated = reminders::update(&state.db, &caller, vehicle, record, body.0, ctx).await?;
    state
        .hub
        .publish(Change::of(&caller, Op::Update, &updated))
        .await;
    Ok(web::Json(updated))
}

#[utoipa::path(
    tag = "reminders",
    params(("vehicleId" = i64, Path), ("recordId" = i64, Path)),
    responses((status = 204), (status = 404, body = Problem))
)]
#[delete("/api/v1/vehicles/{vehicleId}/reminders/{recordId}")]
pub async fn remove(state: web::Data<AppState>, caller: Caller, id: Id) -> AppResult<HttpResponse> {
    let (vehicle, record) = id.vehicle_and_record()?;
    reminders::delete(&state.db, &caller, vehicle, record).await?;
    state
        .hub
        .publish(Change::bare(
            &caller,
            "reminderrecord",
            Op::Delete,
            vehicle,
            Some(record),
        ))
        .await;
    Ok(HttpResponse::NoContent().finish())
}

/// Marks the reminder done. A recurring reminder moves forward by its interval from its stored
/// due values (reference §3.2 push-back) and is returned (200); a one-off reminder is deleted
/// (204).
#[utoipa::path(
    tag = "reminders",
    params(("vehicleId" = i64, Path), ("recordId" = i64, Path)),
    responses((status = 200, body = Reminder), (status = 204), (status = 404, body = Problem), (status = 422, body = Problem))
)]
#[post("/api/v1/vehicles/{vehicleId}/reminders/{recordId}/done")]
pub async fn done(state: web::Data<AppState>, caller: Caller, id: Id) -> AppResult<HttpResponse> {
    let (vehicle, record) = id.vehicle_and_record()?;
    let ctx = context(&state);
    let pushed = reminders::done(&state.db, &caller, vehicle, record, ctx).await?;
    // A recurring reminder moves on; any other is gone.
    state
        .hub
        .publish(match &pushed {
            Some(pushed) => Change::of(&caller, Op::Update, pushed),
            None => Change::bare(&caller, "reminderrecord", Op::Delete, vehicle, Some(record)),
        })
        .await;
    Ok(match pushed {
        Some(pushed) => HttpResponse::Ok().json(pushed),
        None => HttpResponse::NoContent().finish(),
    })
}

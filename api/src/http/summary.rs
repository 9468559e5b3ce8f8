//! `/api/v1/vehicles/{vehicleId}/summary` and `/api/v1/vehicle-summaries` (every visible
//! vehicle at once, for the garage). The latter is not under `/vehicles/` because
//! `/api/v1/vehicles/{vehicleId}` is registered first and would take `summaries` as an id.

use actix_web::{get, web};
use motovault_shared::dto::summary::{VehicleSummary, VehicleSummaryList};
use motovault_shared::problem::Problem;
use utoipa_actix_web::service_config::ServiceConfig;

use super::path::Id;
use crate::auth::Caller;
use crate::domain::reminders::UrgencyContext;
use crate::domain::summary;
use crate::error::AppResult;
use crate::state::AppState;

pub fn register(cfg: &mut ServiceConfig) {
    cfg.service(get).service(list);
}

/// Urgency is judged now, against the configured thresholds.
fn context(state: &AppState) -> UrgencyContext {
    UrgencyContext::now(&state.settings.reminders)
}

/// Counts and exact cost totals per record type, the last odometer, reminders by urgency with
/// the next one, plans by stage, and the garage tile's total cost and cost per distance
/// (reference §3.4).
#[utoipa::path(
    tag = "summary",
    params(("vehicleId" = i64, Path)),
    responses((status = 200, body = VehicleSummary), (status = 404, body = Problem))
)]
#[get("/api/v1/vehicles/{vehicleId}/summary")]
pub async fn get(
    state: web::Data<AppState>,
    caller: Caller,
    id: Id,
) -> AppResult<web::Json<VehicleSummary>> {
    let ctx = context(&state);
    Ok(web::Json(
        summary::get(&state.db, &state.cache, &caller, id.vehicle(), ctx).await?,
    ))
}

/// The summary of every vehicle the caller may see, in the order of `GET /api/v1/vehicles`.
#[utoipa::path(
    tag = "summary",
    responses((status = 200, body = VehicleSummaryList), (status = 401, body = Problem))
)]
#[get("/api/v1/vehicle-summaries")]
pub async fn list(
    state: web::Data<AppState>,
    caller: Caller,
) -> AppResult<web::Json<VehicleSummaryList>> {
    let ctx = context(&state);
    Ok(web::Json(
        summary::list(&state.db, &state.cache, &caller, ctx).await?,
    ))
}

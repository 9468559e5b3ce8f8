//! Vehicle dashboard: expense make-up, cost and distance by month, fuel economy by month, reminders as of a date (issue 8).

use actix_web::{get, web};
use motovault_shared::dto::dashboard::VehicleDashboard;
use motovault_shared::problem::Problem;
use serde::Deserialize;
use utoipa_actix_web::service_config::ServiceConfig;

use super::path::Id;
use crate::auth::Caller;
use crate::domain::dashboard;
use crate::domain::reminders::UrgencyContext;
use crate::error::AppResult;
use crate::state::AppState;

pub fn register(cfg: &mut ServiceConfig) {
    cfg.service(get);
}

/// Read as text so a mistake is a 422 naming the parameter, not a bare 400.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DashboardQuery {
    year: Option<String>,
    as_of: Option<String>,
}

/// Expense make-up, cost, distance (odometer records) and fuel economy by month, and the
/// reminders judged as of a day (reference §1 "Vehicle dashboard").
#[utoipa::path(
    tag = "reports",
    params(
        ("vehicleId" = i64, Path),
        ("year" = Option<i32>, Query, description = "Only this year (12 months); all years when absent"),
        ("asOf" = Option<String>, Query, description = "Judge reminders on this day (YYYY-MM-DD); today when absent"),
    ),
    responses(
        (status = 200, body = VehicleDashboard),
        (status = 400, body = Problem),
        (status = 404, body = Problem),
        (status = 422, body = Problem)
    )
)]
#[get("/api/v1/vehicles/{vehicleId}/dashboard")]
pub async fn get(
    state: web::Data<AppState>,
    caller: Caller,
    id: Id,
    query: web::Query<DashboardQuery>,
) -> AppResult<web::Json<VehicleDashboard>> {
    let ctx = UrgencyContext::now(&state.settings.reminders);
    let period = dashboard::period(
        query.year.as_deref(),
        query.as_of.as_deref(),
        ctx.now.date(),
    )?;
    Ok(web::Json(
        dashboard::get(&state.db, &caller, id.vehicle(), period, ctx).await?,
    ))
}

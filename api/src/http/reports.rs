//! Reports: the cost table (reference §3.4) and the vehicle history report (issue 8).

use actix_web::{get, web};
use chrono::NaiveDate;
use motovault_shared::dto::reports::{CostTable, HistoryFilter, TagMode, VehicleHistory};
use motovault_shared::problem::Problem;
use motovault_shared::validate::{MAX_YEAR, MIN_YEAR};
use serde::Deserialize;
use utoipa_actix_web::service_config::ServiceConfig;

use super::path::Id;
use crate::auth::Caller;
use crate::domain::reports;
use crate::error::{AppError, AppResult};
use crate::state::AppState;

pub fn register(cfg: &mut ServiceConfig) {
    cfg.service(cost_table).service(history);
}

#[derive(Debug, Deserialize)]
pub struct CostTableQuery {
    year: Option<i32>,
}

/// Per record type (service, repair, upgrade, fuel, tax): the sum, the sum per distance and per
/// ownership day, and the totals, of every year or of one (reference §3.4).
#[utoipa::path(
    tag = "reports",
    params(
        ("vehicleId" = i64, Path),
        ("year" = Option<i32>, Query, description = "A calendar year; absent or 0 = every year"),
    ),
    responses(
        (status = 200, body = CostTable),
        (status = 400, body = Problem),
        (status = 404, body = Problem),
        (status = 422, body = Problem)
    )
)]
#[get("/api/v1/vehicles/{vehicleId}/reports/cost-table")]
pub async fn cost_table(
    state: web::Data<AppState>,
    caller: Caller,
    id: Id,
    query: web::Query<CostTableQuery>,
) -> AppResult<web::Json<CostTable>> {
    let year = query.year.unwrap_or(0);
    if year != 0 && !(MIN_YEAR..=MAX_YEAR).contains(&year) {
        return Err(AppError::field(
            "year",
            format!("must be 0 (every year) or between {MIN_YEAR} and {MAX_YEAR}"),
        ));
    }
    Ok(web::Json(
        reports::cost_table(&state.db, &caller, id.vehicle(), year).await?,
    ))
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HistoryQuery {
    from: Option<String>,
    to: Option<String>,
    tags: Option<String>,
    tag_mode: Option<String>,
}

fn query_date(field: &str, value: Option<&str>) -> AppResult<Option<NaiveDate>> {
    match value.map(str::trim).filter(|v| !v.is_empty()) {
        None => Ok(None),
        Some(v) => NaiveDate::parse_from_str(v, "%Y-%m-%d")
            .map(Some)
            .map_err(|_| AppError::field(field, "must be a date YYYY-MM-DD")),
    }
}

impl HistoryQuery {
    fn filter(&self) -> AppResult<HistoryFilter> {
        let from = query_date("from", self.from.as_deref())?;
        let to = query_date("to", self.to.as_deref())?;
        if let (Some(from), Some(to)) = (from, to)
            && from > to
        {
            return Err(AppError::field("to", "must not be before `from`"));
        }
        let tag_mode = match self.tag_mode.as_deref().map(str::trim) {
            None | Some("") => TagMode::default(),
            Some(text) => TagMode::parse(text)
                .ok_or_else(|| AppError::field("tagMode", "must be `include` or `exclude`"))?,
        };
        let mut tags: Vec<String> = Vec::new();
        for tag in self.tags.as_deref().unwrap_or("").split([',', ' ']) {
            if !tag.is_empty() && !tags.iter().any(|t| t == tag) {
                tags.push(tag.to_owned());
            }
        }
        Ok(HistoryFilter {
            from,
            to,
            tags,
            tag_mode,
        })
    }
}

/// The printable history: the vehicle, its service, repair, upgrade, fuel and tax records in
/// date order with tags and extra fields, and the totals over what the filters keep: costs
/// (fuel apart), distance, cost per distance, average fuel economy, depreciation (reference §1
/// "Vehicle history report", §3.4).
#[utoipa::path(
    tag = "reports",
    params(
        ("vehicleId" = i64, Path),
        ("from" = Option<NaiveDate>, Query, description = "First date, inclusive"),
        ("to" = Option<NaiveDate>, Query, description = "Last date, inclusive"),
        ("tags" = Option<String>, Query, description = "Tags to filter on, separated by commas"),
        ("tagMode" = Option<String>, Query, description = "`include` (default: keep only records with one of the tags) or `exclude`"),
    ),
    responses(
        (status = 200, body = VehicleHistory),
        (status = 400, body = Problem),
        (status = 404, body = Problem),
        (status = 422, body = Problem)
    )
)]
#[get("/api/v1/vehicles/{vehicleId}/reports/history")]
pub async fn history(
    state: web::Data<AppState>,
    caller: Caller,
    id: Id,
    query: web::Query<HistoryQuery>,
) -> AppResult<web::Json<VehicleHistory>> {
    let filter = query.filter()?;
    Ok(web::Json(
        reports::history(&state.db, &caller, id.vehicle(), filter).await?,
    ))
}

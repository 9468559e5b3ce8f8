//! Global search across the records a caller may see, through an indexed search table (issue 8).

use actix_web::{get, web};
use motovault_shared::dto::search::SearchResults;
use motovault_shared::problem::Problem;
use serde::Deserialize;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::auth::Caller;
use crate::domain::search;
use crate::error::AppResult;
use crate::state::AppState;

pub fn register(cfg: &mut ServiceConfig) {
    cfg.service(get);
}

#[derive(Debug, Deserialize)]
pub struct SearchParams {
    q: Option<String>,
    limit: Option<i64>,
}

/// Records of every vehicle the caller may see whose description, title, notes, part number,
/// supplier, tags, used supplies, extra-field values or inspection answers (field labels, text
/// answers, ticked options, notes) contain `q` (case-insensitive), newest first, each with a
/// snippet and the web app's deep link. Shop supplies match too, for every caller, while shop
/// supplies are enabled: `kind` `supply` with `vehicleId` and `vehicleName` null.
#[utoipa::path(
    tag = "search",
    params(
        ("q" = String, Query, description = "Text to find, 2–100 characters"),
        ("limit" = Option<u32>, Query, description = "Most results (1–200, default 50)"),
    ),
    responses(
        (status = 200, body = SearchResults),
        (status = 401, body = Problem),
        (status = 422, body = Problem, description = "`q` too short or long, `limit` out of range"),
    )
)]
#[get("/api/v1/search")]
pub async fn get(
    state: web::Data<AppState>,
    caller: Caller,
    params: web::Query<SearchParams>,
) -> AppResult<web::Json<SearchResults>> {
    let params = params.into_inner();
    let query = search::validate(params.q.as_deref(), params.limit)?;
    let shop = state.settings.supplies.shop_enabled;
    Ok(web::Json(
        search::search(&state.db, &caller, query, shop).await?,
    ))
}

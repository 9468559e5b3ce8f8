//! `GET /api/v1/kiosk`: the read-only wall display of vehicles, plans and reminders (issue 8).

use actix_web::{HttpRequest, get, web};
use motovault_shared::dto::kiosk::{self as dto, KioskMode, KioskView};
use motovault_shared::problem::{FieldError, Problem};
use utoipa_actix_web::service_config::ServiceConfig;

use crate::auth::Caller;
use crate::domain::kiosk::{self, KioskQuery};
use crate::domain::reminders::UrgencyContext;
use crate::error::{AppError, AppResult};
use crate::state::AppState;

pub fn register(cfg: &mut ServiceConfig) {
    cfg.service(get);
}

/// `mode` and `exclude`; other parameters (a display's own, like `interval`) are ignored.
fn query_of(req: &HttpRequest) -> AppResult<KioskQuery> {
    let pairs = web::Query::<Vec<(String, String)>>::from_query(req.query_string())
        .map(web::Query::into_inner)
        .map_err(|e| AppError::Malformed(format!("the query string cannot be read: {e}")))?;
    let mut query = KioskQuery::default();
    let mut errors = Vec::new();
    for (key, value) in pairs {
        match key.as_str() {
            "mode" => match KioskMode::parse(value.trim()) {
                Some(mode) => query.mode = mode,
                None => errors.push(FieldError::new(
                    "mode",
                    "must be `vehicles`, `plans`, `reminders` or `cycle`",
                )),
            },
            "exclude" => match dto::parse_exclude(&value) {
                Ok(ids) => query.exclude.extend(ids),
                Err(message) => errors.push(FieldError::new("exclude", message)),
            },
            _ => {}
        }
    }
    AppError::check(errors)?;
    Ok(query)
}

/// Everything a wall display shows, for every vehicle the caller may view except the
/// `exclude`d (`1,3`) and the sold ones: vehicle cards (with their summary), open plans and
/// reminders with urgency, each most urgent first. `mode` (`vehicles` by default, `plans`,
/// `reminders`, or `cycle` for all three) picks the sections filled. A viewer API key is
/// enough, so an unattended display needs no session.
#[utoipa::path(
    tag = "kiosk",
    params(
        ("mode" = Option<String>, Query, description = "`vehicles` (default), `plans`, `reminders` or `cycle`"),
        ("exclude" = Option<String>, Query, description = "vehicle ids to leave out, e.g. `1,3`")
    ),
    responses(
        (status = 200, body = KioskView),
        (status = 400, body = Problem),
        (status = 401, body = Problem),
        (status = 422, body = Problem)
    )
)]
#[get("/api/v1/kiosk")]
pub async fn get(
    state: web::Data<AppState>,
    caller: Caller,
    req: HttpRequest,
) -> AppResult<web::Json<KioskView>> {
    let query = query_of(&req)?;
    let ctx = UrgencyContext::now(&state.settings.reminders);
    Ok(web::Json(
        kiosk::view(&state.db, &state.cache, &caller, &query, ctx).await?,
    ))
}

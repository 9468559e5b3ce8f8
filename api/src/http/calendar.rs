//! `/api/v1/calendar`: the caller's date reminders in a date range, and `/api/v1/calendar/feed`:
//! the per-user ICS feed URL with a revocable secret (issue 8). The feed itself
//! (`…/feed/{secret}.ics`) takes no session: the secret in the path is the credential, so
//! calendar apps can subscribe.

use actix_web::{HttpRequest, HttpResponse, delete, get, post, web};
use chrono::NaiveDate;
use motovault_shared::dto::calendar::{CalendarEvents, CalendarFeed, CreatedCalendarFeed};
use motovault_shared::problem::{FieldError, Problem};
use utoipa_actix_web::service_config::ServiceConfig;

use crate::auth::Caller;
use crate::compat::calendar::ics_response;
use crate::domain::calendar;
use crate::domain::reminders::UrgencyContext;
use crate::error::{AppError, AppResult};
use crate::state::AppState;

pub fn register(cfg: &mut ServiceConfig) {
    cfg.service(events)
        .service(feed)
        .service(create_feed)
        .service(revoke_feed)
        .service(ics);
}

/// `from` and `to` of the query string, both required dates.
fn range(req: &HttpRequest) -> AppResult<(NaiveDate, NaiveDate)> {
    let pairs = web::Query::<Vec<(String, String)>>::from_query(req.query_string())
        .map_err(|e| AppError::Malformed(format!("the query string cannot be read: {e}")))?
        .into_inner();
    let mut errors = Vec::new();
    let mut date = |name: &str| {
        let value = pairs.iter().find(|(k, _)| k == name).map(|(_, v)| v.trim());
        match value.map(|v| NaiveDate::parse_from_str(v, "%Y-%m-%d")) {
            Some(Ok(d)) => Some(d),
            Some(Err(_)) => {
                errors.push(FieldError::new(name, "must be a date YYYY-MM-DD"));
                None
            }
            None => {
                errors.push(FieldError::new(name, "is required (YYYY-MM-DD)"));
                None
            }
        }
    };
    let (from, to) = (date("from"), date("to"));
    match (from, to) {
        (Some(from), Some(to)) => Ok((from, to)),
        _ => Err(AppError::Validation(errors)),
    }
}

/// The caller's date reminders due from `from` to `to` (both included, at most 366 days) on
/// every vehicle they may view, soonest first. Odometer-only reminders are left out; urgency
/// is judged by the date alone.
#[utoipa::path(
    tag = "calendar",
    params(
        ("from" = String, Query, description = "First day, YYYY-MM-DD"),
        ("to" = String, Query, description = "Last day, YYYY-MM-DD")
    ),
    responses(
        (status = 200, body = CalendarEvents),
        (status = 401, body = Problem),
        (status = 422, body = Problem)
    )
)]
#[get("/api/v1/calendar")]
pub async fn events(
    state: web::Data<AppState>,
    caller: Caller,
    req: HttpRequest,
) -> AppResult<web::Json<CalendarEvents>> {
    let (from, to) = range(&req)?;
    let ctx = UrgencyContext::now(&state.settings.reminders);
    Ok(web::Json(
        calendar::events(&state.db, &caller, ctx, from, to).await?,
    ))
}

/// Whether the caller has a calendar feed URL; never its secret.
#[utoipa::path(
    tag = "calendar",
    responses((status = 200, body = CalendarFeed), (status = 403, body = Problem))
)]
#[get("/api/v1/calendar/feed")]
pub async fn feed(
    state: web::Data<AppState>,
    caller: Caller,
) -> AppResult<web::Json<CalendarFeed>> {
    Ok(web::Json(calendar::feed(&state.db, &caller).await?))
}

/// A new feed URL: `secret` and `path` are in this answer only. Any previous URL stops working.
#[utoipa::path(
    tag = "calendar",
    responses((status = 201, body = CreatedCalendarFeed), (status = 403, body = Problem))
)]
#[post("/api/v1/calendar/feed")]
pub async fn create_feed(state: web::Data<AppState>, caller: Caller) -> AppResult<HttpResponse> {
    let created = calendar::create_feed(&state.db, &caller).await?;
    Ok(HttpResponse::Created().json(created))
}

/// Revokes the feed URL at once.
#[utoipa::path(
    tag = "calendar",
    responses((status = 204), (status = 403, body = Problem), (status = 404, body = Problem))
)]
#[delete("/api/v1/calendar/feed")]
pub async fn revoke_feed(state: web::Data<AppState>, caller: Caller) -> AppResult<HttpResponse> {
    calendar::revoke_feed(&state.db, &caller).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// The owner's date reminders as an iCalendar feed, the same as `GET /api/calendar` answers
/// them. No session: the secret is the credential; an unknown or revoked one is 404.
#[utoipa::path(
    tag = "calendar",
    params(("secret" = String, Path)),
    responses(
        (status = 200, content_type = "text/calendar", body = String),
        (status = 404, body = Problem)
    )
)]
#[get("/api/v1/calendar/feed/{secret}.ics")]
pub async fn ics(state: web::Data<AppState>, req: HttpRequest) -> AppResult<HttpResponse> {
    let secret = req.match_info().get("secret").unwrap_or_default();
    let owner = calendar::feed_owner(&state.db, secret).await?;
    ics_response(&state, &owner).await
}

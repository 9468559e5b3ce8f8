//! `/calendar`: reminders in a month grid, and the ICS feed URL.

use chrono::NaiveDate;
use gloo_net::http::Method;
use motovault_shared::dto::calendar::{CalendarEvents, CalendarFeed, CreatedCalendarFeed};

use super::{ApiError, Write, client};

/// Date reminders due from `from` to `to`, both included.
pub async fn events(from: NaiveDate, to: NaiveDate) -> Result<CalendarEvents, ApiError> {
    client::get(&format!("/calendar?from={from}&to={to}")).await
}

/// Whether a feed URL exists (never its secret).
pub async fn feed() -> Result<CalendarFeed, ApiError> {
    client::get("/calendar/feed").await
}

/// A new feed URL; the answer is the only time its secret is shown. The old URL stops working.
pub async fn create_feed(csrf: &str) -> Result<CreatedCalendarFeed, ApiError> {
    client::send(Method::POST, "/calendar/feed", csrf, &()).await
}

pub fn revoke_feed() -> Write {
    Write::bare(Method::DELETE, "/calendar/feed".to_owned())
}

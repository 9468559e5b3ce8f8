//! The vehicle Dashboard tab: charts as inline SVG, with a year filter.
//!
//! `/api/v1/vehicles/{id}/dashboard?year=&asOf=`: the server does the sums, month by month.

use chrono::NaiveDate;
use motovault_shared::dto::dashboard::VehicleDashboard;

use super::{ApiError, client};

/// `year`: one year or all of them; `as_of`: the day reminders are judged on.
pub async fn get(
    vehicle_id: i64,
    year: Option<i32>,
    as_of: NaiveDate,
) -> Result<VehicleDashboard, ApiError> {
    let year = year.map(|y| format!("&year={y}")).unwrap_or_default();
    client::get(&format!(
        "/vehicles/{vehicle_id}/dashboard?asOf={as_of}{year}"
    ))
    .await
}

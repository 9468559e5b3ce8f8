//! Calendar of reminders and the per-user ICS feed with a revocable token (issue 8).

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::dto::reminders::ReminderUrgency;

#[cfg(feature = "openapi")]
use utoipa::ToSchema;

/// Longest range `GET /api/v1/calendar` answers, in days counting both ends (a leap year).
pub const MAX_RANGE_DAYS: i64 = 366;

/// One date reminder on its due day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct CalendarEvent {
    pub reminder_id: i64,
    pub vehicle_id: i64,
    /// "Year Make Model #Identifier", as the ICS feed names the vehicle.
    pub vehicle_name: String,
    pub description: String,
    pub due_date: NaiveDate,
    /// Judged by the date alone (reference §1 "Calendar / ICS"), even for `both` reminders.
    pub urgency: ReminderUrgency,
    /// Where the web app shows the reminder: `/vehicles/{vehicleId}/reminders?record={reminderId}`.
    pub link: String,
}

/// `GET /api/v1/calendar`: the caller's date reminders due in `from..=to`, soonest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct CalendarEvents {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub events: Vec<CalendarEvent>,
}

/// `GET /api/v1/calendar/feed`: whether the caller has a feed URL (never its secret).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct CalendarFeed {
    pub active: bool,
    pub created_at: Option<DateTime<Utc>>,
}

/// `POST /api/v1/calendar/feed`: the new secret, shown this once; any previous URL is dead.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct CreatedCalendarFeed {
    pub secret: String,
    /// `/api/v1/calendar/feed/{secret}.ics`: prefix the server's origin to subscribe.
    pub path: String,
    pub created_at: DateTime<Utc>,
}

/// The web app's address of a reminder.
pub fn reminder_link(vehicle_id: i64, reminder_id: i64) -> String {
    format!("/vehicles/{vehicle_id}/reminders?record={reminder_id}")
}

/// The feed's path for a secret.
pub fn feed_path(secret: &str) -> String {
    format!("/api/v1/calendar/feed/{secret}.ics")
}

/// Problems of a requested range: `to` before `from`, or more than [`MAX_RANGE_DAYS`] days.
pub fn range_error(from: NaiveDate, to: NaiveDate) -> Option<&'static str> {
    let days = (to - from).num_days() + 1;
    if days < 1 {
        Some("must not be before `from`")
    } else if days > MAX_RANGE_DAYS {
        Some("the range may span at most 366 days")
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn ranges_span_one_to_366_days() {
        let cases = [
            (d(2026, 3, 1), d(2026, 3, 1), None),
            // 2024 is a leap year: Jan 1 … Dec 31 is 366 days.
            (d(2024, 1, 1), d(2024, 12, 31), None),
            (d(2025, 1, 1), d(2026, 1, 1), None),
            (
                d(2025, 1, 1),
                d(2026, 1, 2),
                Some("the range may span at most 366 days"),
            ),
            (
                d(2026, 3, 2),
                d(2026, 3, 1),
                Some("must not be before `from`"),
            ),
        ];
        for (from, to, expected) in cases {
            assert_eq!(range_error(from, to), expected, "{from} … {to}");
        }
    }

    #[test]
    fn links_and_paths() {
        assert_eq!(reminder_link(3, 17), "/vehicles/3/reminders?record=17");
        assert_eq!(feed_path("ab12"), "/api/v1/calendar/feed/ab12.ics");
    }
}

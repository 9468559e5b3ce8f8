//! `/api/v1/kiosk`: everything the wall display shows, in one call.
//!
//! Vehicle cards decode only the summary figures they show (serde skips the rest), which
//! keeps the decoder of the full `VehicleSummary` out of the bundle.

use motovault_shared::Amount;
use motovault_shared::dto::kiosk::{KioskPlan, KioskReminder};
use motovault_shared::dto::summary::{PlanSummary, ReminderSummary};
use serde::Deserialize;

use super::{ApiError, client};

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WallSummary {
    pub last_odometer: i64,
    pub total_cost: Amount,
    pub reminders: ReminderSummary,
    pub plans: PlanSummary,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WallVehicle {
    pub id: i64,
    pub name: String,
    pub license_plate: String,
    pub use_hours: bool,
    pub summary: WallSummary,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Wall {
    pub vehicles: Vec<WallVehicle>,
    pub plans: Vec<KioskPlan>,
    pub reminders: Vec<KioskReminder>,
}

/// A query value as typed by whoever set up the display: the server judges it (a bad list is
/// a 422 shown on the wall), so it is only made safe to put in the URL here.
fn encode(value: &str) -> String {
    value
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b == b',' || b == b'-' {
                char::from(b).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// `mode` is `vehicles`, `plans`, `reminders` or `cycle`; `exclude` the ids to leave out.
pub async fn load(mode: &str, exclude: &str) -> Result<Wall, ApiError> {
    let mut path = format!("/kiosk?mode={}", encode(mode));
    if !exclude.is_empty() {
        path.push_str("&exclude=");
        path.push_str(&encode(exclude));
    }
    client::get(&path).await
}

#[cfg(test)]
mod tests {
    use super::encode;

    #[test]
    fn query_values_are_made_url_safe() {
        assert_eq!(encode("1,3"), "1,3");
        assert_eq!(encode("1, 3"), "1,%203");
        assert_eq!(encode("1&mode=x"), "1%26mode%3Dx");
        assert_eq!(encode("-2"), "-2");
    }
}

//! `/api/v1/vehicle-summaries`: every vehicle's figures in one call (the garage cards).
//!
//! Only the part the cards show is decoded (serde skips the rest), which keeps the decoder of
//! the full `VehicleSummary` out of the bundle.

use motovault_shared::Amount;
use motovault_shared::dto::summary::ReminderSummary;
use serde::Deserialize;

use super::{ApiError, client};

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CardSummary {
    pub vehicle_id: i64,
    pub reminders: ReminderSummary,
    /// The garage metrics (`UserSettings::garage_metric`).
    pub total_cost: Amount,
    pub cost_per_distance: Amount,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct CardSummaries {
    pub summaries: Vec<CardSummary>,
}

pub async fn list() -> Result<CardSummaries, ApiError> {
    client::get("/vehicle-summaries").await
}

//! The vehicle summary: counts and exact cost totals per record type, reminders by urgency, plan
//! stages, and the garage tile's figures (reference §1 "Garage metrics", §3.4).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::amount::Amount;
use crate::dto::reminders::ReminderUrgency;

#[cfg(feature = "openapi")]
use utoipa::ToSchema;

/// How many records of one type and what they cost together.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct CostCount {
    pub count: i64,
    pub total_cost: Amount,
}

/// The reminder to look at first: the most urgent, then the soonest due.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct NextReminder {
    pub id: i64,
    pub description: String,
    pub urgency: ReminderUrgency,
    pub due_date: Option<NaiveDate>,
    pub due_odometer: Option<i64>,
    pub due_days: Option<i64>,
    pub due_distance: Option<i64>,
}

/// Reminders by urgency (reference §3.2, judged with the server's thresholds unless a reminder
/// has its own).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ReminderSummary {
    pub count: i64,
    pub not_urgent: i64,
    pub urgent: i64,
    pub very_urgent: i64,
    pub past_due: i64,
    pub next: Option<NextReminder>,
}

/// Planner items by stage (reference `PlanProgress`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct PlanSummary {
    pub count: i64,
    pub backlog: i64,
    pub in_progress: i64,
    pub testing: i64,
    pub done: i64,
}

/// `GET /api/v1/vehicles/{vehicleId}/summary`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct VehicleSummary {
    pub vehicle_id: i64,
    pub service_records: CostCount,
    pub repair_records: CostCount,
    pub upgrade_records: CostCount,
    pub fuel_records: CostCount,
    pub tax_records: CostCount,
    pub odometer_records: i64,
    pub notes: i64,
    pub reminders: ReminderSummary,
    pub plans: PlanSummary,
    /// Highest reading over fuel, service/repair/upgrade and odometer records (0 if none).
    pub last_odometer: i64,
    /// Highest reading minus the lowest non-zero one, over the same records.
    pub distance: i64,
    /// Service + repair + upgrade + tax + fuel (garage tile "TotalCost", §3.4).
    pub total_cost: Amount,
    /// `totalCost ÷ distance`, rounded to 4 decimals; 0 when the distance is 0 (§3.4).
    pub cost_per_distance: Amount,
}

/// `GET /api/v1/vehicle-summaries`: one summary per vehicle the caller may see, in the order
/// of the vehicle list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct VehicleSummaryList {
    pub summaries: Vec<VehicleSummary>,
}

/// Garage tile "CostPerMile" (§3.4): `total ÷ distance`, exact to the stored 4 decimals
/// (half away from zero), 0 when the distance is not positive.
pub fn cost_per_distance(total: Amount, distance: i64) -> Amount {
    if distance <= 0 {
        return Amount::ZERO;
    }
    let scaled = i128::from(total.scaled());
    let d = i128::from(distance);
    let rounded = (2 * scaled.abs() + d) / (2 * d);
    let signed = if scaled < 0 { -rounded } else { rounded };
    // |total| / d ≤ |total|, so it fits.
    Amount::from_scaled(i64::try_from(signed).unwrap_or(i64::MAX))
}

/// The distance the costs are spread over: max − min non-zero reading, 0 without readings.
pub fn distance(max_odometer: i64, min_nonzero_odometer: Option<i64>) -> i64 {
    min_nonzero_odometer.map_or(0, |min| max_odometer.saturating_sub(min).max(0))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn amount(text: &str) -> Amount {
        Amount::parse(text).unwrap_or(Amount::ZERO)
    }

    #[test]
    fn cost_per_distance_worked_numbers() {
        // Service 100 + repair 50.50 + fuel 35 + tax 120 = 305.50 over 1000…2000.
        let total = amount("100") + amount("50.50") + amount("35") + amount("120");
        assert_eq!(total, amount("305.5"));
        assert_eq!(
            cost_per_distance(total, distance(2000, Some(1000))),
            amount("0.3055")
        );
        // Rounded half away from zero at the 4th decimal: 1 / 3 = 0.3333, 2 / 3 = 0.6667.
        assert_eq!(cost_per_distance(amount("1"), 3), amount("0.3333"));
        assert_eq!(cost_per_distance(amount("2"), 3), amount("0.6667"));
        assert_eq!(cost_per_distance(amount("0.0001"), 2), amount("0.0001"));
        assert_eq!(cost_per_distance(amount("-2"), 3), amount("-0.6667"));
        // No distance: 0.
        assert_eq!(cost_per_distance(total, 0), Amount::ZERO);
        assert_eq!(cost_per_distance(total, distance(0, None)), Amount::ZERO);
    }

    #[test]
    fn distance_ignores_zero_readings() {
        // Readings 0, 1000, 2000: min ignores the 0.
        assert_eq!(distance(2000, Some(1000)), 1000);
        // One reading only.
        assert_eq!(distance(1500, Some(1500)), 0);
        // Only zero readings.
        assert_eq!(distance(0, None), 0);
    }
}

//! Vehicle dashboard: expense make-up, cost and distance by month, fuel economy by month, reminders as of a date (issue 8).
//!
//! `GET /api/v1/vehicles/{vehicleId}/dashboard?year=YYYY&asOf=YYYY-MM-DD` (reference §1 "Vehicle
//! dashboard"). Costs are exact [`Amount`] sums; economy is in the caller's units, as the fuel
//! list gives it.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::amount::Amount;
use crate::dto::reminders::{ReminderMetric, ReminderUrgency};
use crate::units::UnitSystem;

#[cfg(feature = "openapi")]
use utoipa::ToSchema;

/// What each record type cost, and all of them together (service + repair + upgrade + fuel +
/// tax, as the garage tile's total cost).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct CostsByType {
    pub service: Amount,
    pub repair: Amount,
    pub upgrade: Amount,
    pub fuel: Amount,
    pub tax: Amount,
    pub total: Amount,
}

impl CostsByType {
    /// The five types in legend order, with their JSON names.
    pub fn parts(&self) -> [(&'static str, Amount); 5] {
        [
            ("service", self.service),
            ("repair", self.repair),
            ("upgrade", self.upgrade),
            ("fuel", self.fuel),
            ("tax", self.tax),
        ]
    }

    /// `total` recomputed from the five parts.
    pub fn with_total(mut self) -> Self {
        self.total = self.parts().iter().map(|(_, a)| *a).sum();
        self
    }
}

/// The costs of one calendar month.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct MonthCosts {
    pub year: i32,
    /// 1 to 12.
    pub month: u32,
    pub costs: CostsByType,
}

/// The distance of the odometer records dated in one month.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct MonthDistance {
    pub year: i32,
    pub month: u32,
    pub distance: i64,
}

/// The average economy of the full fill-ups of one month.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct MonthEconomy {
    pub year: i32,
    pub month: u32,
    /// Mean of the month's per-fill-up economies (2 decimals); `null` when none has one.
    pub economy: Option<f64>,
    /// How many fill-ups of the month have an economy figure.
    pub fill_ups: i64,
}

/// A reminder judged as of the dashboard's date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct DashboardReminder {
    pub id: i64,
    pub description: String,
    pub metric: ReminderMetric,
    pub urgency: ReminderUrgency,
    pub due_date: Option<NaiveDate>,
    pub due_odometer: Option<i64>,
    /// Whole days from `asOf` to the due date; `null` for odometer reminders.
    pub due_days: Option<i64>,
    /// Due odometer minus the current odometer; `null` for date reminders.
    pub due_distance: Option<i64>,
}

/// `GET /api/v1/vehicles/{vehicleId}/dashboard`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct VehicleDashboard {
    pub vehicle_id: i64,
    /// The year asked for; `null` for all years.
    pub year: Option<i32>,
    /// The day reminders are judged on.
    pub as_of: NaiveDate,
    /// Every year with a service, repair, upgrade, fuel, tax or odometer record, newest first.
    pub years: Vec<i32>,
    /// The cost of each record type over the period.
    pub expenses: CostsByType,
    /// One entry per month: the 12 months of `year`, or every month from the first to the last
    /// record over all years.
    pub cost_by_month: Vec<MonthCosts>,
    /// Odometer records only (reference §1 "Odometer"), the same months.
    pub distance_by_month: Vec<MonthDistance>,
    /// The same months.
    pub economy_by_month: Vec<MonthEconomy>,
    /// Average economy of every fill-up with a figure in the period (2 decimals).
    pub average_economy: Option<f64>,
    pub unit_system: UnitSystem,
    pub economy_unit: String,
    pub distance_unit: String,
    /// Highest reading of the vehicle's records, what odometer reminders are judged against.
    pub current_odometer: i64,
    /// Most urgent first, then the soonest due.
    pub reminders: Vec<DashboardReminder>,
}

/// The months a dashboard covers: the 12 of `year`, or from `first` to `last` (inclusive,
/// `(year, month)` pairs) over all years; none without records.
pub fn months(
    year: Option<i32>,
    first: Option<(i32, u32)>,
    last: Option<(i32, u32)>,
) -> Vec<(i32, u32)> {
    if let Some(y) = year {
        return (1..=12).map(|m| (y, m)).collect();
    }
    let (Some(mut at), Some(end)) = (first, last) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    while at <= end {
        out.push(at);
        at = if at.1 >= 12 {
            (at.0 + 1, 1)
        } else {
            (at.0, at.1 + 1)
        };
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_of_a_year_or_of_the_whole_history() {
        let year = months(Some(2024), Some((2020, 5)), Some((2025, 1)));
        assert_eq!(year.len(), 12);
        assert_eq!(year.first(), Some(&(2024, 1)));
        assert_eq!(year.last(), Some(&(2024, 12)));
        // Across a new year, both ends included.
        assert_eq!(
            months(None, Some((2023, 11)), Some((2024, 2))),
            vec![(2023, 11), (2023, 12), (2024, 1), (2024, 2)]
        );
        assert_eq!(
            months(None, Some((2024, 3)), Some((2024, 3))),
            vec![(2024, 3)]
        );
        assert!(months(None, None, None).is_empty());
    }

    #[test]
    fn the_total_adds_the_five_types() {
        let costs = CostsByType {
            service: Amount::from_units(100),
            repair: Amount::parse("50.5").unwrap_or_default(),
            upgrade: Amount::ZERO,
            fuel: Amount::from_units(35),
            tax: Amount::parse("0.3").unwrap_or_default(),
            total: Amount::ZERO,
        }
        .with_total();
        assert_eq!(costs.total, Amount::parse("185.8").unwrap_or_default());
    }
}

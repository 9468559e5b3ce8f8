//! Reports: the cost table (reference §1 "Reports", §3.4) and the printable vehicle history
//! report (§1 "Vehicle history report", §3.4 "Vehicle history").

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::amount::Amount;

#[cfg(feature = "openapi")]
use utoipa::ToSchema;

/// The record types whose costs the reports add up, in the order they are shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase")]
pub enum ReportRecordType {
    Service,
    Repair,
    Upgrade,
    Fuel,
    Tax,
}

impl ReportRecordType {
    pub const ALL: [ReportRecordType; 5] = [
        ReportRecordType::Service,
        ReportRecordType::Repair,
        ReportRecordType::Upgrade,
        ReportRecordType::Fuel,
        ReportRecordType::Tax,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ReportRecordType::Service => "service",
            ReportRecordType::Repair => "repair",
            ReportRecordType::Upgrade => "upgrade",
            ReportRecordType::Fuel => "fuel",
            ReportRecordType::Tax => "tax",
        }
    }
}

/// One line of the cost table: a record type's sum, spread over the distance and the days.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct CostLine {
    pub record_type: ReportRecordType,
    pub sum: Amount,
    /// `sum ÷ distance`, to 4 decimals; 0 when the distance is 0.
    pub per_distance: Amount,
    /// `sum ÷ days`, to 4 decimals; 0 when the days are 0.
    pub per_day: Amount,
}

/// The totals line: each figure adds up the per-type figures (as LubeLogger's table does).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct CostTotals {
    pub sum: Amount,
    pub per_distance: Amount,
    pub per_day: Amount,
}

/// `GET /api/v1/vehicles/{vehicleId}/reports/cost-table`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct CostTable {
    pub vehicle_id: i64,
    /// The year asked for; 0 = every year.
    pub year: i32,
    /// Highest minus lowest non-zero reading of the (year's) records.
    pub distance: i64,
    /// Ownership days (reference §3.4 `GetOwnershipDays`).
    pub days: i64,
    /// `mi`, `km` or `h` (vehicles that count hours).
    pub distance_unit: String,
    /// Service, repair, upgrade, fuel, tax, in that order.
    pub lines: Vec<CostLine>,
    pub totals: CostTotals,
    /// Years that have records, newest first (the choices of the year filter).
    pub years: Vec<i32>,
}

/// How `tags` filter the history report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase")]
pub enum TagMode {
    /// Keep only records that carry one of the tags.
    #[default]
    Include,
    /// Leave out records that carry any of the tags.
    Exclude,
}

impl TagMode {
    pub fn as_str(self) -> &'static str {
        match self {
            TagMode::Include => "include",
            TagMode::Exclude => "exclude",
        }
    }

    /// `include` (or LubeLogger's `includeOnly`) and `exclude`.
    pub fn parse(text: &str) -> Option<TagMode> {
        match text {
            "include" | "includeOnly" => Some(TagMode::Include),
            "exclude" => Some(TagMode::Exclude),
            _ => None,
        }
    }
}

/// The filters the report was made with.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct HistoryFilter {
    /// First date, inclusive.
    pub from: Option<NaiveDate>,
    /// Last date, inclusive.
    pub to: Option<NaiveDate>,
    pub tags: Vec<String>,
    pub tag_mode: TagMode,
}

/// The vehicle at the head of the report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct HistoryVehicle {
    pub id: i64,
    pub year: i32,
    pub make: String,
    pub model: String,
    pub license_plate: String,
    pub purchase_date: Option<NaiveDate>,
    pub sold_date: Option<NaiveDate>,
    pub purchase_price: Option<Amount>,
    pub sold_price: Option<Amount>,
    /// `(sold date or today) − purchase date`; absent without a purchase date.
    pub days_owned: Option<i64>,
}

/// An extra field of a record, as its template names it now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct HistoryExtraField {
    pub name: String,
    pub value: String,
}

/// One record of the history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct HistoryRecord {
    pub record_type: ReportRecordType,
    pub id: i64,
    pub date: NaiveDate,
    /// 0 for tax records (they have no reading) and unread odometers.
    pub odometer: i64,
    /// Empty for fill-ups, which have none: `fuelConsumed` says what they were.
    pub description: String,
    /// Fill-ups only: gallons, litres or kWh.
    pub fuel_consumed: Option<Amount>,
    pub cost: Amount,
    pub notes: String,
    pub tags: Vec<String>,
    pub extra_fields: Vec<HistoryExtraField>,
}

/// The report's figures, over the records left after the filters.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct HistoryTotals {
    /// Service + repair + upgrade + tax (fuel is apart, reference §3.4).
    pub total_cost: Amount,
    pub total_fuel_cost: Amount,
    /// Highest reading.
    pub odometer: i64,
    /// Highest minus lowest non-zero reading.
    pub distance: i64,
    /// Σ distances of the odometer records (the summary header's distance).
    pub odometer_distance: i64,
    /// `totalCost ÷ distance`, 0 without distance.
    pub cost_per_distance: Amount,
    /// `totalFuelCost ÷ distance`, 0 without distance.
    pub fuel_cost_per_distance: Amount,
    /// Average over the kept fill-ups (reference §3.1), 2 decimals; absent when none qualify.
    pub average_fuel_economy: Option<f64>,
    pub economy_unit: String,
    pub distance_unit: String,
    /// `gal`, `L` or `kWh` (what `fuelConsumed` counts).
    pub fuel_unit: String,
    /// Purchase − sold price, only when a sold price is set (non-zero).
    pub depreciation: Option<Amount>,
    /// `|depreciation| ÷ daysOwned`; absent without depreciation or days.
    pub depreciation_per_day: Option<Amount>,
    /// `|depreciation| ÷ distance`; absent without depreciation or distance.
    pub depreciation_per_distance: Option<Amount>,
}

/// `GET /api/v1/vehicles/{vehicleId}/reports/history`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct VehicleHistory {
    pub vehicle: HistoryVehicle,
    pub filter: HistoryFilter,
    /// Oldest first (date, then odometer).
    pub records: Vec<HistoryRecord>,
    pub totals: HistoryTotals,
    /// The extra-field columns there can be, in template order (service, repair, upgrade,
    /// fuel, tax; each name once).
    pub extra_field_names: Vec<String>,
    /// Every tag of the vehicle's records, sorted (the choices of the tag filter).
    pub available_tags: Vec<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tag_modes_read_both_spellings() {
        let cases = [
            ("include", Some(TagMode::Include)),
            ("includeOnly", Some(TagMode::Include)),
            ("exclude", Some(TagMode::Exclude)),
            ("Exclude", None),
            ("", None),
        ];
        for (text, want) in cases {
            assert_eq!(TagMode::parse(text), want, "{text}");
        }
    }
}

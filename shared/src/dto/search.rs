//! Global search across the records a caller may see, through an indexed search table (issue 8).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

#[cfg(feature = "openapi")]
use utoipa::ToSchema;

/// Shortest query, in characters (after trimming): one letter matches nearly everything.
pub const MIN_QUERY_CHARS: usize = 2;
/// Longest query, in characters.
pub const MAX_QUERY_CHARS: usize = 100;
/// Results answered when `limit` is absent.
pub const DEFAULT_LIMIT: u32 = 50;
/// Largest `limit`.
pub const MAX_LIMIT: u32 = 200;

/// The type of record a result is; the `record_type` of tags and attachments.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase")]
pub enum SearchKind {
    Fuel,
    Service,
    Repair,
    Upgrade,
    Odometer,
    Tax,
    Reminder,
    Note,
    Supply,
    Plan,
    Equipment,
    Inspection,
}

impl SearchKind {
    pub const ALL: [SearchKind; 12] = [
        SearchKind::Fuel,
        SearchKind::Service,
        SearchKind::Repair,
        SearchKind::Upgrade,
        SearchKind::Odometer,
        SearchKind::Tax,
        SearchKind::Reminder,
        SearchKind::Note,
        SearchKind::Supply,
        SearchKind::Plan,
        SearchKind::Equipment,
        SearchKind::Inspection,
    ];

    /// As stored in `search_entries.record_type` (and `record_tags.record_type`).
    pub fn as_str(self) -> &'static str {
        match self {
            SearchKind::Fuel => "fuel",
            SearchKind::Service => "service",
            SearchKind::Repair => "repair",
            SearchKind::Upgrade => "upgrade",
            SearchKind::Odometer => "odometer",
            SearchKind::Tax => "tax",
            SearchKind::Reminder => "reminder",
            SearchKind::Note => "note",
            SearchKind::Supply => "supply",
            SearchKind::Plan => "plan",
            SearchKind::Equipment => "equipment",
            SearchKind::Inspection => "inspection",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == text)
    }

    /// The vehicle page tab that lists this kind (`/vehicles/{id}/{tab}`).
    pub fn tab(self) -> &'static str {
        match self {
            SearchKind::Fuel => "fuel",
            SearchKind::Service => "service",
            SearchKind::Repair => "repair",
            SearchKind::Upgrade => "upgrade",
            SearchKind::Odometer => "odometer",
            SearchKind::Tax => "tax",
            SearchKind::Reminder => "reminders",
            SearchKind::Note => "notes",
            SearchKind::Supply => "supplies",
            SearchKind::Plan => "planner",
            SearchKind::Equipment => "equipment",
            SearchKind::Inspection => "inspections",
        }
    }

    /// The web app's path that opens this record on its tab.
    pub fn path(self, vehicle_id: i64, record_id: i64) -> String {
        format!("/vehicles/{vehicle_id}/{}?record={record_id}", self.tab())
    }
}

/// The web app's path to a shop supply. The shop's supplies are listed on every vehicle's
/// Supplies tab, below the vehicle's own: `shown_on` is one of the caller's vehicles. A caller
/// without a vehicle has no such tab and is sent to the garage, where one is added.
pub fn shop_supply_path(shown_on: Option<i64>, record_id: i64) -> String {
    match shown_on {
        Some(vehicle_id) => SearchKind::Supply.path(vehicle_id, record_id),
        None => "/".to_owned(),
    }
}

/// One record that matched: a record of one of the caller's vehicles, or a shop supply
/// (`kind` `supply`, no vehicle).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct SearchResult {
    pub kind: SearchKind,
    /// `null` for a shop supply.
    pub vehicle_id: Option<i64>,
    /// `year make model`; `null` for a shop supply.
    pub vehicle_name: Option<String>,
    pub record_id: i64,
    /// The record's date; undated records (notes, plans, equipment) give their creation day,
    /// reminders their due date when they have one.
    pub date: NaiveDate,
    /// Description or title; absent for fuel and odometer records.
    pub title: Option<String>,
    /// A short piece of the record's text around the first match.
    pub snippet: String,
    /// The web app's deep link: `/vehicles/{vehicleId}/{tab}?record={recordId}`. A shop supply
    /// opens on the Supplies tab of the caller's first vehicle (the lowest id), which lists the
    /// shop's supplies too; `/` when the caller has no vehicle.
    pub path: String,
}

/// `GET /api/v1/search`: newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct SearchResults {
    /// The query as searched (trimmed).
    pub query: String,
    pub results: Vec<SearchResult>,
    /// More records matched than `limit`.
    pub truncated: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_round_trip_and_link_to_their_tab() {
        for kind in SearchKind::ALL {
            assert_eq!(SearchKind::parse(kind.as_str()), Some(kind));
        }
        assert_eq!(
            SearchKind::Reminder.path(3, 14),
            "/vehicles/3/reminders?record=14"
        );
        assert_eq!(
            SearchKind::Plan.path(3, 15),
            "/vehicles/3/planner?record=15"
        );
        assert_eq!(SearchKind::parse("vehicle"), None);
    }

    #[test]
    fn shop_supplies_link_to_a_supplies_tab_or_the_garage() {
        assert_eq!(
            shop_supply_path(Some(4), 9),
            "/vehicles/4/supplies?record=9"
        );
        assert_eq!(shop_supply_path(None, 9), "/");
    }

    #[test]
    fn a_shop_supply_has_no_vehicle_in_json() {
        let shop = SearchResult {
            kind: SearchKind::Supply,
            vehicle_id: None,
            vehicle_name: None,
            record_id: 9,
            date: NaiveDate::from_ymd_opt(2024, 1, 1).unwrap_or_default(),
            title: Some("Washer".to_owned()),
            snippet: "Washer".to_owned(),
            path: shop_supply_path(Some(4), 9),
        };
        let json = serde_json::to_value(&shop).unwrap_or_default();
        assert_eq!(json["vehicleId"], serde_json::Value::Null);
        assert_eq!(json["vehicleName"], serde_json::Value::Null);
        assert_eq!(json["kind"], "supply");
        assert_eq!(
            serde_json::from_value::<SearchResult>(json).ok(),
            Some(shop)
        );
    }
}

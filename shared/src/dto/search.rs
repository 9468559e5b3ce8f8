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

/// One record that matched.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct SearchResult {
    pub kind: SearchKind,
    pub vehicle_id: i64,
    /// `year make model`.
    pub vehicle_name: String,
    pub record_id: i64,
    /// The record's date; undated records (notes, plans, equipment) give their creation day,
    /// reminders their due date when they have one.
    pub date: NaiveDate,
    /// Description or title; absent for fuel and odometer records.
    pub title: Option<String>,
    /// A short piece of the record's text around the first match.
    pub snippet: String,
    /// The web app's deep link: `/vehicles/{vehicleId}/{tab}?record={recordId}`.
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
}

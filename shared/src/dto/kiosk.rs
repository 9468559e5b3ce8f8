//! Kiosk: the read-only wall display of vehicles, plans and reminders (issue 8, reference §1
//! "Kiosk"). One call answers everything the display shows, for every vehicle the caller may
//! view except the excluded and the sold ones.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::amount::Amount;
use crate::dto::maintenance::MaintenanceKind;
use crate::dto::plans::{PlanPriority, PlanProgress};
use crate::dto::reminders::{ReminderMetric, ReminderUrgency};
use crate::dto::summary::VehicleSummary;

#[cfg(feature = "openapi")]
use utoipa::ToSchema;

/// Most vehicle ids one `exclude` list may name.
pub const MAX_EXCLUDED: usize = 500;

/// What the display shows (reference `KioskMode`); `cycle` answers all three sections.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase")]
pub enum KioskMode {
    #[default]
    Vehicles,
    Plans,
    Reminders,
    Cycle,
}

impl KioskMode {
    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "vehicles" => Some(KioskMode::Vehicles),
            "plans" => Some(KioskMode::Plans),
            "reminders" => Some(KioskMode::Reminders),
            "cycle" => Some(KioskMode::Cycle),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            KioskMode::Vehicles => "vehicles",
            KioskMode::Plans => "plans",
            KioskMode::Reminders => "reminders",
            KioskMode::Cycle => "cycle",
        }
    }

    pub fn shows_vehicles(self) -> bool {
        matches!(self, KioskMode::Vehicles | KioskMode::Cycle)
    }

    pub fn shows_plans(self) -> bool {
        matches!(self, KioskMode::Plans | KioskMode::Cycle)
    }

    pub fn shows_reminders(self) -> bool {
        matches!(self, KioskMode::Reminders | KioskMode::Cycle)
    }
}

/// The vehicle ids of an `exclude` parameter: positive integers separated by commas (spaces
/// around them and empty items are tolerated, `1,,3 ` is `[1, 3]`). Duplicates are kept once.
pub fn parse_exclude(text: &str) -> Result<Vec<i64>, String> {
    let mut ids: Vec<i64> = Vec::new();
    for item in text.split(',').map(str::trim).filter(|i| !i.is_empty()) {
        let id = item
            .parse::<i64>()
            .ok()
            .filter(|id| *id > 0)
            .ok_or_else(|| format!("`{item}` is not a vehicle id; use ids like 1,3"))?;
        if !ids.contains(&id) {
            ids.push(id);
        }
    }
    if ids.len() > MAX_EXCLUDED {
        return Err(format!("at most {MAX_EXCLUDED} vehicle ids"));
    }
    Ok(ids)
}

/// One vehicle card: who it is, and its summary (counts, costs, reminders, plans).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct KioskVehicle {
    pub id: i64,
    /// `year make model`.
    pub name: String,
    pub license_plate: String,
    /// Readings are engine hours, not distance.
    pub use_hours: bool,
    /// The vehicle summary (`GET /api/v1/vehicles/{vehicleId}/summary`); `reminders.next` is
    /// the most urgent reminder.
    pub summary: VehicleSummary,
}

/// One open plan (not done).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct KioskPlan {
    pub id: i64,
    pub vehicle_id: i64,
    pub vehicle_name: String,
    pub description: String,
    pub record_kind: MaintenanceKind,
    pub priority: PlanPriority,
    pub progress: PlanProgress,
    pub cost: Amount,
}

/// One reminder with its urgency (reference §3.2), judged as the reminder list judges it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct KioskReminder {
    pub id: i64,
    pub vehicle_id: i64,
    pub vehicle_name: String,
    pub use_hours: bool,
    pub description: String,
    pub metric: ReminderMetric,
    pub urgency: ReminderUrgency,
    pub due_date: Option<NaiveDate>,
    pub due_odometer: Option<i64>,
    /// Whole days from now to the due date; `null` for odometer reminders.
    pub due_days: Option<i64>,
    /// Due odometer minus the vehicle's current odometer; `null` for date reminders.
    pub due_distance: Option<i64>,
}

/// `GET /api/v1/kiosk`. Each section is filled when the mode shows it (all three for `cycle`)
/// and empty otherwise; each is sorted most urgent first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct KioskView {
    pub mode: KioskMode,
    /// Most urgent reminder first (past due, very urgent, urgent, then calm), then garage order.
    pub vehicles: Vec<KioskVehicle>,
    /// Critical first, then normal, then low; within one priority testing, in progress, backlog;
    /// then newest first.
    pub plans: Vec<KioskPlan>,
    /// Every reminder, the not-urgent ones included (flagged by `urgency`): most urgent first,
    /// then the soonest due date, then the lowest due odometer.
    pub reminders: Vec<KioskReminder>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exclude_lists() {
        let cases: &[(&str, Result<Vec<i64>, ()>)] = &[
            ("", Ok(vec![])),
            ("1,3", Ok(vec![1, 3])),
            (" 1 , 3 ,", Ok(vec![1, 3])),
            ("1,,3,1", Ok(vec![1, 3])),
            ("7", Ok(vec![7])),
            ("0", Err(())),
            ("-2", Err(())),
            ("1;3", Err(())),
            ("abc", Err(())),
            ("1.5", Err(())),
            ("99999999999999999999", Err(())),
        ];
        for (text, expected) in cases {
            let got = parse_exclude(text).map_err(|_| ());
            assert_eq!(&got, expected, "{text:?}");
        }
        let too_many: Vec<String> = (1..=MAX_EXCLUDED as i64 + 1)
            .map(|i| i.to_string())
            .collect();
        assert!(parse_exclude(&too_many.join(",")).is_err());
        let most: Vec<String> = (1..=MAX_EXCLUDED as i64).map(|i| i.to_string()).collect();
        assert_eq!(
            parse_exclude(&most.join(",")).map(|v| v.len()),
            Ok(MAX_EXCLUDED)
        );
    }

    #[test]
    fn modes_and_their_sections() {
        for mode in [
            KioskMode::Vehicles,
            KioskMode::Plans,
            KioskMode::Reminders,
            KioskMode::Cycle,
        ] {
            assert_eq!(KioskMode::parse(mode.as_str()), Some(mode));
        }
        assert_eq!(KioskMode::parse("Vehicle"), None);
        assert_eq!(KioskMode::parse(""), None);
        let sections = |m: KioskMode| (m.shows_vehicles(), m.shows_plans(), m.shows_reminders());
        assert_eq!(sections(KioskMode::Vehicles), (true, false, false));
        assert_eq!(sections(KioskMode::Plans), (false, true, false));
        assert_eq!(sections(KioskMode::Reminders), (false, false, true));
        assert_eq!(sections(KioskMode::Cycle), (true, true, true));
    }
}

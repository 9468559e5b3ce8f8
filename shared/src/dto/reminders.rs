//! Reminders (reference §1 "Reminders", §2.1, §2.2 `ReminderUrgencyConfig`, §2.3
//! `ReminderRecord`) and their input rules.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::problem::FieldError;
use crate::validate::{self, MAX_NOTES, MAX_ODOMETER, MAX_TEXT};

#[cfg(feature = "openapi")]
use utoipa::ToSchema;

/// What a reminder is due by (reference `ReminderMetric`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase")]
pub enum ReminderMetric {
    #[default]
    Date,
    Odometer,
    /// Whichever comes first.
    Both,
}

impl ReminderMetric {
    pub fn as_str(self) -> &'static str {
        match self {
            ReminderMetric::Date => "date",
            ReminderMetric::Odometer => "odometer",
            ReminderMetric::Both => "both",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "date" => Some(ReminderMetric::Date),
            "odometer" => Some(ReminderMetric::Odometer),
            "both" => Some(ReminderMetric::Both),
            _ => None,
        }
    }

    pub fn uses_date(self) -> bool {
        matches!(self, ReminderMetric::Date | ReminderMetric::Both)
    }

    pub fn uses_odometer(self) -> bool {
        matches!(self, ReminderMetric::Odometer | ReminderMetric::Both)
    }
}

/// Reference `ReminderUrgency`. Declared from least to most urgent so `Ord` sorts by urgency.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase")]
pub enum ReminderUrgency {
    NotUrgent,
    Urgent,
    VeryUrgent,
    PastDue,
}

impl ReminderUrgency {
    pub fn as_str(self) -> &'static str {
        match self {
            ReminderUrgency::NotUrgent => "notUrgent",
            ReminderUrgency::Urgent => "urgent",
            ReminderUrgency::VeryUrgent => "veryUrgent",
            ReminderUrgency::PastDue => "pastDue",
        }
    }
}

/// Unit of a custom interval (reference `ReminderIntervalUnit`); tax records use it too.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase")]
pub enum ReminderIntervalUnit {
    #[default]
    Months,
    Days,
}

impl ReminderIntervalUnit {
    pub fn as_str(self) -> &'static str {
        match self {
            ReminderIntervalUnit::Months => "months",
            ReminderIntervalUnit::Days => "days",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "months" => Some(ReminderIntervalUnit::Months),
            "days" => Some(ReminderIntervalUnit::Days),
            _ => None,
        }
    }
}

/// Reference `ReminderMonthInterval`: the value is the number of months; 0 ("Other") means the
/// custom interval applies.
pub const MONTH_INTERVALS: &[i32] = &[0, 1, 3, 6, 12, 24, 36, 60];

/// Reference `ReminderMileageInterval`: the value is the distance; 0 ("Other") means custom.
pub const MILEAGE_INTERVALS: &[i64] = &[
    0, 50, 100, 500, 1000, 3000, 4000, 5000, 7500, 10000, 15000, 20000, 30000, 40000, 50000, 60000,
    100000, 150000,
];

/// Largest custom interval: 100 years in either unit keeps every date arithmetic in range.
pub const MAX_CUSTOM_MONTHS: i32 = 1200;
pub const MAX_CUSTOM_DAYS: i32 = 36_500;
/// Largest urgency threshold in days (100 years).
pub const MAX_THRESHOLD_DAYS: i32 = 36_500;

/// Reference `ReminderUrgencyConfig` (§2.2): how close a due date or odometer makes a reminder
/// urgent or very urgent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ReminderUrgencyConfig {
    pub urgent_days: i64,
    pub very_urgent_days: i64,
    pub urgent_distance: i64,
    pub very_urgent_distance: i64,
}

impl Default for ReminderUrgencyConfig {
    fn default() -> Self {
        ReminderUrgencyConfig {
            urgent_days: 30,
            very_urgent_days: 7,
            urgent_distance: 100,
            very_urgent_distance: 50,
        }
    }
}

fn default_month_interval() -> i32 {
    12
}

fn default_mileage_interval() -> i64 {
    5000
}

/// Create or replace a reminder.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ReminderInput {
    pub description: String,
    #[serde(default)]
    pub notes: String,
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default)]
    pub metric: ReminderMetric,
    /// Required when `metric` is `date` or `both`.
    #[serde(default)]
    pub due_date: Option<NaiveDate>,
    /// Required when `metric` is `odometer` or `both`.
    #[serde(default)]
    pub due_odometer: Option<i64>,
    #[serde(default)]
    pub is_recurring: bool,
    /// Recurring: push back from the stored due values instead of the date/odometer of completion.
    #[serde(default)]
    pub fixed_intervals: bool,
    /// Months (1, 3, 6, 12, 24, 36, 60), or 0 for `customMonthInterval`.
    #[serde(default = "default_month_interval")]
    pub month_interval: i32,
    /// Distance (one of the reference's steps), or 0 for `customMileageInterval`.
    #[serde(default = "default_mileage_interval")]
    pub mileage_interval: i64,
    #[serde(default)]
    pub custom_month_interval: i32,
    #[serde(default)]
    pub custom_interval_unit: ReminderIntervalUnit,
    #[serde(default)]
    pub custom_mileage_interval: i64,
    /// Use the four thresholds below instead of the server's.
    #[serde(default)]
    pub use_custom_thresholds: bool,
    #[serde(default)]
    pub urgent_days: Option<i32>,
    #[serde(default)]
    pub very_urgent_days: Option<i32>,
    #[serde(default)]
    pub urgent_distance: Option<i64>,
    #[serde(default)]
    pub very_urgent_distance: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct Reminder {
    pub id: i64,
    pub vehicle_id: i64,
    pub description: String,
    pub notes: String,
    pub tags: Vec<String>,
    /// The configured metric.
    pub metric: ReminderMetric,
    pub due_date: Option<NaiveDate>,
    pub due_odometer: Option<i64>,
    pub is_recurring: bool,
    pub fixed_intervals: bool,
    pub month_interval: i32,
    pub mileage_interval: i64,
    pub custom_month_interval: i32,
    pub custom_interval_unit: ReminderIntervalUnit,
    pub custom_mileage_interval: i64,
    pub use_custom_thresholds: bool,
    pub urgent_days: Option<i32>,
    pub very_urgent_days: Option<i32>,
    pub urgent_distance: Option<i64>,
    pub very_urgent_distance: Option<i64>,
    /// Reference §3.2, evaluated when the answer was built.
    pub urgency: ReminderUrgency,
    /// The metric that decided the urgency: for `both`, whichever matched (`both` when not urgent).
    pub urgency_metric: ReminderMetric,
    /// Whole days from now to the due date, truncated toward zero; `null` for odometer reminders.
    pub due_days: Option<i64>,
    /// Due odometer minus the current odometer; `null` for date reminders.
    pub due_distance: Option<i64>,
    /// Highest odometer reading of the vehicle's records (0 when none).
    pub current_odometer: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// `GET /api/v1/vehicles/{vehicleId}/reminders`: most urgent first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ReminderList {
    pub records: Vec<Reminder>,
}

fn range_i64(errors: &mut Vec<FieldError>, field: &str, value: i64, min: i64, max: i64) {
    if !(min..=max).contains(&value) {
        errors.push(FieldError::new(
            field,
            format!("must be between {min} and {max}"),
        ));
    }
}

/// Every problem of a reminder input, with JSON field names.
pub fn validate(input: &ReminderInput) -> Vec<FieldError> {
    let mut errors = Vec::new();
    validate::text(
        &mut errors,
        "description",
        &input.description,
        true,
        MAX_TEXT,
    );
    validate::text(&mut errors, "notes", &input.notes, false, MAX_NOTES);
    validate::tags(&mut errors, "tags", &input.tags);

    match input.due_date {
        Some(d) => validate::date(&mut errors, "dueDate", d),
        None if input.metric.uses_date() => {
            errors.push(FieldError::new("dueDate", "is required for this metric"));
        }
        None => {}
    }
    match input.due_odometer {
        Some(o) => range_i64(&mut errors, "dueOdometer", o, 0, MAX_ODOMETER),
        None if input.metric.uses_odometer() => {
            errors.push(FieldError::new(
                "dueOdometer",
                "is required for this metric",
            ));
        }
        None => {}
    }

    if !MONTH_INTERVALS.contains(&input.month_interval) {
        errors.push(FieldError::new(
            "monthInterval",
            "must be 1, 3, 6, 12, 24, 36, 60, or 0 for a custom interval",
        ));
    }
    if !MILEAGE_INTERVALS.contains(&input.mileage_interval) {
        errors.push(FieldError::new(
            "mileageInterval",
            "must be one of the listed distances, or 0 for a custom interval",
        ));
    }
    let max_custom = match input.custom_interval_unit {
        ReminderIntervalUnit::Months => MAX_CUSTOM_MONTHS,
        ReminderIntervalUnit::Days => MAX_CUSTOM_DAYS,
    };
    // A custom interval is required only where a recurring push-back would use it.
    let custom_months_used =
        input.is_recurring && input.metric.uses_date() && input.month_interval == 0;
    let min_custom = i32::from(custom_months_used);
    if !(min_custom..=max_custom).contains(&input.custom_month_interval) {
        errors.push(FieldError::new(
            "customMonthInterval",
            format!("must be between {min_custom} and {max_custom}"),
        ));
    }
    let custom_mileage_used =
        input.is_recurring && input.metric.uses_odometer() && input.mileage_interval == 0;
    range_i64(
        &mut errors,
        "customMileageInterval",
        input.custom_mileage_interval,
        i64::from(custom_mileage_used),
        MAX_ODOMETER,
    );

    let thresholds: [(&str, Option<i64>, i64); 4] = [
        (
            "urgentDays",
            input.urgent_days.map(i64::from),
            i64::from(MAX_THRESHOLD_DAYS),
        ),
        (
            "veryUrgentDays",
            input.very_urgent_days.map(i64::from),
            i64::from(MAX_THRESHOLD_DAYS),
        ),
        ("urgentDistance", input.urgent_distance, MAX_ODOMETER),
        (
            "veryUrgentDistance",
            input.very_urgent_distance,
            MAX_ODOMETER,
        ),
    ];
    for (field, value, max) in thresholds {
        match value {
            Some(v) => range_i64(&mut errors, field, v, 0, max),
            None if input.use_custom_thresholds => {
                errors.push(FieldError::new(field, "is required with custom thresholds"));
            }
            None => {}
        }
    }
    // "Very urgent" beyond "urgent" would make the urgent band unreachable (first match wins).
    if input.use_custom_thresholds {
        if let (Some(u), Some(v)) = (input.urgent_days, input.very_urgent_days)
            && v > u
        {
            errors.push(FieldError::new(
                "veryUrgentDays",
                "must not exceed urgentDays",
            ));
        }
        if let (Some(u), Some(v)) = (input.urgent_distance, input.very_urgent_distance)
            && v > u
        {
            errors.push(FieldError::new(
                "veryUrgentDistance",
                "must not exceed urgentDistance",
            ));
        }
    }
    errors
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base() -> ReminderInput {
        serde_json::from_str(r#"{"description":"Oil","dueDate":"2024-06-01"}"#).unwrap()
    }

    fn fields(input: &ReminderInput) -> Vec<String> {
        validate(input).into_iter().map(|e| e.field).collect()
    }

    #[test]
    fn defaults_follow_the_reference() {
        let r = base();
        assert_eq!(r.metric, ReminderMetric::Date);
        assert_eq!(r.month_interval, 12);
        assert_eq!(r.mileage_interval, 5000);
        assert_eq!(r.custom_interval_unit, ReminderIntervalUnit::Months);
        assert!(fields(&r).is_empty());
    }

    #[test]
    fn each_metric_requires_its_due_values() {
        let mut r = base();
        r.metric = ReminderMetric::Odometer;
        assert_eq!(fields(&r), vec!["dueOdometer"]);
        r.metric = ReminderMetric::Both;
        r.due_date = None;
        assert_eq!(fields(&r), vec!["dueDate", "dueOdometer"]);
        r.due_odometer = Some(-1);
        r.due_date = NaiveDate::from_ymd_opt(2024, 1, 1);
        assert_eq!(fields(&r), vec!["dueOdometer"]);
    }

    #[test]
    fn intervals_and_thresholds() {
        let mut r = base();
        r.month_interval = 2;
        r.mileage_interval = 1234;
        assert_eq!(fields(&r), vec!["monthInterval", "mileageInterval"]);

        let mut r = base();
        r.is_recurring = true;
        r.month_interval = 0;
        assert_eq!(fields(&r), vec!["customMonthInterval"]);
        r.custom_month_interval = 3;
        assert!(fields(&r).is_empty());
        r.custom_interval_unit = ReminderIntervalUnit::Days;
        r.custom_month_interval = MAX_CUSTOM_DAYS + 1;
        assert_eq!(fields(&r), vec!["customMonthInterval"]);

        let mut r = base();
        r.use_custom_thresholds = true;
        r.urgent_days = Some(10);
        r.very_urgent_days = Some(20);
        r.urgent_distance = Some(-5);
        assert_eq!(
            fields(&r),
            vec!["urgentDistance", "veryUrgentDistance", "veryUrgentDays"]
        );
    }

    #[test]
    fn enums_have_stable_wire_names() {
        assert_eq!(
            serde_json::to_string(&ReminderUrgency::VeryUrgent).unwrap(),
            r#""veryUrgent""#
        );
        assert_eq!(
            serde_json::to_string(&ReminderUrgency::NotUrgent).unwrap(),
            format!("\"{}\"", ReminderUrgency::NotUrgent.as_str())
        );
        assert!(ReminderUrgency::PastDue > ReminderUrgency::VeryUrgent);
        assert!(ReminderUrgency::Urgent > ReminderUrgency::NotUrgent);
        for m in [
            ReminderMetric::Date,
            ReminderMetric::Odometer,
            ReminderMetric::Both,
        ] {
            assert_eq!(ReminderMetric::parse(m.as_str()), Some(m));
        }
        assert_eq!(
            ReminderIntervalUnit::parse("days"),
            Some(ReminderIntervalUnit::Days)
        );
    }
}

//! Tax records (reference §1 "Tax records", §2.3 `TaxRecord`) and their input rules.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::reminders::{MAX_CUSTOM_DAYS, MAX_CUSTOM_MONTHS, MONTH_INTERVALS, ReminderIntervalUnit};
use crate::amount::Amount;
use crate::problem::FieldError;
use crate::tax::{self, MAX_BACKFILL};
use crate::validate::{self, MAX_NOTES, MAX_TEXT};

#[cfg(feature = "openapi")]
use utoipa::ToSchema;

fn default_recurring_interval() -> i32 {
    12
}

/// Create or replace a tax record (registration, insurance, fines: costs not tied to the
/// odometer).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TaxRecordInput {
    pub date: NaiveDate,
    pub description: String,
    pub cost: Amount,
    #[serde(default)]
    pub notes: String,
    #[serde(default)]
    pub tags: Vec<String>,
    /// Copies are added for every period that passes (reference §3.5).
    #[serde(default)]
    pub is_recurring: bool,
    /// Months (1, 3, 6, 12, 24, 36, 60), or 0 for `customInterval`.
    #[serde(default = "default_recurring_interval")]
    pub recurring_interval: i32,
    #[serde(default)]
    pub custom_interval: i32,
    #[serde(default)]
    pub custom_interval_unit: ReminderIntervalUnit,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct TaxRecord {
    pub id: i64,
    pub vehicle_id: i64,
    pub date: NaiveDate,
    pub description: String,
    pub cost: Amount,
    pub notes: String,
    pub tags: Vec<String>,
    pub is_recurring: bool,
    pub recurring_interval: i32,
    pub custom_interval: i32,
    pub custom_interval_unit: ReminderIntervalUnit,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// `GET /api/v1/vehicles/{vehicleId}/tax-records`: newest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct TaxRecordList {
    pub records: Vec<TaxRecord>,
    /// Exact sum of the listed records.
    pub total_cost: Amount,
}

/// Every problem of a tax record input, with JSON field names. `today` bounds the back-fill a
/// recurring record would cause at once (at most [`MAX_BACKFILL`] copies).
pub fn validate(input: &TaxRecordInput, today: NaiveDate) -> Vec<FieldError> {
    let mut errors = Vec::new();
    validate::date(&mut errors, "date", input.date);
    validate::text(
        &mut errors,
        "description",
        &input.description,
        true,
        MAX_TEXT,
    );
    validate::money(&mut errors, "cost", input.cost);
    validate::text(&mut errors, "notes", &input.notes, false, MAX_NOTES);
    validate::tags(&mut errors, "tags", &input.tags);
    if !MONTH_INTERVALS.contains(&input.recurring_interval) {
        errors.push(FieldError::new(
            "recurringInterval",
            "must be 1, 3, 6, 12, 24, 36, 60, or 0 for a custom interval",
        ));
    }
    let max_custom = match input.custom_interval_unit {
        ReminderIntervalUnit::Months => MAX_CUSTOM_MONTHS,
        ReminderIntervalUnit::Days => MAX_CUSTOM_DAYS,
    };
    // A custom interval must be positive where it is used, or the back-fill would never end.
    let custom_used = input.is_recurring && input.recurring_interval == 0;
    let min_custom = i32::from(custom_used);
    if !(min_custom..=max_custom).contains(&input.custom_interval) {
        errors.push(FieldError::new(
            "customInterval",
            format!("must be between {min_custom} and {max_custom}"),
        ));
    }
    if errors.is_empty()
        && input.is_recurring
        && let Some(interval) = tax::TaxInterval::new(
            input.recurring_interval,
            input.custom_interval,
            input.custom_interval_unit,
        )
        && tax::periods_to_backfill(input.date, interval, today) > MAX_BACKFILL
    {
        errors.push(FieldError::new(
            "date",
            format!(
                "is too far in the past: more than {MAX_BACKFILL} recurring copies would be added"
            ),
        ));
    }
    errors
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base() -> TaxRecordInput {
        serde_json::from_str(r#"{"date":"2024-01-15","description":"Registration","cost":120.5}"#)
            .unwrap()
    }

    fn fields(input: &TaxRecordInput) -> Vec<String> {
        let today = NaiveDate::from_ymd_opt(2024, 6, 1).unwrap();
        validate(input, today)
            .into_iter()
            .map(|e| e.field)
            .collect()
    }

    #[test]
    fn defaults_and_rules() {
        let t = base();
        assert_eq!(t.recurring_interval, 12);
        assert_eq!(t.custom_interval_unit, ReminderIntervalUnit::Months);
        assert!(!t.is_recurring);
        assert!(fields(&t).is_empty());

        let mut t = base();
        t.description = "  ".into();
        t.cost = Amount::from_units(-1);
        t.recurring_interval = 5;
        assert_eq!(fields(&t), vec!["description", "cost", "recurringInterval"]);

        let mut t = base();
        t.is_recurring = true;
        t.recurring_interval = 0;
        assert_eq!(fields(&t), vec!["customInterval"]);
        t.custom_interval = 2;
        assert!(fields(&t).is_empty());
        t.custom_interval = MAX_CUSTOM_MONTHS + 1;
        assert_eq!(fields(&t), vec!["customInterval"]);
    }

    #[test]
    fn a_back_fill_is_bounded() {
        let mut t = base();
        t.is_recurring = true;
        t.recurring_interval = 0;
        t.custom_interval_unit = ReminderIntervalUnit::Days;
        t.custom_interval = 1;
        t.date = NaiveDate::from_ymd_opt(2020, 1, 1).unwrap();
        assert_eq!(fields(&t), vec!["date"]);
        t.date = NaiveDate::from_ymd_opt(2023, 1, 1).unwrap();
        assert!(fields(&t).is_empty());
    }
}

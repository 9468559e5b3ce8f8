//! Odometer records (reference §2.3 OdometerRecord, §3.3).

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::problem::FieldError;
use crate::validate::{self, MAX_NOTES, MAX_ODOMETER};

#[cfg(feature = "openapi")]
use utoipa::ToSchema;

/// Create or replace an odometer record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct OdometerRecordInput {
    pub date: NaiveDate,
    /// On create, omitted, null or 0 becomes the highest reading of the vehicle's odometer
    /// records (0 when none; never above `odometer`). On replace, omitted or null keeps the
    /// stored value.
    #[serde(default)]
    pub initial_odometer: Option<i64>,
    pub odometer: i64,
    #[serde(default)]
    pub notes: String,
    #[serde(default)]
    pub tags: Vec<String>,
    /// Equipment whose distance this record counts for, all of this vehicle (422 otherwise).
    /// On create, omitted or null links none; on replace, omitted or null keeps the links.
    #[serde(default)]
    pub equipment_ids: Option<Vec<i64>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct OdometerRecord {
    pub id: i64,
    pub vehicle_id: i64,
    pub date: NaiveDate,
    pub initial_odometer: i64,
    pub odometer: i64,
    /// `odometer − initialOdometer`.
    pub distance: i64,
    pub notes: String,
    pub tags: Vec<String>,
    /// Equipment whose distance this record counts for (auto-inserted records link every
    /// equipped item, reference §1 Equipment).
    pub equipment_ids: Vec<i64>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A vehicle's odometer records, newest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct OdometerRecordList {
    pub records: Vec<OdometerRecord>,
    /// Sum of the listed distances.
    pub total_distance: i64,
}

fn reading(errors: &mut Vec<FieldError>, field: &str, value: i64) -> bool {
    let ok = (0..=MAX_ODOMETER).contains(&value);
    if !ok {
        errors.push(FieldError::new(
            field,
            format!("must be between 0 and {MAX_ODOMETER}"),
        ));
    }
    ok
}

/// The initial reading as it will be saved must not exceed the reading (no negative distance).
pub fn check_initial(errors: &mut Vec<FieldError>, initial_odometer: i64, odometer: i64) {
    if initial_odometer > odometer {
        errors.push(FieldError::new(
            "initialOdometer",
            "must not be greater than odometer",
        ));
    }
}

pub fn validate(input: &OdometerRecordInput) -> Vec<FieldError> {
    let mut errors = Vec::new();
    validate::date(&mut errors, "date", input.date);
    let odometer_ok = reading(&mut errors, "odometer", input.odometer);
    if let Some(initial) = input.initial_odometer
        && reading(&mut errors, "initialOdometer", initial)
        && odometer_ok
    {
        check_initial(&mut errors, initial, input.odometer);
    }
    validate::text(&mut errors, "notes", &input.notes, false, MAX_NOTES);
    validate::tags(&mut errors, "tags", &input.tags);
    errors
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(input: &str) -> Vec<String> {
        let parsed: OdometerRecordInput = serde_json::from_str(input).unwrap();
        validate(&parsed).into_iter().map(|e| e.field).collect()
    }

    #[test]
    fn odometer_record_rules() {
        let empty: Vec<String> = vec![];
        assert_eq!(fields(r#"{"date":"2024-01-01","odometer":100}"#), empty);
        assert_eq!(
            fields(r#"{"date":"2024-01-01","odometer":100,"initialOdometer":null}"#),
            empty
        );
        assert_eq!(
            fields(r#"{"date":"2024-01-01","odometer":100,"initialOdometer":100}"#),
            empty
        );
        let cases = [
            (
                r#"{"date":"2024-01-01","odometer":100,"initialOdometer":101}"#,
                "initialOdometer",
            ),
            (
                r#"{"date":"2024-01-01","odometer":100,"initialOdometer":-1}"#,
                "initialOdometer",
            ),
            (r#"{"date":"2024-01-01","odometer":-5}"#, "odometer"),
            (r#"{"date":"2024-01-01","odometer":100000000}"#, "odometer"),
            (r#"{"date":"1850-01-01","odometer":1}"#, "date"),
            (
                r#"{"date":"2024-01-01","odometer":1,"tags":["a b"]}"#,
                "tags",
            ),
        ];
        for (input, field) in cases {
            assert_eq!(fields(input), vec![field.to_owned()], "{input}");
        }
    }
}

//! Equipment: tyre sets, trailers and similar items whose distance accumulates through linked
//! odometer records (reference §1 "Equipment", §2.3 EquipmentRecord, §3.3 "Equipment distance").

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::problem::FieldError;
use crate::validate::{self, MAX_NOTES, MAX_TEXT};

#[cfg(feature = "openapi")]
use utoipa::ToSchema;

/// Create or replace an equipment item.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct EquipmentInput {
    pub description: String,
    /// Equipped items are linked to every auto-inserted odometer record.
    #[serde(default)]
    pub is_equipped: bool,
    #[serde(default)]
    pub notes: String,
    #[serde(default)]
    pub tags: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct Equipment {
    pub id: i64,
    pub vehicle_id: i64,
    pub description: String,
    pub is_equipped: bool,
    pub notes: String,
    pub tags: Vec<String>,
    /// Σ (odometer − initialOdometer) of the linked odometer records.
    pub distance_traveled: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A vehicle's equipment, in the order it was added.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct EquipmentList {
    pub records: Vec<Equipment>,
}

pub fn validate(input: &EquipmentInput) -> Vec<FieldError> {
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
    errors
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(input: &str) -> Vec<String> {
        let parsed: EquipmentInput = serde_json::from_str(input).unwrap();
        validate(&parsed).into_iter().map(|e| e.field).collect()
    }

    #[test]
    fn equipment_rules() {
        let parsed: EquipmentInput = serde_json::from_str(r#"{"description":"Tyres"}"#).unwrap();
        assert!(!parsed.is_equipped);
        assert!(fields(r#"{"description":"Tyres","isEquipped":true}"#).is_empty());
        let long = "x".repeat(MAX_TEXT + 1);
        let cases = [
            (r#"{"description":"  "}"#.to_owned(), "description"),
            (format!(r#"{{"description":"{long}"}}"#), "description"),
            (r#"{"description":"a","tags":["a b"]}"#.to_owned(), "tags"),
        ];
        for (input, field) in cases {
            assert_eq!(fields(&input), vec![field.to_owned()], "{input}");
        }
        assert!(serde_json::from_str::<EquipmentInput>(r#"{"description":"a","x":1}"#).is_err());
    }
}

//! Supplies and shop supplies (reference §1 "Supplies / shop supplies", §2.2
//! `SupplyUsageHistory`/`SupplyUsage`, §2.3 `SupplyRecord`).

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::amount::Amount;
use crate::problem::FieldError;
use crate::validate::{self, MAX_NOTES, MAX_TEXT};

#[cfg(feature = "openapi")]
use utoipa::ToSchema;

/// Most supplies one record may requisition.
pub const MAX_USAGES: usize = 100;

/// Create or replace a supply.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SupplyInput {
    pub date: NaiveDate,
    #[serde(default)]
    pub part_number: String,
    #[serde(default)]
    pub supplier: String,
    pub description: String,
    #[serde(default)]
    pub quantity: Amount,
    /// Total value of the quantity in stock.
    #[serde(default)]
    pub cost: Amount,
    #[serde(default)]
    pub notes: String,
    /// Vehicle supplies only; a shop supply with tags is refused (tags belong to a vehicle).
    #[serde(default)]
    pub tags: Vec<String>,
}

/// One requisition or restoration. On a supply, `description` is the consuming record's; on a
/// record, it is the supply's.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct SupplyUsageEntry {
    pub supply_id: i64,
    /// The consuming record's vehicle.
    pub vehicle_id: Option<i64>,
    /// `service`, `repair`, `upgrade` or `plan`.
    pub record_type: String,
    /// The consuming record; null once it is deleted.
    pub record_id: Option<i64>,
    pub date: NaiveDate,
    pub description: String,
    pub part_number: String,
    pub quantity: Amount,
    pub cost: Amount,
    /// A "Restored from …" entry: the quantity and cost went back into stock.
    pub restored: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct Supply {
    pub id: i64,
    /// Null for a shop supply.
    pub vehicle_id: Option<i64>,
    pub date: NaiveDate,
    pub part_number: String,
    pub supplier: String,
    pub description: String,
    pub quantity: Amount,
    pub cost: Amount,
    pub notes: String,
    pub tags: Vec<String>,
    /// Oldest first.
    pub usage_history: Vec<SupplyUsageEntry>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// Supplies, newest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct SupplyList {
    pub records: Vec<Supply>,
    /// Exact sum of the value in stock.
    pub total_cost: Amount,
}

/// A supply to requisition and how much of it (input only).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SupplyUsage {
    pub supply_id: i64,
    pub quantity: Amount,
}

pub fn validate(input: &SupplyInput) -> Vec<FieldError> {
    let mut errors = Vec::new();
    validate::date(&mut errors, "date", input.date);
    validate::text(
        &mut errors,
        "partNumber",
        &input.part_number,
        false,
        MAX_TEXT,
    );
    validate::text(&mut errors, "supplier", &input.supplier, false, MAX_TEXT);
    validate::text(
        &mut errors,
        "description",
        &input.description,
        true,
        MAX_TEXT,
    );
    validate::money(&mut errors, "quantity", input.quantity);
    validate::money(&mut errors, "cost", input.cost);
    validate::text(&mut errors, "notes", &input.notes, false, MAX_NOTES);
    validate::tags(&mut errors, "tags", &input.tags);
    errors
}

/// The shape of a requisition list (`supplies` of a record, plan or template): positive ids
/// and quantities. Whether the supplies exist and suffice is the server's to judge.
pub fn validate_usages(errors: &mut Vec<FieldError>, field: &str, usages: &[SupplyUsage]) {
    if usages.len() > MAX_USAGES {
        errors.push(FieldError::new(
            field,
            format!("at most {MAX_USAGES} supplies at once"),
        ));
        return;
    }
    for (i, usage) in usages.iter().enumerate() {
        if usage.supply_id <= 0 {
            errors.push(FieldError::new(
                &format!("{field}[{i}].supplyId"),
                "must be a supply id",
            ));
        }
        if usage.quantity.scaled() <= 0 {
            errors.push(FieldError::new(
                &format!("{field}[{i}].quantity"),
                "must be greater than 0",
            ));
        } else {
            validate::money(errors, &format!("{field}[{i}].quantity"), usage.quantity);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(errors: &[FieldError]) -> Vec<&str> {
        errors.iter().map(|e| e.field.as_str()).collect()
    }

    #[test]
    fn supply_rules() {
        let ok: SupplyInput = serde_json::from_str(
            r#"{"date":"2024-05-01","description":"Oil filter","quantity":10,"cost":"45.00"}"#,
        )
        .unwrap();
        assert!(validate(&ok).is_empty());
        assert_eq!(ok.cost, Amount::from_units(45));
        let mut bad = ok.clone();
        bad.description = " ".into();
        bad.quantity = Amount::from_scaled(-1);
        bad.cost = Amount::from_units(2_000_000_000);
        bad.part_number = "x".repeat(MAX_TEXT + 1);
        assert_eq!(
            fields(&validate(&bad)),
            vec!["partNumber", "description", "quantity", "cost"]
        );
        assert!(
            serde_json::from_str::<SupplyInput>(
                r#"{"date":"2024-05-01","description":"x","color":1}"#
            )
            .is_err()
        );
    }

    #[test]
    fn usage_rules() {
        let usages = vec![
            SupplyUsage {
                supply_id: 1,
                quantity: Amount::from_units(1),
            },
            SupplyUsage {
                supply_id: 0,
                quantity: Amount::ZERO,
            },
        ];
        let mut errors = Vec::new();
        validate_usages(&mut errors, "supplies", &usages);
        assert_eq!(
            fields(&errors),
            vec!["supplies[1].supplyId", "supplies[1].quantity"]
        );
    }
}

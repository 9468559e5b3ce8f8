//! Service, repair and upgrade records (reference §1 "Service / Repair / Upgrade", §2.3
//! GenericRecord): three kinds with identical fields, stored in one table with a `kind`.

use std::fmt;

use chrono::{DateTime, NaiveDate, Utc};
use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize};

use crate::amount::Amount;
use crate::dto::supplies::{self, SupplyUsage, SupplyUsageEntry};
use crate::problem::FieldError;
use crate::validate::{self, MAX_NOTES, MAX_ODOMETER, MAX_TEXT};

#[cfg(feature = "openapi")]
use utoipa::ToSchema;

/// Which of the three record types; also the `record_type` of their tags and attachments.
/// `Deserialize` is written by hand so a non-string (`{"to": 1}`) is a field error (422)
/// rather than what serde_json reports for enums, a syntax error.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase")]
pub enum MaintenanceKind {
    Service,
    /// LubeLogger's "collision" records.
    Repair,
    Upgrade,
}

impl MaintenanceKind {
    pub const ALL: [MaintenanceKind; 3] = [
        MaintenanceKind::Service,
        MaintenanceKind::Repair,
        MaintenanceKind::Upgrade,
    ];

    /// As stored in `maintenance_records.kind` and in polymorphic `record_type` columns.
    pub fn as_str(self) -> &'static str {
        match self {
            MaintenanceKind::Service => "service",
            MaintenanceKind::Repair => "repair",
            MaintenanceKind::Upgrade => "upgrade",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "service" => Some(MaintenanceKind::Service),
            "repair" => Some(MaintenanceKind::Repair),
            "upgrade" => Some(MaintenanceKind::Upgrade),
            _ => None,
        }
    }

    /// The capitalised name used in generated text ("Service", "Repair", "Upgrade").
    pub fn label(self) -> &'static str {
        match self {
            MaintenanceKind::Service => "Service",
            MaintenanceKind::Repair => "Repair",
            MaintenanceKind::Upgrade => "Upgrade",
        }
    }
}

impl<'de> Deserialize<'de> for MaintenanceKind {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KindVisitor;
        impl Visitor<'_> for KindVisitor {
            type Value = MaintenanceKind;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("one of `service`, `repair`, `upgrade`")
            }

            fn visit_str<E: de::Error>(self, value: &str) -> Result<MaintenanceKind, E> {
                MaintenanceKind::parse(value)
                    .ok_or_else(|| E::unknown_variant(value, &["service", "repair", "upgrade"]))
            }
        }
        deserializer.deserialize_str(KindVisitor)
    }
}

/// Create or replace a service, repair or upgrade record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct MaintenanceRecordInput {
    pub date: NaiveDate,
    /// 0 when the vehicle's odometer was not read (`OdometerOptional` vehicles).
    #[serde(default)]
    pub odometer: i64,
    pub description: String,
    #[serde(default)]
    pub cost: Amount,
    #[serde(default)]
    pub notes: String,
    #[serde(default)]
    pub tags: Vec<String>,
    /// Supplies to requisition (reference §3.6); only on create, a replace must send none.
    #[serde(default)]
    pub supplies: Vec<SupplyUsage>,
    /// Reminders this work fulfils: recurring ones move on from this record's date and odometer
    /// (reference §3.2 push-back). Only on create, like `supplies`.
    #[serde(default)]
    pub reminder_ids: Vec<i64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct MaintenanceRecord {
    pub id: i64,
    pub vehicle_id: i64,
    pub kind: MaintenanceKind,
    pub date: NaiveDate,
    pub odometer: i64,
    pub description: String,
    pub cost: Amount,
    pub notes: String,
    pub tags: Vec<String>,
    /// Supplies taken for this record (reference §3.6), oldest first.
    #[serde(default)]
    pub requisition_history: Vec<SupplyUsageEntry>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// One kind's records of a vehicle, newest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct MaintenanceRecordList {
    pub records: Vec<MaintenanceRecord>,
    /// Exact sum of the listed costs.
    pub total_cost: Amount,
}

/// `POST …/{recordId}/move`: the record becomes one of another kind.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct MoveMaintenanceRecord {
    pub to: MaintenanceKind,
}

/// `POST …/bulk-edit`. `tags` is space-separated input; the literal `---` clears tags or notes;
/// an omitted, null or blank field is left unchanged (as the reference's bulk editor does).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct BulkEditMaintenance {
    pub ids: Vec<i64>,
    #[serde(default)]
    pub tags: Option<String>,
    #[serde(default)]
    pub notes: Option<String>,
}

/// The records as they are after a bulk edit, in the order of `ids`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct BulkEditResult {
    pub records: Vec<MaintenanceRecord>,
}

/// The bulk editor's marker for "clear this field".
pub const CLEAR: &str = "---";

/// Largest number of records one bulk edit may name.
pub const MAX_BULK_IDS: usize = 1000;

/// What a bulk edit does to one field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BulkChange<T> {
    Keep,
    Clear,
    Set(T),
}

/// Reads a bulk-edit field: omitted or blank keeps, `---` clears, anything else sets.
pub fn bulk_change(value: Option<&str>) -> BulkChange<String> {
    match value.map(str::trim) {
        None | Some("") => BulkChange::Keep,
        Some(CLEAR) => BulkChange::Clear,
        Some(_) => BulkChange::Set(value.unwrap_or_default().to_owned()),
    }
}

/// The tags a bulk edit writes, `None` when it leaves them alone.
pub fn bulk_tags(input: &BulkEditMaintenance) -> Option<Vec<String>> {
    match bulk_change(input.tags.as_deref()) {
        BulkChange::Keep => None,
        BulkChange::Clear => Some(Vec::new()),
        BulkChange::Set(text) => Some(validate::parse_tags(&text)),
    }
}

/// The notes a bulk edit writes, `None` when it leaves them alone.
pub fn bulk_notes(input: &BulkEditMaintenance) -> Option<String> {
    match bulk_change(input.notes.as_deref()) {
        BulkChange::Keep => None,
        BulkChange::Clear => Some(String::new()),
        BulkChange::Set(text) => Some(text),
    }
}

pub fn validate(input: &MaintenanceRecordInput) -> Vec<FieldError> {
    let mut errors = Vec::new();
    validate::date(&mut errors, "date", input.date);
    if !(0..=MAX_ODOMETER).contains(&input.odometer) {
        errors.push(FieldError::new(
            "odometer",
            format!("must be between 0 and {MAX_ODOMETER}"),
        ));
    }
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
    supplies::validate_usages(&mut errors, "supplies", &input.supplies);
    errors
}

pub fn validate_bulk_edit(input: &BulkEditMaintenance) -> Vec<FieldError> {
    let mut errors = Vec::new();
    if input.ids.is_empty() {
        errors.push(FieldError::new("ids", "is required"));
    } else if input.ids.len() > MAX_BULK_IDS {
        errors.push(FieldError::new(
            "ids",
            format!("at most {MAX_BULK_IDS} records at once"),
        ));
    } else if input.ids.iter().any(|id| *id <= 0) {
        errors.push(FieldError::new("ids", "must be positive record ids"));
    }
    if let Some(tags) = bulk_tags(input) {
        validate::tags(&mut errors, "tags", &tags);
    }
    if let Some(notes) = bulk_notes(input) {
        validate::text(&mut errors, "notes", &notes, false, MAX_NOTES);
    }
    errors
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record() -> MaintenanceRecordInput {
        serde_json::from_str(r#"{"date":"2024-05-01","odometer":1000,"description":"Oil"}"#)
            .unwrap()
    }

    fn fields(errors: &[FieldError]) -> Vec<&str> {
        errors.iter().map(|e| e.field.as_str()).collect()
    }

    #[test]
    fn record_rules() {
        let ok = record();
        assert!(validate(&ok).is_empty());
        assert_eq!(ok.cost, Amount::ZERO);
        type Mutation = Box<dyn Fn(&mut MaintenanceRecordInput)>;
        let cases: Vec<(Mutation, &str)> = vec![
            (Box::new(|r| r.odometer = -1), "odometer"),
            (Box::new(|r| r.odometer = MAX_ODOMETER + 1), "odometer"),
            (Box::new(|r| r.description = "  ".into()), "description"),
            (
                Box::new(|r| r.description = "x".repeat(MAX_TEXT + 1)),
                "description",
            ),
            (Box::new(|r| r.cost = Amount::from_scaled(-1)), "cost"),
            (
                Box::new(|r| r.date = NaiveDate::from_ymd_opt(1899, 12, 31).unwrap()),
                "date",
            ),
            (Box::new(|r| r.notes = "x".repeat(MAX_NOTES + 1)), "notes"),
            (Box::new(|r| r.tags = vec!["a b".into()]), "tags"),
        ];
        for (mutate, field) in cases {
            let mut input = record();
            mutate(&mut input);
            assert_eq!(fields(&validate(&input)), vec![field]);
        }
    }

    #[test]
    fn bulk_edit_fields() {
        let edit = |tags: Option<&str>, notes: Option<&str>| BulkEditMaintenance {
            ids: vec![1],
            tags: tags.map(str::to_owned),
            notes: notes.map(str::to_owned),
        };
        // Omitted and blank keep; "---" clears; anything else replaces.
        let cases = [
            (edit(None, None), None, None),
            (edit(Some("  "), Some("")), None, None),
            (
                edit(Some("---"), Some(" --- ")),
                Some(vec![]),
                Some(String::new()),
            ),
            (
                edit(Some("a  b a"), Some("new note")),
                Some(vec!["a".to_owned(), "b".to_owned()]),
                Some("new note".to_owned()),
            ),
        ];
        for (input, tags, notes) in cases {
            assert_eq!(bulk_tags(&input), tags, "{input:?}");
            assert_eq!(bulk_notes(&input), notes, "{input:?}");
            assert!(validate_bulk_edit(&input).is_empty());
        }
        let mut bad = edit(Some(&"x".repeat(60)), None);
        bad.ids = vec![];
        assert_eq!(fields(&validate_bulk_edit(&bad)), vec!["ids", "tags"]);
        bad.ids = vec![0];
        assert_eq!(fields(&validate_bulk_edit(&bad)), vec!["ids", "tags"]);
    }

    #[test]
    fn kinds_round_trip() {
        for kind in MaintenanceKind::ALL {
            assert_eq!(MaintenanceKind::parse(kind.as_str()), Some(kind));
            let json = serde_json::to_string(&kind).unwrap();
            assert_eq!(json, format!("\"{}\"", kind.as_str()));
            assert_eq!(
                serde_json::from_str::<MaintenanceKind>(&json).unwrap(),
                kind
            );
        }
        assert_eq!(MaintenanceKind::parse("collision"), None);
        assert!(serde_json::from_str::<MaintenanceKind>("\"Service\"").is_err());
        let err = serde_json::from_str::<MaintenanceKind>("1").unwrap_err();
        assert_eq!(err.classify(), serde_json::error::Category::Data);
    }
}

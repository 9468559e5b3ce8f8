//! Extra fields (reference §1 "Extra fields", §2.1 `ExtraFieldType`/`ImportMode`, §2.2
//! `ExtraField`/`RecordExtraField`): the per-record-type templates an administrator defines, and
//! the values one record carries. Merge and value rules live in `crate::extra_fields`.

use serde::{Deserialize, Serialize};

use crate::problem::FieldError;
use crate::validate::{self, MAX_TEXT};

#[cfg(feature = "openapi")]
use utoipa::ToSchema;

/// Record types that can have extra fields, as stored in polymorphic tables (docs/schema.md).
/// The order is the order of `GET /api/v1/extra-fields`.
pub const RECORD_TYPES: &[&str] = &[
    "vehicle",
    "service",
    "repair",
    "upgrade",
    "fuel",
    "odometer",
    "tax",
    "reminder",
    "note",
    "supply",
    "plan",
    "equipment",
    "inspection",
];

/// The most fields one record type may define.
pub const MAX_FIELDS: usize = 100;
/// The longest value of one field (characters).
pub const MAX_VALUE: usize = 1_000;

pub fn is_record_type(text: &str) -> bool {
    RECORD_TYPES.contains(&text)
}

/// Reference `ExtraFieldType`; stored and sent as its lowercase name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase")]
pub enum ExtraFieldType {
    /// Free text.
    #[default]
    Text,
    /// An integer (`-12`, `40`).
    Number,
    /// A decimal number (`12.5`).
    Decimal,
    /// `YYYY-MM-DD`.
    Date,
    /// `HH:MM` (24 hours).
    Time,
    /// Free text naming a place.
    Location,
}

impl ExtraFieldType {
    pub fn as_str(self) -> &'static str {
        match self {
            ExtraFieldType::Text => "text",
            ExtraFieldType::Number => "number",
            ExtraFieldType::Decimal => "decimal",
            ExtraFieldType::Date => "date",
            ExtraFieldType::Time => "time",
            ExtraFieldType::Location => "location",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "text" => Some(ExtraFieldType::Text),
            "number" => Some(ExtraFieldType::Number),
            "decimal" => Some(ExtraFieldType::Decimal),
            "date" => Some(ExtraFieldType::Date),
            "time" => Some(ExtraFieldType::Time),
            "location" => Some(ExtraFieldType::Location),
            _ => None,
        }
    }
}

/// One field of a template, in and out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ExtraFieldDefinition {
    pub name: String,
    #[serde(default)]
    pub field_type: ExtraFieldType,
    #[serde(default)]
    pub is_required: bool,
}

/// `PUT /api/v1/extra-fields/{recordType}`: the whole ordered template of one record type.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ExtraFieldTemplateInput {
    pub fields: Vec<ExtraFieldDefinition>,
}

/// The template of one record type (reference `RecordExtraField`), fields in display order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ExtraFieldTemplate {
    /// One of [`RECORD_TYPES`].
    pub record_type: String,
    pub fields: Vec<ExtraFieldDefinition>,
}

/// `GET /api/v1/extra-fields`: every record type, in [`RECORD_TYPES`] order, even those
/// without fields.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ExtraFieldTemplateList {
    pub templates: Vec<ExtraFieldTemplate>,
}

/// One field of a record with its value (reference `ExtraField`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ExtraField {
    pub name: String,
    /// Empty when not filled in.
    pub value: String,
    pub is_required: bool,
    pub field_type: ExtraFieldType,
}

/// One value to store.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ExtraFieldValueInput {
    pub name: String,
    #[serde(default)]
    pub value: String,
}

/// `PUT …/extra-fields` of a record: replaces all of its values. A template field left out is
/// stored as empty.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ExtraFieldValuesInput {
    pub fields: Vec<ExtraFieldValueInput>,
}

/// `GET …/extra-fields` of a record: its values merged with the current template.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ExtraFieldValues {
    pub record_type: String,
    pub record_id: i64,
    pub fields: Vec<ExtraField>,
}

/// Every problem of a template: names are required, at most `MAX_TEXT` characters, and unique
/// within the record type (they are the key values are stored under).
pub fn validate_template(input: &ExtraFieldTemplateInput) -> Vec<FieldError> {
    let mut errors = Vec::new();
    if input.fields.len() > MAX_FIELDS {
        errors.push(FieldError::new(
            "fields",
            format!("at most {MAX_FIELDS} fields"),
        ));
        return errors;
    }
    for (i, field) in input.fields.iter().enumerate() {
        let path = format!("fields[{i}].name");
        let before = errors.len();
        validate::text(&mut errors, &path, &field.name, true, MAX_TEXT);
        if errors.len() > before {
            continue;
        }
        let name = field.name.trim();
        if input.fields[..i].iter().any(|f| f.name.trim() == name) {
            errors.push(FieldError::new(&path, "is already used by another field"));
        }
    }
    errors
}

#[cfg(test)]
mod tests {
    use super::*;

    fn def(name: &str) -> ExtraFieldDefinition {
        ExtraFieldDefinition {
            name: name.to_owned(),
            field_type: ExtraFieldType::Text,
            is_required: false,
        }
    }

    #[test]
    fn field_types_round_trip_through_their_names() {
        for t in [
            ExtraFieldType::Text,
            ExtraFieldType::Number,
            ExtraFieldType::Decimal,
            ExtraFieldType::Date,
            ExtraFieldType::Time,
            ExtraFieldType::Location,
        ] {
            assert_eq!(ExtraFieldType::parse(t.as_str()), Some(t));
            assert_eq!(
                serde_json::to_value(t).ok(),
                Some(serde_json::Value::String(t.as_str().to_owned()))
            );
        }
        assert_eq!(ExtraFieldType::parse("Text"), None);
    }

    #[test]
    fn template_names_are_required_and_unique() {
        let input = ExtraFieldTemplateInput {
            fields: vec![def("Warranty"), def(" "), def("Warranty "), def("Shop")],
        };
        let fields: Vec<String> = validate_template(&input)
            .into_iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(fields, vec!["fields[1].name", "fields[2].name"]);
        assert!(
            validate_template(&ExtraFieldTemplateInput {
                fields: vec![def("a"), def("A")]
            })
            .is_empty(),
            "names are case-sensitive, as in the reference"
        );
    }

    #[test]
    fn record_types_are_the_schema_strings() {
        assert_eq!(RECORD_TYPES.len(), 13);
        assert!(is_record_type("vehicle"));
        assert!(is_record_type("inspection"));
        assert!(!is_record_type("fuel-records"));
    }
}

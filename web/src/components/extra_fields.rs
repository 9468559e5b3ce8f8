//! The administrator's extra fields inside a record dialog: one input per field of the record
//! type's template (rendered by `pages::records::extra_inputs`), required ones marked and
//! checked before sending.
//!
//! The API keeps a record's values as a sub-resource (`PUT …/{recordId}/extra-fields`), so a
//! dialog writes the record first, then the values under the record's id ([`send`]).

use leptos::prelude::*;
use leptos::task::spawn_local;
use motovault_shared::dto::extra_fields::{
    ExtraField, ExtraFieldType, ExtraFieldValueInput, ExtraFieldValuesInput,
};
use motovault_shared::extra_fields::check_value;
use motovault_shared::problem::FieldError;

use crate::api::{self, ApiError};
use crate::i18n::tr_fmt;

/// One input: the field as the template defines it and what is typed.
#[derive(Clone)]
pub struct ExtraInput {
    pub field: ExtraField,
    pub value: RwSignal<String>,
}

/// The extra fields of one record dialog.
#[derive(Clone, Copy)]
pub struct Extras {
    pub vehicle_id: i64,
    /// The record's collection segment (`service-records`, `fuel-records`, `notes`, …).
    pub collection: &'static str,
    /// The record being edited; set once a create succeeded, so a retry after a refused value
    /// replaces that record instead of adding another.
    pub record_id: RwSignal<Option<i64>>,
    /// The record id the dialog opened with (attachments need an existing record).
    pub opened_with: Option<i64>,
    pub inputs: RwSignal<Vec<ExtraInput>>,
}

impl Extras {
    /// Loads the template of `record_type` (a new record) or the record's merged values.
    pub fn load(
        vehicle_id: i64,
        record_type: &'static str,
        collection: &'static str,
        record_id: Option<i64>,
    ) -> Self {
        let inputs = RwSignal::new(Vec::new());
        spawn_local(async move {
            let fields = match record_id {
                Some(id) => api::extra_fields::values(vehicle_id, collection, id).await,
                None => api::extra_fields::template(record_type).await,
            };
            // Without a template the dialog simply shows no extra fields.
            let fields = fields.unwrap_or_default();
            let _ = inputs.try_set(
                fields
                    .into_iter()
                    .map(|mut field| ExtraInput {
                        value: RwSignal::new(std::mem::take(&mut field.value)),
                        field,
                    })
                    .collect(),
            );
        });
        Extras {
            vehicle_id,
            collection,
            record_id: RwSignal::new(record_id),
            opened_with: record_id,
            inputs,
        }
    }

    /// The problems of the typed values, named `extra-{index}`.
    pub fn check(&self) -> Vec<FieldError> {
        self.inputs.with_untracked(|inputs| {
            inputs
                .iter()
                .enumerate()
                .filter_map(|(i, input)| {
                    let value = input.value.get_untracked();
                    problem(&input.field, value.trim()).map(|m| FieldError::new(field_name(i), m))
                })
                .collect()
        })
    }

    fn input(&self) -> ExtraFieldValuesInput {
        ExtraFieldValuesInput {
            fields: self.inputs.with_untracked(|inputs| {
                inputs
                    .iter()
                    .map(|i| ExtraFieldValueInput {
                        name: i.field.name.clone(),
                        value: i.value.get_untracked().trim().to_owned(),
                    })
                    .collect()
            }),
        }
    }
}

thread_local! {
    static NAMES: std::cell::RefCell<Vec<&'static str>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// `extra-{index}`, the name of an input and of its errors. Interned: the form widgets take
/// `&'static str` names, and a template has at most `MAX_FIELDS` fields, so at most that many
/// short strings are ever allocated.
pub fn field_name(index: usize) -> &'static str {
    NAMES.with(|names| {
        let mut names = names.borrow_mut();
        while names.len() <= index {
            let name = format!("extra-{}", names.len());
            names.push(Box::leak(name.into_boxed_str()));
        }
        names[index]
    })
}

/// What is wrong with `value` (trimmed) for `field`, the server's rule.
pub fn problem(field: &ExtraField, value: &str) -> Option<&'static str> {
    if value.is_empty() {
        return field.is_required.then_some("is required");
    }
    check_value(field.field_type, value).err()
}

/// The server names a refused value `fields[i].value`; the inputs are `extra-{i}`.
fn rename(err: ApiError) -> ApiError {
    match err {
        ApiError::Problem(mut p) => {
            for e in &mut p.errors {
                if let Some(i) = e
                    .field
                    .strip_prefix("fields[")
                    .and_then(|rest| rest.split(']').next())
                    .and_then(|i| i.parse::<usize>().ok())
                {
                    e.field = field_name(i).to_owned();
                }
            }
            ApiError::Problem(p)
        }
        other => other,
    }
}

/// Sends the record's `write`, then (when the type has extra fields) their values under the
/// record's id.
pub async fn send(csrf: &str, write: api::Write, extras: Option<Extras>) -> Result<(), ApiError> {
    let id = api::write_id(csrf, write).await?;
    let Some(extras) = extras else {
        return Ok(());
    };
    if let Some(id) = id {
        let _ = extras.record_id.try_set(Some(id));
    }
    let input = extras.input();
    let Some(id) = extras.record_id.try_get_untracked().flatten() else {
        return Ok(());
    };
    if input.fields.is_empty() {
        return Ok(());
    }
    let write = api::extra_fields::put_values(extras.vehicle_id, extras.collection, id, &input);
    api::write(csrf, write).await.map_err(rename)
}

/// `(input type, inputmode)` of a field type.
pub fn kind(field_type: ExtraFieldType) -> (&'static str, &'static str) {
    match field_type {
        ExtraFieldType::Text | ExtraFieldType::Location => ("text", ""),
        ExtraFieldType::Number => ("text", "numeric"),
        ExtraFieldType::Decimal => ("text", "decimal"),
        ExtraFieldType::Date => ("date", ""),
        ExtraFieldType::Time => ("time", ""),
    }
}

/// The label of a field: a required one says so, and an error reads "Name is required"
/// (the field widget drops the parenthesis from its sentences).
pub fn label(field: &ExtraField) -> String {
    if field.is_required {
        tr_fmt("{field} (required)", &[("field", &field.name.to_string())])
    } else {
        field.name.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use motovault_shared::problem::{ErrorCode, Problem};

    fn field(field_type: ExtraFieldType, is_required: bool) -> ExtraField {
        ExtraField {
            name: "Warranty".into(),
            value: String::new(),
            is_required,
            field_type,
        }
    }

    #[test]
    fn values_are_checked_like_the_server_does() {
        assert_eq!(
            problem(&field(ExtraFieldType::Text, true), ""),
            Some("is required")
        );
        assert_eq!(problem(&field(ExtraFieldType::Text, false), ""), None);
        assert_eq!(
            problem(&field(ExtraFieldType::Number, false), "1.5"),
            Some("must be a whole number")
        );
        assert_eq!(problem(&field(ExtraFieldType::Decimal, false), "1.5"), None);
        assert_eq!(
            problem(&field(ExtraFieldType::Date, false), "31/05/2026"),
            Some("must be a date (YYYY-MM-DD)")
        );
        assert_eq!(problem(&field(ExtraFieldType::Time, false), "07:30"), None);
    }

    #[test]
    fn server_value_errors_point_at_the_inputs() {
        let mut p = Problem::new(ErrorCode::ValidationFailed, None);
        p.errors = vec![
            FieldError::new("fields[2].value", "is required"),
            FieldError::new("fields", "`A` is required"),
        ];
        let renamed = rename(ApiError::Problem(p));
        let fields: Vec<&str> = renamed
            .field_errors()
            .iter()
            .map(|e| e.field.as_str())
            .collect();
        assert_eq!(fields, ["extra-2", "fields"]);
    }
}

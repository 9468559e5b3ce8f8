//! `/api/v1/extra-fields` (the templates an administrator defines per record type) and
//! `…/{recordType}/{recordId}/extra-fields` (one record's values, a sub-resource written after
//! the record itself).

use gloo_net::http::Method;
use motovault_shared::dto::extra_fields::{
    ExtraField, ExtraFieldTemplateInput, ExtraFieldType, ExtraFieldValuesInput,
};
use serde::Deserialize;

use super::{ApiError, Write, client};

/// The `fields` of a template or of a record's values: one decoder reads both answers (a
/// template's fields have no `value`), which keeps the bundle small.
#[derive(Deserialize)]
struct Fields {
    fields: Vec<FieldOf>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct FieldOf {
    name: String,
    #[serde(default)]
    value: String,
    #[serde(default)]
    is_required: bool,
    #[serde(default)]
    field_type: ExtraFieldType,
}

async fn fields(path: &str) -> Result<Vec<ExtraField>, ApiError> {
    let answer: Fields = client::get(path).await?;
    Ok(answer
        .fields
        .into_iter()
        .map(|f| ExtraField {
            name: f.name,
            value: f.value,
            is_required: f.is_required,
            field_type: f.field_type,
        })
        .collect())
}

/// One record type's template (`service`, `fuel`, …), values empty.
pub async fn template(record_type: &str) -> Result<Vec<ExtraField>, ApiError> {
    fields(&format!("/extra-fields/{record_type}")).await
}

/// Replaces a record type's template (administrators only).
pub fn put_template(record_type: &str, input: &ExtraFieldTemplateInput) -> Write {
    Write::json(Method::PUT, format!("/extra-fields/{record_type}"), input)
}

fn values_path(vehicle_id: i64, collection: &str, record_id: i64) -> String {
    format!("/vehicles/{vehicle_id}/{collection}/{record_id}/extra-fields")
}

/// A record's values merged with its type's current template.
pub async fn values(
    vehicle_id: i64,
    collection: &str,
    record_id: i64,
) -> Result<Vec<ExtraField>, ApiError> {
    fields(&values_path(vehicle_id, collection, record_id)).await
}

/// Replaces a record's values.
pub fn put_values(
    vehicle_id: i64,
    collection: &str,
    record_id: i64,
    input: &ExtraFieldValuesInput,
) -> Write {
    Write::json(
        Method::PUT,
        values_path(vehicle_id, collection, record_id),
        input,
    )
}

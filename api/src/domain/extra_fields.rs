//! Extra fields (reference §1 "Extra fields", §3.9): templates per record type, written by
//! administrators only, and the values of any record, merged with the current template on every
//! read (`motovault_shared::extra_fields::merge`).
//!
//! A caller who is not an administrator gets 404 for template writes: the error codes have no
//! "forbidden", and like every other refusal here it reveals nothing (the templates themselves
//! are readable by every signed-in user, since every record form shows them).

use motovault_shared::dto::extra_fields::{
    self as dto, ExtraField, ExtraFieldTemplate, ExtraFieldTemplateInput, ExtraFieldTemplateList,
    ExtraFieldValues, ExtraFieldValuesInput, RECORD_TYPES,
};
use motovault_shared::extra_fields as rules;
use sea_orm::{ConnectionTrait, DatabaseConnection};

use super::vehicles::visible;
use crate::auth::Caller;
use crate::error::{AppError, AppResult};
use crate::store::attachments::{self as records, RecordTable};
use crate::store::extra_fields::{self as store, VEHICLE};

/// Deletes the values of these records; call it inside the records' delete transaction.
pub async fn delete_for(
    db: &impl ConnectionTrait,
    record_type: &str,
    record_ids: &[i64],
) -> AppResult<()> {
    Ok(store::delete_for(db, record_type, record_ids).await?)
}

/// Deletes every value of a vehicle and its records; call it inside the vehicle's delete
/// transaction.
pub async fn delete_for_vehicle(db: &impl ConnectionTrait, vehicle_id: i64) -> AppResult<()> {
    Ok(store::delete_for_vehicle(db, vehicle_id).await?)
}

fn record_type(text: &str) -> AppResult<&'static str> {
    RECORD_TYPES
        .iter()
        .copied()
        .find(|t| *t == text)
        .ok_or(AppError::NotFound)
}

pub async fn list_templates(db: &DatabaseConnection) -> AppResult<ExtraFieldTemplateList> {
    let mut all = store::all_templates(db).await?;
    let templates = RECORD_TYPES
        .iter()
        .map(|t| ExtraFieldTemplate {
            record_type: (*t).to_owned(),
            fields: all.remove(*t).unwrap_or_default(),
        })
        .collect();
    Ok(ExtraFieldTemplateList { templates })
}

pub async fn get_template(
    db: &DatabaseConnection,
    record_type_text: &str,
) -> AppResult<ExtraFieldTemplate> {
    let record_type = record_type(record_type_text)?;
    Ok(ExtraFieldTemplate {
        record_type: record_type.to_owned(),
        fields: store::template(db, record_type).await?,
    })
}

/// Replaces the ordered template of one record type (administrators only).
pub async fn put_template(
    db: &DatabaseConnection,
    caller: &Caller,
    record_type_text: &str,
    input: ExtraFieldTemplateInput,
) -> AppResult<ExtraFieldTemplate> {
    if !(caller.user.is_admin || caller.user.is_root) {
        return Err(AppError::NotFound);
    }
    let record_type = record_type(record_type_text)?;
    AppError::check(dto::validate_template(&input))?;
    let txn = crate::store::begin_write(db).await?;
    store::replace_template(&txn, record_type, &input.fields).await?;
    txn.commit().await?;
    get_template(db, record_type).await
}

/// A record whose values the caller may read and write. Only [`target`] makes one, so holding
/// it proves the access check ran.
pub struct Target {
    vehicle_id: i64,
    /// `None` for the vehicle itself.
    table: Option<&'static RecordTable>,
    record_type: &'static str,
    record_id: i64,
}

/// Resolves `/vehicles/{vehicleId}` (the vehicle itself, `record = None`) or
/// `/vehicles/{vehicleId}/{recordType}/{recordId}`: 404 for an unknown type, a vehicle the
/// caller may not see, or a record that is not under that vehicle.
pub async fn target(
    db: &DatabaseConnection,
    caller: &Caller,
    vehicle_id: i64,
    record: Option<(&str, i64)>,
) -> AppResult<Target> {
    let Some((segment, record_id)) = record else {
        let vehicle = visible(db, caller, vehicle_id).await?;
        return Ok(Target {
            vehicle_id: vehicle.id,
            table: None,
            record_type: VEHICLE,
            record_id: vehicle.id,
        });
    };
    let table = records::record_table(segment).ok_or(AppError::NotFound)?;
    let vehicle = visible(db, caller, vehicle_id).await?;
    if !records::record_exists(db, table, vehicle.id, record_id).await? {
        return Err(AppError::NotFound);
    }
    Ok(Target {
        vehicle_id: vehicle.id,
        table: Some(table),
        record_type: table.record_type,
        record_id,
    })
}

pub async fn get_values(db: &impl ConnectionTrait, target: &Target) -> AppResult<ExtraFieldValues> {
    let template = store::template(db, target.record_type).await?;
    let stored: Vec<ExtraField> = store::values(db, target.record_type, target.record_id)
        .await?
        .into_iter()
        .map(|(name, value)| ExtraField {
            name,
            value,
            // Refreshed from the template by the merge.
            is_required: false,
            field_type: dto::ExtraFieldType::Text,
        })
        .collect();
    Ok(ExtraFieldValues {
        record_type: target.record_type.to_owned(),
        record_id: target.record_id,
        fields: rules::merge(&stored, &template),
    })
}

/// Replaces the record's values after checking them against the current template.
pub async fn put_values(
    db: &DatabaseConnection,
    target: &Target,
    input: ExtraFieldValuesInput,
) -> AppResult<ExtraFieldValues> {
    let txn = crate::store::begin_write(db).await?;
    // The record may have been deleted since `target` looked; values must not outlive it.
    if let Some(table) = target.table
        && !records::record_exists(&txn, table, target.vehicle_id, target.record_id).await?
    {
        return Err(AppError::NotFound);
    }
    // Read inside the transaction so the values are checked against the template they join.
    let template = store::template(&txn, target.record_type).await?;
    AppError::check(rules::validate_values(&input.fields, &template))?;
    let values = rules::values_to_store(&input.fields, &template);
    store::replace_values(
        &txn,
        target.vehicle_id,
        target.record_type,
        target.record_id,
        &values,
    )
    .await?;
    let answer = get_values(&txn, target).await?;
    txn.commit().await?;
    Ok(answer)
}

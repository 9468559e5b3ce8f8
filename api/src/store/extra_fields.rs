//! Extra-field templates (`extra_field_definitions`) and the values records carry
//! (`extra_field_values`). Callers have already checked access.

use std::collections::HashMap;

use chrono::Utc;
use motovault_shared::dto::extra_fields::{ExtraFieldDefinition, ExtraFieldType};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
};

use super::entity::{extra_field_definition as definition, extra_field_value as value};

/// `record_type` of the vehicle itself (its values use the vehicle id as `record_id`).
pub const VEHICLE: &str = "vehicle";

/// Every template, by record type, fields in order.
pub async fn all_templates(
    db: &impl ConnectionTrait,
) -> Result<HashMap<String, Vec<ExtraFieldDefinition>>, DbErr> {
    let rows = definition::Entity::find()
        .order_by_asc(definition::Column::RecordType)
        .order_by_asc(definition::Column::SortOrder)
        .order_by_asc(definition::Column::Id)
        .all(db)
        .await?;
    let mut out: HashMap<String, Vec<ExtraFieldDefinition>> = HashMap::new();
    for row in rows {
        out.entry(row.record_type.clone())
            .or_default()
            .push(to_definition(row));
    }
    Ok(out)
}

/// The template of one record type, in order (empty when none is defined).
pub async fn template(
    db: &impl ConnectionTrait,
    record_type: &str,
) -> Result<Vec<ExtraFieldDefinition>, DbErr> {
    Ok(definition::Entity::find()
        .filter(definition::Column::RecordType.eq(record_type))
        .order_by_asc(definition::Column::SortOrder)
        .order_by_asc(definition::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(to_definition)
        .collect())
}

fn to_definition(row: definition::Model) -> ExtraFieldDefinition {
    ExtraFieldDefinition {
        name: row.name,
        field_type: ExtraFieldType::parse(&row.field_type).unwrap_or_default(),
        is_required: row.is_required,
    }
}

/// Replaces the template of one record type. Stored values are kept: the merge on read hides
/// those of removed fields, as the reference does, and the next save of the record drops them.
pub async fn replace_template(
    db: &impl ConnectionTrait,
    record_type: &str,
    fields: &[ExtraFieldDefinition],
) -> Result<(), DbErr> {
    definition::Entity::delete_many()
        .filter(definition::Column::RecordType.eq(record_type))
        .exec(db)
        .await?;
    if fields.is_empty() {
        return Ok(());
    }
    let now = Utc::now();
    let rows = fields
        .iter()
        .enumerate()
        .map(|(i, f)| definition::ActiveModel {
            record_type: Set(record_type.to_owned()),
            name: Set(f.name.trim().to_owned()),
            field_type: Set(f.field_type.as_str().to_owned()),
            is_required: Set(f.is_required),
            sort_order: Set(i32::try_from(i).unwrap_or(i32::MAX)),
            created_at: Set(now),
            ..Default::default()
        });
    definition::Entity::insert_many(rows).exec(db).await?;
    Ok(())
}

/// One record's stored values as `(name, value)`, in storage order.
pub async fn values(
    db: &impl ConnectionTrait,
    record_type: &str,
    record_id: i64,
) -> Result<Vec<(String, String)>, DbErr> {
    Ok(value::Entity::find()
        .filter(value::Column::RecordType.eq(record_type))
        .filter(value::Column::RecordId.eq(record_id))
        .order_by_asc(value::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|row| (row.name, row.value))
        .collect())
}

/// Replaces all values of one record.
pub async fn replace_values(
    db: &impl ConnectionTrait,
    vehicle_id: i64,
    record_type: &str,
    record_id: i64,
    values: &[(String, String)],
) -> Result<(), DbErr> {
    delete_for(db, record_type, &[record_id]).await?;
    if values.is_empty() {
        return Ok(());
    }
    let rows = values.iter().map(|(name, v)| value::ActiveModel {
        vehicle_id: Set(vehicle_id),
        record_type: Set(record_type.to_owned()),
        record_id: Set(record_id),
        name: Set(name.clone()),
        value: Set(v.clone()),
        ..Default::default()
    });
    value::Entity::insert_many(rows).exec(db).await?;
    Ok(())
}

/// Deletes the values of these records (inside the caller's delete transaction).
pub async fn delete_for(
    db: &impl ConnectionTrait,
    record_type: &str,
    record_ids: &[i64],
) -> Result<(), DbErr> {
    if record_ids.is_empty() {
        return Ok(());
    }
    value::Entity::delete_many()
        .filter(value::Column::RecordType.eq(record_type))
        .filter(value::Column::RecordId.is_in(record_ids.iter().copied()))
        .exec(db)
        .await?;
    Ok(())
}

/// Deletes every value of a vehicle and its records.
pub async fn delete_for_vehicle(db: &impl ConnectionTrait, vehicle_id: i64) -> Result<(), DbErr> {
    value::Entity::delete_many()
        .filter(value::Column::VehicleId.eq(vehicle_id))
        .exec(db)
        .await?;
    Ok(())
}

/// A record moved to another type (service ↔ repair ↔ upgrade): its values follow it.
pub async fn retype(
    db: &impl ConnectionTrait,
    from: &str,
    to: &str,
    record_ids: &[i64],
) -> Result<(), DbErr> {
    if record_ids.is_empty() {
        return Ok(());
    }
    value::Entity::update_many()
        .col_expr(
            value::Column::RecordType,
            sea_orm::sea_query::Expr::value(to),
        )
        .filter(value::Column::RecordType.eq(from))
        .filter(value::Column::RecordId.is_in(record_ids.iter().copied()))
        .exec(db)
        .await?;
    Ok(())
}

/// The stored values of many records of one type as `(name, value)` by record id, in storage
/// order (CSV export).
pub async fn values_of(
    db: &impl ConnectionTrait,
    record_type: &str,
    record_ids: &[i64],
) -> Result<HashMap<i64, Vec<(String, String)>>, DbErr> {
    let mut out: HashMap<i64, Vec<(String, String)>> = HashMap::new();
    for chunk in record_ids.chunks(500) {
        let rows = value::Entity::find()
            .filter(value::Column::RecordType.eq(record_type))
            .filter(value::Column::RecordId.is_in(chunk.iter().copied()))
            .order_by_asc(value::Column::Id)
            .all(db)
            .await?;
        for row in rows {
            out.entry(row.record_id)
                .or_default()
                .push((row.name, row.value));
        }
    }
    Ok(out)
}

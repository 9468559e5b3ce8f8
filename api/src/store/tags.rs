//! Tags of any record (`record_tags`), kept in input order.

use std::collections::HashMap;

use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
};

use super::entity::record_tag;

/// Record types as stored in polymorphic tables (docs/schema.md).
pub const VEHICLE: &str = "vehicle";
pub const FUEL: &str = "fuel";

pub async fn replace(
    db: &impl ConnectionTrait,
    vehicle_id: i64,
    record_type: &str,
    record_id: i64,
    tags: &[String],
) -> Result<(), DbErr> {
    delete_for(db, record_type, &[record_id]).await?;
    if tags.is_empty() {
        return Ok(());
    }
    let rows = tags.iter().map(|tag| record_tag::ActiveModel {
        vehicle_id: Set(vehicle_id),
        record_type: Set(record_type.to_owned()),
        record_id: Set(record_id),
        tag: Set(tag.clone()),
        ..Default::default()
    });
    record_tag::Entity::insert_many(rows).exec(db).await?;
    Ok(())
}

pub async fn delete_for(
    db: &impl ConnectionTrait,
    record_type: &str,
    record_ids: &[i64],
) -> Result<(), DbErr> {
    record_tag::Entity::delete_many()
        .filter(record_tag::Column::RecordType.eq(record_type))
        .filter(record_tag::Column::RecordId.is_in(record_ids.iter().copied()))
        .exec(db)
        .await?;
    Ok(())
}

/// Tags of many records in one query.
pub async fn for_records(
    db: &impl ConnectionTrait,
    record_type: &str,
    record_ids: &[i64],
) -> Result<HashMap<i64, Vec<String>>, DbErr> {
    let mut out: HashMap<i64, Vec<String>> = HashMap::new();
    if record_ids.is_empty() {
        return Ok(out);
    }
    let rows = record_tag::Entity::find()
        .filter(record_tag::Column::RecordType.eq(record_type))
        .filter(record_tag::Column::RecordId.is_in(record_ids.iter().copied()))
        .order_by_asc(record_tag::Column::Id)
        .all(db)
        .await?;
    for row in rows {
        out.entry(row.record_id).or_default().push(row.tag);
    }
    Ok(out)
}

/// Every tag row of a vehicle and its records (the vehicle is being deleted).
pub async fn delete_for_vehicle(db: &impl ConnectionTrait, vehicle_id: i64) -> Result<(), DbErr> {
    record_tag::Entity::delete_many()
        .filter(record_tag::Column::VehicleId.eq(vehicle_id))
        .exec(db)
        .await?;
    Ok(())
}

//! Odometer records of one vehicle. Callers have already checked access to the vehicle.

use std::collections::HashMap;

use chrono::{NaiveDate, Utc};
use sea_orm::sea_query::{Expr, Func};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait,
    QueryFilter, QueryOrder, QuerySelect,
};

use super::entity::{equipment, odometer_record, odometer_record_equipment};

/// The `record_type` of odometer records' tags and attachments (docs/schema.md).
pub const RECORD_TYPE: &str = "odometer";

/// The stored fields of a record, as the domain resolved them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OdometerRow {
    pub date: NaiveDate,
    pub initial_odometer: i64,
    pub odometer: i64,
    pub notes: String,
}

/// Newest first.
pub async fn list(
    db: &impl ConnectionTrait,
    vehicle_id: i64,
) -> Result<Vec<odometer_record::Model>, DbErr> {
    odometer_record::Entity::find()
        .filter(odometer_record::Column::VehicleId.eq(vehicle_id))
        .order_by_desc(odometer_record::Column::Date)
        .order_by_desc(odometer_record::Column::Odometer)
        .order_by_desc(odometer_record::Column::Id)
        .all(db)
        .await
}

pub async fn find(
    db: &impl ConnectionTrait,
    vehicle_id: i64,
    record_id: i64,
) -> Result<Option<odometer_record::Model>, DbErr> {
    odometer_record::Entity::find_by_id(record_id)
        .filter(odometer_record::Column::VehicleId.eq(vehicle_id))
        .one(db)
        .await
}

/// Highest reading of the vehicle's odometer records, `None` when it has none.
pub async fn max_odometer(
    db: &impl ConnectionTrait,
    vehicle_id: i64,
) -> Result<Option<i64>, DbErr> {
    let max = odometer_record::Entity::find()
        .select_only()
        .column_as(
            Expr::expr(Func::max(Expr::col(odometer_record::Column::Odometer))),
            "odometer",
        )
        .filter(odometer_record::Column::VehicleId.eq(vehicle_id))
        .into_tuple::<Option<i64>>()
        .one(db)
        .await?;
    Ok(max.flatten())
}

fn apply(model: &mut odometer_record::ActiveModel, row: &OdometerRow) {
    model.date = Set(row.date);
    model.initial_odometer = Set(row.initial_odometer);
    model.odometer = Set(row.odometer);
    model.notes = Set(row.notes.clone());
    model.updated_at = Set(Utc::now());
}

pub async fn insert(
    db: &impl ConnectionTrait,
    vehicle_id: i64,
    row: &OdometerRow,
) -> Result<odometer_record::Model, DbErr> {
    let mut model = odometer_record::ActiveModel {
        vehicle_id: Set(vehicle_id),
        created_at: Set(Utc::now()),
        ..Default::default()
    };
    apply(&mut model, row);
    model.insert(db).await
}

pub async fn update(
    db: &impl ConnectionTrait,
    existing: odometer_record::Model,
    row: &OdometerRow,
) -> Result<odometer_record::Model, DbErr> {
    let mut model: odometer_record::ActiveModel = existing.into();
    apply(&mut model, row);
    model.update(db).await
}

pub async fn set_initial(
    db: &impl ConnectionTrait,
    existing: odometer_record::Model,
    initial_odometer: i64,
) -> Result<odometer_record::Model, DbErr> {
    let mut model: odometer_record::ActiveModel = existing.into();
    model.initial_odometer = Set(initial_odometer);
    model.updated_at = Set(Utc::now());
    model.update(db).await
}

pub async fn delete(db: &impl ConnectionTrait, record_id: i64) -> Result<(), DbErr> {
    odometer_record::Entity::delete_by_id(record_id)
        .exec(db)
        .await?;
    Ok(())
}

/// Ids of the vehicle's equipment that is currently equipped.
pub async fn equipped_ids(db: &impl ConnectionTrait, vehicle_id: i64) -> Result<Vec<i64>, DbErr> {
    equipment::Entity::find()
        .select_only()
        .column(equipment::Column::Id)
        .filter(equipment::Column::VehicleId.eq(vehicle_id))
        .filter(equipment::Column::IsEquipped.eq(true))
        .order_by_asc(equipment::Column::Id)
        .into_tuple::<i64>()
        .all(db)
        .await
}

pub async fn link_equipment(
    db: &impl ConnectionTrait,
    record_id: i64,
    equipment_ids: &[i64],
) -> Result<(), DbErr> {
    if equipment_ids.is_empty() {
        return Ok(());
    }
    let rows = equipment_ids
        .iter()
        .map(|id| odometer_record_equipment::ActiveModel {
            odometer_record_id: Set(record_id),
            equipment_id: Set(*id),
            ..Default::default()
        });
    odometer_record_equipment::Entity::insert_many(rows)
        .exec(db)
        .await?;
    Ok(())
}

/// Linked equipment ids of many records in one query.
pub async fn equipment_for(
    db: &impl ConnectionTrait,
    record_ids: &[i64],
) -> Result<HashMap<i64, Vec<i64>>, DbErr> {
    let mut out: HashMap<i64, Vec<i64>> = HashMap::new();
    if record_ids.is_empty() {
        return Ok(out);
    }
    let rows = odometer_record_equipment::Entity::find()
        .filter(
            odometer_record_equipment::Column::OdometerRecordId.is_in(record_ids.iter().copied()),
        )
        .order_by_asc(odometer_record_equipment::Column::EquipmentId)
        .all(db)
        .await?;
    for row in rows {
        out.entry(row.odometer_record_id)
            .or_default()
            .push(row.equipment_id);
    }
    Ok(out)
}

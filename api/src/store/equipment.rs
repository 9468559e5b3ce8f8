//! Equipment of one vehicle and its links to odometer records. Callers have already checked
//! access to the vehicle.

use std::collections::HashMap;

use chrono::Utc;
use motovault_shared::dto::equipment::EquipmentInput;
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Func, Query};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait,
    QueryFilter, QueryOrder, QuerySelect,
};

use super::entity::{equipment, odometer_record, odometer_record_equipment};
use super::odometer;

/// The `record_type` of equipment's tags and attachments (docs/schema.md).
pub const RECORD_TYPE: &str = "equipment";

/// In the order they were added.
pub async fn list(
    db: &impl ConnectionTrait,
    vehicle_id: i64,
) -> Result<Vec<equipment::Model>, DbErr> {
    equipment::Entity::find()
        .filter(equipment::Column::VehicleId.eq(vehicle_id))
        .order_by_asc(equipment::Column::Id)
        .all(db)
        .await
}

pub async fn find(
    db: &impl ConnectionTrait,
    vehicle_id: i64,
    equipment_id: i64,
) -> Result<Option<equipment::Model>, DbErr> {
    equipment::Entity::find_by_id(equipment_id)
        .filter(equipment::Column::VehicleId.eq(vehicle_id))
        .one(db)
        .await
}

fn apply(model: &mut equipment::ActiveModel, input: &EquipmentInput) {
    model.description = Set(input.description.trim().to_owned());
    model.is_equipped = Set(input.is_equipped);
    model.notes = Set(input.notes.clone());
    model.updated_at = Set(Utc::now());
}

pub async fn insert(
    db: &impl ConnectionTrait,
    vehicle_id: i64,
    input: &EquipmentInput,
) -> Result<equipment::Model, DbErr> {
    let mut model = equipment::ActiveModel {
        vehicle_id: Set(vehicle_id),
        created_at: Set(Utc::now()),
        ..Default::default()
    };
    apply(&mut model, input);
    model.insert(db).await
}

pub async fn update(
    db: &impl ConnectionTrait,
    existing: equipment::Model,
    input: &EquipmentInput,
) -> Result<equipment::Model, DbErr> {
    let mut model: equipment::ActiveModel = existing.into();
    apply(&mut model, input);
    model.update(db).await
}

/// Deletes the item; its odometer links go with it (foreign key cascade).
pub async fn delete(db: &impl ConnectionTrait, equipment_id: i64) -> Result<(), DbErr> {
    equipment::Entity::delete_by_id(equipment_id)
        .exec(db)
        .await?;
    Ok(())
}

/// Distance of many items in one grouped query: Σ (odometer − initial) of the linked odometer
/// records. Items without links are absent (distance 0).
pub async fn distances(
    db: &impl ConnectionTrait,
    equipment_ids: &[i64],
) -> Result<HashMap<i64, i64>, DbErr> {
    if equipment_ids.is_empty() {
        return Ok(HashMap::new());
    }
    let link = odometer_record_equipment::Entity;
    let record = odometer_record::Entity;
    let distance = Expr::col((record, odometer_record::Column::Odometer)).sub(Expr::col((
        record,
        odometer_record::Column::InitialOdometer,
    )));
    let mut query = Query::select();
    query
        .expr_as(
            Expr::col((link, odometer_record_equipment::Column::EquipmentId)),
            Alias::new("equipment_id"),
        )
        // PostgreSQL sums BIGINT into NUMERIC; cast back so both engines answer an integer.
        .expr_as(
            Func::cast_as(Func::sum(distance), Alias::new("BIGINT")),
            Alias::new("distance"),
        )
        .from(link)
        .inner_join(
            record,
            Expr::col((record, odometer_record::Column::Id))
                .equals((link, odometer_record_equipment::Column::OdometerRecordId)),
        )
        .and_where(
            Expr::col((link, odometer_record_equipment::Column::EquipmentId))
                .is_in(equipment_ids.iter().copied()),
        )
        .group_by_col((link, odometer_record_equipment::Column::EquipmentId));
    let statement = db.get_database_backend().build(&query);
    let mut out = HashMap::new();
    for row in db.query_all_raw(statement).await? {
        let id: i64 = row.try_get("", "equipment_id")?;
        let distance: Option<i64> = row.try_get("", "distance")?;
        out.insert(id, distance.unwrap_or(0));
    }
    Ok(out)
}

/// The ids among `ids` that are equipment of this vehicle.
pub async fn ids_of_vehicle(
    db: &impl ConnectionTrait,
    vehicle_id: i64,
    ids: &[i64],
) -> Result<Vec<i64>, DbErr> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    equipment::Entity::find()
        .select_only()
        .column(equipment::Column::Id)
        .filter(equipment::Column::VehicleId.eq(vehicle_id))
        .filter(equipment::Column::Id.is_in(ids.iter().copied()))
        .into_tuple::<i64>()
        .all(db)
        .await
}

/// Replaces the equipment an odometer record counts for.
pub async fn set_links(
    db: &impl ConnectionTrait,
    odometer_record_id: i64,
    equipment_ids: &[i64],
) -> Result<(), DbErr> {
    odometer_record_equipment::Entity::delete_many()
        .filter(odometer_record_equipment::Column::OdometerRecordId.eq(odometer_record_id))
        .exec(db)
        .await?;
    odometer::link_equipment(db, odometer_record_id, equipment_ids).await
}

//! Fuel records of one vehicle. Callers have already checked access to the vehicle.

use chrono::Utc;
use motovault_shared::dto::FuelRecordInput;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait,
    QueryFilter, QueryOrder,
};

use super::entity::fuel_record;

pub async fn list(
    db: &impl ConnectionTrait,
    vehicle_id: i64,
) -> Result<Vec<fuel_record::Model>, DbErr> {
    fuel_record::Entity::find()
        .filter(fuel_record::Column::VehicleId.eq(vehicle_id))
        .order_by_desc(fuel_record::Column::Date)
        .order_by_desc(fuel_record::Column::Odometer)
        .order_by_desc(fuel_record::Column::Id)
        .all(db)
        .await
}

pub async fn find(
    db: &impl ConnectionTrait,
    vehicle_id: i64,
    record_id: i64,
) -> Result<Option<fuel_record::Model>, DbErr> {
    fuel_record::Entity::find_by_id(record_id)
        .filter(fuel_record::Column::VehicleId.eq(vehicle_id))
        .one(db)
        .await
}

fn apply(model: &mut fuel_record::ActiveModel, input: &FuelRecordInput) {
    model.date = Set(input.date);
    model.odometer = Set(input.odometer);
    model.fuel_consumed = Set(input.fuel_consumed.scaled());
    model.cost = Set(input.cost.scaled());
    model.is_fill_to_full = Set(input.is_fill_to_full);
    model.missed_fuel_up = Set(input.missed_fuel_up);
    model.starting_soc = Set(input.starting_soc);
    model.ending_soc = Set(input.ending_soc);
    model.notes = Set(input.notes.clone());
    model.updated_at = Set(Utc::now());
}

pub async fn insert(
    db: &impl ConnectionTrait,
    vehicle_id: i64,
    input: &FuelRecordInput,
) -> Result<fuel_record::Model, DbErr> {
    let mut model = fuel_record::ActiveModel {
        vehicle_id: Set(vehicle_id),
        created_at: Set(Utc::now()),
        ..Default::default()
    };
    apply(&mut model, input);
    model.insert(db).await
}

pub async fn update(
    db: &impl ConnectionTrait,
    existing: fuel_record::Model,
    input: &FuelRecordInput,
) -> Result<fuel_record::Model, DbErr> {
    let mut model: fuel_record::ActiveModel = existing.into();
    apply(&mut model, input);
    model.update(db).await
}

pub async fn delete(db: &impl ConnectionTrait, record_id: i64) -> Result<(), DbErr> {
    fuel_record::Entity::delete_by_id(record_id)
        .exec(db)
        .await?;
    Ok(())
}

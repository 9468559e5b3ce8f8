//! Notes of one vehicle. Callers have already checked access to the vehicle.

use chrono::Utc;
use motovault_shared::dto::notes::NoteInput;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait,
    QueryFilter, QueryOrder,
};

use super::entity::note;

/// `record_type` of notes in polymorphic tables (docs/schema.md).
pub const RECORD_TYPE: &str = "note";

/// Pinned first, then newest first.
pub async fn list(db: &impl ConnectionTrait, vehicle_id: i64) -> Result<Vec<note::Model>, DbErr> {
    note::Entity::find()
        .filter(note::Column::VehicleId.eq(vehicle_id))
        .order_by_desc(note::Column::IsPinned)
        .order_by_desc(note::Column::CreatedAt)
        .order_by_desc(note::Column::Id)
        .all(db)
        .await
}

pub async fn find(
    db: &impl ConnectionTrait,
    vehicle_id: i64,
    record_id: i64,
) -> Result<Option<note::Model>, DbErr> {
    note::Entity::find_by_id(record_id)
        .filter(note::Column::VehicleId.eq(vehicle_id))
        .one(db)
        .await
}

fn apply(model: &mut note::ActiveModel, input: &NoteInput) {
    model.title = Set(input.title.trim().to_owned());
    model.body = Set(input.body.clone());
    model.is_pinned = Set(input.is_pinned);
    model.updated_at = Set(Utc::now());
}

pub async fn insert(
    db: &impl ConnectionTrait,
    vehicle_id: i64,
    input: &NoteInput,
) -> Result<note::Model, DbErr> {
    let mut model = note::ActiveModel {
        vehicle_id: Set(vehicle_id),
        created_at: Set(Utc::now()),
        ..Default::default()
    };
    apply(&mut model, input);
    model.insert(db).await
}

pub async fn update(
    db: &impl ConnectionTrait,
    existing: note::Model,
    input: &NoteInput,
) -> Result<note::Model, DbErr> {
    let mut model: note::ActiveModel = existing.into();
    apply(&mut model, input);
    model.update(db).await
}

pub async fn delete(db: &impl ConnectionTrait, record_id: i64) -> Result<(), DbErr> {
    note::Entity::delete_by_id(record_id).exec(db).await?;
    Ok(())
}

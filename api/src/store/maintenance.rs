//! Service, repair and upgrade records of one vehicle (`maintenance_records`). Callers have
//! already checked access to the vehicle. Every query is scoped to a vehicle and a kind, so a
//! record asked for under the wrong kind is simply not found.

use chrono::Utc;
use motovault_shared::dto::maintenance::{MaintenanceKind, MaintenanceRecordInput};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait,
    QueryFilter, QueryOrder,
};

use super::entity::maintenance_record;

/// The `record_type` of a kind's tags and attachments (docs/schema.md): the kind itself.
pub fn record_type(kind: MaintenanceKind) -> &'static str {
    kind.as_str()
}

pub async fn list(
    db: &impl ConnectionTrait,
    vehicle_id: i64,
    kind: MaintenanceKind,
) -> Result<Vec<maintenance_record::Model>, DbErr> {
    maintenance_record::Entity::find()
        .filter(maintenance_record::Column::VehicleId.eq(vehicle_id))
        .filter(maintenance_record::Column::Kind.eq(kind.as_str()))
        .order_by_desc(maintenance_record::Column::Date)
        .order_by_desc(maintenance_record::Column::Odometer)
        .order_by_desc(maintenance_record::Column::Id)
        .all(db)
        .await
}

pub async fn find(
    db: &impl ConnectionTrait,
    vehicle_id: i64,
    kind: MaintenanceKind,
    record_id: i64,
) -> Result<Option<maintenance_record::Model>, DbErr> {
    maintenance_record::Entity::find_by_id(record_id)
        .filter(maintenance_record::Column::VehicleId.eq(vehicle_id))
        .filter(maintenance_record::Column::Kind.eq(kind.as_str()))
        .one(db)
        .await
}

/// The records among `ids` that belong to this vehicle and kind.
pub async fn find_many(
    db: &impl ConnectionTrait,
    vehicle_id: i64,
    kind: MaintenanceKind,
    ids: &[i64],
) -> Result<Vec<maintenance_record::Model>, DbErr> {
    maintenance_record::Entity::find()
        .filter(maintenance_record::Column::VehicleId.eq(vehicle_id))
        .filter(maintenance_record::Column::Kind.eq(kind.as_str()))
        .filter(maintenance_record::Column::Id.is_in(ids.iter().copied()))
        .all(db)
        .await
}

fn apply(model: &mut maintenance_record::ActiveModel, input: &MaintenanceRecordInput) {
    model.date = Set(input.date);
    model.odometer = Set(input.odometer);
    model.description = Set(input.description.trim().to_owned());
    model.cost = Set(input.cost.scaled());
    model.notes = Set(input.notes.clone());
    model.updated_at = Set(Utc::now());
}

pub async fn insert(
    db: &impl ConnectionTrait,
    vehicle_id: i64,
    kind: MaintenanceKind,
    input: &MaintenanceRecordInput,
) -> Result<maintenance_record::Model, DbErr> {
    let mut model = maintenance_record::ActiveModel {
        vehicle_id: Set(vehicle_id),
        kind: Set(kind.as_str().to_owned()),
        created_at: Set(Utc::now()),
        ..Default::default()
    };
    apply(&mut model, input);
    model.insert(db).await
}

pub async fn update(
    db: &impl ConnectionTrait,
    existing: maintenance_record::Model,
    input: &MaintenanceRecordInput,
) -> Result<maintenance_record::Model, DbErr> {
    let mut model: maintenance_record::ActiveModel = existing.into();
    apply(&mut model, input);
    model.update(db).await
}

pub async fn set_kind(
    db: &impl ConnectionTrait,
    existing: maintenance_record::Model,
    kind: MaintenanceKind,
) -> Result<maintenance_record::Model, DbErr> {
    let mut model: maintenance_record::ActiveModel = existing.into();
    model.kind = Set(kind.as_str().to_owned());
    model.updated_at = Set(Utc::now());
    model.update(db).await
}

/// Bulk edit: the same notes on every record named.
pub async fn set_notes(db: &impl ConnectionTrait, ids: &[i64], notes: &str) -> Result<(), DbErr> {
    maintenance_record::Entity::update_many()
        .col_expr(maintenance_record::Column::Notes, Expr::value(notes))
        .col_expr(
            maintenance_record::Column::UpdatedAt,
            Expr::value(Utc::now()),
        )
        .filter(maintenance_record::Column::Id.is_in(ids.iter().copied()))
        .exec(db)
        .await?;
    Ok(())
}

/// Marks records as changed (a bulk edit that touched only their tags).
pub async fn touch(db: &impl ConnectionTrait, ids: &[i64]) -> Result<(), DbErr> {
    maintenance_record::Entity::update_many()
        .col_expr(
            maintenance_record::Column::UpdatedAt,
            Expr::value(Utc::now()),
        )
        .filter(maintenance_record::Column::Id.is_in(ids.iter().copied()))
        .exec(db)
        .await?;
    Ok(())
}

pub async fn delete(db: &impl ConnectionTrait, record_id: i64) -> Result<(), DbErr> {
    maintenance_record::Entity::delete_by_id(record_id)
        .exec(db)
        .await?;
    Ok(())
}

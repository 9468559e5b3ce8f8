//! A vehicle's collaborators: its co-owners (reference §1 "Collaborators", `UserAccess`).

use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};

use super::entity::{user, vehicle, vehicle_collaborator};

/// Locks the vehicle row until the transaction ends (PostgreSQL `FOR UPDATE`; SQLite already
/// runs one writer at a time), so concurrent changes to its collaborators run one after another.
pub async fn lock_vehicle(db: &impl ConnectionTrait, vehicle_id: i64) -> Result<(), DbErr> {
    vehicle::Entity::find_by_id(vehicle_id)
        .lock_exclusive()
        .one(db)
        .await?;
    Ok(())
}

/// The collaborators' users, by username.
pub async fn users_of(
    db: &impl ConnectionTrait,
    vehicle_id: i64,
) -> Result<Vec<user::Model>, DbErr> {
    let ids: Vec<i64> = vehicle_collaborator::Entity::find()
        .filter(vehicle_collaborator::Column::VehicleId.eq(vehicle_id))
        .all(db)
        .await?
        .into_iter()
        .map(|c| c.user_id)
        .collect();
    user::Entity::find()
        .filter(user::Column::Id.is_in(ids))
        .order_by_asc(user::Column::UsernameNormalized)
        .all(db)
        .await
}

pub async fn is_collaborator(
    db: &impl ConnectionTrait,
    vehicle_id: i64,
    user_id: i64,
) -> Result<bool, DbErr> {
    Ok(vehicle_collaborator::Entity::find()
        .filter(vehicle_collaborator::Column::VehicleId.eq(vehicle_id))
        .filter(vehicle_collaborator::Column::UserId.eq(user_id))
        .count(db)
        .await?
        > 0)
}

pub async fn count(db: &impl ConnectionTrait, vehicle_id: i64) -> Result<u64, DbErr> {
    vehicle_collaborator::Entity::find()
        .filter(vehicle_collaborator::Column::VehicleId.eq(vehicle_id))
        .count(db)
        .await
}

pub async fn insert(db: &impl ConnectionTrait, vehicle_id: i64, user_id: i64) -> Result<(), DbErr> {
    vehicle_collaborator::ActiveModel {
        vehicle_id: Set(vehicle_id),
        user_id: Set(user_id),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}

pub async fn delete(db: &impl ConnectionTrait, vehicle_id: i64, user_id: i64) -> Result<(), DbErr> {
    vehicle_collaborator::Entity::delete_many()
        .filter(vehicle_collaborator::Column::VehicleId.eq(vehicle_id))
        .filter(vehicle_collaborator::Column::UserId.eq(user_id))
        .exec(db)
        .await?;
    Ok(())
}

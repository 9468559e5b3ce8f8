//! Equipment (reference §1 "Equipment"): CRUD, with the distance accumulated through linked
//! odometer records (§3.3 "Equipment distance"). Equipped items are linked by the odometer
//! auto-insert (`domain::odometer::auto_insert`) or explicitly on odometer records.

use motovault_shared::dto::equipment::{self as dto, Equipment, EquipmentInput, EquipmentList};
use motovault_shared::problem::FieldError;
use sea_orm::{ConnectionTrait, DatabaseConnection};

use super::vehicles::visible;
use crate::auth::Caller;
use crate::error::{AppError, AppResult};
use crate::infra::objects::ObjectStore;
use crate::store::entity::equipment;
use crate::store::equipment::{self as store, RECORD_TYPE};
use crate::store::tags;

pub async fn list(
    db: &DatabaseConnection,
    caller: &Caller,
    vehicle_id: i64,
) -> AppResult<EquipmentList> {
    let vehicle = visible(db, caller, vehicle_id).await?;
    let rows = store::list(db, vehicle.id).await?;
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let mut all_tags = tags::for_records(db, RECORD_TYPE, &ids).await?;
    let distances = store::distances(db, &ids).await?;
    let records = rows
        .into_iter()
        .map(|r| {
            let t = all_tags.remove(&r.id).unwrap_or_default();
            let d = distances.get(&r.id).copied().unwrap_or(0);
            to_dto(r, t, d)
        })
        .collect();
    Ok(EquipmentList { records })
}

pub async fn get(
    db: &DatabaseConnection,
    caller: &Caller,
    vehicle_id: i64,
    equipment_id: i64,
) -> AppResult<Equipment> {
    let vehicle = visible(db, caller, vehicle_id).await?;
    let row = store::find(db, vehicle.id, equipment_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut t = tags::for_records(db, RECORD_TYPE, &[row.id]).await?;
    let own = t.remove(&row.id).unwrap_or_default();
    with_distance(db, row, own).await
}

pub async fn create(
    db: &DatabaseConnection,
    caller: &Caller,
    vehicle_id: i64,
    input: EquipmentInput,
) -> AppResult<Equipment> {
    let vehicle = visible(db, caller, vehicle_id).await?;
    AppError::check(dto::validate(&input))?;
    let txn = crate::store::begin_write(db).await?;
    let saved = store::insert(&txn, vehicle.id, &input).await?;
    tags::replace(&txn, vehicle.id, RECORD_TYPE, saved.id, &input.tags).await?;
    txn.commit().await?;
    Ok(to_dto(saved, input.tags, 0))
}

pub async fn update(
    db: &DatabaseConnection,
    caller: &Caller,
    vehicle_id: i64,
    equipment_id: i64,
    input: EquipmentInput,
) -> AppResult<Equipment> {
    let vehicle = visible(db, caller, vehicle_id).await?;
    let existing = store::find(db, vehicle.id, equipment_id)
        .await?
        .ok_or(AppError::NotFound)?;
    AppError::check(dto::validate(&input))?;
    let txn = crate::store::begin_write(db).await?;
    let saved = store::update(&txn, existing, &input).await?;
    tags::replace(&txn, vehicle.id, RECORD_TYPE, saved.id, &input.tags).await?;
    let out = with_distance(&txn, saved, input.tags).await?;
    txn.commit().await?;
    Ok(out)
}

pub async fn delete(
    db: &DatabaseConnection,
    objects: &dyn ObjectStore,
    caller: &Caller,
    vehicle_id: i64,
    equipment_id: i64,
) -> AppResult<()> {
    let vehicle = visible(db, caller, vehicle_id).await?;
    let existing = store::find(db, vehicle.id, equipment_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let txn = crate::store::begin_write(db).await?;
    let files = super::record_parts::detach(&txn, RECORD_TYPE, &[existing.id]).await?;
    store::delete(&txn, existing.id).await?;
    txn.commit().await?;
    files.purge(objects).await;
    Ok(())
}

/// Checks that every id names equipment of this vehicle (422 on `field` otherwise) and answers
/// them sorted without duplicates, ready for `store::equipment::set_links`.
pub async fn check_ids(
    db: &impl ConnectionTrait,
    vehicle_id: i64,
    field: &str,
    ids: &[i64],
) -> AppResult<Vec<i64>> {
    let mut wanted = ids.to_vec();
    wanted.sort_unstable();
    wanted.dedup();
    let mut found = store::ids_of_vehicle(db, vehicle_id, &wanted).await?;
    found.sort_unstable();
    if found != wanted {
        return Err(AppError::Validation(vec![FieldError::new(
            field,
            "must name equipment of this vehicle",
        )]));
    }
    Ok(wanted)
}

async fn with_distance(
    db: &impl ConnectionTrait,
    row: equipment::Model,
    tags: Vec<String>,
) -> AppResult<Equipment> {
    let distance = store::distances(db, &[row.id])
        .await?
        .get(&row.id)
        .copied()
        .unwrap_or(0);
    Ok(to_dto(row, tags, distance))
}

fn to_dto(r: equipment::Model, tags: Vec<String>, distance_traveled: i64) -> Equipment {
    Equipment {
        id: r.id,
        vehicle_id: r.vehicle_id,
        description: r.description,
        is_equipped: r.is_equipped,
        notes: r.notes,
        tags,
        distance_traveled,
        created_at: r.created_at,
        updated_at: r.updated_at,
    }
}

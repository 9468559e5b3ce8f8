//! Odometer records: the API add default, recalculation and the auto-insert of reference §3.3
//! (rules in `motovault_shared::odometer`).

use motovault_shared::dto::odometer::{
    self as dto, OdometerRecord, OdometerRecordInput, OdometerRecordList,
};
use motovault_shared::odometer::{self as rules, AutoInsertSource, OdometerReading};
use motovault_shared::problem::FieldError;
use sea_orm::{ConnectionTrait, DatabaseConnection};

use super::vehicles::visible;
use crate::auth::Caller;
use crate::error::{AppError, AppResult};
use crate::infra::objects::ObjectStore;
use crate::store::entity::odometer_record;
use crate::store::odometer::{self as store, OdometerRow, RECORD_TYPE};
use crate::store::{tags, users};

pub async fn list(
    db: &DatabaseConnection,
    caller: &Caller,
    vehicle_id: i64,
) -> AppResult<OdometerRecordList> {
    let vehicle = visible(db, caller, vehicle_id).await?;
    list_of(db, vehicle.id).await
}

async fn list_of(db: &impl ConnectionTrait, vehicle_id: i64) -> AppResult<OdometerRecordList> {
    let rows = store::list(db, vehicle_id).await?;
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let mut all_tags = tags::for_records(db, RECORD_TYPE, &ids).await?;
    let mut all_equipment = store::equipment_for(db, &ids).await?;
    let records: Vec<OdometerRecord> = rows
        .into_iter()
        .map(|r| {
            let t = all_tags.remove(&r.id).unwrap_or_default();
            let e = all_equipment.remove(&r.id).unwrap_or_default();
            to_dto(r, t, e)
        })
        .collect();
    let total_distance = records.iter().map(|r| r.distance).sum();
    Ok(OdometerRecordList {
        records,
        total_distance,
    })
}

pub async fn get(
    db: &DatabaseConnection,
    caller: &Caller,
    vehicle_id: i64,
    record_id: i64,
) -> AppResult<OdometerRecord> {
    let vehicle = visible(db, caller, vehicle_id).await?;
    let record = store::find(db, vehicle.id, record_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut t = tags::for_records(db, RECORD_TYPE, &[record.id]).await?;
    let mut e = store::equipment_for(db, &[record.id]).await?;
    Ok(to_dto(
        record,
        t.remove(&record_id).unwrap_or_default(),
        e.remove(&record_id).unwrap_or_default(),
    ))
}

pub async fn create(
    db: &DatabaseConnection,
    caller: &Caller,
    vehicle_id: i64,
    input: OdometerRecordInput,
) -> AppResult<OdometerRecord> {
    let vehicle = visible(db, caller, vehicle_id).await?;
    AppError::check(dto::validate(&input))?;
    let equipment = match &input.equipment_ids {
        Some(ids) => super::equipment::check_ids(db, vehicle.id, "equipmentIds", ids).await?,
        None => Vec::new(),
    };
    let txn = crate::store::begin_write(db).await?;
    // Read inside the transaction so the default sees the same records the insert joins.
    let max = store::max_odometer(&txn, vehicle.id).await?;
    let row = OdometerRow {
        date: input.date,
        initial_odometer: rules::initial_for_new(input.initial_odometer, max, input.odometer),
        odometer: input.odometer,
        notes: input.notes.clone(),
    };
    let saved = store::insert(&txn, vehicle.id, &row).await?;
    tags::replace(&txn, vehicle.id, RECORD_TYPE, saved.id, &input.tags).await?;
    store::link_equipment(&txn, saved.id, &equipment).await?;
    txn.commit().await?;
    Ok(to_dto(saved, input.tags, equipment))
}

pub async fn update(
    db: &DatabaseConnection,
    caller: &Caller,
    vehicle_id: i64,
    record_id: i64,
    input: OdometerRecordInput,
) -> AppResult<OdometerRecord> {
    let vehicle = visible(db, caller, vehicle_id).await?;
    let existing = store::find(db, vehicle.id, record_id)
        .await?
        .ok_or(AppError::NotFound)?;
    AppError::check(dto::validate(&input))?;
    // Omitted keeps the stored initial reading, which must still fit under the new reading.
    let initial = input.initial_odometer.unwrap_or(existing.initial_odometer);
    let mut errors: Vec<FieldError> = Vec::new();
    dto::check_initial(&mut errors, initial, input.odometer);
    AppError::check(errors)?;
    let equipment = match &input.equipment_ids {
        Some(ids) => Some(super::equipment::check_ids(db, vehicle.id, "equipmentIds", ids).await?),
        None => None,
    };
    let row = OdometerRow {
        date: input.date,
        initial_odometer: initial,
        odometer: input.odometer,
        notes: input.notes.clone(),
    };
    let txn = crate::store::begin_write(db).await?;
    let saved = store::update(&txn, existing, &row).await?;
    tags::replace(&txn, vehicle.id, RECORD_TYPE, saved.id, &input.tags).await?;
    // Omitted equipment leaves the links alone.
    if let Some(ids) = &equipment {
        crate::store::equipment::set_links(&txn, saved.id, ids).await?;
    }
    let mut e = store::equipment_for(&txn, &[saved.id]).await?;
    txn.commit().await?;
    let equipment = e.remove(&saved.id).unwrap_or_default();
    Ok(to_dto(saved, input.tags, equipment))
}

pub async fn delete(
    db: &DatabaseConnection,
    objects: &dyn ObjectStore,
    caller: &Caller,
    vehicle_id: i64,
    record_id: i64,
) -> AppResult<()> {
    let vehicle = visible(db, caller, vehicle_id).await?;
    let existing = store::find(db, vehicle.id, record_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let txn = crate::store::begin_write(db).await?;
    let files = super::record_parts::detach(&txn, RECORD_TYPE, &[existing.id]).await?;
    // Equipment links go with the record (foreign key cascade).
    store::delete(&txn, existing.id).await?;
    txn.commit().await?;
    files.purge(objects).await;
    Ok(())
}

/// "Recalculate distance": every record's initial reading chained from the previous one,
/// saved in one transaction; answers the new list.
pub async fn recalculate(
    db: &DatabaseConnection,
    caller: &Caller,
    vehicle_id: i64,
) -> AppResult<OdometerRecordList> {
    let vehicle = visible(db, caller, vehicle_id).await?;
    let txn = crate::store::begin_write(db).await?;
    let rows = store::list(&txn, vehicle.id).await?;
    let readings: Vec<OdometerReading> = rows.iter().map(reading).collect();
    let mut by_id: std::collections::HashMap<i64, odometer_record::Model> =
        rows.into_iter().map(|r| (r.id, r)).collect();
    for fixed in rules::recalculate(&readings) {
        if let Some(existing) = by_id.remove(&fixed.id)
            && existing.initial_odometer != fixed.initial_odometer
        {
            store::set_initial(&txn, existing, fixed.initial_odometer).await?;
        }
    }
    let list = list_of(&txn, vehicle.id).await?;
    txn.commit().await?;
    Ok(list)
}

/// Auto-insert (§3.3) inside the caller's transaction, when a service, repair, upgrade, fuel
/// or inspection record is created: only if the caller's `enableAutoOdometerInsert` is on and
/// the reading is not 0. Every equipped item of the vehicle is linked to it.
pub async fn auto_insert(
    txn: &impl ConnectionTrait,
    caller: &Caller,
    vehicle_id: i64,
    source: &AutoInsertSource<'_>,
) -> AppResult<Option<odometer_record::Model>> {
    let enabled = users::settings(txn, caller.user.id)
        .await?
        .enable_auto_odometer_insert;
    if !enabled || source.odometer == 0 {
        return Ok(None);
    }
    let max = store::max_odometer(txn, vehicle_id).await?;
    let Some(new) = rules::auto_insert(enabled, source, max) else {
        return Ok(None);
    };
    let row = OdometerRow {
        date: new.date,
        initial_odometer: new.initial_odometer,
        odometer: new.odometer,
        notes: new.notes,
    };
    let saved = store::insert(txn, vehicle_id, &row).await?;
    let equipped = store::equipped_ids(txn, vehicle_id).await?;
    store::link_equipment(txn, saved.id, &equipped).await?;
    Ok(Some(saved))
}

fn reading(r: &odometer_record::Model) -> OdometerReading {
    OdometerReading {
        id: r.id,
        date: r.date,
        initial_odometer: r.initial_odometer,
        odometer: r.odometer,
    }
}

fn to_dto(r: odometer_record::Model, tags: Vec<String>, equipment_ids: Vec<i64>) -> OdometerRecord {
    OdometerRecord {
        id: r.id,
        vehicle_id: r.vehicle_id,
        date: r.date,
        initial_odometer: r.initial_odometer,
        odometer: r.odometer,
        distance: rules::distance(r.initial_odometer, r.odometer),
        notes: r.notes,
        tags,
        equipment_ids,
        created_at: r.created_at,
        updated_at: r.updated_at,
    }
}

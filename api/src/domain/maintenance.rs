//! Service, repair and upgrade records (reference §1): CRUD per kind, moving between kinds,
//! bulk edit of tags and notes, and the odometer auto-insert on create (§3.3).

use std::collections::HashMap;

use motovault_shared::Amount;
use motovault_shared::dto::maintenance::{
    self as dto, BulkEditMaintenance, BulkEditResult, MaintenanceKind, MaintenanceRecord,
    MaintenanceRecordInput, MaintenanceRecordList,
};
use motovault_shared::odometer::AutoInsertSource;
use sea_orm::{ConnectionTrait, DatabaseConnection};

use super::odometer;
use super::supplies::{self as supply_domain, Consumer};
use super::vehicles::visible;
use crate::auth::Caller;
use crate::error::{AppError, AppResult};
use crate::infra::objects::ObjectStore;
use crate::store::attachments as attachment_store;
use crate::store::entity::maintenance_record;
use crate::store::maintenance::{self as store, record_type};
use crate::store::tags;

pub async fn list(
    db: &DatabaseConnection,
    caller: &Caller,
    vehicle_id: i64,
    kind: MaintenanceKind,
) -> AppResult<MaintenanceRecordList> {
    let vehicle = visible(db, caller, vehicle_id).await?;
    let rows = store::list(db, vehicle.id, kind).await?;
    let total_cost = rows.iter().map(|r| Amount::from_scaled(r.cost)).sum();
    let records = with_tags(db, kind, rows).await?;
    Ok(MaintenanceRecordList {
        records,
        total_cost,
    })
}

pub async fn get(
    db: &DatabaseConnection,
    caller: &Caller,
    vehicle_id: i64,
    kind: MaintenanceKind,
    record_id: i64,
) -> AppResult<MaintenanceRecord> {
    let vehicle = visible(db, caller, vehicle_id).await?;
    let record = store::find(db, vehicle.id, kind, record_id)
        .await?
        .ok_or(AppError::NotFound)?;
    one(db, kind, record).await
}

pub async fn create(
    db: &DatabaseConnection,
    caller: &Caller,
    vehicle_id: i64,
    kind: MaintenanceKind,
    input: MaintenanceRecordInput,
    shop_supplies: bool,
) -> AppResult<MaintenanceRecord> {
    let vehicle = visible(db, caller, vehicle_id).await?;
    AppError::check(dto::validate(&input))?;
    let txn = crate::store::begin_write(db).await?;
    let saved = store::insert(&txn, vehicle.id, kind, &input).await?;
    tags::replace(&txn, vehicle.id, record_type(kind), saved.id, &input.tags).await?;
    // Supplies are taken in the same transaction: a missing or short supply undoes the record.
    let consumer = Consumer {
        vehicle_id: vehicle.id,
        record_type: record_type(kind),
        record_id: saved.id,
        date: saved.date,
        description: &saved.description,
        shop_supplies,
    };
    let history = supply_domain::requisition(&txn, &consumer, &input.supplies).await?;
    let source = AutoInsertSource {
        label: kind.label(),
        date: saved.date,
        odometer: saved.odometer,
        text: &saved.description,
    };
    odometer::auto_insert(&txn, caller, vehicle.id, &source).await?;
    super::reminders::push_back_linked(
        &txn,
        vehicle.id,
        &input.reminder_ids,
        saved.date,
        saved.odometer,
        "reminderIds",
    )
    .await?;
    txn.commit().await?;
    let mut created = to_dto(saved, kind, input.tags);
    created.requisition_history = history;
    Ok(created)
}

pub async fn update(
    db: &DatabaseConnection,
    caller: &Caller,
    vehicle_id: i64,
    kind: MaintenanceKind,
    record_id: i64,
    input: MaintenanceRecordInput,
) -> AppResult<MaintenanceRecord> {
    let vehicle = visible(db, caller, vehicle_id).await?;
    let existing = store::find(db, vehicle.id, kind, record_id)
        .await?
        .ok_or(AppError::NotFound)?;
    AppError::check(dto::validate(&input))?;
    if !input.reminder_ids.is_empty() {
        return Err(AppError::field(
            "reminderIds",
            "reminders are pushed back only when a record is created",
        ));
    }
    if !input.supplies.is_empty() {
        return Err(AppError::field(
            "supplies",
            "supplies are requisitioned only when a record is created",
        ));
    }
    let txn = crate::store::begin_write(db).await?;
    let saved = store::update(&txn, existing, &input).await?;
    tags::replace(&txn, vehicle.id, record_type(kind), saved.id, &input.tags).await?;
    txn.commit().await?;
    let mut history = supply_domain::history_of_records(db, record_type(kind), &[saved.id]).await?;
    let mut updated = to_dto(saved, kind, input.tags);
    updated.requisition_history = history.remove(&updated.id).unwrap_or_default();
    Ok(updated)
}

/// Deletes the record; supplies it used are restored with a history entry dated `today` (§3.6).
pub async fn delete(
    db: &DatabaseConnection,
    objects: &dyn ObjectStore,
    caller: &Caller,
    vehicle_id: i64,
    kind: MaintenanceKind,
    record_id: i64,
    today: chrono::NaiveDate,
) -> AppResult<()> {
    let vehicle = visible(db, caller, vehicle_id).await?;
    let existing = store::find(db, vehicle.id, kind, record_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let txn = crate::store::begin_write(db).await?;
    supply_domain::restore(&txn, record_type(kind), existing.id, today).await?;
    let files = super::record_parts::detach(&txn, record_type(kind), &[existing.id]).await?;
    store::delete(&txn, existing.id).await?;
    txn.commit().await?;
    files.purge(objects).await;
    Ok(())
}

/// Moves a record to another kind; its tags and attachments follow it. Moving to its own kind
/// changes nothing.
pub async fn move_to(
    db: &DatabaseConnection,
    caller: &Caller,
    vehicle_id: i64,
    kind: MaintenanceKind,
    record_id: i64,
    to: MaintenanceKind,
) -> AppResult<MaintenanceRecord> {
    let vehicle = visible(db, caller, vehicle_id).await?;
    let existing = store::find(db, vehicle.id, kind, record_id)
        .await?
        .ok_or(AppError::NotFound)?;
    if to == kind {
        return one(db, kind, existing).await;
    }
    let txn = crate::store::begin_write(db).await?;
    let mut old_tags = tags::for_records(&txn, record_type(kind), &[existing.id]).await?;
    let moved_tags = old_tags.remove(&existing.id).unwrap_or_default();
    tags::delete_for(&txn, record_type(kind), &[existing.id]).await?;
    let moved = store::set_kind(&txn, existing, to).await?;
    tags::replace(&txn, vehicle.id, record_type(to), moved.id, &moved_tags).await?;
    attachment_store::retype(&txn, record_type(kind), record_type(to), &[moved.id]).await?;
    crate::store::extra_fields::retype(&txn, record_type(kind), record_type(to), &[moved.id])
        .await?;
    supply_domain::transfer(
        &txn,
        (record_type(kind), moved.id),
        (record_type(to), moved.id),
    )
    .await?;
    let mut history = supply_domain::history_of_records(&txn, record_type(to), &[moved.id]).await?;
    txn.commit().await?;
    let mut out = to_dto(moved, to, moved_tags);
    out.requisition_history = history.remove(&out.id).unwrap_or_default();
    Ok(out)
}

/// Bulk edit of tags and notes (`---` clears, omitted or blank keeps). Every id must be a
/// record of this vehicle and kind, else 404 and nothing changes.
pub async fn bulk_edit(
    db: &DatabaseConnection,
    caller: &Caller,
    vehicle_id: i64,
    kind: MaintenanceKind,
    input: BulkEditMaintenance,
) -> AppResult<BulkEditResult> {
    let vehicle = visible(db, caller, vehicle_id).await?;
    AppError::check(dto::validate_bulk_edit(&input))?;
    let mut ids = input.ids.clone();
    ids.sort_unstable();
    ids.dedup();
    let new_tags = dto::bulk_tags(&input);
    let new_notes = dto::bulk_notes(&input);

    let txn = crate::store::begin_write(db).await?;
    let found = store::find_many(&txn, vehicle.id, kind, &ids).await?;
    if found.len() != ids.len() {
        // Dropping the transaction rolls back; nothing has been written yet anyway.
        return Err(AppError::NotFound);
    }
    if let Some(notes) = &new_notes {
        store::set_notes(&txn, &ids, notes).await?;
    }
    if let Some(new_tags) = &new_tags {
        for id in &ids {
            tags::replace(&txn, vehicle.id, record_type(kind), *id, new_tags).await?;
        }
        if new_notes.is_none() {
            store::touch(&txn, &ids).await?;
        }
    }
    let rows = store::find_many(&txn, vehicle.id, kind, &ids).await?;
    let mut records = with_tags(&txn, kind, rows).await?;
    txn.commit().await?;
    let order: HashMap<i64, usize> = input
        .ids
        .iter()
        .enumerate()
        .rev()
        .map(|(i, id)| (*id, i))
        .collect();
    records.sort_by_key(|r| order.get(&r.id).copied().unwrap_or(usize::MAX));
    Ok(BulkEditResult { records })
}

async fn one(
    db: &impl ConnectionTrait,
    kind: MaintenanceKind,
    record: maintenance_record::Model,
) -> AppResult<MaintenanceRecord> {
    let mut t = tags::for_records(db, record_type(kind), &[record.id]).await?;
    let own = t.remove(&record.id).unwrap_or_default();
    let mut history =
        supply_domain::history_of_records(db, record_type(kind), &[record.id]).await?;
    let mut out = to_dto(record, kind, own);
    out.requisition_history = history.remove(&out.id).unwrap_or_default();
    Ok(out)
}

async fn with_tags(
    db: &impl ConnectionTrait,
    kind: MaintenanceKind,
    rows: Vec<maintenance_record::Model>,
) -> AppResult<Vec<MaintenanceRecord>> {
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let mut all_tags = tags::for_records(db, record_type(kind), &ids).await?;
    let mut history = supply_domain::history_of_records(db, record_type(kind), &ids).await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let t = all_tags.remove(&r.id).unwrap_or_default();
            let h = history.remove(&r.id).unwrap_or_default();
            let mut out = to_dto(r, kind, t);
            out.requisition_history = h;
            out
        })
        .collect())
}

fn to_dto(
    r: maintenance_record::Model,
    kind: MaintenanceKind,
    tags: Vec<String>,
) -> MaintenanceRecord {
    MaintenanceRecord {
        id: r.id,
        vehicle_id: r.vehicle_id,
        kind,
        date: r.date,
        odometer: r.odometer,
        description: r.description,
        cost: Amount::from_scaled(r.cost),
        notes: r.notes,
        tags,
        requisition_history: Vec::new(),
        created_at: r.created_at,
        updated_at: r.updated_at,
    }
}

//! Tax records and their recurring back-fill (reference §3.5, computed by
//! `motovault_shared::tax`). `today` comes from the caller so the rule never reads the clock.

use chrono::NaiveDate;
use motovault_shared::Amount;
use motovault_shared::dto::reminders::ReminderIntervalUnit;
use motovault_shared::dto::tax::{self as dto, TaxRecord, TaxRecordInput, TaxRecordList};
use motovault_shared::tax::{self as rule, TaxCopy, TaxInterval};
use sea_orm::{ConnectionTrait, DatabaseConnection};

use super::attachments::{Copies, copy_record_parts};
use super::vehicles::visible;
use crate::auth::Caller;
use crate::error::{AppError, AppResult};
use crate::infra::objects::{ObjectStore, Objects};
use crate::store::entity::{tax_record, vehicle};
use crate::store::tags;
use crate::store::tax::{self as store, RECORD_TYPE};

/// Every record of the vehicle, newest first, after the recurring back-fill.
pub async fn list(
    db: &DatabaseConnection,
    objects: &Objects,
    caller: &Caller,
    vehicle_id: i64,
    today: NaiveDate,
) -> AppResult<TaxRecordList> {
    let vehicle = visible(db, caller, vehicle_id).await?;
    backfill(db, objects, &vehicle, today).await?;
    let rows = store::list(db, vehicle.id).await?;
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let mut all_tags = tags::for_records(db, RECORD_TYPE, &ids).await?;
    let total_cost = rows.iter().map(|r| Amount::from_scaled(r.cost)).sum();
    let records = rows
        .into_iter()
        .map(|r| {
            let t = all_tags.remove(&r.id).unwrap_or_default();
            to_dto(r, t)
        })
        .collect();
    Ok(TaxRecordList {
        records,
        total_cost,
    })
}

pub async fn get(
    db: &DatabaseConnection,
    caller: &Caller,
    vehicle_id: i64,
    record_id: i64,
) -> AppResult<TaxRecord> {
    let vehicle = visible(db, caller, vehicle_id).await?;
    let row = store::find(db, vehicle.id, record_id)
        .await?
        .ok_or(AppError::NotFound)?;
    with_tags(db, row).await
}

/// Inserts the record and back-fills in the same transaction; the answer is the record as it
/// stands afterwards (an overdue recurring record comes back non-recurring).
pub async fn create(
    db: &DatabaseConnection,
    objects: &Objects,
    caller: &Caller,
    vehicle_id: i64,
    input: TaxRecordInput,
    today: NaiveDate,
) -> AppResult<TaxRecord> {
    let vehicle = visible(db, caller, vehicle_id).await?;
    AppError::check(dto::validate(&input, today))?;
    let txn = crate::store::begin_write(db).await?;
    let saved = store::insert(&txn, vehicle.id, &input).await?;
    tags::replace(&txn, vehicle.id, RECORD_TYPE, saved.id, &input.tags).await?;
    let mut copies = Copies::default();
    if vehicle.sold_date.is_none() {
        // The write above already holds the lock, so reading inside the transaction is safe.
        let work = plan(store::recurring(&txn, vehicle.id).await?, today);
        apply(&txn, objects, vehicle.id, work, &mut copies).await?;
    }
    txn.commit().await?;
    copies.keep();
    get(db, caller, vehicle.id, saved.id).await
}

/// Replaces the record; the next list back-fills it if the new values make it overdue.
pub async fn update(
    db: &DatabaseConnection,
    caller: &Caller,
    vehicle_id: i64,
    record_id: i64,
    input: TaxRecordInput,
    today: NaiveDate,
) -> AppResult<TaxRecord> {
    let vehicle = visible(db, caller, vehicle_id).await?;
    let existing = store::find(db, vehicle.id, record_id)
        .await?
        .ok_or(AppError::NotFound)?;
    AppError::check(dto::validate(&input, today))?;
    let txn = crate::store::begin_write(db).await?;
    let saved = store::update(&txn, existing, &input).await?;
    tags::replace(&txn, vehicle.id, RECORD_TYPE, saved.id, &input.tags).await?;
    txn.commit().await?;
    Ok(to_dto(saved, input.tags))
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
    store::delete(&txn, existing.id).await?;
    txn.commit().await?;
    // Objects go after the commit: a failed rollback must not lose files still referenced.
    files.purge(objects).await;
    Ok(())
}

/// Reference §3.5 for every vehicle the caller sees (`GET /api/vehicle/taxrecords/check` and
/// the daily job): how many vehicles had overdue recurring records.
pub async fn backfill_visible(
    db: &DatabaseConnection,
    objects: &Objects,
    caller: &Caller,
    today: NaiveDate,
) -> AppResult<usize> {
    let mut updated = 0;
    for v in super::vehicles::list(db, caller).await? {
        let vehicle = visible(db, caller, v.id).await?;
        if backfill(db, objects, &vehicle, today).await? {
            updated += 1;
        }
    }
    Ok(updated)
}

/// Reference §3.5 for one vehicle, in one transaction; skipped for sold vehicles. Reads first
/// without a transaction so the common case (nothing overdue) writes nothing. `true` when
/// something was overdue.
async fn backfill(
    db: &DatabaseConnection,
    objects: &Objects,
    vehicle: &vehicle::Model,
    today: NaiveDate,
) -> AppResult<bool> {
    if vehicle.sold_date.is_some() {
        return Ok(false);
    }
    // Two lists at once both back-fill: the second plans from a read made before the first
    // committed; its guarded update then skips what the first did.
    let work = plan(store::recurring(db, vehicle.id).await?, today);
    if work.is_empty() {
        return Ok(false);
    }
    let txn = crate::store::begin_write(db).await?;
    let mut copies = Copies::default();
    apply(&txn, objects, vehicle.id, work, &mut copies).await?;
    txn.commit().await?;
    copies.keep();
    Ok(true)
}

fn interval(r: &tax_record::Model) -> Option<TaxInterval> {
    let unit = ReminderIntervalUnit::parse(&r.custom_interval_unit).unwrap_or_default();
    TaxInterval::new(r.recurring_interval, r.custom_interval, unit)
}

/// The overdue records among `recurring`, each with the copies it needs.
fn plan(
    recurring: Vec<tax_record::Model>,
    today: NaiveDate,
) -> Vec<(tax_record::Model, Vec<TaxCopy>)> {
    recurring
        .into_iter()
        .filter_map(|r| {
            let copies = rule::backfill(r.date, interval(&r)?, today);
            (!copies.is_empty()).then_some((r, copies))
        })
        .collect()
}

/// Ends each original's recurrence and inserts its copies with its tags, attachments (files
/// copied under new keys, kept in `copies` until the commit) and extra-field values. The first statement
/// per record is the guarded update, so a record another request already handled (or edited
/// meanwhile) is skipped rather than copied twice.
async fn apply(
    txn: &impl ConnectionTrait,
    objects: &Objects,
    vehicle_id: i64,
    work: Vec<(tax_record::Model, Vec<TaxCopy>)>,
    copies: &mut Copies,
) -> AppResult<()> {
    for (original, dates) in work {
        if !store::end_recurrence(txn, &original).await? {
            continue;
        }
        let original_tags = tags::for_records(txn, RECORD_TYPE, &[original.id])
            .await?
            .remove(&original.id)
            .unwrap_or_default();
        for copy in dates {
            let saved = store::insert_copy(txn, &original, copy.date, copy.is_recurring).await?;
            if !original_tags.is_empty() {
                tags::replace(txn, vehicle_id, RECORD_TYPE, saved.id, &original_tags).await?;
            }
            copy_record_parts(
                txn,
                objects,
                vehicle_id,
                (RECORD_TYPE, original.id),
                (RECORD_TYPE, saved.id),
                copies,
            )
            .await?;
        }
    }
    Ok(())
}

async fn with_tags(db: &DatabaseConnection, row: tax_record::Model) -> AppResult<TaxRecord> {
    let t = tags::for_records(db, RECORD_TYPE, &[row.id])
        .await?
        .remove(&row.id)
        .unwrap_or_default();
    Ok(to_dto(row, t))
}

fn to_dto(r: tax_record::Model, tags: Vec<String>) -> TaxRecord {
    TaxRecord {
        id: r.id,
        vehicle_id: r.vehicle_id,
        date: r.date,
        description: r.description,
        cost: Amount::from_scaled(r.cost),
        notes: r.notes,
        tags,
        is_recurring: r.is_recurring,
        recurring_interval: r.recurring_interval,
        custom_interval: r.custom_interval,
        custom_interval_unit: ReminderIntervalUnit::parse(&r.custom_interval_unit)
            .unwrap_or_default(),
        created_at: r.created_at,
        updated_at: r.updated_at,
    }
}

//! Supplies and shop supplies (reference §1, §3.6): CRUD, and the requisition / restoration
//! that service, repair, upgrade and plan records use inside their own transactions.
//!
//! Shop supplies (`vehicle_id` NULL) are readable by every signed-in user and usable by any
//! vehicle's records; only administrators and the root may create, change or delete them
//! (others get 404, as for anything they may not change). They carry no tags or attachments:
//! both are stored per vehicle.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use motovault_shared::Amount;
use motovault_shared::dto::supplies::{
    self as dto, Supply, SupplyInput, SupplyList, SupplyUsage, SupplyUsageEntry,
};
use motovault_shared::supplies::{self as rule, RequisitionError, Stock};
use sea_orm::{ConnectionTrait, DatabaseConnection};

use super::vehicles::visible;
use crate::auth::Caller;
use crate::error::{AppError, AppResult};
use crate::infra::objects::ObjectStore;
use crate::store::entity::{supply, supply_usage};
use crate::store::supplies::{self as store, NewUsage, RECORD_TYPE};
use crate::store::tags;
use crate::store::vehicles as vehicle_store;

/// Whose supplies: a vehicle's, or the shop's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    Vehicle(i64),
    Shop,
}

/// Resolves the scope for this caller: the vehicle must be visible; shop writes need an
/// administrator. Returns the `vehicle_id` column value.
pub(crate) async fn owner(
    db: &DatabaseConnection,
    caller: &Caller,
    scope: Scope,
    write: bool,
) -> AppResult<Option<i64>> {
    match scope {
        Scope::Vehicle(id) => Ok(Some(visible(db, caller, id).await?.id)),
        Scope::Shop if write && !(caller.user.is_admin || caller.user.is_root) => {
            Err(AppError::NotFound)
        }
        Scope::Shop => Ok(None),
    }
}

pub async fn list(db: &DatabaseConnection, caller: &Caller, scope: Scope) -> AppResult<SupplyList> {
    let vehicle_id = owner(db, caller, scope, false).await?;
    let rows = store::list(db, vehicle_id).await?;
    let total_cost = rows.iter().map(|r| Amount::from_scaled(r.cost)).sum();
    let mut records = answer_many(db, rows).await?;
    hide_foreign_usage(db, caller, scope, &mut records).await?;
    Ok(SupplyList {
        records,
        total_cost,
    })
}

pub async fn get(
    db: &DatabaseConnection,
    caller: &Caller,
    scope: Scope,
    supply_id: i64,
) -> AppResult<Supply> {
    let vehicle_id = owner(db, caller, scope, false).await?;
    let row = store::find(db, vehicle_id, supply_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut records = vec![one(db, row).await?];
    hide_foreign_usage(db, caller, scope, &mut records).await?;
    records.pop().ok_or(AppError::NotFound)
}

/// A shop supply is shared, but the records that used it are not: its history shows only
/// the uses by vehicles the caller may see.
async fn hide_foreign_usage(
    db: &DatabaseConnection,
    caller: &Caller,
    scope: Scope,
    records: &mut [Supply],
) -> AppResult<()> {
    if scope != Scope::Shop || caller.user.is_root {
        return Ok(());
    }
    let visible: HashSet<i64> = vehicle_store::list_visible(db, &caller.user)
        .await?
        .into_iter()
        .map(|v| v.id)
        .collect();
    for record in records {
        record
            .usage_history
            .retain(|e| e.vehicle_id.is_some_and(|v| visible.contains(&v)));
    }
    Ok(())
}

fn check(vehicle_id: Option<i64>, input: &SupplyInput) -> AppResult<()> {
    let mut errors = dto::validate(input);
    if vehicle_id.is_none() && !input.tags.is_empty() {
        errors.push(motovault_shared::problem::FieldError::new(
            "tags",
            "shop supplies have no tags",
        ));
    }
    AppError::check(errors)
}

pub async fn create(
    db: &DatabaseConnection,
    caller: &Caller,
    scope: Scope,
    input: SupplyInput,
) -> AppResult<Supply> {
    let vehicle_id = owner(db, caller, scope, true).await?;
    check(vehicle_id, &input)?;
    let txn = crate::store::begin_write(db).await?;
    let saved = store::insert(&txn, vehicle_id, &input).await?;
    if let Some(v) = vehicle_id {
        tags::replace(&txn, v, RECORD_TYPE, saved.id, &input.tags).await?;
    }
    txn.commit().await?;
    Ok(to_dto(saved, input.tags, Vec::new()))
}

/// Replaces the fields as entered (a stock count correction included); the history stays.
pub async fn update(
    db: &DatabaseConnection,
    caller: &Caller,
    scope: Scope,
    supply_id: i64,
    input: SupplyInput,
) -> AppResult<Supply> {
    let vehicle_id = owner(db, caller, scope, true).await?;
    let existing = store::find(db, vehicle_id, supply_id)
        .await?
        .ok_or(AppError::NotFound)?;
    check(vehicle_id, &input)?;
    let txn = crate::store::begin_write(db).await?;
    let saved = store::update(&txn, existing, &input).await?;
    if let Some(v) = vehicle_id {
        tags::replace(&txn, v, RECORD_TYPE, saved.id, &input.tags).await?;
    }
    txn.commit().await?;
    one(db, saved).await
}

/// Deletes the supply with its history (records that used it lose those entries; nothing is
/// restored anywhere since the stock itself is gone).
pub async fn delete(
    db: &DatabaseConnection,
    objects: &dyn ObjectStore,
    caller: &Caller,
    scope: Scope,
    supply_id: i64,
) -> AppResult<()> {
    let vehicle_id = owner(db, caller, scope, true).await?;
    let existing = store::find(db, vehicle_id, supply_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let txn = crate::store::begin_write(db).await?;
    let files = super::record_parts::detach(&txn, RECORD_TYPE, &[existing.id]).await?;
    store::delete(&txn, existing.id).await?;
    txn.commit().await?;
    files.purge(objects).await;
    Ok(())
}

// ---------------------------------------------------------------- requisition and restore

/// The consuming record, as its history entries name it.
pub struct Consumer<'a> {
    pub vehicle_id: i64,
    pub record_type: &'a str,
    pub record_id: i64,
    pub date: NaiveDate,
    pub description: &'a str,
    /// Whether shop supplies may be taken (`supplies.shop_enabled`, reference `EnableShopSupplies`).
    pub shop_supplies: bool,
}

/// Inside the caller's transaction: takes each usage out of stock (§3.6) and writes one history
/// row per usage, named on the supply and on the record. A supply that is not the vehicle's or
/// the shop's → 422 "Missing supplies"; a shop supply while shop supplies are turned off → 422;
/// more than in stock → 422 "Insufficient supplies". The
/// same supply may appear twice; each use sees the stock the previous one left.
pub async fn requisition(
    txn: &impl ConnectionTrait,
    consumer: &Consumer<'_>,
    usages: &[SupplyUsage],
) -> AppResult<Vec<SupplyUsageEntry>> {
    let mut entries = Vec::with_capacity(usages.len());
    for (i, usage) in usages.iter().enumerate() {
        let Some(found) = store::find_usable(txn, consumer.vehicle_id, usage.supply_id).await?
        else {
            return Err(AppError::field(
                &format!("supplies[{i}].supplyId"),
                format!("Missing supplies: no supply {}", usage.supply_id),
            ));
        };
        if found.vehicle_id.is_none() && !consumer.shop_supplies {
            return Err(AppError::field(
                &format!("supplies[{i}].supplyId"),
                format!(
                    "supply {} is a shop supply, and shop supplies are turned off",
                    usage.supply_id
                ),
            ));
        }
        let before = Stock {
            quantity: Amount::from_scaled(found.quantity),
            cost: Amount::from_scaled(found.cost),
        };
        let out = rule::requisition(before, usage.quantity).map_err(|err| match err {
            RequisitionError::Insufficient { available } => AppError::field(
                &format!("supplies[{i}].quantity"),
                format!("Insufficient supplies: {available} in stock"),
            ),
            RequisitionError::NotPositive => {
                AppError::field(&format!("supplies[{i}].quantity"), "must be greater than 0")
            }
        })?;
        let changed = store::set_stock(
            txn,
            found.id,
            (found.quantity, found.cost),
            (out.remaining.quantity.scaled(), out.remaining.cost.scaled()),
        )
        .await?;
        if !changed {
            return Err(AppError::Conflict(
                "the supply changed meanwhile; try again".into(),
            ));
        }
        let row = store::insert_usage(
            txn,
            NewUsage {
                supply_id: found.id,
                vehicle_id: Some(consumer.vehicle_id),
                record_type: consumer.record_type,
                record_id: Some(consumer.record_id),
                date: consumer.date,
                description: consumer.description,
                part_number: &found.part_number,
                quantity: out.taken.quantity.scaled(),
                cost: out.taken.cost.scaled(),
            },
        )
        .await?;
        entries.push(record_entry(row, &found.description));
    }
    Ok(entries)
}

/// Inside the caller's transaction deleting a record: puts back what it took (§3.6 restore),
/// with a "Restored from …" entry dated `today` on each supply. Its rows stay in the supplies'
/// history, no longer naming the record.
pub async fn restore(
    txn: &impl ConnectionTrait,
    record_type: &str,
    record_id: i64,
    today: NaiveDate,
) -> AppResult<()> {
    let rows = store::usages_of_records(txn, record_type, &[record_id]).await?;
    for row in rows.iter().filter(|r| r.quantity > 0) {
        let Some(found) = store::find_many(txn, &[row.supply_id]).await?.pop() else {
            continue;
        };
        let taken = Stock {
            quantity: Amount::from_scaled(row.quantity),
            cost: Amount::from_scaled(row.cost),
        };
        let before = Stock {
            quantity: Amount::from_scaled(found.quantity),
            cost: Amount::from_scaled(found.cost),
        };
        let after = rule::restore(before, taken);
        let changed = store::set_stock(
            txn,
            found.id,
            (found.quantity, found.cost),
            (after.quantity.scaled(), after.cost.scaled()),
        )
        .await?;
        if !changed {
            return Err(AppError::Conflict(
                "the supply changed meanwhile; try again".into(),
            ));
        }
        store::insert_usage(
            txn,
            NewUsage {
                supply_id: found.id,
                vehicle_id: row.vehicle_id,
                record_type,
                record_id: None,
                date: today,
                description: &rule::restored_from(&row.description),
                part_number: &row.part_number,
                quantity: -row.quantity,
                cost: -row.cost,
            },
        )
        .await?;
    }
    store::detach_usages(txn, record_type, record_id).await?;
    Ok(())
}

/// Moves a record's history to another record without touching stock (plan done, record
/// moved to another kind).
pub async fn transfer(
    txn: &impl ConnectionTrait,
    from: (&str, i64),
    to: (&str, i64),
) -> AppResult<()> {
    store::move_usages(txn, from, to).await?;
    Ok(())
}

/// What each record took, for record answers (supply descriptions, oldest first).
pub async fn history_of_records(
    db: &impl ConnectionTrait,
    record_type: &str,
    record_ids: &[i64],
) -> AppResult<HashMap<i64, Vec<SupplyUsageEntry>>> {
    let rows = store::usages_of_records(db, record_type, record_ids).await?;
    let mut supply_ids: Vec<i64> = rows.iter().map(|r| r.supply_id).collect();
    supply_ids.sort_unstable();
    supply_ids.dedup();
    let names: HashMap<i64, String> = store::find_many(db, &supply_ids)
        .await?
        .into_iter()
        .map(|s| (s.id, s.description))
        .collect();
    let mut out: HashMap<i64, Vec<SupplyUsageEntry>> = HashMap::new();
    for row in rows {
        let Some(record_id) = row.record_id else {
            continue;
        };
        let name = names.get(&row.supply_id).cloned().unwrap_or_default();
        out.entry(record_id)
            .or_default()
            .push(record_entry(row, &name));
    }
    Ok(out)
}

/// An entry as the consuming record shows it: the supply's description.
fn record_entry(row: supply_usage::Model, supply_description: &str) -> SupplyUsageEntry {
    let mut entry = entry(row);
    entry.description = supply_description.to_owned();
    entry
}

/// An entry as the supply shows it: the consuming record's description. Restorations are
/// stored negated and shown as positive amounts with `restored`.
fn entry(row: supply_usage::Model) -> SupplyUsageEntry {
    let restored = row.quantity < 0;
    SupplyUsageEntry {
        supply_id: row.supply_id,
        vehicle_id: row.vehicle_id,
        record_type: row.record_type,
        record_id: row.record_id,
        date: row.date,
        description: row.description,
        part_number: row.part_number,
        quantity: Amount::from_scaled(row.quantity.abs()),
        cost: Amount::from_scaled(row.cost.abs()),
        restored,
    }
}

async fn one(db: &impl ConnectionTrait, row: supply::Model) -> AppResult<Supply> {
    let mut all = answer_many(db, vec![row]).await?;
    all.pop().ok_or(AppError::NotFound)
}

async fn answer_many(
    db: &impl ConnectionTrait,
    rows: Vec<supply::Model>,
) -> AppResult<Vec<Supply>> {
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let mut all_tags = tags::for_records(db, RECORD_TYPE, &ids).await?;
    let mut history: HashMap<i64, Vec<SupplyUsageEntry>> = HashMap::new();
    for usage in store::usages_of_supplies(db, &ids).await? {
        history
            .entry(usage.supply_id)
            .or_default()
            .push(entry(usage));
    }
    Ok(rows
        .into_iter()
        .map(|r| {
            let t = all_tags.remove(&r.id).unwrap_or_default();
            let h = history.remove(&r.id).unwrap_or_default();
            to_dto(r, t, h)
        })
        .collect())
}

fn to_dto(r: supply::Model, tags: Vec<String>, usage_history: Vec<SupplyUsageEntry>) -> Supply {
    Supply {
        id: r.id,
        vehicle_id: r.vehicle_id,
        date: r.date,
        part_number: r.part_number,
        supplier: r.supplier,
        description: r.description,
        quantity: Amount::from_scaled(r.quantity),
        cost: Amount::from_scaled(r.cost),
        notes: r.notes,
        tags,
        usage_history,
        created_at: r.created_at,
        updated_at: r.updated_at,
    }
}

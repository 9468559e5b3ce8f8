//! Fuel records with their economy (reference §3.1, computed by `motovault_shared::fuel`).

use std::collections::HashMap;

use motovault_shared::Amount;
use motovault_shared::dto::{FuelRecord, FuelRecordInput, FuelRecordList, FuelType};
use motovault_shared::fuel::{self, EconomyMode, FuelEconomyRow, FuelEntry};
use motovault_shared::odometer::AutoInsertSource;
use motovault_shared::validate;
use sea_orm::DatabaseConnection;

use super::odometer;
use super::vehicles::visible;
use crate::auth::Caller;
use crate::error::{AppError, AppResult};
use crate::store::entity::fuel_record;
use crate::store::{fuel as store, tags, users};

/// Every fill-up of the vehicle, newest first, with distance and economy in the caller's units.
pub async fn list(
    db: &DatabaseConnection,
    caller: &Caller,
    vehicle_id: i64,
) -> AppResult<FuelRecordList> {
    let vehicle = visible(db, caller, vehicle_id).await?;
    let electric = FuelType::parse(&vehicle.fuel_type).is_some_and(FuelType::is_electric);
    let units = users::settings(db, caller.user.id).await?.unit_system;
    let rows = store::list(db, vehicle.id).await?;
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let mut all_tags = tags::for_records(db, tags::FUEL, &ids).await?;

    let entries: Vec<FuelEntry> = rows.iter().map(entry).collect();
    let economy = fuel::compute(&entries, EconomyMode::for_units(units, electric));
    let by_id: HashMap<i64, &FuelEconomyRow> = economy.rows.iter().map(|r| (r.id, r)).collect();

    let total_cost = rows.iter().map(|r| Amount::from_scaled(r.cost)).sum();
    let total_fuel = rows
        .iter()
        .map(|r| Amount::from_scaled(r.fuel_consumed))
        .sum();
    let records = rows
        .into_iter()
        .map(|r| {
            let figures = by_id.get(&r.id).copied();
            let t = all_tags.remove(&r.id).unwrap_or_default();
            to_dto(r, t, figures)
        })
        .collect();
    Ok(FuelRecordList {
        records,
        average_fuel_economy: economy.average.map(fuel::round2),
        unit_system: units,
        economy_unit: units.economy_unit(electric).to_owned(),
        distance_unit: units.distance_unit().to_owned(),
        fuel_unit: units.fuel_unit(electric).to_owned(),
        total_cost,
        total_fuel,
    })
}

/// One record, with its figures as they stand in the whole history.
pub async fn get(
    db: &DatabaseConnection,
    caller: &Caller,
    vehicle_id: i64,
    record_id: i64,
) -> AppResult<FuelRecord> {
    list(db, caller, vehicle_id)
        .await?
        .records
        .into_iter()
        .find(|r| r.id == record_id)
        .ok_or(AppError::NotFound)
}

pub async fn create(
    db: &DatabaseConnection,
    caller: &Caller,
    vehicle_id: i64,
    input: FuelRecordInput,
) -> AppResult<FuelRecord> {
    let vehicle = visible(db, caller, vehicle_id).await?;
    AppError::check(validate::fuel_record(&input))?;
    let txn = crate::store::begin_write(db).await?;
    let saved = store::insert(&txn, vehicle.id, &input).await?;
    tags::replace(&txn, vehicle.id, tags::FUEL, saved.id, &input.tags).await?;
    let source = AutoInsertSource {
        label: "Fuel",
        date: saved.date,
        odometer: saved.odometer,
        text: &saved.notes,
    };
    odometer::auto_insert(&txn, caller, vehicle.id, &source).await?;
    txn.commit().await?;
    get(db, caller, vehicle.id, saved.id).await
}

pub async fn update(
    db: &DatabaseConnection,
    caller: &Caller,
    vehicle_id: i64,
    record_id: i64,
    input: FuelRecordInput,
) -> AppResult<FuelRecord> {
    let vehicle = visible(db, caller, vehicle_id).await?;
    let existing = store::find(db, vehicle.id, record_id)
        .await?
        .ok_or(AppError::NotFound)?;
    AppError::check(validate::fuel_record(&input))?;
    let txn = crate::store::begin_write(db).await?;
    store::update(&txn, existing, &input).await?;
    tags::replace(&txn, vehicle.id, tags::FUEL, record_id, &input.tags).await?;
    txn.commit().await?;
    get(db, caller, vehicle.id, record_id).await
}

pub async fn delete(
    db: &DatabaseConnection,
    objects: &dyn crate::infra::objects::ObjectStore,
    caller: &Caller,
    vehicle_id: i64,
    record_id: i64,
) -> AppResult<()> {
    let vehicle = visible(db, caller, vehicle_id).await?;
    let existing = store::find(db, vehicle.id, record_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let txn = crate::store::begin_write(db).await?;
    let files = super::record_parts::detach(&txn, tags::FUEL, &[existing.id]).await?;
    store::delete(&txn, existing.id).await?;
    txn.commit().await?;
    files.purge(objects).await;
    Ok(())
}

fn entry(r: &fuel_record::Model) -> FuelEntry {
    FuelEntry {
        id: r.id,
        date: r.date,
        odometer: r.odometer,
        fuel: Amount::from_scaled(r.fuel_consumed).to_f64(),
        cost: Amount::from_scaled(r.cost).to_f64(),
        is_fill_to_full: r.is_fill_to_full,
        missed_fuel_up: r.missed_fuel_up,
    }
}

fn to_dto(
    r: fuel_record::Model,
    tags: Vec<String>,
    figures: Option<&FuelEconomyRow>,
) -> FuelRecord {
    FuelRecord {
        id: r.id,
        vehicle_id: r.vehicle_id,
        date: r.date,
        odometer: r.odometer,
        fuel_consumed: Amount::from_scaled(r.fuel_consumed),
        cost: Amount::from_scaled(r.cost),
        is_fill_to_full: r.is_fill_to_full,
        missed_fuel_up: r.missed_fuel_up,
        notes: r.notes,
        tags,
        starting_soc: r.starting_soc,
        ending_soc: r.ending_soc,
        distance: figures.map_or(0, |f| f.distance),
        fuel_economy: figures.and_then(|f| f.economy).map(fuel::round2),
        cost_per_unit: figures.map_or(0.0, |f| (f.cost_per_unit * 1000.0).round() / 1000.0),
        created_at: r.created_at,
        updated_at: r.updated_at,
    }
}

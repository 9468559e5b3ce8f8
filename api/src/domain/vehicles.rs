//! Vehicles the caller may see; anything else is "not found".

use motovault_shared::Amount;
use motovault_shared::dto::{FuelType, Vehicle, VehicleAccess, VehicleInput};
use motovault_shared::validate;
use sea_orm::DatabaseConnection;

use crate::auth::Caller;
use crate::auth::caller::Credential;
use crate::error::{AppError, AppResult};
use crate::store::entity::vehicle;
use crate::store::vehicles::Grant;
use crate::store::{tags, vehicles};
use motovault_shared::dto::access::{Permission, Role};

/// The vehicle row if the caller may do what the request wants (`caller.need`) to it: 404 when
/// they cannot see it at all (no existence leak), 403 when they see it through a household role
/// that does not allow this. Every vehicle-scoped endpoint goes through here.
pub async fn visible(
    db: &DatabaseConnection,
    caller: &Caller,
    vehicle_id: i64,
) -> AppResult<vehicle::Model> {
    Ok(visible_with_grant(db, caller, vehicle_id).await?.0)
}

/// [`visible`], with how the caller reaches the vehicle.
pub async fn visible_with_grant(
    db: &DatabaseConnection,
    caller: &Caller,
    vehicle_id: i64,
) -> AppResult<(vehicle::Model, Grant)> {
    let (vehicle, grant) = vehicles::find_visible(db, &caller.user, vehicle_id)
        .await?
        .ok_or(AppError::NotFound)?;
    match grant {
        Grant::Full => Ok((vehicle, grant)),
        Grant::Household(role) if role.allows(caller.need) => Ok((vehicle, grant)),
        Grant::Household(role) => Err(AppError::Forbidden(format!(
            "your household role ({}) does not allow this",
            role.as_str()
        ))),
    }
}

/// Whether the caller could do `need` to a vehicle they reach through `grant` (for side effects
/// of a request that itself needs less, such as a listing that also refreshes what it lists).
pub fn grant_allows(caller: &Caller, grant: Grant, need: Permission) -> bool {
    if let Credential::ApiKey { role, .. } = caller.credential
        && !role.allows(need)
    {
        return false;
    }
    match grant {
        Grant::Full => true,
        Grant::Household(role) => role.allows(need),
    }
}

/// The vehicle if the caller is one of its owners (root or direct collaborator): deleting it
/// and managing collaborators are theirs alone (`StrictCollaboratorFilter`).
pub async fn owned(
    db: &DatabaseConnection,
    caller: &Caller,
    vehicle_id: i64,
) -> AppResult<vehicle::Model> {
    let (vehicle, grant) = vehicles::find_visible(db, &caller.user, vehicle_id)
        .await?
        .ok_or(AppError::NotFound)?;
    match grant {
        Grant::Full => Ok(vehicle),
        Grant::Household(_) => Err(AppError::Forbidden(
            "only the vehicle's owners may do this; household members may not".into(),
        )),
    }
}

pub async fn list(db: &DatabaseConnection, caller: &Caller) -> AppResult<Vec<Vehicle>> {
    let rows = vehicles::list_with_grants(db, &caller.user).await?;
    let ids: Vec<i64> = rows.iter().map(|(v, _)| v.id).collect();
    let mut all_tags = tags::for_records(db, tags::VEHICLE, &ids).await?;
    let odometers = vehicles::current_odometers(db, &ids).await?;
    Ok(rows
        .into_iter()
        .map(|(v, grant)| {
            let t = all_tags.remove(&v.id).unwrap_or_default();
            let odo = odometers.get(&v.id).copied().unwrap_or(0);
            to_dto(v, t, odo, grant)
        })
        .collect())
}

pub async fn get(db: &DatabaseConnection, caller: &Caller, vehicle_id: i64) -> AppResult<Vehicle> {
    let (v, grant) = visible_with_grant(db, caller, vehicle_id).await?;
    dto_for(db, v, grant).await
}

pub async fn create(
    db: &DatabaseConnection,
    caller: &Caller,
    input: VehicleInput,
) -> AppResult<Vehicle> {
    AppError::check(validate::vehicle(&input))?;
    let txn = crate::store::begin_write(db).await?;
    let saved = vehicles::insert(&txn, caller.user.id, &input).await?;
    tags::replace(&txn, saved.id, tags::VEHICLE, saved.id, &input.tags).await?;
    txn.commit().await?;
    dto_for(db, saved, Grant::Full).await
}

pub async fn update(
    db: &DatabaseConnection,
    caller: &Caller,
    vehicle_id: i64,
    input: VehicleInput,
) -> AppResult<Vehicle> {
    let (existing, grant) = visible_with_grant(db, caller, vehicle_id).await?;
    AppError::check(validate::vehicle(&input))?;
    let txn = crate::store::begin_write(db).await?;
    let saved = vehicles::update(&txn, existing, &input).await?;
    tags::replace(&txn, saved.id, tags::VEHICLE, saved.id, &input.tags).await?;
    txn.commit().await?;
    dto_for(db, saved, grant).await
}

pub async fn delete(
    db: &DatabaseConnection,
    objects: &dyn crate::infra::objects::ObjectStore,
    caller: &Caller,
    vehicle_id: i64,
) -> AppResult<()> {
    let existing = owned(db, caller, vehicle_id).await?;
    // Polymorphic rows have no foreign key to their record; they go in the same transaction.
    let txn = crate::store::begin_write(db).await?;
    tags::delete_for_vehicle(&txn, existing.id).await?;
    super::extra_fields::delete_for_vehicle(&txn, existing.id).await?;
    let files = super::attachments::detach_vehicle(&txn, existing.id).await?;
    vehicles::delete(&txn, existing.id).await?;
    txn.commit().await?;
    files.purge(objects).await;
    Ok(())
}

async fn dto_for(db: &DatabaseConnection, v: vehicle::Model, grant: Grant) -> AppResult<Vehicle> {
    let tags = tags::for_records(db, tags::VEHICLE, &[v.id])
        .await?
        .remove(&v.id)
        .unwrap_or_default();
    let odometer = vehicles::current_odometer(db, v.id).await?;
    Ok(to_dto(v, tags, odometer, grant))
}

fn access(grant: Grant) -> VehicleAccess {
    match grant {
        Grant::Full => VehicleAccess::Owner,
        Grant::Household(Role::Manager) => VehicleAccess::Manager,
        Grant::Household(Role::Editor) => VehicleAccess::Editor,
        Grant::Household(Role::Viewer) => VehicleAccess::Viewer,
    }
}

fn to_dto(v: vehicle::Model, tags: Vec<String>, current_odometer: i64, grant: Grant) -> Vehicle {
    Vehicle {
        id: v.id,
        year: v.year,
        make: v.make,
        model: v.model,
        license_plate: v.license_plate,
        fuel_type: FuelType::parse(&v.fuel_type).unwrap_or_default(),
        purchase_date: v.purchase_date,
        sold_date: v.sold_date,
        purchase_price: v.purchase_price.map(Amount::from_scaled),
        sold_price: v.sold_price.map(Amount::from_scaled),
        use_hours: v.use_hours,
        odometer_optional: v.odometer_optional,
        tags,
        has_odometer_adjustment: v.has_odometer_adjustment,
        odometer_multiplier: Amount::from_scaled(v.odometer_multiplier),
        odometer_difference: v.odometer_difference,
        vehicle_identifier: v.vehicle_identifier,
        current_odometer,
        access: access(grant),
        created_at: v.created_at,
        updated_at: v.updated_at,
    }
}

//! Vehicles and who may see them. Every read here is scoped to the caller.

use std::collections::HashMap;

use chrono::Utc;
use motovault_shared::Amount;
use motovault_shared::dto::VehicleInput;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait,
    FromQueryResult, QueryFilter, QueryOrder, QuerySelect, Statement,
};

use motovault_shared::dto::access::Role;

use super::entity::{household, user, vehicle, vehicle_collaborator};

/// How a user reaches a vehicle (reference §3.8 `UserCanEditVehicle`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Grant {
    /// The root, or a direct collaborator: every right, including deleting the vehicle and
    /// managing its collaborators.
    Full,
    /// Through a household head who collaborates on it, with the highest role of those heads.
    /// Not transitive: only direct heads count.
    Household(Role),
}

/// The household heads of a user and the role each gives them.
async fn heads_of(db: &impl ConnectionTrait, user_id: i64) -> Result<Vec<(i64, Role)>, DbErr> {
    let rows = household::Entity::find()
        .select_only()
        .column(household::Column::ParentUserId)
        .column(household::Column::Permission)
        .filter(household::Column::ChildUserId.eq(user_id))
        .into_tuple::<(i64, String)>()
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(parent, role)| Role::parse(&role).map(|r| (parent, r)))
        .collect())
}

/// How a non-root user reaches vehicles, in two queries (their household heads, then the
/// collaborator rows of them and the user), limited to `only` when given; vehicles they cannot
/// see are absent (`FilterUserVehicles`, `UserCanEditVehicle`).
async fn grant_map(
    db: &impl ConnectionTrait,
    who: &user::Model,
    only: Option<&[i64]>,
) -> Result<HashMap<i64, Grant>, DbErr> {
    let heads: HashMap<i64, Role> = heads_of(db, who.id).await?.into_iter().collect();
    let mut users: Vec<i64> = heads.keys().copied().collect();
    users.push(who.id);
    let mut query = vehicle_collaborator::Entity::find()
        .select_only()
        .column(vehicle_collaborator::Column::VehicleId)
        .column(vehicle_collaborator::Column::UserId)
        .filter(vehicle_collaborator::Column::UserId.is_in(users));
    if let Some(ids) = only {
        query = query.filter(vehicle_collaborator::Column::VehicleId.is_in(ids.to_vec()));
    }
    let rows = query.into_tuple::<(i64, i64)>().all(db).await?;
    let mut out: HashMap<i64, Grant> = HashMap::new();
    for (vehicle_id, user_id) in rows {
        let grant = if user_id == who.id {
            Grant::Full
        } else if let Some(role) = heads.get(&user_id) {
            Grant::Household(*role)
        } else {
            continue;
        };
        // Full beats any role; among roles the highest wins (§3.8).
        let entry = out.entry(vehicle_id).or_insert(grant);
        *entry = match (*entry, grant) {
            (Grant::Full, _) | (_, Grant::Full) => Grant::Full,
            (Grant::Household(a), Grant::Household(b)) => Grant::Household(a.max(b)),
        };
    }
    Ok(out)
}

/// Every vehicle the user may see, in garage order, with how they reach it.
pub async fn list_with_grants(
    db: &impl ConnectionTrait,
    who: &user::Model,
) -> Result<Vec<(vehicle::Model, Grant)>, DbErr> {
    let grants = if who.is_root {
        None
    } else {
        Some(grant_map(db, who, None).await?)
    };
    let mut query = vehicle::Entity::find()
        .order_by_asc(vehicle::Column::Year)
        .order_by_asc(vehicle::Column::Make)
        .order_by_asc(vehicle::Column::Model)
        .order_by_asc(vehicle::Column::Id);
    if let Some(grants) = &grants {
        query = query.filter(vehicle::Column::Id.is_in(grants.keys().copied().collect::<Vec<_>>()));
    }
    Ok(query
        .all(db)
        .await?
        .into_iter()
        .map(|v| {
            let grant = grants
                .as_ref()
                .and_then(|g| g.get(&v.id).copied())
                .unwrap_or(Grant::Full);
            (v, grant)
        })
        .collect())
}

pub async fn list_visible(
    db: &impl ConnectionTrait,
    who: &user::Model,
) -> Result<Vec<vehicle::Model>, DbErr> {
    Ok(list_with_grants(db, who)
        .await?
        .into_iter()
        .map(|(v, _)| v)
        .collect())
}

/// How the user reaches each of these vehicles; vehicles they cannot see are absent.
async fn grants(
    db: &impl ConnectionTrait,
    who: &user::Model,
    vehicle_ids: &[i64],
) -> Result<HashMap<i64, Grant>, DbErr> {
    if who.is_root {
        return Ok(vehicle_ids.iter().map(|id| (*id, Grant::Full)).collect());
    }
    grant_map(db, who, Some(vehicle_ids)).await
}

/// The vehicle and how the user reaches it; `None` both when it does not exist and when it is
/// someone else's, so the answer never reveals that it exists.
pub async fn find_visible(
    db: &impl ConnectionTrait,
    who: &user::Model,
    vehicle_id: i64,
) -> Result<Option<(vehicle::Model, Grant)>, DbErr> {
    let Some(grant) = grants(db, who, &[vehicle_id]).await?.remove(&vehicle_id) else {
        return Ok(None);
    };
    Ok(vehicle::Entity::find_by_id(vehicle_id)
        .one(db)
        .await?
        .map(|v| (v, grant)))
}

fn apply(model: &mut vehicle::ActiveModel, input: &VehicleInput) {
    model.year = Set(input.year);
    model.make = Set(input.make.trim().to_owned());
    model.model = Set(input.model.trim().to_owned());
    model.license_plate = Set(input.license_plate.trim().to_owned());
    model.fuel_type = Set(input.fuel_type.as_str().to_owned());
    model.purchase_date = Set(input.purchase_date);
    model.sold_date = Set(input.sold_date);
    model.purchase_price = Set(input.purchase_price.map(Amount::scaled));
    model.sold_price = Set(input.sold_price.map(Amount::scaled));
    model.use_hours = Set(input.use_hours);
    model.odometer_optional = Set(input.odometer_optional);
    model.has_odometer_adjustment = Set(input.has_odometer_adjustment);
    model.odometer_multiplier = Set(input.odometer_multiplier.scaled());
    model.odometer_difference = Set(input.odometer_difference);
    model.vehicle_identifier = Set(input.vehicle_identifier.trim().to_owned());
    model.updated_at = Set(Utc::now());
}

/// Inserts the vehicle and makes its creator a collaborator (reference §1, Vehicles).
pub async fn insert(
    db: &impl ConnectionTrait,
    owner_id: i64,
    input: &VehicleInput,
) -> Result<vehicle::Model, DbErr> {
    let now = Utc::now();
    let mut model = vehicle::ActiveModel {
        image_key: Set(None),
        map_location: Set(None),
        dashboard_metrics: Set(String::new()),
        created_at: Set(now),
        ..Default::default()
    };
    apply(&mut model, input);
    let saved = model.insert(db).await?;
    vehicle_collaborator::ActiveModel {
        vehicle_id: Set(saved.id),
        user_id: Set(owner_id),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(saved)
}

pub async fn update(
    db: &impl ConnectionTrait,
    existing: vehicle::Model,
    input: &VehicleInput,
) -> Result<vehicle::Model, DbErr> {
    let mut model: vehicle::ActiveModel = existing.into();
    apply(&mut model, input);
    model.update(db).await
}

/// Deletes the vehicle; the schema cascades to its records and access rows.
pub async fn delete(db: &impl ConnectionTrait, vehicle_id: i64) -> Result<(), DbErr> {
    vehicle::Entity::delete_by_id(vehicle_id).exec(db).await?;
    Ok(())
}

#[derive(Debug, FromQueryResult)]
struct MaxOdometers {
    vehicle_id: i64,
    fuel: Option<i64>,
    maintenance: Option<i64>,
    reading: Option<i64>,
}

/// Highest odometer reading of one vehicle's records (0 when it has none).
pub async fn current_odometer(db: &impl ConnectionTrait, vehicle_id: i64) -> Result<i64, DbErr> {
    Ok(current_odometers(db, &[vehicle_id])
        .await?
        .get(&vehicle_id)
        .copied()
        .unwrap_or(0))
}

/// The statement of [`current_odometers`]; public for the test that checks its plan.
pub fn current_odometers_sql(vehicle_ids: &[i64]) -> String {
    let ids = vehicle_ids
        .iter()
        .map(i64::to_string)
        .collect::<Vec<_>>()
        .join(",");
    let highest =
        |table: &str| format!("(SELECT MAX(t.odometer) FROM {table} t WHERE t.vehicle_id = v.id)");
    format!(
        "SELECT v.id AS vehicle_id, {} AS fuel, {} AS maintenance, {} AS reading \
         FROM vehicles v WHERE v.id IN ({ids})",
        highest("fuel_records"),
        highest("maintenance_records"),
        highest("odometer_records"),
    )
}

/// Highest reading per vehicle over its fuel, service/repair/upgrade and odometer records
/// (`GetMaxMileage`, reference §3.2), in one statement: per vehicle and table a `MAX` that the
/// `(vehicle_id, odometer)` indexes answer with one probe (migration 000009), where a grouped
/// `MAX` read every record of every vehicle asked for. The ids are integers, written into the
/// SQL as literals (no placeholders, so the text is the same on both engines).
pub async fn current_odometers(
    db: &impl ConnectionTrait,
    vehicle_ids: &[i64],
) -> Result<HashMap<i64, i64>, DbErr> {
    if vehicle_ids.is_empty() {
        return Ok(HashMap::new());
    }
    let sql = current_odometers_sql(vehicle_ids);
    let rows =
        MaxOdometers::find_by_statement(Statement::from_string(db.get_database_backend(), sql))
            .all(db)
            .await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let best = [r.fuel, r.maintenance, r.reading]
                .into_iter()
                .flatten()
                .max()
                .unwrap_or(0);
            (r.vehicle_id, best)
        })
        .collect())
}

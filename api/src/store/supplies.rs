//! Supplies (`supplies`, `vehicle_id` NULL = shop supply) and their usage history
//! (`supply_usages`). Callers have already checked access.

use chrono::{NaiveDate, Utc};
use motovault_shared::dto::supplies::SupplyInput;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, DbErr,
    EntityTrait, QueryFilter, QueryOrder,
};

use super::entity::{supply, supply_usage};

/// `record_type` of supplies in polymorphic tables (docs/schema.md).
pub const RECORD_TYPE: &str = "supply";

fn owner(vehicle_id: Option<i64>) -> Condition {
    match vehicle_id {
        Some(id) => Condition::all().add(supply::Column::VehicleId.eq(id)),
        None => Condition::all().add(supply::Column::VehicleId.is_null()),
    }
}

/// A vehicle's supplies (`Some`) or the shop's (`None`), newest first.
pub async fn list(
    db: &impl ConnectionTrait,
    vehicle_id: Option<i64>,
) -> Result<Vec<supply::Model>, DbErr> {
    supply::Entity::find()
        .filter(owner(vehicle_id))
        .order_by_desc(supply::Column::Date)
        .order_by_desc(supply::Column::Id)
        .all(db)
        .await
}

pub async fn find(
    db: &impl ConnectionTrait,
    vehicle_id: Option<i64>,
    supply_id: i64,
) -> Result<Option<supply::Model>, DbErr> {
    supply::Entity::find_by_id(supply_id)
        .filter(owner(vehicle_id))
        .one(db)
        .await
}

/// A supply a record of this vehicle may use: the vehicle's own or a shop supply.
pub async fn find_usable(
    db: &impl ConnectionTrait,
    vehicle_id: i64,
    supply_id: i64,
) -> Result<Option<supply::Model>, DbErr> {
    supply::Entity::find_by_id(supply_id)
        .filter(
            Condition::any()
                .add(supply::Column::VehicleId.eq(vehicle_id))
                .add(supply::Column::VehicleId.is_null()),
        )
        .one(db)
        .await
}

pub async fn find_many(
    db: &impl ConnectionTrait,
    ids: &[i64],
) -> Result<Vec<supply::Model>, DbErr> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    supply::Entity::find()
        .filter(supply::Column::Id.is_in(ids.iter().copied()))
        .all(db)
        .await
}

fn apply(model: &mut supply::ActiveModel, input: &SupplyInput) {
    model.date = Set(input.date);
    model.part_number = Set(input.part_number.trim().to_owned());
    model.supplier = Set(input.supplier.trim().to_owned());
    model.description = Set(input.description.trim().to_owned());
    model.quantity = Set(input.quantity.scaled());
    model.cost = Set(input.cost.scaled());
    model.notes = Set(input.notes.clone());
    model.updated_at = Set(Utc::now());
}

pub async fn insert(
    db: &impl ConnectionTrait,
    vehicle_id: Option<i64>,
    input: &SupplyInput,
) -> Result<supply::Model, DbErr> {
    let mut model = supply::ActiveModel {
        vehicle_id: Set(vehicle_id),
        created_at: Set(Utc::now()),
        ..Default::default()
    };
    apply(&mut model, input);
    model.insert(db).await
}

pub async fn update(
    db: &impl ConnectionTrait,
    existing: supply::Model,
    input: &SupplyInput,
) -> Result<supply::Model, DbErr> {
    let mut model: supply::ActiveModel = existing.into();
    apply(&mut model, input);
    model.update(db).await
}

/// Sets the stock only if it is still what was read (`from`), so two concurrent requisitions
/// cannot both spend the same units. `false` when someone else changed it first.
pub async fn set_stock(
    db: &impl ConnectionTrait,
    supply_id: i64,
    from: (i64, i64),
    to: (i64, i64),
) -> Result<bool, DbErr> {
    let result = supply::Entity::update_many()
        .col_expr(supply::Column::Quantity, Expr::value(to.0))
        .col_expr(supply::Column::Cost, Expr::value(to.1))
        .col_expr(supply::Column::UpdatedAt, Expr::value(Utc::now()))
        .filter(supply::Column::Id.eq(supply_id))
        .filter(supply::Column::Quantity.eq(from.0))
        .filter(supply::Column::Cost.eq(from.1))
        .exec(db)
        .await?;
    Ok(result.rows_affected == 1)
}

/// Its usage rows go with it (foreign key cascade).
pub async fn delete(db: &impl ConnectionTrait, supply_id: i64) -> Result<(), DbErr> {
    supply::Entity::delete_by_id(supply_id).exec(db).await?;
    Ok(())
}

// ------------------------------------------------------------------------- usage history

pub struct NewUsage<'a> {
    pub supply_id: i64,
    pub vehicle_id: Option<i64>,
    pub record_type: &'a str,
    pub record_id: Option<i64>,
    pub date: NaiveDate,
    pub description: &'a str,
    pub part_number: &'a str,
    /// Negative for a restoration.
    pub quantity: i64,
    pub cost: i64,
}

pub async fn insert_usage(
    db: &impl ConnectionTrait,
    usage: NewUsage<'_>,
) -> Result<supply_usage::Model, DbErr> {
    supply_usage::ActiveModel {
        supply_id: Set(usage.supply_id),
        vehicle_id: Set(usage.vehicle_id),
        record_type: Set(usage.record_type.to_owned()),
        record_id: Set(usage.record_id),
        date: Set(usage.date),
        description: Set(usage.description.to_owned()),
        part_number: Set(usage.part_number.to_owned()),
        quantity: Set(usage.quantity),
        cost: Set(usage.cost),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(db)
    .await
}

/// The history of these supplies, oldest first.
pub async fn usages_of_supplies(
    db: &impl ConnectionTrait,
    supply_ids: &[i64],
) -> Result<Vec<supply_usage::Model>, DbErr> {
    if supply_ids.is_empty() {
        return Ok(Vec::new());
    }
    supply_usage::Entity::find()
        .filter(supply_usage::Column::SupplyId.is_in(supply_ids.iter().copied()))
        .order_by_asc(supply_usage::Column::Id)
        .all(db)
        .await
}

/// What these records took, oldest first.
pub async fn usages_of_records(
    db: &impl ConnectionTrait,
    record_type: &str,
    record_ids: &[i64],
) -> Result<Vec<supply_usage::Model>, DbErr> {
    if record_ids.is_empty() {
        return Ok(Vec::new());
    }
    supply_usage::Entity::find()
        .filter(supply_usage::Column::RecordType.eq(record_type))
        .filter(supply_usage::Column::RecordId.is_in(record_ids.iter().copied()))
        .order_by_asc(supply_usage::Column::Id)
        .all(db)
        .await
}

/// The record is gone: its rows stay in the supplies' history without a record.
pub async fn detach_usages(
    db: &impl ConnectionTrait,
    record_type: &str,
    record_id: i64,
) -> Result<(), DbErr> {
    supply_usage::Entity::update_many()
        .col_expr(
            supply_usage::Column::RecordId,
            Expr::value(Option::<i64>::None),
        )
        .filter(supply_usage::Column::RecordType.eq(record_type))
        .filter(supply_usage::Column::RecordId.eq(record_id))
        .exec(db)
        .await?;
    Ok(())
}

/// The history moves to another record (a plan done, a record moved to another kind).
pub async fn move_usages(
    db: &impl ConnectionTrait,
    from: (&str, i64),
    to: (&str, i64),
) -> Result<(), DbErr> {
    supply_usage::Entity::update_many()
        .col_expr(supply_usage::Column::RecordType, Expr::value(to.0))
        .col_expr(supply_usage::Column::RecordId, Expr::value(to.1))
        .filter(supply_usage::Column::RecordType.eq(from.0))
        .filter(supply_usage::Column::RecordId.eq(from.1))
        .exec(db)
        .await?;
    Ok(())
}

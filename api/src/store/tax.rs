//! Tax records of one vehicle. Callers have already checked access to the vehicle.

use chrono::{NaiveDate, Utc};
use motovault_shared::dto::tax::TaxRecordInput;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait,
    QueryFilter, QueryOrder,
};

use super::entity::tax_record;

/// `record_type` of tax records in polymorphic tables (docs/schema.md).
pub const RECORD_TYPE: &str = "tax";

/// Newest first.
pub async fn list(
    db: &impl ConnectionTrait,
    vehicle_id: i64,
) -> Result<Vec<tax_record::Model>, DbErr> {
    tax_record::Entity::find()
        .filter(tax_record::Column::VehicleId.eq(vehicle_id))
        .order_by_desc(tax_record::Column::Date)
        .order_by_desc(tax_record::Column::Id)
        .all(db)
        .await
}

/// The records that still recur (candidates for the back-fill).
pub async fn recurring(
    db: &impl ConnectionTrait,
    vehicle_id: i64,
) -> Result<Vec<tax_record::Model>, DbErr> {
    tax_record::Entity::find()
        .filter(tax_record::Column::VehicleId.eq(vehicle_id))
        .filter(tax_record::Column::IsRecurring.eq(true))
        .order_by_asc(tax_record::Column::Id)
        .all(db)
        .await
}

pub async fn find(
    db: &impl ConnectionTrait,
    vehicle_id: i64,
    record_id: i64,
) -> Result<Option<tax_record::Model>, DbErr> {
    tax_record::Entity::find_by_id(record_id)
        .filter(tax_record::Column::VehicleId.eq(vehicle_id))
        .one(db)
        .await
}

fn apply(model: &mut tax_record::ActiveModel, input: &TaxRecordInput) {
    model.date = Set(input.date);
    model.description = Set(input.description.trim().to_owned());
    model.cost = Set(input.cost.scaled());
    model.notes = Set(input.notes.clone());
    model.is_recurring = Set(input.is_recurring);
    model.recurring_interval = Set(input.recurring_interval);
    model.custom_interval = Set(input.custom_interval);
    model.custom_interval_unit = Set(input.custom_interval_unit.as_str().to_owned());
    model.updated_at = Set(Utc::now());
}

pub async fn insert(
    db: &impl ConnectionTrait,
    vehicle_id: i64,
    input: &TaxRecordInput,
) -> Result<tax_record::Model, DbErr> {
    let mut model = tax_record::ActiveModel {
        vehicle_id: Set(vehicle_id),
        created_at: Set(Utc::now()),
        ..Default::default()
    };
    apply(&mut model, input);
    model.insert(db).await
}

pub async fn update(
    db: &impl ConnectionTrait,
    existing: tax_record::Model,
    input: &TaxRecordInput,
) -> Result<tax_record::Model, DbErr> {
    let mut model: tax_record::ActiveModel = existing.into();
    apply(&mut model, input);
    model.update(db).await
}

pub async fn delete(db: &impl ConnectionTrait, record_id: i64) -> Result<(), DbErr> {
    tax_record::Entity::delete_by_id(record_id).exec(db).await?;
    Ok(())
}

/// Marks `seen` non-recurring only if it is still exactly as it was read (recurring, same date
/// and interval). `false` means another request already back-filled or edited it, so the
/// caller must not add copies: two concurrent lists never back-fill twice.
pub async fn end_recurrence(
    db: &impl ConnectionTrait,
    seen: &tax_record::Model,
) -> Result<bool, DbErr> {
    let result = tax_record::Entity::update_many()
        .set(tax_record::ActiveModel {
            is_recurring: Set(false),
            updated_at: Set(Utc::now()),
            ..Default::default()
        })
        .filter(tax_record::Column::Id.eq(seen.id))
        .filter(tax_record::Column::IsRecurring.eq(true))
        .filter(tax_record::Column::Date.eq(seen.date))
        .filter(tax_record::Column::RecurringInterval.eq(seen.recurring_interval))
        .filter(tax_record::Column::CustomInterval.eq(seen.custom_interval))
        .filter(tax_record::Column::CustomIntervalUnit.eq(seen.custom_interval_unit.clone()))
        .exec(db)
        .await?;
    Ok(result.rows_affected == 1)
}

/// A copy of `original` on `date` (reference §3.5: same cost, description, notes, interval).
pub async fn insert_copy(
    db: &impl ConnectionTrait,
    original: &tax_record::Model,
    date: NaiveDate,
    is_recurring: bool,
) -> Result<tax_record::Model, DbErr> {
    let now = Utc::now();
    tax_record::ActiveModel {
        vehicle_id: Set(original.vehicle_id),
        date: Set(date),
        description: Set(original.description.clone()),
        cost: Set(original.cost),
        notes: Set(original.notes.clone()),
        is_recurring: Set(is_recurring),
        recurring_interval: Set(original.recurring_interval),
        custom_interval: Set(original.custom_interval),
        custom_interval_unit: Set(original.custom_interval_unit.clone()),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await
}

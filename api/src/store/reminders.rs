//! Reminders of one vehicle. Callers have already checked access to the vehicle.

use chrono::{NaiveDate, Utc};
use motovault_shared::dto::reminders::ReminderInput;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, DbErr,
    EntityTrait, QueryFilter, QueryOrder,
};

use super::entity::reminder;

/// `record_type` of reminders in polymorphic tables (docs/schema.md).
pub const RECORD_TYPE: &str = "reminder";

/// In creation order; the domain sorts by urgency.
pub async fn list(
    db: &impl ConnectionTrait,
    vehicle_id: i64,
) -> Result<Vec<reminder::Model>, DbErr> {
    reminder::Entity::find()
        .filter(reminder::Column::VehicleId.eq(vehicle_id))
        .order_by_asc(reminder::Column::Id)
        .all(db)
        .await
}

pub async fn find(
    db: &impl ConnectionTrait,
    vehicle_id: i64,
    record_id: i64,
) -> Result<Option<reminder::Model>, DbErr> {
    reminder::Entity::find_by_id(record_id)
        .filter(reminder::Column::VehicleId.eq(vehicle_id))
        .one(db)
        .await
}

fn apply(model: &mut reminder::ActiveModel, input: &ReminderInput) {
    model.description = Set(input.description.trim().to_owned());
    model.notes = Set(input.notes.clone());
    model.metric = Set(input.metric.as_str().to_owned());
    model.due_date = Set(input.due_date);
    model.due_odometer = Set(input.due_odometer);
    model.is_recurring = Set(input.is_recurring);
    model.fixed_intervals = Set(input.fixed_intervals);
    model.month_interval = Set(input.month_interval);
    model.mileage_interval = Set(input.mileage_interval);
    model.custom_month_interval = Set(input.custom_month_interval);
    model.custom_interval_unit = Set(input.custom_interval_unit.as_str().to_owned());
    model.custom_mileage_interval = Set(input.custom_mileage_interval);
    model.use_custom_thresholds = Set(input.use_custom_thresholds);
    model.urgent_days = Set(input.urgent_days);
    model.very_urgent_days = Set(input.very_urgent_days);
    model.urgent_distance = Set(input.urgent_distance);
    model.very_urgent_distance = Set(input.very_urgent_distance);
    model.updated_at = Set(Utc::now());
}

pub async fn insert(
    db: &impl ConnectionTrait,
    vehicle_id: i64,
    input: &ReminderInput,
) -> Result<reminder::Model, DbErr> {
    let mut model = reminder::ActiveModel {
        vehicle_id: Set(vehicle_id),
        last_notified_urgency: Set(None),
        created_at: Set(Utc::now()),
        ..Default::default()
    };
    apply(&mut model, input);
    model.insert(db).await
}

pub async fn update(
    db: &impl ConnectionTrait,
    existing: reminder::Model,
    input: &ReminderInput,
) -> Result<reminder::Model, DbErr> {
    let mut model: reminder::ActiveModel = existing.into();
    apply(&mut model, input);
    model.update(db).await
}

/// New due values after a push-back; the notification state starts over.
pub async fn set_due(
    db: &impl ConnectionTrait,
    existing: reminder::Model,
    due_date: Option<NaiveDate>,
    due_odometer: Option<i64>,
) -> Result<reminder::Model, DbErr> {
    let mut model: reminder::ActiveModel = existing.into();
    model.due_date = Set(due_date);
    model.due_odometer = Set(due_odometer);
    model.last_notified_urgency = Set(None);
    model.updated_at = Set(Utc::now());
    model.update(db).await
}

/// Like [`set_due`], but only if the reminder still has the due values it was read with;
/// `None` when another request changed them first (so a refresh never pushes twice).
pub async fn set_due_if_unchanged(
    db: &impl ConnectionTrait,
    seen: &reminder::Model,
    due_date: Option<NaiveDate>,
    due_odometer: Option<i64>,
) -> Result<Option<reminder::Model>, DbErr> {
    let mut guard = Condition::all().add(reminder::Column::Id.eq(seen.id));
    guard = match seen.due_date {
        Some(d) => guard.add(reminder::Column::DueDate.eq(d)),
        None => guard.add(reminder::Column::DueDate.is_null()),
    };
    guard = match seen.due_odometer {
        Some(o) => guard.add(reminder::Column::DueOdometer.eq(o)),
        None => guard.add(reminder::Column::DueOdometer.is_null()),
    };
    let result = reminder::Entity::update_many()
        .set(reminder::ActiveModel {
            due_date: Set(due_date),
            due_odometer: Set(due_odometer),
            last_notified_urgency: Set(None),
            updated_at: Set(Utc::now()),
            ..Default::default()
        })
        .filter(guard)
        .exec(db)
        .await?;
    if result.rows_affected != 1 {
        return Ok(None);
    }
    find(db, seen.vehicle_id, seen.id).await
}

pub async fn delete(db: &impl ConnectionTrait, record_id: i64) -> Result<(), DbErr> {
    reminder::Entity::delete_by_id(record_id).exec(db).await?;
    Ok(())
}

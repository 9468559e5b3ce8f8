//! Plans (`plan_records`), their linked reminders (`plan_reminders`) and plan templates
//! (`plan_templates`). Callers have already checked access to the vehicle.

use std::collections::HashMap;

use chrono::Utc;
use motovault_shared::dto::maintenance::MaintenanceKind;
use motovault_shared::dto::plans::{PlanPriority, PlanProgress};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait,
    QueryFilter, QueryOrder,
};

use super::entity::{plan_record, plan_reminder, plan_template};

/// `record_type` of plans in polymorphic tables (docs/schema.md).
pub const RECORD_TYPE: &str = "plan";

/// The plan's own fields, as stored.
pub struct PlanRow<'a> {
    pub description: &'a str,
    pub notes: &'a str,
    pub record_kind: MaintenanceKind,
    pub priority: PlanPriority,
    pub progress: PlanProgress,
    /// Ten-thousandths.
    pub cost: i64,
}

pub async fn list(
    db: &impl ConnectionTrait,
    vehicle_id: i64,
) -> Result<Vec<plan_record::Model>, DbErr> {
    plan_record::Entity::find()
        .filter(plan_record::Column::VehicleId.eq(vehicle_id))
        .order_by_desc(plan_record::Column::Id)
        .all(db)
        .await
}

pub async fn find(
    db: &impl ConnectionTrait,
    vehicle_id: i64,
    plan_id: i64,
) -> Result<Option<plan_record::Model>, DbErr> {
    plan_record::Entity::find_by_id(plan_id)
        .filter(plan_record::Column::VehicleId.eq(vehicle_id))
        .one(db)
        .await
}

fn apply(model: &mut plan_record::ActiveModel, row: &PlanRow<'_>) {
    model.description = Set(row.description.trim().to_owned());
    model.notes = Set(row.notes.to_owned());
    model.record_kind = Set(row.record_kind.as_str().to_owned());
    model.priority = Set(row.priority.as_str().to_owned());
    model.progress = Set(row.progress.as_str().to_owned());
    model.cost = Set(row.cost);
    model.updated_at = Set(Utc::now());
}

/// Inserts a plan (the inspections feature adds Backlog plans for failed fields with it).
pub async fn insert(
    db: &impl ConnectionTrait,
    vehicle_id: i64,
    row: &PlanRow<'_>,
) -> Result<plan_record::Model, DbErr> {
    let mut model = plan_record::ActiveModel {
        vehicle_id: Set(vehicle_id),
        converted_record_id: Set(None),
        created_at: Set(Utc::now()),
        ..Default::default()
    };
    apply(&mut model, row);
    model.insert(db).await
}

pub async fn update(
    db: &impl ConnectionTrait,
    existing: plan_record::Model,
    row: &PlanRow<'_>,
) -> Result<plan_record::Model, DbErr> {
    let mut model: plan_record::ActiveModel = existing.into();
    apply(&mut model, row);
    model.update(db).await
}

/// Moves the plan to another column; `converted_record_id` is set when it becomes done.
pub async fn set_progress(
    db: &impl ConnectionTrait,
    existing: plan_record::Model,
    progress: PlanProgress,
    converted_record_id: Option<i64>,
) -> Result<plan_record::Model, DbErr> {
    let mut model: plan_record::ActiveModel = existing.into();
    model.progress = Set(progress.as_str().to_owned());
    if converted_record_id.is_some() {
        model.converted_record_id = Set(converted_record_id);
    }
    model.updated_at = Set(Utc::now());
    model.update(db).await
}

/// Its reminder links go with it (foreign key cascade).
pub async fn delete(db: &impl ConnectionTrait, plan_id: i64) -> Result<(), DbErr> {
    plan_record::Entity::delete_by_id(plan_id).exec(db).await?;
    Ok(())
}

// ------------------------------------------------------------------------- reminder links

pub async fn set_reminders(
    db: &impl ConnectionTrait,
    plan_id: i64,
    reminder_ids: &[i64],
) -> Result<(), DbErr> {
    plan_reminder::Entity::delete_many()
        .filter(plan_reminder::Column::PlanId.eq(plan_id))
        .exec(db)
        .await?;
    if reminder_ids.is_empty() {
        return Ok(());
    }
    let rows = reminder_ids.iter().map(|id| plan_reminder::ActiveModel {
        plan_id: Set(plan_id),
        reminder_id: Set(*id),
        ..Default::default()
    });
    plan_reminder::Entity::insert_many(rows).exec(db).await?;
    Ok(())
}

/// Linked reminder ids of many plans, in link order.
pub async fn reminders_of(
    db: &impl ConnectionTrait,
    plan_ids: &[i64],
) -> Result<HashMap<i64, Vec<i64>>, DbErr> {
    let mut out: HashMap<i64, Vec<i64>> = HashMap::new();
    if plan_ids.is_empty() {
        return Ok(out);
    }
    let rows = plan_reminder::Entity::find()
        .filter(plan_reminder::Column::PlanId.is_in(plan_ids.iter().copied()))
        .order_by_asc(plan_reminder::Column::Id)
        .all(db)
        .await?;
    for row in rows {
        out.entry(row.plan_id).or_default().push(row.reminder_id);
    }
    Ok(out)
}

// ------------------------------------------------------------------------- templates

pub struct TemplateRow<'a> {
    pub description: &'a str,
    pub notes: &'a str,
    pub record_kind: MaintenanceKind,
    pub priority: PlanPriority,
    pub cost: i64,
    /// JSON of the supplies and reminder ids.
    pub body: String,
}

pub async fn list_templates(
    db: &impl ConnectionTrait,
    vehicle_id: i64,
) -> Result<Vec<plan_template::Model>, DbErr> {
    plan_template::Entity::find()
        .filter(plan_template::Column::VehicleId.eq(vehicle_id))
        .order_by_asc(plan_template::Column::Description)
        .order_by_asc(plan_template::Column::Id)
        .all(db)
        .await
}

pub async fn find_template(
    db: &impl ConnectionTrait,
    vehicle_id: i64,
    template_id: i64,
) -> Result<Option<plan_template::Model>, DbErr> {
    plan_template::Entity::find_by_id(template_id)
        .filter(plan_template::Column::VehicleId.eq(vehicle_id))
        .one(db)
        .await
}

fn apply_template(model: &mut plan_template::ActiveModel, row: TemplateRow<'_>) {
    model.description = Set(row.description.trim().to_owned());
    model.notes = Set(row.notes.to_owned());
    model.record_kind = Set(row.record_kind.as_str().to_owned());
    model.priority = Set(row.priority.as_str().to_owned());
    model.cost = Set(row.cost);
    model.body = Set(row.body);
    model.updated_at = Set(Utc::now());
}

pub async fn insert_template(
    db: &impl ConnectionTrait,
    vehicle_id: i64,
    row: TemplateRow<'_>,
) -> Result<plan_template::Model, DbErr> {
    let mut model = plan_template::ActiveModel {
        vehicle_id: Set(vehicle_id),
        created_at: Set(Utc::now()),
        ..Default::default()
    };
    apply_template(&mut model, row);
    model.insert(db).await
}

pub async fn update_template(
    db: &impl ConnectionTrait,
    existing: plan_template::Model,
    row: TemplateRow<'_>,
) -> Result<plan_template::Model, DbErr> {
    let mut model: plan_template::ActiveModel = existing.into();
    apply_template(&mut model, row);
    model.update(db).await
}

pub async fn delete_template(db: &impl ConnectionTrait, template_id: i64) -> Result<(), DbErr> {
    plan_template::Entity::delete_by_id(template_id)
        .exec(db)
        .await?;
    Ok(())
}

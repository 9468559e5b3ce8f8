//! Inspection templates and inspections of one vehicle, and the Backlog plans an inspection
//! adds. Callers have already checked access to the vehicle. Fields and results are JSON
//! documents (`inspection_templates.fields`, `inspections.results`) written by the domain.

use chrono::{NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait,
    QueryFilter, QueryOrder,
};

use super::entity::{inspection, inspection_template, plan_record};

/// The `record_type` of inspections' tags and attachments (docs/schema.md). Templates have
/// neither.
pub const RECORD_TYPE: &str = "inspection";

/// `plan_records.progress` of a plan that has not been started.
const BACKLOG: &str = "backlog";

/// The stored fields of a template, as the domain resolved them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateRow {
    pub description: String,
    /// Ten-thousandths.
    pub cost: i64,
    /// JSON array of `InspectionTemplateField`.
    pub fields: String,
}

/// The stored fields of an inspection, as the domain resolved them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InspectionRow {
    pub template_id: i64,
    pub date: NaiveDate,
    pub odometer: i64,
    pub description: String,
    pub cost: i64,
    /// JSON array of `InspectionResult`.
    pub results: String,
    pub failed: bool,
}

/// A Backlog plan for a failed field's action item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActionPlan<'a> {
    pub description: &'a str,
    /// `service`, `repair` or `upgrade`.
    pub record_kind: &'a str,
    /// `critical`, `normal` or `low`.
    pub priority: &'a str,
}

// ---------------------------------------------------------------- templates

/// By description, then age.
pub async fn list_templates(
    db: &impl ConnectionTrait,
    vehicle_id: i64,
) -> Result<Vec<inspection_template::Model>, DbErr> {
    inspection_template::Entity::find()
        .filter(inspection_template::Column::VehicleId.eq(vehicle_id))
        .order_by_asc(inspection_template::Column::Description)
        .order_by_asc(inspection_template::Column::Id)
        .all(db)
        .await
}

pub async fn find_template(
    db: &impl ConnectionTrait,
    vehicle_id: i64,
    template_id: i64,
) -> Result<Option<inspection_template::Model>, DbErr> {
    inspection_template::Entity::find_by_id(template_id)
        .filter(inspection_template::Column::VehicleId.eq(vehicle_id))
        .one(db)
        .await
}

fn apply_template(model: &mut inspection_template::ActiveModel, row: &TemplateRow) {
    model.description = Set(row.description.clone());
    model.cost = Set(row.cost);
    model.fields = Set(row.fields.clone());
    model.updated_at = Set(Utc::now());
}

pub async fn insert_template(
    db: &impl ConnectionTrait,
    vehicle_id: i64,
    row: &TemplateRow,
) -> Result<inspection_template::Model, DbErr> {
    let mut model = inspection_template::ActiveModel {
        vehicle_id: Set(vehicle_id),
        created_at: Set(Utc::now()),
        ..Default::default()
    };
    apply_template(&mut model, row);
    model.insert(db).await
}

pub async fn update_template(
    db: &impl ConnectionTrait,
    existing: inspection_template::Model,
    row: &TemplateRow,
) -> Result<inspection_template::Model, DbErr> {
    let mut model: inspection_template::ActiveModel = existing.into();
    apply_template(&mut model, row);
    model.update(db).await
}

/// Inspections made from it keep their copy of the fields; their `template_id` becomes NULL
/// (foreign key SET NULL).
pub async fn delete_template(db: &impl ConnectionTrait, template_id: i64) -> Result<(), DbErr> {
    inspection_template::Entity::delete_by_id(template_id)
        .exec(db)
        .await?;
    Ok(())
}

// ---------------------------------------------------------------- inspections

/// Newest first.
pub async fn list(
    db: &impl ConnectionTrait,
    vehicle_id: i64,
) -> Result<Vec<inspection::Model>, DbErr> {
    inspection::Entity::find()
        .filter(inspection::Column::VehicleId.eq(vehicle_id))
        .order_by_desc(inspection::Column::Date)
        .order_by_desc(inspection::Column::Odometer)
        .order_by_desc(inspection::Column::Id)
        .all(db)
        .await
}

pub async fn find(
    db: &impl ConnectionTrait,
    vehicle_id: i64,
    inspection_id: i64,
) -> Result<Option<inspection::Model>, DbErr> {
    inspection::Entity::find_by_id(inspection_id)
        .filter(inspection::Column::VehicleId.eq(vehicle_id))
        .one(db)
        .await
}

pub async fn insert(
    db: &impl ConnectionTrait,
    vehicle_id: i64,
    row: &InspectionRow,
) -> Result<inspection::Model, DbErr> {
    let now = Utc::now();
    inspection::ActiveModel {
        vehicle_id: Set(vehicle_id),
        template_id: Set(Some(row.template_id)),
        date: Set(row.date),
        odometer: Set(row.odometer),
        description: Set(row.description.clone()),
        cost: Set(row.cost),
        results: Set(row.results.clone()),
        failed: Set(row.failed),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await
}

/// Marks an inspection as changed (its tags were replaced; nothing else may change).
pub async fn touch(
    db: &impl ConnectionTrait,
    existing: inspection::Model,
) -> Result<inspection::Model, DbErr> {
    let mut model: inspection::ActiveModel = existing.into();
    model.updated_at = Set(Utc::now());
    model.update(db).await
}

pub async fn delete(db: &impl ConnectionTrait, inspection_id: i64) -> Result<(), DbErr> {
    inspection::Entity::delete_by_id(inspection_id)
        .exec(db)
        .await?;
    Ok(())
}

/// Adds a Backlog plan with no cost for a failed field's action item.
pub async fn insert_backlog_plan(
    db: &impl ConnectionTrait,
    vehicle_id: i64,
    plan: &ActionPlan<'_>,
) -> Result<plan_record::Model, DbErr> {
    let now = Utc::now();
    plan_record::ActiveModel {
        vehicle_id: Set(vehicle_id),
        description: Set(plan.description.to_owned()),
        notes: Set(String::new()),
        record_kind: Set(plan.record_kind.to_owned()),
        priority: Set(plan.priority.to_owned()),
        progress: Set(BACKLOG.to_owned()),
        cost: Set(0),
        converted_record_id: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await
}

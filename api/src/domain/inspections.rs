//! Inspection templates and inspections (reference §1 "Inspections + templates"). An inspection
//! is made from a template in one transaction together with its side effects: a Service record,
//! the odometer auto-insert (§3.3) and a Backlog plan per failed field with an action item.
//! Inspections are immutable afterwards except their tags (and attachments).

use motovault_shared::Amount;
use motovault_shared::dto::inspections::{
    self as dto, Inspection, InspectionInput, InspectionList, InspectionResult,
    InspectionTagsInput, InspectionTemplate, InspectionTemplateField, InspectionTemplateInput,
    InspectionTemplateList,
};
use motovault_shared::dto::maintenance::{MaintenanceKind, MaintenanceRecordInput};
use motovault_shared::odometer::AutoInsertSource;
use sea_orm::{ConnectionTrait, DatabaseConnection};

use super::odometer;
use super::vehicles::visible;
use crate::auth::Caller;
use crate::error::{AppError, AppResult};
use crate::infra::objects::ObjectStore;
use crate::store::entity::{inspection, inspection_template};
use crate::store::inspections::{
    self as store, ActionPlan, InspectionRow, RECORD_TYPE, TemplateRow,
};
use crate::store::{maintenance, tags};

/// Label of the odometer auto-insert ("Auto Insert From Inspection Record: …").
const LABEL: &str = "Inspection";

// ---------------------------------------------------------------- templates

pub async fn list_templates(
    db: &DatabaseConnection,
    caller: &Caller,
    vehicle_id: i64,
) -> AppResult<InspectionTemplateList> {
    let vehicle = visible(db, caller, vehicle_id).await?;
    let records = store::list_templates(db, vehicle.id)
        .await?
        .into_iter()
        .map(template_dto)
        .collect::<AppResult<Vec<_>>>()?;
    Ok(InspectionTemplateList { records })
}

pub async fn get_template(
    db: &DatabaseConnection,
    caller: &Caller,
    vehicle_id: i64,
    template_id: i64,
) -> AppResult<InspectionTemplate> {
    let vehicle = visible(db, caller, vehicle_id).await?;
    let row = store::find_template(db, vehicle.id, template_id)
        .await?
        .ok_or(AppError::NotFound)?;
    template_dto(row)
}

pub async fn create_template(
    db: &DatabaseConnection,
    caller: &Caller,
    vehicle_id: i64,
    input: InspectionTemplateInput,
) -> AppResult<InspectionTemplate> {
    let vehicle = visible(db, caller, vehicle_id).await?;
    AppError::check(dto::validate_template(&input))?;
    let saved = store::insert_template(db, vehicle.id, &template_row(&input)?).await?;
    template_dto(saved)
}

/// Replaces a template. Inspections already made keep their own copy of the fields.
pub async fn update_template(
    db: &DatabaseConnection,
    caller: &Caller,
    vehicle_id: i64,
    template_id: i64,
    input: InspectionTemplateInput,
) -> AppResult<InspectionTemplate> {
    let vehicle = visible(db, caller, vehicle_id).await?;
    let existing = store::find_template(db, vehicle.id, template_id)
        .await?
        .ok_or(AppError::NotFound)?;
    AppError::check(dto::validate_template(&input))?;
    let saved = store::update_template(db, existing, &template_row(&input)?).await?;
    template_dto(saved)
}

pub async fn delete_template(
    db: &DatabaseConnection,
    caller: &Caller,
    vehicle_id: i64,
    template_id: i64,
) -> AppResult<()> {
    let vehicle = visible(db, caller, vehicle_id).await?;
    let existing = store::find_template(db, vehicle.id, template_id)
        .await?
        .ok_or(AppError::NotFound)?;
    store::delete_template(db, existing.id).await?;
    Ok(())
}

fn template_row(input: &InspectionTemplateInput) -> AppResult<TemplateRow> {
    Ok(TemplateRow {
        description: input.description.trim().to_owned(),
        cost: input.cost.scaled(),
        fields: serde_json::to_string(&input.fields).map_err(AppError::internal)?,
    })
}

fn parse_fields(row: &inspection_template::Model) -> AppResult<Vec<InspectionTemplateField>> {
    serde_json::from_str(&row.fields).map_err(AppError::internal)
}

fn template_dto(row: inspection_template::Model) -> AppResult<InspectionTemplate> {
    let fields = parse_fields(&row)?;
    Ok(InspectionTemplate {
        id: row.id,
        vehicle_id: row.vehicle_id,
        description: row.description,
        cost: Amount::from_scaled(row.cost),
        fields,
        created_at: row.created_at,
        updated_at: row.updated_at,
    })
}

// ---------------------------------------------------------------- inspections

pub async fn list(
    db: &DatabaseConnection,
    caller: &Caller,
    vehicle_id: i64,
) -> AppResult<InspectionList> {
    let vehicle = visible(db, caller, vehicle_id).await?;
    let rows = store::list(db, vehicle.id).await?;
    let total_cost = rows.iter().map(|r| Amount::from_scaled(r.cost)).sum();
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let mut all_tags = tags::for_records(db, RECORD_TYPE, &ids).await?;
    let records = rows
        .into_iter()
        .map(|r| {
            let t = all_tags.remove(&r.id).unwrap_or_default();
            to_dto(r, t)
        })
        .collect::<AppResult<Vec<_>>>()?;
    Ok(InspectionList {
        records,
        total_cost,
    })
}

pub async fn get(
    db: &DatabaseConnection,
    caller: &Caller,
    vehicle_id: i64,
    inspection_id: i64,
) -> AppResult<Inspection> {
    let vehicle = visible(db, caller, vehicle_id).await?;
    let row = store::find(db, vehicle.id, inspection_id)
        .await?
        .ok_or(AppError::NotFound)?;
    one(db, row).await
}

/// Fills in a template. Everything is checked before anything is written: the input (422),
/// the template (404 when it is not one of this vehicle's), the answers against the template
/// (422). Then one transaction writes the inspection, its tags, a Service record, the odometer
/// auto-insert (when the caller's setting is on and the odometer is not 0) and the Backlog plans.
pub async fn create(
    db: &DatabaseConnection,
    caller: &Caller,
    vehicle_id: i64,
    input: InspectionInput,
) -> AppResult<Inspection> {
    let vehicle = visible(db, caller, vehicle_id).await?;
    AppError::check(dto::validate(&input))?;
    let template = store::find_template(db, vehicle.id, input.template_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let fields = parse_fields(&template)?;
    let results = dto::evaluate(&fields, &input.results).map_err(AppError::Validation)?;
    let failed = dto::any_failed(&results);
    let description = input
        .description
        .as_deref()
        .map(str::trim)
        .filter(|d| !d.is_empty())
        .unwrap_or(&template.description)
        .to_owned();
    let cost = input.cost.unwrap_or(Amount::from_scaled(template.cost));
    let row = InspectionRow {
        template_id: template.id,
        date: input.date,
        odometer: input.odometer,
        description,
        cost: cost.scaled(),
        results: serde_json::to_string(&results).map_err(AppError::internal)?,
        failed,
    };
    let service = MaintenanceRecordInput {
        date: input.date,
        odometer: input.odometer,
        description: format!("Inspection: {}", template.description),
        cost,
        notes: String::new(),
        tags: Vec::new(),
        supplies: Vec::new(),
        reminder_ids: Vec::new(),
    };

    let txn = crate::store::begin_write(db).await?;
    let saved = store::insert(&txn, vehicle.id, &row).await?;
    tags::replace(&txn, vehicle.id, RECORD_TYPE, saved.id, &input.tags).await?;
    maintenance::insert(&txn, vehicle.id, MaintenanceKind::Service, &service).await?;
    let source = AutoInsertSource {
        label: LABEL,
        date: saved.date,
        odometer: saved.odometer,
        text: &saved.description,
    };
    odometer::auto_insert(&txn, caller, vehicle.id, &source).await?;
    for field in dto::failed_action_items(&fields, &results) {
        let plan = ActionPlan {
            description: field.action_item_description.trim(),
            record_kind: field.action_item_type.as_str(),
            priority: field.action_item_priority.as_str(),
        };
        store::insert_backlog_plan(&txn, vehicle.id, &plan).await?;
    }
    txn.commit().await?;
    Ok(build(saved, results, input.tags))
}

/// The only change an inspection accepts: its tags.
pub async fn update_tags(
    db: &DatabaseConnection,
    caller: &Caller,
    vehicle_id: i64,
    inspection_id: i64,
    input: InspectionTagsInput,
) -> AppResult<Inspection> {
    let vehicle = visible(db, caller, vehicle_id).await?;
    let existing = store::find(db, vehicle.id, inspection_id)
        .await?
        .ok_or(AppError::NotFound)?;
    AppError::check(dto::validate_tags(&input))?;
    let txn = crate::store::begin_write(db).await?;
    tags::replace(&txn, vehicle.id, RECORD_TYPE, existing.id, &input.tags).await?;
    let saved = store::touch(&txn, existing).await?;
    txn.commit().await?;
    to_dto(saved, input.tags)
}

/// Deletes the inspection with its tags and attachments. The Service record and plans it
/// added are records of their own and stay.
pub async fn delete(
    db: &DatabaseConnection,
    objects: &dyn ObjectStore,
    caller: &Caller,
    vehicle_id: i64,
    inspection_id: i64,
) -> AppResult<()> {
    let vehicle = visible(db, caller, vehicle_id).await?;
    let existing = store::find(db, vehicle.id, inspection_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let txn = crate::store::begin_write(db).await?;
    let files = super::record_parts::detach(&txn, RECORD_TYPE, &[existing.id]).await?;
    store::delete(&txn, existing.id).await?;
    txn.commit().await?;
    files.purge(objects).await;
    Ok(())
}

async fn one(db: &impl ConnectionTrait, row: inspection::Model) -> AppResult<Inspection> {
    let mut t = tags::for_records(db, RECORD_TYPE, &[row.id]).await?;
    let own = t.remove(&row.id).unwrap_or_default();
    to_dto(row, own)
}

fn to_dto(row: inspection::Model, tags: Vec<String>) -> AppResult<Inspection> {
    let results: Vec<InspectionResult> =
        serde_json::from_str(&row.results).map_err(AppError::internal)?;
    Ok(build(row, results, tags))
}

fn build(row: inspection::Model, results: Vec<InspectionResult>, tags: Vec<String>) -> Inspection {
    Inspection {
        id: row.id,
        vehicle_id: row.vehicle_id,
        template_id: row.template_id,
        date: row.date,
        odometer: row.odometer,
        description: row.description,
        cost: Amount::from_scaled(row.cost),
        results,
        failed: row.failed,
        tags,
        created_at: row.created_at,
        updated_at: row.updated_at,
    }
}

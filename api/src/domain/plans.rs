//! The planner (reference §1 "Planner", §3.7): plans with linked reminders and requisitioned
//! supplies, progress through the Kanban columns, conversion of a done plan into a service,
//! repair or upgrade record, and plan templates.

use std::collections::HashMap;

use chrono::NaiveDate;
use motovault_shared::Amount;
use motovault_shared::dto::maintenance::{
    self as maintenance_dto, MaintenanceKind, MaintenanceRecordInput,
};
use motovault_shared::dto::plans::{
    self as dto, Plan, PlanInput, PlanList, PlanPriority, PlanProgress, PlanProgressInput,
    PlanTemplate, PlanTemplateInput, PlanTemplateList,
};
use motovault_shared::dto::supplies::{SupplyUsage, SupplyUsageEntry};
use motovault_shared::odometer::AutoInsertSource;
use motovault_shared::plans::{self as rule, ProgressStep};
use sea_orm::{ConnectionTrait, DatabaseConnection};
use serde::{Deserialize, Serialize};

use super::attachments::{Copies, copy_record_parts};
use super::odometer;
use super::supplies::{self as supply_domain, Consumer};
use super::vehicles::visible;
use crate::auth::Caller;
use crate::error::{AppError, AppResult};
use crate::infra::objects::{ObjectStore, Objects};
use crate::store::entity::{plan_record, plan_template};
use crate::store::plans::{self as store, PlanRow, RECORD_TYPE, TemplateRow};
use crate::store::{
    maintenance as maintenance_store, reminders as reminder_store, supplies as supply_store,
};

/// What a template keeps besides the plan's own columns (`plan_templates.body`).
#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct TemplateBody {
    #[serde(default)]
    supplies: Vec<SupplyUsage>,
    #[serde(default)]
    reminder_ids: Vec<i64>,
}

fn done_conflict() -> AppError {
    AppError::Conflict("a done plan can only be deleted".into())
}

fn priority_rank(p: PlanPriority) -> u8 {
    match p {
        PlanPriority::Critical => 0,
        PlanPriority::Normal => 1,
        PlanPriority::Low => 2,
    }
}

/// Every plan of the vehicle: critical first, then normal, then low; newest first within one.
pub async fn list(
    db: &DatabaseConnection,
    caller: &Caller,
    vehicle_id: i64,
) -> AppResult<PlanList> {
    let vehicle = visible(db, caller, vehicle_id).await?;
    let rows = store::list(db, vehicle.id).await?;
    let mut records = answer_many(db, rows).await?;
    records.sort_by_key(|p| (priority_rank(p.priority), std::cmp::Reverse(p.id)));
    Ok(PlanList { records })
}

pub async fn get(
    db: &DatabaseConnection,
    caller: &Caller,
    vehicle_id: i64,
    plan_id: i64,
) -> AppResult<Plan> {
    let vehicle = visible(db, caller, vehicle_id).await?;
    let row = store::find(db, vehicle.id, plan_id)
        .await?
        .ok_or(AppError::NotFound)?;
    one(db, row).await
}

/// Linked reminders must be the vehicle's own (422 otherwise); duplicates are dropped.
async fn check_reminders(
    db: &impl ConnectionTrait,
    vehicle_id: i64,
    ids: &[i64],
    must_recur: bool,
) -> AppResult<Vec<i64>> {
    let mut out: Vec<i64> = Vec::with_capacity(ids.len());
    for id in ids {
        if out.contains(id) {
            continue;
        }
        let found = reminder_store::find(db, vehicle_id, *id).await?;
        match found {
            None => {
                return Err(AppError::field(
                    "reminderIds",
                    format!("reminder {id} is not one of this vehicle's"),
                ));
            }
            Some(r) if must_recur && !r.is_recurring => {
                return Err(AppError::field(
                    "reminderIds",
                    format!("reminder {id} is not recurring"),
                ));
            }
            Some(_) => out.push(*id),
        }
    }
    Ok(out)
}

pub async fn create(
    db: &DatabaseConnection,
    caller: &Caller,
    vehicle_id: i64,
    input: PlanInput,
    today: NaiveDate,
    shop_supplies: bool,
) -> AppResult<Plan> {
    let vehicle = visible(db, caller, vehicle_id).await?;
    AppError::check(dto::validate(&input))?;
    let reminders = check_reminders(db, vehicle.id, &input.reminder_ids, false).await?;
    insert_plan(db, vehicle.id, &input, &reminders, today, shop_supplies).await
}

/// One transaction: the plan, its reminder links, and the supplies it takes (§3.6 "Supplies
/// are requisitioned when the plan is created"). A missing or short supply writes nothing.
async fn insert_plan(
    db: &DatabaseConnection,
    vehicle_id: i64,
    input: &PlanInput,
    reminders: &[i64],
    today: NaiveDate,
    shop_supplies: bool,
) -> AppResult<Plan> {
    let txn = crate::store::begin_write(db).await?;
    let saved = store::insert(&txn, vehicle_id, &row_of(input)).await?;
    store::set_reminders(&txn, saved.id, reminders).await?;
    let consumer = Consumer {
        vehicle_id,
        record_type: RECORD_TYPE,
        record_id: saved.id,
        date: today,
        description: &saved.description,
        shop_supplies,
    };
    let history = supply_domain::requisition(&txn, &consumer, &input.supplies).await?;
    txn.commit().await?;
    Ok(to_dto(saved, reminders.to_vec(), history))
}

fn row_of(input: &PlanInput) -> PlanRow<'_> {
    PlanRow {
        description: &input.description,
        notes: &input.notes,
        record_kind: input.record_kind,
        priority: input.priority,
        progress: input.progress,
        cost: input.cost.scaled(),
    }
}

/// Replaces an open plan's fields and reminder links. A done plan → 409; supplies can only be
/// requisitioned at creation (422).
pub async fn update(
    db: &DatabaseConnection,
    caller: &Caller,
    vehicle_id: i64,
    plan_id: i64,
    input: PlanInput,
) -> AppResult<Plan> {
    let vehicle = visible(db, caller, vehicle_id).await?;
    let existing = store::find(db, vehicle.id, plan_id)
        .await?
        .ok_or(AppError::NotFound)?;
    if !rule::editable(progress_of(&existing)) {
        return Err(done_conflict());
    }
    AppError::check(dto::validate(&input))?;
    if !input.supplies.is_empty() {
        return Err(AppError::field(
            "supplies",
            "supplies are requisitioned only when a plan is created",
        ));
    }
    let reminders = check_reminders(db, vehicle.id, &input.reminder_ids, false).await?;
    let txn = crate::store::begin_write(db).await?;
    let saved = store::update(&txn, existing, &row_of(&input)).await?;
    store::set_reminders(&txn, saved.id, &reminders).await?;
    txn.commit().await?;
    one(db, saved).await
}

/// Deletes a plan. An open plan gives its supplies back (§3.6 restore, dated `today`); a done
/// plan's history went to its record, which keeps it.
pub async fn delete(
    db: &DatabaseConnection,
    objects: &dyn ObjectStore,
    caller: &Caller,
    vehicle_id: i64,
    plan_id: i64,
    today: NaiveDate,
) -> AppResult<()> {
    let vehicle = visible(db, caller, vehicle_id).await?;
    let existing = store::find(db, vehicle.id, plan_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let txn = crate::store::begin_write(db).await?;
    if progress_of(&existing) != PlanProgress::Done {
        supply_domain::restore(&txn, RECORD_TYPE, existing.id, today).await?;
    }
    let files = super::record_parts::detach(&txn, RECORD_TYPE, &[existing.id]).await?;
    store::delete(&txn, existing.id).await?;
    txn.commit().await?;
    files.purge(objects).await;
    Ok(())
}

/// `POST …/progress` (§3.7). Open columns move freely. Done, in one transaction: the plan is
/// saved as done, a record of the plan's kind is created (date `today`, the given odometer,
/// description, cost, notes; no tags), the plan's requisition history moves to it without
/// deducting again, the plan's attachments (files copied under new keys) and extra-field values
/// are copied to it, the odometer auto-insert runs, and recurring linked reminders are pushed
/// forward from (`today`, odometer).
pub async fn progress(
    db: &DatabaseConnection,
    objects: &Objects,
    caller: &Caller,
    vehicle_id: i64,
    plan_id: i64,
    input: PlanProgressInput,
    today: NaiveDate,
) -> AppResult<Plan> {
    let vehicle = visible(db, caller, vehicle_id).await?;
    let existing = store::find(db, vehicle.id, plan_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let step = rule::step(progress_of(&existing), input.progress).map_err(|_| done_conflict())?;
    AppError::check(dto::validate_progress(&input))?;
    let odometer = match step {
        ProgressStep::Move(to) => {
            let saved = store::set_progress(db, existing, to, None).await?;
            return one(db, saved).await;
        }
        ProgressStep::Complete => input.odometer.unwrap_or_default(),
    };

    let kind = kind_of(&existing);
    let record = MaintenanceRecordInput {
        date: today,
        odometer,
        description: existing.description.clone(),
        cost: Amount::from_scaled(existing.cost),
        notes: existing.notes.clone(),
        tags: Vec::new(),
        supplies: Vec::new(),
        // The plan's own links are pushed back below.
        reminder_ids: Vec::new(),
    };
    AppError::check(maintenance_dto::validate(&record))?;
    let links = store::reminders_of(db, &[existing.id])
        .await?
        .remove(&existing.id)
        .unwrap_or_default();

    let txn = crate::store::begin_write(db).await?;
    let created = maintenance_store::insert(&txn, vehicle.id, kind, &record).await?;
    supply_domain::transfer(
        &txn,
        (RECORD_TYPE, existing.id),
        (maintenance_store::record_type(kind), created.id),
    )
    .await?;
    let mut copies = Copies::default();
    copy_record_parts(
        &txn,
        objects,
        vehicle.id,
        (RECORD_TYPE, existing.id),
        (maintenance_store::record_type(kind), created.id),
        &mut copies,
    )
    .await?;
    let source = AutoInsertSource {
        label: kind.label(),
        date: created.date,
        odometer: created.odometer,
        text: &created.description,
    };
    odometer::auto_insert(&txn, caller, vehicle.id, &source).await?;
    // Links of deleted reminders are gone with them (foreign key cascade).
    super::reminders::push_back_linked(&txn, vehicle.id, &links, today, odometer, "reminderIds")
        .await?;
    let saved = store::set_progress(&txn, existing, PlanProgress::Done, Some(created.id)).await?;
    txn.commit().await?;
    copies.keep();
    Ok(to_dto(saved, links, Vec::new()))
}

// ------------------------------------------------------------------------- templates

pub async fn list_templates(
    db: &DatabaseConnection,
    caller: &Caller,
    vehicle_id: i64,
) -> AppResult<PlanTemplateList> {
    let vehicle = visible(db, caller, vehicle_id).await?;
    let rows = store::list_templates(db, vehicle.id).await?;
    Ok(PlanTemplateList {
        records: rows.into_iter().map(template_dto).collect(),
    })
}

pub async fn get_template(
    db: &DatabaseConnection,
    caller: &Caller,
    vehicle_id: i64,
    template_id: i64,
) -> AppResult<PlanTemplate> {
    let vehicle = visible(db, caller, vehicle_id).await?;
    let row = store::find_template(db, vehicle.id, template_id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(template_dto(row))
}

/// Reminders must be the vehicle's; supplies are only checked when the template is used.
async fn template_row<'a>(
    db: &DatabaseConnection,
    vehicle_id: i64,
    input: &'a PlanTemplateInput,
) -> AppResult<TemplateRow<'a>> {
    AppError::check(dto::validate_template(input))?;
    let reminder_ids = check_reminders(db, vehicle_id, &input.reminder_ids, false).await?;
    let body = TemplateBody {
        supplies: input.supplies.clone(),
        reminder_ids,
    };
    Ok(TemplateRow {
        description: &input.description,
        notes: &input.notes,
        record_kind: input.record_kind,
        priority: input.priority,
        cost: input.cost.scaled(),
        body: serde_json::to_string(&body).map_err(AppError::internal)?,
    })
}

pub async fn create_template(
    db: &DatabaseConnection,
    caller: &Caller,
    vehicle_id: i64,
    input: PlanTemplateInput,
) -> AppResult<PlanTemplate> {
    let vehicle = visible(db, caller, vehicle_id).await?;
    let row = template_row(db, vehicle.id, &input).await?;
    let saved = store::insert_template(db, vehicle.id, row).await?;
    Ok(template_dto(saved))
}

pub async fn update_template(
    db: &DatabaseConnection,
    caller: &Caller,
    vehicle_id: i64,
    template_id: i64,
    input: PlanTemplateInput,
) -> AppResult<PlanTemplate> {
    let vehicle = visible(db, caller, vehicle_id).await?;
    let existing = store::find_template(db, vehicle.id, template_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let row = template_row(db, vehicle.id, &input).await?;
    let saved = store::update_template(db, existing, row).await?;
    Ok(template_dto(saved))
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

/// Creates a Backlog plan from a template (§3.6 "Plan templates", §3.7). Refused with 422 when
/// a linked reminder is gone or not recurring, when a supply is gone ("Missing supplies") or
/// when the stock is short ("Insufficient supplies").
pub async fn use_template(
    db: &DatabaseConnection,
    caller: &Caller,
    vehicle_id: i64,
    template_id: i64,
    today: NaiveDate,
    shop_supplies: bool,
) -> AppResult<Plan> {
    let vehicle = visible(db, caller, vehicle_id).await?;
    let template = store::find_template(db, vehicle.id, template_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let body = body_of(&template);
    let reminders = check_reminders(db, vehicle.id, &body.reminder_ids, true).await?;
    let mut missing = Vec::new();
    for usage in &body.supplies {
        if supply_store::find_usable(db, vehicle.id, usage.supply_id)
            .await?
            .is_none()
        {
            missing.push(usage.supply_id.to_string());
        }
    }
    if !missing.is_empty() {
        return Err(AppError::field(
            "supplies",
            format!("Missing supplies: {}", missing.join(", ")),
        ));
    }
    let input = PlanInput {
        description: template.description.clone(),
        notes: template.notes.clone(),
        record_kind: kind_of_text(&template.record_kind),
        priority: PlanPriority::parse(&template.priority).unwrap_or_default(),
        progress: PlanProgress::Backlog,
        cost: Amount::from_scaled(template.cost),
        reminder_ids: reminders.clone(),
        supplies: body.supplies,
    };
    insert_plan(db, vehicle.id, &input, &reminders, today, shop_supplies).await
}

// ------------------------------------------------------------------------- answers

fn body_of(t: &plan_template::Model) -> TemplateBody {
    // A body this server wrote always parses; anything else is treated as empty.
    serde_json::from_str(&t.body).unwrap_or_default()
}

fn kind_of_text(text: &str) -> MaintenanceKind {
    MaintenanceKind::parse(text).unwrap_or(MaintenanceKind::Service)
}

fn kind_of(p: &plan_record::Model) -> MaintenanceKind {
    kind_of_text(&p.record_kind)
}

fn progress_of(p: &plan_record::Model) -> PlanProgress {
    PlanProgress::parse(&p.progress).unwrap_or_default()
}

async fn one(db: &impl ConnectionTrait, row: plan_record::Model) -> AppResult<Plan> {
    let mut all = answer_many(db, vec![row]).await?;
    all.pop().ok_or(AppError::NotFound)
}

async fn answer_many(
    db: &impl ConnectionTrait,
    rows: Vec<plan_record::Model>,
) -> AppResult<Vec<Plan>> {
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let mut links = store::reminders_of(db, &ids).await?;
    let mut history: HashMap<i64, Vec<SupplyUsageEntry>> =
        supply_domain::history_of_records(db, RECORD_TYPE, &ids).await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let l = links.remove(&r.id).unwrap_or_default();
            let h = history.remove(&r.id).unwrap_or_default();
            to_dto(r, l, h)
        })
        .collect())
}

fn to_dto(r: plan_record::Model, reminder_ids: Vec<i64>, history: Vec<SupplyUsageEntry>) -> Plan {
    Plan {
        id: r.id,
        vehicle_id: r.vehicle_id,
        record_kind: kind_of(&r),
        priority: PlanPriority::parse(&r.priority).unwrap_or_default(),
        progress: progress_of(&r),
        description: r.description,
        notes: r.notes,
        cost: Amount::from_scaled(r.cost),
        reminder_ids,
        requisition_history: history,
        converted_record_id: r.converted_record_id,
        created_at: r.created_at,
        updated_at: r.updated_at,
    }
}

fn template_dto(t: plan_template::Model) -> PlanTemplate {
    let body = body_of(&t);
    PlanTemplate {
        id: t.id,
        vehicle_id: t.vehicle_id,
        record_kind: kind_of_text(&t.record_kind),
        priority: PlanPriority::parse(&t.priority).unwrap_or_default(),
        description: t.description,
        notes: t.notes,
        cost: Amount::from_scaled(t.cost),
        reminder_ids: body.reminder_ids,
        supplies: body.supplies,
        created_at: t.created_at,
        updated_at: t.updated_at,
    }
}

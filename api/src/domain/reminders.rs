//! Reminders with their urgency (reference §3.2, computed by `motovault_shared::reminders`).
//! `now` and the server's thresholds come from the caller so the rule never reads the clock.

use std::cmp::Reverse;

use chrono::{NaiveDate, NaiveDateTime};
use motovault_shared::dto::reminders::{
    self as dto, Reminder, ReminderInput, ReminderIntervalUnit, ReminderList, ReminderMetric,
    ReminderUrgency, ReminderUrgencyConfig,
};
use motovault_shared::reminders::{self as rule, CustomThresholds, Recurrence};
use sea_orm::{ConnectionTrait, DatabaseConnection};

use super::vehicles::visible;
use crate::auth::Caller;
use crate::config::ReminderSettings;
use crate::error::{AppError, AppResult};
use crate::store::entity::reminder;
use crate::store::reminders::{self as store, RECORD_TYPE};
use crate::store::{tags, users, vehicles};
use motovault_shared::dto::access::Permission;

/// What urgency is judged against: the moment (with its time of day) and the server-wide
/// thresholds (`[reminders]` in the configuration).
#[derive(Debug, Clone, Copy)]
pub struct UrgencyContext {
    pub now: NaiveDateTime,
    pub server: ReminderUrgencyConfig,
}

impl UrgencyContext {
    /// The current moment (UTC, with its time of day, as §3.2 compares) and the server thresholds.
    pub fn now(settings: &ReminderSettings) -> Self {
        UrgencyContext {
            now: chrono::Utc::now().naive_utc(),
            server: ReminderUrgencyConfig {
                urgent_days: settings.urgent_days,
                very_urgent_days: settings.very_urgent_days,
                urgent_distance: settings.urgent_distance,
                very_urgent_distance: settings.very_urgent_distance,
            },
        }
    }
}

/// Every reminder of the vehicle, most urgent first; within one urgency the soonest due date,
/// then the lowest due odometer, then the oldest reminder. With the caller's
/// `enableAutoReminderRefresh` on, past-due recurring reminders are pushed forward and saved
/// first (reference §3.2, [`rule::auto_refresh`]).
pub async fn list(
    db: &DatabaseConnection,
    caller: &Caller,
    vehicle_id: i64,
    ctx: UrgencyContext,
) -> AppResult<ReminderList> {
    let (vehicle, grant) = super::vehicles::visible_with_grant(db, caller, vehicle_id).await?;
    let mut rows = store::list(db, vehicle.id).await?;
    let current = current_odometer(db, vehicle.id).await?;
    // Only someone who may edit the vehicle has their listing write (the reference limits
    // auto-refresh to editors); a viewer sees the reminders as stored.
    if users::settings(db, caller.user.id)
        .await?
        .enable_auto_reminder_refresh
        && super::vehicles::grant_allows(caller, grant, Permission::Edit)
    {
        rows = refresh(db, rows, ctx, current).await?;
    }
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let mut all_tags = tags::for_records(db, RECORD_TYPE, &ids).await?;
    let mut records: Vec<Reminder> = rows
        .into_iter()
        .map(|r| {
            let t = all_tags.remove(&r.id).unwrap_or_default();
            to_dto(r, t, current, ctx)
        })
        .collect();
    records.sort_by_key(|r| list_order(r.urgency, r.due_date, r.due_odometer, r.id));
    Ok(ReminderList { records })
}

pub async fn get(
    db: &DatabaseConnection,
    caller: &Caller,
    vehicle_id: i64,
    record_id: i64,
    ctx: UrgencyContext,
) -> AppResult<Reminder> {
    let vehicle = visible(db, caller, vehicle_id).await?;
    let row = store::find(db, vehicle.id, record_id)
        .await?
        .ok_or(AppError::NotFound)?;
    answer(db, row, ctx).await
}

pub async fn create(
    db: &DatabaseConnection,
    caller: &Caller,
    vehicle_id: i64,
    input: ReminderInput,
    ctx: UrgencyContext,
) -> AppResult<Reminder> {
    let vehicle = visible(db, caller, vehicle_id).await?;
    AppError::check(dto::validate(&input))?;
    let txn = crate::store::begin_write(db).await?;
    let saved = store::insert(&txn, vehicle.id, &input).await?;
    tags::replace(&txn, vehicle.id, RECORD_TYPE, saved.id, &input.tags).await?;
    txn.commit().await?;
    answer(db, saved, ctx).await
}

pub async fn update(
    db: &DatabaseConnection,
    caller: &Caller,
    vehicle_id: i64,
    record_id: i64,
    input: ReminderInput,
    ctx: UrgencyContext,
) -> AppResult<Reminder> {
    let vehicle = visible(db, caller, vehicle_id).await?;
    let existing = store::find(db, vehicle.id, record_id)
        .await?
        .ok_or(AppError::NotFound)?;
    AppError::check(dto::validate(&input))?;
    let txn = crate::store::begin_write(db).await?;
    let saved = store::update(&txn, existing, &input).await?;
    tags::replace(&txn, vehicle.id, RECORD_TYPE, saved.id, &input.tags).await?;
    txn.commit().await?;
    answer(db, saved, ctx).await
}

pub async fn delete(
    db: &DatabaseConnection,
    caller: &Caller,
    vehicle_id: i64,
    record_id: i64,
) -> AppResult<()> {
    let vehicle = visible(db, caller, vehicle_id).await?;
    let existing = store::find(db, vehicle.id, record_id)
        .await?
        .ok_or(AppError::NotFound)?;
    remove(db, existing.id).await
}

/// The manual "Done" button (reference §3.2 push-back triggers): a recurring reminder moves
/// forward from its stored due values and is returned; a one-off reminder has nothing left to
/// remind of, so it is deleted (`None`).
pub async fn done(
    db: &DatabaseConnection,
    caller: &Caller,
    vehicle_id: i64,
    record_id: i64,
    ctx: UrgencyContext,
) -> AppResult<Option<Reminder>> {
    let vehicle = visible(db, caller, vehicle_id).await?;
    let existing = store::find(db, vehicle.id, record_id)
        .await?
        .ok_or(AppError::NotFound)?;
    if !existing.is_recurring {
        remove(db, existing.id).await?;
        return Ok(None);
    }
    let (due_date, due_odometer) = rule::push_back(
        recurrence(&existing),
        existing.due_date,
        existing.due_odometer,
        None,
        None,
    )
    .ok_or_else(|| AppError::field("dueDate", "cannot be pushed back any further"))?;
    let saved = store::set_due(db, existing, due_date, due_odometer).await?;
    answer(db, saved, ctx).await.map(Some)
}

/// Push-back by a completed record (reference §3.2 triggers: a new service/repair/upgrade record
/// with reminders attached, a plan moved to Done): every linked *recurring* reminder moves on from
/// the record's date and odometer, inside the caller's transaction. Ids must belong to the vehicle
/// (422 `field` otherwise); one-off reminders are left as they are.
pub async fn push_back_linked(
    txn: &impl ConnectionTrait,
    vehicle_id: i64,
    reminder_ids: &[i64],
    date: NaiveDate,
    odometer: i64,
    field: &str,
) -> AppResult<()> {
    for id in reminder_ids {
        let linked = store::find(txn, vehicle_id, *id).await?.ok_or_else(|| {
            AppError::field(
                field,
                format!("reminder {id} is not a reminder of this vehicle"),
            )
        })?;
        if !linked.is_recurring {
            continue;
        }
        let (due_date, due_odometer) = rule::push_back(
            recurrence(&linked),
            linked.due_date,
            linked.due_odometer,
            Some(date),
            Some(odometer),
        )
        .ok_or_else(|| {
            AppError::field(field, "a linked reminder cannot be pushed back any further")
        })?;
        store::set_due(txn, linked, due_date, due_odometer).await?;
    }
    Ok(())
}

/// Saves the pushed-forward due values of the past-due recurring reminders among `rows`, in one
/// transaction, and gives back the rows as they now stand. A reminder changed meanwhile by
/// another request is left to that request (the guarded update matches nothing).
async fn refresh(
    db: &DatabaseConnection,
    rows: Vec<reminder::Model>,
    ctx: UrgencyContext,
    current: i64,
) -> AppResult<Vec<reminder::Model>> {
    let moves: Vec<(usize, Option<NaiveDate>, Option<i64>)> = rows
        .iter()
        .enumerate()
        .filter_map(|(i, r)| {
            let (date, odometer) = rule::auto_refresh(
                recurrence(r),
                r.is_recurring,
                r.due_date,
                r.due_odometer,
                ctx.now,
                current,
            )?;
            Some((i, date, odometer))
        })
        .collect();
    if moves.is_empty() {
        return Ok(rows);
    }
    let mut rows = rows;
    let txn = crate::store::begin_write(db).await?;
    for (i, date, odometer) in moves {
        if let Some(saved) = store::set_due_if_unchanged(&txn, &rows[i], date, odometer).await? {
            rows[i] = saved;
        }
    }
    txn.commit().await?;
    Ok(rows)
}

async fn remove(db: &DatabaseConnection, record_id: i64) -> AppResult<()> {
    let txn = crate::store::begin_write(db).await?;
    tags::delete_for(&txn, RECORD_TYPE, &[record_id]).await?;
    store::delete(&txn, record_id).await?;
    txn.commit().await?;
    Ok(())
}

async fn current_odometer(db: &DatabaseConnection, vehicle_id: i64) -> AppResult<i64> {
    Ok(vehicles::current_odometer(db, vehicle_id).await?)
}

/// One reminder with its tags and urgency as of `ctx`.
async fn answer(
    db: &DatabaseConnection,
    row: reminder::Model,
    ctx: UrgencyContext,
) -> AppResult<Reminder> {
    let current = current_odometer(db, row.vehicle_id).await?;
    let t = tags::for_records(db, RECORD_TYPE, &[row.id])
        .await?
        .remove(&row.id)
        .unwrap_or_default();
    Ok(to_dto(row, t, current, ctx))
}

fn metric(r: &reminder::Model) -> ReminderMetric {
    ReminderMetric::parse(&r.metric).unwrap_or_default()
}

fn unit(r: &reminder::Model) -> ReminderIntervalUnit {
    ReminderIntervalUnit::parse(&r.custom_interval_unit).unwrap_or_default()
}

fn recurrence(r: &reminder::Model) -> Recurrence {
    Recurrence {
        metric: metric(r),
        fixed_intervals: r.fixed_intervals,
        month_interval: r.month_interval,
        custom_month_interval: r.custom_month_interval,
        custom_interval_unit: unit(r),
        mileage_interval: r.mileage_interval,
        custom_mileage_interval: r.custom_mileage_interval,
    }
}

/// The sort key of the reminder list, used wherever reminders are ranked (the list, a
/// vehicle's next reminder, the kiosk): most urgent first, then the soonest due date, then the
/// lowest due odometer (a reminder without one after those with), then the oldest.
pub type ListOrder = (
    Reverse<ReminderUrgency>,
    bool,
    Option<NaiveDate>,
    bool,
    Option<i64>,
    i64,
);

pub fn list_order(
    urgency: ReminderUrgency,
    due_date: Option<NaiveDate>,
    due_odometer: Option<i64>,
    id: i64,
) -> ListOrder {
    (
        Reverse(urgency),
        due_date.is_none(),
        due_date,
        due_odometer.is_none(),
        due_odometer,
        id,
    )
}

/// The urgency of a stored reminder at `ctx.now` (reference §3.2), with its own thresholds when
/// it has custom ones. The one place the list, dashboard, kiosk and calendar judge a row.
pub fn judge(
    r: &reminder::Model,
    current_odometer: i64,
    ctx: UrgencyContext,
) -> rule::UrgencyResult {
    let thresholds = rule::thresholds_for(
        r.use_custom_thresholds,
        CustomThresholds {
            urgent_days: r.urgent_days.map(i64::from),
            very_urgent_days: r.very_urgent_days.map(i64::from),
            urgent_distance: r.urgent_distance,
            very_urgent_distance: r.very_urgent_distance,
        },
        ctx.server,
    );
    rule::urgency(
        metric(r),
        r.due_date,
        r.due_odometer,
        thresholds,
        ctx.now,
        current_odometer,
    )
}

fn to_dto(
    r: reminder::Model,
    tags: Vec<String>,
    current_odometer: i64,
    ctx: UrgencyContext,
) -> Reminder {
    let metric = metric(&r);
    let judged = judge(&r, current_odometer, ctx);
    Reminder {
        id: r.id,
        vehicle_id: r.vehicle_id,
        description: r.description,
        notes: r.notes,
        tags,
        metric,
        due_date: r.due_date,
        due_odometer: r.due_odometer,
        is_recurring: r.is_recurring,
        fixed_intervals: r.fixed_intervals,
        month_interval: r.month_interval,
        mileage_interval: r.mileage_interval,
        custom_month_interval: r.custom_month_interval,
        custom_interval_unit: ReminderIntervalUnit::parse(&r.custom_interval_unit)
            .unwrap_or_default(),
        custom_mileage_interval: r.custom_mileage_interval,
        use_custom_thresholds: r.use_custom_thresholds,
        urgent_days: r.urgent_days,
        very_urgent_days: r.very_urgent_days,
        urgent_distance: r.urgent_distance,
        very_urgent_distance: r.very_urgent_distance,
        urgency: judged.urgency,
        urgency_metric: judged.metric,
        due_days: judged.due_days,
        due_distance: judged.due_distance,
        current_odometer,
        created_at: r.created_at,
        updated_at: r.updated_at,
    }
}

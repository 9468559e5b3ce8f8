//! Vehicle summaries: counts and exact totals per record type, reminders by urgency (reference
//! §3.2 via `motovault_shared::reminders`), plan stages, and the garage tile's total cost and
//! cost per distance (§3.4). Built from grouped queries, so many vehicles cost the same number of
//! queries as one.
//!
//! Summaries are cached per vehicle ([`crate::infra::cache`], cache `summary`): the value
//! depends on the vehicle's rows, on today's date (reminder urgency and due days change only
//! at midnight UTC, since due dates are whole days) and on the server's thresholds, so those
//! make the key; it does not depend on the caller. The access check is never cached.

use std::collections::HashMap;

use motovault_shared::Amount;
use motovault_shared::dto::reminders::ReminderUrgency;
use motovault_shared::dto::summary::{
    self as dto, CostCount, NextReminder, PlanSummary, ReminderSummary, VehicleSummary,
    VehicleSummaryList,
};
use sea_orm::DatabaseConnection;

use super::reminders::UrgencyContext;
use super::vehicles::visible;
use crate::auth::Caller;
use crate::error::AppResult;
use crate::infra::cache::Cache;
use crate::store::entity::reminder;
use crate::store::summary::{self as store, Totals, VehicleTotals};
use crate::store::vehicles;

/// Name of the cache (and of its hit/miss counters).
const CACHE: &str = "summary";

pub async fn get(
    db: &DatabaseConnection,
    cache: &Cache,
    caller: &Caller,
    vehicle_id: i64,
    ctx: UrgencyContext,
) -> AppResult<VehicleSummary> {
    let vehicle = visible(db, caller, vehicle_id).await?;
    let mut all = cached(db, cache, &[vehicle.id], ctx).await?;
    Ok(all.remove(&vehicle.id).unwrap_or_else(|| empty(vehicle.id)))
}

/// Every vehicle the caller may see, in the order of the vehicle list.
pub async fn list(
    db: &DatabaseConnection,
    cache: &Cache,
    caller: &Caller,
    ctx: UrgencyContext,
) -> AppResult<VehicleSummaryList> {
    let ids: Vec<i64> = vehicles::list_visible(db, &caller.user)
        .await?
        .into_iter()
        .map(|v| v.id)
        .collect();
    let mut all = cached(db, cache, &ids, ctx).await?;
    let summaries = ids
        .iter()
        .map(|id| all.remove(id).unwrap_or_else(|| empty(*id)))
        .collect();
    Ok(VehicleSummaryList { summaries })
}

fn empty(vehicle_id: i64) -> VehicleSummary {
    summarize(
        vehicle_id,
        &VehicleTotals::default(),
        0,
        ReminderSummary::default(),
    )
}

/// What a summary depends on besides the vehicle's rows: the day and the server thresholds.
fn variant(ctx: &UrgencyContext) -> String {
    let t = ctx.server;
    format!(
        "{}:{}-{}-{}-{}",
        ctx.now.date(),
        t.urgent_days,
        t.very_urgent_days,
        t.urgent_distance,
        t.very_urgent_distance
    )
}

/// [`build`] behind the cache: only the vehicles it does not hold are read from the database.
async fn cached(
    db: &DatabaseConnection,
    cache: &Cache,
    ids: &[i64],
    ctx: UrgencyContext,
) -> AppResult<HashMap<i64, VehicleSummary>> {
    let variant = variant(&ctx);
    let found = cache.get::<VehicleSummary>(CACHE, &variant, ids).await;
    let mut all = found.hits;
    if found.misses.is_empty() {
        return Ok(all);
    }
    let missing: Vec<i64> = found.misses.iter().map(|(id, _)| *id).collect();
    let mut built = build(db, &missing, ctx).await?;
    let mut fresh = Vec::with_capacity(found.misses.len());
    for (id, stamp) in found.misses {
        let summary = built.remove(&id).unwrap_or_else(|| empty(id));
        fresh.push((id, stamp, summary.clone()));
        all.insert(id, summary);
    }
    cache.put(CACHE, &variant, fresh).await;
    Ok(all)
}

async fn build(
    db: &DatabaseConnection,
    ids: &[i64],
    ctx: UrgencyContext,
) -> AppResult<HashMap<i64, VehicleSummary>> {
    let totals = store::totals_for(db, ids).await?;
    let odometers = vehicles::current_odometers(db, ids).await?;
    let mut reminders: HashMap<i64, Vec<reminder::Model>> = HashMap::new();
    for r in store::reminders_for(db, ids).await? {
        reminders.entry(r.vehicle_id).or_default().push(r);
    }
    let none = VehicleTotals::default();
    Ok(ids
        .iter()
        .map(|id| {
            let current = odometers.get(id).copied().unwrap_or(0);
            let judged = reminder_summary(
                reminders.get(id).map(Vec::as_slice).unwrap_or(&[]),
                current,
                ctx,
            );
            let t = totals.get(id).unwrap_or(&none);
            (*id, summarize(*id, t, current, judged))
        })
        .collect())
}

fn cost_count(t: Totals) -> CostCount {
    CostCount {
        count: t.count,
        total_cost: Amount::from_scaled(t.cost),
    }
}

fn summarize(
    vehicle_id: i64,
    t: &VehicleTotals,
    last_odometer: i64,
    reminders: ReminderSummary,
) -> VehicleSummary {
    let kind = |k: &str| cost_count(t.maintenance.get(k).copied().unwrap_or_default());
    let service = kind("service");
    let repair = kind("repair");
    let upgrade = kind("upgrade");
    let fuel = cost_count(t.fuel);
    let tax = cost_count(t.tax);
    // Garage tile TotalCost (§3.4): service + repair + upgrade + tax + gas.
    let total_cost = [service, repair, upgrade, tax, fuel]
        .iter()
        .map(|c| c.total_cost)
        .sum();
    let distance = dto::distance(last_odometer, t.min_odometer);
    let stage = |p: &str| t.plans.get(p).copied().unwrap_or(0);
    VehicleSummary {
        vehicle_id,
        service_records: service,
        repair_records: repair,
        upgrade_records: upgrade,
        fuel_records: fuel,
        tax_records: tax,
        odometer_records: t.odometer_records,
        notes: t.notes,
        reminders,
        plans: PlanSummary {
            count: t.plans.values().sum(),
            backlog: stage("backlog"),
            in_progress: stage("in_progress"),
            testing: stage("testing"),
            done: stage("done"),
        },
        last_odometer,
        distance,
        total_cost,
        cost_per_distance: dto::cost_per_distance(total_cost, distance),
    }
}

/// Each reminder judged as the reminder list judges it (its own thresholds when it has them,
/// else the server's); the next one is the first of that list's order.
fn reminder_summary(
    rows: &[reminder::Model],
    current: i64,
    ctx: UrgencyContext,
) -> ReminderSummary {
    let mut out = ReminderSummary::default();
    let mut best: Option<NextReminder> = None;
    for r in rows {
        let judged = super::reminders::judge(r, current, ctx);
        out.count += 1;
        match judged.urgency {
            ReminderUrgency::NotUrgent => out.not_urgent += 1,
            ReminderUrgency::Urgent => out.urgent += 1,
            ReminderUrgency::VeryUrgent => out.very_urgent += 1,
            ReminderUrgency::PastDue => out.past_due += 1,
        }
        let candidate = NextReminder {
            id: r.id,
            description: r.description.clone(),
            urgency: judged.urgency,
            due_date: r.due_date,
            due_odometer: r.due_odometer,
            due_days: judged.due_days,
            due_distance: judged.due_distance,
        };
        if best.as_ref().is_none_or(|b| order(&candidate) < order(b)) {
            best = Some(candidate);
        }
    }
    out.next = best;
    out
}

/// The reminder list's order ([`super::reminders::list_order`]).
fn order(r: &NextReminder) -> super::reminders::ListOrder {
    super::reminders::list_order(r.urgency, r.due_date, r.due_odometer, r.id)
}

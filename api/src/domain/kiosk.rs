//! Kiosk: the read-only wall display of vehicles, plans and reminders (issue 8, reference §1
//! "Kiosk"). Everything the caller may view, minus the excluded vehicles and the sold ones
//! (LubeLogger's `HideSoldVehicles`: a wall display is for the vehicles still kept).
//!
//! Vehicle figures come from [`super::summary`] (cached); reminders are judged with the same
//! rule and thresholds as the reminder list, but without its auto-refresh: a display never
//! writes.

use std::cmp::Reverse;
use std::collections::HashMap;

use motovault_shared::Amount;
use motovault_shared::dto::kiosk::{KioskMode, KioskPlan, KioskReminder, KioskVehicle, KioskView};
use motovault_shared::dto::maintenance::MaintenanceKind;
use motovault_shared::dto::plans::{PlanPriority, PlanProgress};
use motovault_shared::dto::reminders::{ReminderMetric, ReminderUrgency};
use sea_orm::DatabaseConnection;

use super::reminders::UrgencyContext;
use super::summary;
use crate::auth::Caller;
use crate::error::AppResult;
use crate::infra::cache::Cache;
use crate::store::entity::{plan_record, reminder, vehicle};
use crate::store::{plans, vehicles};

/// What the display asked for.
#[derive(Debug, Clone, Default)]
pub struct KioskQuery {
    pub mode: KioskMode,
    /// Vehicle ids to leave out; ids the caller cannot see are simply ignored.
    pub exclude: Vec<i64>,
}

pub async fn view(
    db: &DatabaseConnection,
    cache: &Cache,
    caller: &Caller,
    query: &KioskQuery,
    ctx: UrgencyContext,
) -> AppResult<KioskView> {
    let shown: Vec<vehicle::Model> = vehicles::list_visible(db, &caller.user)
        .await?
        .into_iter()
        .filter(|v| v.sold_date.is_none() && !query.exclude.contains(&v.id))
        .collect();
    // One summary list serves the cards and the current odometers reminders are judged against.
    let mut summaries: HashMap<i64, _> = summary::list(db, cache, caller, ctx)
        .await?
        .summaries
        .into_iter()
        .map(|s| (s.vehicle_id, s))
        .collect();
    let names: HashMap<i64, String> = shown.iter().map(|v| (v.id, name(v))).collect();
    let ids: Vec<i64> = shown.iter().map(|v| v.id).collect();
    let odometers: HashMap<i64, i64> = summaries
        .iter()
        .map(|(id, s)| (*id, s.last_odometer))
        .collect();
    let hours: HashMap<i64, bool> = shown.iter().map(|v| (v.id, v.use_hours)).collect();

    let mut out = KioskView {
        mode: query.mode,
        vehicles: Vec::new(),
        plans: Vec::new(),
        reminders: Vec::new(),
    };
    if query.mode.shows_vehicles() {
        out.vehicles = shown
            .iter()
            .filter_map(|v| {
                summaries.remove(&v.id).map(|summary| KioskVehicle {
                    id: v.id,
                    name: name(v),
                    license_plate: v.license_plate.clone(),
                    use_hours: v.use_hours,
                    summary,
                })
            })
            .collect();
        // Stable: equally urgent vehicles keep the garage order.
        out.vehicles.sort_by_key(|v| {
            Reverse(
                v.summary
                    .reminders
                    .next
                    .as_ref()
                    .map(|n| vehicle_rank(n.urgency)),
            )
        });
    }
    if query.mode.shows_plans() {
        let mut rows = Vec::new();
        for id in &ids {
            rows.extend(plans::list(db, *id).await?);
        }
        out.plans = rows
            .into_iter()
            .filter_map(|p| open_plan(p, &names))
            .collect();
        out.plans.sort_by_key(plan_order);
    }
    if query.mode.shows_reminders() {
        out.reminders = crate::store::summary::reminders_for(db, &ids)
            .await?
            .into_iter()
            .map(|r| {
                let current = odometers.get(&r.vehicle_id).copied().unwrap_or(0);
                let vehicle_name = names.get(&r.vehicle_id).cloned().unwrap_or_default();
                let use_hours = hours.get(&r.vehicle_id).copied().unwrap_or(false);
                judge(r, vehicle_name, use_hours, current, ctx)
            })
            .collect();
        out.reminders.sort_by_key(reminder_order);
    }
    Ok(out)
}

fn name(v: &vehicle::Model) -> String {
    format!("{} {} {}", v.year, v.make, v.model)
}

/// A vehicle whose next reminder is not urgent ranks with one that has none.
fn vehicle_rank(urgency: ReminderUrgency) -> Option<ReminderUrgency> {
    (urgency != ReminderUrgency::NotUrgent).then_some(urgency)
}

/// The plan as the display shows it; `None` once it is done (it became a record).
fn open_plan(p: plan_record::Model, names: &HashMap<i64, String>) -> Option<KioskPlan> {
    let progress = PlanProgress::parse(&p.progress).unwrap_or_default();
    if progress == PlanProgress::Done {
        return None;
    }
    Some(KioskPlan {
        id: p.id,
        vehicle_id: p.vehicle_id,
        vehicle_name: names.get(&p.vehicle_id).cloned().unwrap_or_default(),
        description: p.description,
        record_kind: MaintenanceKind::parse(&p.record_kind).unwrap_or(MaintenanceKind::Service),
        priority: PlanPriority::parse(&p.priority).unwrap_or_default(),
        progress,
        cost: Amount::from_scaled(p.cost),
    })
}

/// Critical first; within a priority, the plan closest to done; then the newest.
fn plan_order(p: &KioskPlan) -> (u8, u8, Reverse<i64>) {
    let priority = match p.priority {
        PlanPriority::Critical => 0,
        PlanPriority::Normal => 1,
        PlanPriority::Low => 2,
    };
    let stage = match p.progress {
        PlanProgress::Testing => 0,
        PlanProgress::InProgress => 1,
        PlanProgress::Backlog | PlanProgress::Done => 2,
    };
    (priority, stage, Reverse(p.id))
}

/// The reminder list's order ([`super::reminders::list_order`]).
fn reminder_order(r: &KioskReminder) -> super::reminders::ListOrder {
    super::reminders::list_order(r.urgency, r.due_date, r.due_odometer, r.id)
}

/// Judged as the reminder list judges it: its own thresholds when it has them, else the
/// server's.
fn judge(
    r: reminder::Model,
    vehicle_name: String,
    use_hours: bool,
    current: i64,
    ctx: UrgencyContext,
) -> KioskReminder {
    let metric = ReminderMetric::parse(&r.metric).unwrap_or_default();
    let judged = super::reminders::judge(&r, current, ctx);
    KioskReminder {
        id: r.id,
        vehicle_id: r.vehicle_id,
        vehicle_name,
        use_hours,
        description: r.description,
        metric,
        urgency: judged.urgency,
        due_date: r.due_date,
        due_odometer: r.due_odometer,
        due_days: judged.due_days,
        due_distance: judged.due_distance,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan(id: i64, priority: PlanPriority, progress: PlanProgress) -> KioskPlan {
        KioskPlan {
            id,
            vehicle_id: 1,
            vehicle_name: String::new(),
            description: String::new(),
            record_kind: MaintenanceKind::Service,
            priority,
            progress,
            cost: Amount::ZERO,
        }
    }

    #[test]
    fn plans_sort_by_priority_then_stage_then_newest() {
        use PlanPriority::{Critical, Low, Normal};
        use PlanProgress::{Backlog, InProgress, Testing};
        let mut plans = [
            plan(1, Low, Testing),
            plan(2, Normal, Backlog),
            plan(3, Normal, Testing),
            plan(4, Critical, Backlog),
            plan(5, Normal, InProgress),
            plan(6, Normal, Backlog),
        ];
        plans.sort_by_key(plan_order);
        let ids: Vec<i64> = plans.iter().map(|p| p.id).collect();
        assert_eq!(ids, vec![4, 3, 5, 6, 2, 1]);
    }

    #[test]
    fn calm_reminders_rank_with_none() {
        assert_eq!(vehicle_rank(ReminderUrgency::NotUrgent), None);
        assert!(vehicle_rank(ReminderUrgency::Urgent) > None);
        assert!(vehicle_rank(ReminderUrgency::PastDue) > vehicle_rank(ReminderUrgency::Urgent));
    }
}

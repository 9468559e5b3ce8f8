//! `/kiosk`: read-only wall display, cycling, updating live.
//!
//! `?mode=vehicles|plans|reminders|cycle` (vehicles by default), `&exclude=1,3` (vehicle ids
//! left out), `&interval=15` (seconds per section in cycle mode). The top bar is hidden while
//! the page is shown (`data-kiosk` on `<body>`, styled in the kiosk block of style.css). The
//! data follows every change live (the `/api/v1/events` stream) and is refetched every minute
//! anyway, in case the stream was down.
//!
//! Opened as `/kiosk?apiKey=KEY` (LubeLogger's URL for an unattended display), the app reads as
//! the key's owner with the key's role and needs no session (see `app::kiosk_key`).

use std::time::Duration;

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use motovault_shared::dto::kiosk::{KioskMode, KioskPlan, KioskReminder};
use motovault_shared::dto::plans::{PlanPriority, PlanProgress};
use motovault_shared::dto::reminders::ReminderUrgency;
use motovault_shared::units::UnitSystem;

use crate::api;
use crate::api::kiosk::{Wall, WallVehicle};
use crate::app::use_auth;
use crate::components::alert::Alert;
use crate::components::layout::Loading;
use crate::format;
use crate::i18n::{tr, tr_fmt, trs};

/// The fallback refresh, for when the live stream is down.
const REFRESH: Duration = Duration::from_secs(60);
const DEFAULT_INTERVAL_SECS: u64 = 15;
const MAX_INTERVAL_SECS: u64 = 3600;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Section {
    Vehicles,
    Plans,
    Reminders,
}

/// The order cycle mode shows them in.
const CYCLE: [Section; 3] = [Section::Vehicles, Section::Plans, Section::Reminders];

impl Section {
    fn slug(self) -> &'static str {
        match self {
            Section::Vehicles => "vehicles",
            Section::Plans => "plans",
            Section::Reminders => "reminders",
        }
    }

    fn title(self) -> String {
        match self {
            Section::Vehicles => tr("Vehicles"),
            Section::Plans => tr("Plans"),
            Section::Reminders => tr("Reminders"),
        }
    }
}

/// The section shown at `step` (cycle mode advances it), for a fixed mode.
fn section_at(mode: KioskMode, step: usize) -> Section {
    match mode {
        KioskMode::Vehicles => Section::Vehicles,
        KioskMode::Plans => Section::Plans,
        KioskMode::Reminders => Section::Reminders,
        KioskMode::Cycle => CYCLE[step % CYCLE.len()],
    }
}

/// Seconds per section: 1 to an hour; anything unreadable is the default.
fn interval_secs(text: Option<&str>) -> u64 {
    text.and_then(|t| t.trim().parse::<u64>().ok())
        .filter(|s| *s > 0)
        .map_or(DEFAULT_INTERVAL_SECS, |s| s.min(MAX_INTERVAL_SECS))
}

/// Hides the app's frame while the display is up.
fn mark_body(on: bool) {
    if let Some(body) = document().body() {
        let _ = if on {
            body.set_attribute("data-kiosk", "")
        } else {
            body.remove_attribute("data-kiosk")
        };
    }
}

#[component]
pub fn KioskPage() -> impl IntoView {
    let auth = use_auth();
    let (mode, exclude, interval) = use_query_map().with_untracked(|q| {
        (
            q.get_str("mode")
                .and_then(KioskMode::parse)
                .unwrap_or_default(),
            q.get_str("exclude").unwrap_or_default().to_owned(),
            interval_secs(q.get_str("interval")),
        )
    });
    mark_body(true);

    let live = crate::live::watch(|| None);
    let tick = RwSignal::new(0u64);
    let step = RwSignal::new(0usize);
    let refresh = set_interval_with_handle(move || tick.update(|t| *t += 1), REFRESH).ok();
    let cycling = (mode == KioskMode::Cycle)
        .then(|| {
            set_interval_with_handle(
                move || step.update(|s| *s = s.wrapping_add(1)),
                Duration::from_secs(interval),
            )
            .ok()
        })
        .flatten();
    on_cleanup(move || {
        for handle in [refresh, cycling].into_iter().flatten() {
            handle.clear();
        }
        mark_body(false);
    });

    let wall = LocalResource::new(move || {
        live.track();
        tick.track();
        let exclude = exclude.clone();
        async move { api::kiosk::load(mode.as_str(), &exclude).await }
    });
    let section = Memo::new(move |_| section_at(mode, step.get()));

    let content = move || match wall.get() {
        None => view! { <Loading /> }.into_any(),
        Some(Err(err)) => {
            let message = Signal::stored(Some(auth.explain(&err)));
            view! { <Alert message /> }.into_any()
        }
        Some(Ok(w)) => board(&w, section.get(), auth.units()),
    };

    view! {
        <div class="kiosk" data-testid="kiosk" data-mode=mode.as_str()>
            <header class="kiosk-header">
                <h1 data-testid="kiosk-title" data-section=move || section.get().slug()>
                    {move || section.get().title()}
                </h1>
                {(mode == KioskMode::Cycle).then(|| view! {
                    <ol class="kiosk-steps" aria-hidden="true">
                        {CYCLE.iter().map(|s| {
                            let s = *s;
                            view! { <li class:current=move || section.get() == s></li> }
                        }).collect_view()}
                    </ol>
                })}
                // A display opened with a key has nowhere else to go.
                {crate::api::api_key().is_none().then(|| view! {
                    <a class="kiosk-exit" href="/" data-testid="kiosk-exit">{tr("Exit")}</a>
                })}
            </header>
            {content}
        </div>
    }
}

fn board(wall: &Wall, section: Section, units: UnitSystem) -> AnyView {
    let empty = |text: String| {
        view! { <p class="kiosk-empty" data-testid="kiosk-empty">{text}</p> }.into_any()
    };
    match section {
        Section::Vehicles if wall.vehicles.is_empty() => empty(tr("No vehicles to show.")),
        Section::Plans if wall.plans.is_empty() => empty(tr("No open plans.")),
        Section::Reminders if wall.reminders.is_empty() => empty(tr("No reminders.")),
        Section::Vehicles => view! {
            <ul class="kiosk-grid" data-testid="kiosk-vehicles">
                {wall.vehicles.iter().map(|v| vehicle_card(v, units)).collect_view()}
            </ul>
        }
        .into_any(),
        Section::Plans => view! {
            <ul class="kiosk-grid" data-testid="kiosk-plans">
                {wall.plans.iter().map(plan_card).collect_view()}
            </ul>
        }
        .into_any(),
        Section::Reminders => view! {
            <ul class="kiosk-grid" data-testid="kiosk-reminders">
                {wall.reminders.iter().map(|r| reminder_card(r, units)).collect_view()}
            </ul>
        }
        .into_any(),
    }
}

fn unit(use_hours: bool, units: UnitSystem) -> &'static str {
    if use_hours {
        "h"
    } else {
        units.distance_unit()
    }
}

/// `(label, badge class)`.
fn urgency_badge(urgency: ReminderUrgency) -> (&'static str, &'static str) {
    match urgency {
        ReminderUrgency::NotUrgent => (trs("Not urgent"), "badge urgency-not-urgent"),
        ReminderUrgency::Urgent => (trs("Urgent"), "badge urgency-urgent"),
        ReminderUrgency::VeryUrgent => (trs("Very urgent"), "badge urgency-very-urgent"),
        ReminderUrgency::PastDue => (trs("Past due"), "badge urgency-past-due"),
    }
}

/// `due Jan 1, 2020 · 80 mi left` (or `… overdue`), from whatever the reminder is due by.
fn due_text(due_date: Option<chrono::NaiveDate>, due_distance: Option<i64>, unit: &str) -> String {
    let date = due_date.map(|d| tr_fmt("due {date}", &[("date", &format::date(d))]));
    let distance = due_distance.map(|d| {
        let n = format!("{} {unit}", format::grouped(d.abs()));
        if d < 0 {
            tr_fmt("{n} overdue", &[("n", &n)])
        } else {
            tr_fmt("{n} left", &[("n", &n)])
        }
    });
    [date, distance]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" · ")
}

fn vehicle_card(v: &WallVehicle, units: UnitSystem) -> impl IntoView + use<> {
    let s = &v.summary;
    let unit = unit(v.use_hours, units);
    let odometer = format!("{} {unit}", format::grouped(s.last_odometer));
    let open_plans = s.plans.count - s.plans.done;
    let plate = (!v.license_plate.is_empty())
        .then(|| view! { <span class="plate">{v.license_plate.clone()}</span> });
    let next = s.reminders.next.as_ref().map(|n| {
        let (label, class) = urgency_badge(n.urgency);
        let due = due_text(n.due_date, n.due_distance, unit);
        view! {
            <div class="kiosk-next" data-testid="kiosk-next-reminder">
                <span class=class>{label}</span>
                <span class="kiosk-next-text">{n.description.clone()}</span>
                <span class="muted">{due}</span>
            </div>
        }
    });
    view! {
        <li class="card kiosk-card" data-testid="kiosk-vehicle">
            <div class="kiosk-card-top">
                <h2 data-testid="kiosk-vehicle-name">{v.name.clone()}</h2>
                {plate}
            </div>
            <dl class="kiosk-facts">
                <div>
                    <dt>{tr("Odometer")}</dt>
                    <dd data-testid="kiosk-odometer">{odometer}</dd>
                </div>
                <div>
                    <dt>{tr("Open plans")}</dt>
                    <dd data-testid="kiosk-open-plans">{open_plans}</dd>
                </div>
                <div>
                    <dt>{tr("Total cost")}</dt>
                    <dd data-testid="kiosk-total-cost">{format::money(s.total_cost)}</dd>
                </div>
            </dl>
            {next}
        </li>
    }
}

fn priority_badge(p: PlanPriority) -> (&'static str, &'static str) {
    match p {
        PlanPriority::Critical => (trs("Critical"), "badge urgency-past-due"),
        PlanPriority::Normal => (trs("Normal"), "badge badge-info"),
        PlanPriority::Low => (trs("Low"), "badge badge-muted"),
    }
}

fn stage_label(p: PlanProgress) -> &'static str {
    match p {
        PlanProgress::Backlog => trs("Backlog"),
        PlanProgress::InProgress => trs("In progress"),
        PlanProgress::Testing => trs("Testing"),
        PlanProgress::Done => trs("Done"),
    }
}

fn plan_card(p: &KioskPlan) -> impl IntoView + use<> {
    let (priority, class) = priority_badge(p.priority);
    view! {
        <li class="card kiosk-card" data-testid="kiosk-plan">
            <div class="kiosk-card-top">
                <h2 data-testid="kiosk-plan-title">{p.description.clone()}</h2>
                <span class=class data-testid="kiosk-plan-priority">{priority}</span>
            </div>
            <p class="kiosk-vehicle-line">{p.vehicle_name.clone()}</p>
            <div class="kiosk-badges">
                <span class="badge" data-testid="kiosk-plan-stage">{stage_label(p.progress)}</span>
            </div>
        </li>
    }
}

fn reminder_card(r: &KioskReminder, units: UnitSystem) -> impl IntoView + use<> {
    let (label, class) = urgency_badge(r.urgency);
    let due = due_text(r.due_date, r.due_distance, unit(r.use_hours, units));
    view! {
        <li
            class="card kiosk-card"
            class:kiosk-calm=r.urgency == ReminderUrgency::NotUrgent
            data-testid="kiosk-reminder"
        >
            <div class="kiosk-card-top">
                <h2 data-testid="kiosk-reminder-title">{r.description.clone()}</h2>
                <span class=class data-testid="kiosk-reminder-urgency">{label}</span>
            </div>
            <p class="kiosk-vehicle-line">{r.vehicle_name.clone()}</p>
            <p class="kiosk-due">{due}</p>
        </li>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cycle_mode_walks_the_three_sections() {
        let shown: Vec<Section> = (0..4).map(|s| section_at(KioskMode::Cycle, s)).collect();
        assert_eq!(
            shown,
            [
                Section::Vehicles,
                Section::Plans,
                Section::Reminders,
                Section::Vehicles
            ]
        );
        assert_eq!(section_at(KioskMode::Plans, 7), Section::Plans);
        assert_eq!(section_at(KioskMode::Vehicles, 2), Section::Vehicles);
    }

    #[test]
    fn intervals_are_whole_seconds_within_bounds() {
        for (text, secs) in [
            (None, 15),
            (Some("1"), 1),
            (Some(" 30 "), 30),
            (Some("0"), 15),
            (Some("-5"), 15),
            (Some("abc"), 15),
            (Some("999999"), 3600),
        ] {
            assert_eq!(interval_secs(text), secs, "{text:?}");
        }
    }
}

//! `/`: the garage, one card per vehicle.

use leptos::prelude::*;
use motovault_shared::Amount;
use motovault_shared::dto::reminders::ReminderUrgency;
use motovault_shared::dto::summary::ReminderSummary;
use motovault_shared::dto::{GarageMetric, Vehicle};
use motovault_shared::units::UnitSystem;

use crate::api;
use crate::app::use_auth;
use crate::components::alert::Alert;
use crate::components::icons::{CarIcon, PlusIcon};
use crate::components::layout::{EmptyIcon, EmptyState, Loading};
use crate::format;
use crate::i18n::{tr, tr_fmt, trs};
use crate::pages::vehicles::fuel_type_label;

#[component]
pub fn GaragePage() -> impl IntoView {
    let auth = use_auth();
    // Refetched when anyone changes any vehicle the user can see.
    let live = crate::live::watch(|| None);
    let vehicles = LocalResource::new(move || {
        live.track();
        api::vehicles::list()
    });
    // Every card's reminders in one call; a failure only hides the badges.
    let summaries = LocalResource::new(move || {
        live.track();
        api::summary::list()
    });

    let content = move || {
        match vehicles.get() {
        None => view! { <Loading /> }.into_any(),
        Some(Err(err)) => {
            let message = Signal::stored(Some(auth.explain(&err)));
            view! { <Alert message /> }.into_any()
        }
        Some(Ok(list)) if list.is_empty() => view! {
            <EmptyState
                icon=EmptyIcon::Car
                title=trs("Your garage is empty")
                text=trs("Add your first vehicle to start logging fill-ups and watching its fuel economy.")
                testid="garage-empty"
            >
                <a class="btn btn-primary" href="/vehicles/new" data-testid="add-first-vehicle">
                    <PlusIcon />
                    {tr("Add your first vehicle")}
                </a>
            </EmptyState>
        }
        .into_any(),
        Some(Ok(list)) => {
            let units = auth.units();
            view! {
                <ul class="vehicle-grid" data-testid="vehicle-list">
                    {list.into_iter().map(|v| view! { <VehicleCard vehicle=v units summaries /> }).collect_view()}
                </ul>
            }
            .into_any()
        }
    }
    };

    view! {
        <div class="page">
            <div class="page-header">
                <div>
                    <h1>{tr("Garage")}</h1>
                    <p class="muted">{tr("Your vehicles at a glance.")}</p>
                </div>
                <div class="garage-actions">
                    <a class="btn btn-secondary" href="/kiosk" data-testid="open-kiosk">
                        {crate::i18n::tr("Kiosk")}
                    </a>
                    <a class="btn btn-primary" href="/vehicles/new" data-testid="add-vehicle">
                        <PlusIcon />
                        {tr("Add vehicle")}
                    </a>
                </div>
            </div>
            {content}
        </div>
    }
}

#[component]
fn VehicleCard(
    vehicle: Vehicle,
    units: UnitSystem,
    summaries: LocalResource<Result<api::summary::CardSummaries, api::ApiError>>,
) -> impl IntoView {
    let vehicle_id = vehicle.id;
    let reminders = move || {
        summaries.with(|s| {
            s.as_ref()
                .and_then(|r| r.as_ref().ok())
                .and_then(|l| l.summaries.iter().find(|s| s.vehicle_id == vehicle_id))
                .and_then(|s| reminder_badge(&s.reminders))
        })
    };
    // The garage metric's figure from the summary (a dash until it arrives or if it fails).
    let metric = use_auth().settings().garage_metric;
    let figure = move |pick: fn(&api::summary::CardSummary) -> Amount| {
        summaries.with(|s| {
            s.as_ref()
                .and_then(|r| r.as_ref().ok())
                .and_then(|l| l.summaries.iter().find(|s| s.vehicle_id == vehicle_id))
                .map_or_else(|| "—".to_owned(), |s| format::money(pick(s)))
        })
    };
    let href = format!("/vehicles/{}", vehicle.id);
    let title = format!("{} {} {}", vehicle.year, vehicle.make, vehicle.model);
    let odometer = format!(
        "{} {}",
        format::grouped(vehicle.current_odometer),
        units.distance_unit()
    );
    let plate = (!vehicle.license_plate.is_empty()).then(|| {
        view! { <span class="plate" data-testid="vehicle-plate">{vehicle.license_plate.clone()}</span> }
    });
    view! {
        <li>
            <a class="vehicle-card card" href=href data-testid="vehicle-card">
                <div class="vehicle-card-top">
                    <span class="vehicle-avatar"><CarIcon /></span>
                    {plate}
                </div>
                <h2 class="vehicle-title" data-testid="vehicle-title">{title}</h2>
                <dl class="vehicle-facts">
                    <div>
                        <dt>{tr("Fuel")}</dt>
                        <dd>{fuel_type_label(vehicle.fuel_type)}</dd>
                    </div>
                    {metric_fact(metric, odometer, figure)}
                </dl>
                {reminders}
            </a>
        </li>
    }
}

/// The card's figure chosen in Settings (reference §1 "Garage metrics", §3.4): the odometer,
/// the total cost, or the cost per distance unit.
fn metric_fact(
    metric: GarageMetric,
    odometer: String,
    figure: impl Fn(fn(&api::summary::CardSummary) -> Amount) -> String + Copy + Send + Sync + 'static,
) -> AnyView {
    match metric {
        GarageMetric::Odometer => view! {
            <div>
                <dt>{tr("Odometer")}</dt>
                <dd data-testid="vehicle-odometer">{odometer}</dd>
            </div>
        }
        .into_any(),
        GarageMetric::TotalCost => view! {
            <div>
                <dt>{tr("Total cost")}</dt>
                <dd data-testid="vehicle-total-cost">{move || figure(|s| s.total_cost)}</dd>
            </div>
        }
        .into_any(),
        GarageMetric::CostPerDistance => {
            let unit = use_auth().units().distance_unit();
            view! {
                <div>
                    <dt>{tr_fmt("Cost per {unit}", &[("unit", unit)])}</dt>
                    <dd data-testid="vehicle-distance-cost">{move || figure(|s| s.cost_per_distance)}</dd>
                </div>
            }
            .into_any()
        }
    }
}

/// The reminders needing attention (urgent, very urgent, past due) with the next one due, or
/// nothing when all is calm.
fn reminder_badge(r: &ReminderSummary) -> Option<AnyView> {
    let count = r.urgent + r.very_urgent + r.past_due;
    if count == 0 {
        return None;
    }
    let (class, worst) = if r.past_due > 0 {
        (
            "badge urgency-past-due",
            tr_fmt("{n} past due", &[("n", &r.past_due.to_string())]),
        )
    } else if r.very_urgent > 0 {
        (
            "badge urgency-very-urgent",
            tr_fmt("{n} very urgent", &[("n", &r.very_urgent.to_string())]),
        )
    } else {
        (
            "badge urgency-urgent",
            tr_fmt("{n} urgent", &[("n", &r.urgent.to_string())]),
        )
    };
    let label = if count == 1 {
        tr("1 reminder needs attention")
    } else {
        tr_fmt(
            "{count} reminders need attention",
            &[("count", &count.to_string())],
        )
    };
    let next = r
        .next
        .as_ref()
        .filter(|n| n.urgency != ReminderUrgency::NotUrgent)
        .map(|n| {
            let when = n.due_date.map(format::date).map(|d| tr_fmt(" · due {d}", &[("d", &d)])).unwrap_or_default();
            view! { <span class="card-reminder-next" data-testid="reminder-next">{format!("{}{when}", n.description)}</span> }
        });
    Some(
        view! {
            <div class="card-reminders" data-testid="vehicle-reminders" aria-label=label>
                <span class=class data-testid="reminder-badge">{worst}</span>
                {next}
            </div>
        }
        .into_any(),
    )
}

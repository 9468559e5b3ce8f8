//! `/`: the garage, one card per vehicle.

use leptos::prelude::*;
use motovault_shared::dto::Vehicle;
use motovault_shared::dto::reminders::ReminderUrgency;
use motovault_shared::dto::summary::ReminderSummary;
use motovault_shared::units::UnitSystem;

use crate::api;
use crate::app::use_auth;
use crate::components::alert::Alert;
use crate::components::icons::{CarIcon, PlusIcon};
use crate::components::layout::{EmptyIcon, EmptyState, Loading};
use crate::format;
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
                title="Your garage is empty"
                text="Add your first vehicle to start logging fill-ups and watching its fuel economy."
                testid="garage-empty"
            >
                <a class="btn btn-primary" href="/vehicles/new" data-testid="add-first-vehicle">
                    <PlusIcon />
                    "Add your first vehicle"
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
                    <h1>"Garage"</h1>
                    <p class="muted">"Your vehicles at a glance."</p>
                </div>
                <a class="btn btn-primary" href="/vehicles/new" data-testid="add-vehicle">
                    <PlusIcon />
                    "Add vehicle"
                </a>
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
                        <dt>"Fuel"</dt>
                        <dd>{fuel_type_label(vehicle.fuel_type)}</dd>
                    </div>
                    <div>
                        <dt>"Odometer"</dt>
                        <dd data-testid="vehicle-odometer">{odometer}</dd>
                    </div>
                </dl>
                {reminders}
            </a>
        </li>
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
        ("badge urgency-past-due", format!("{} past due", r.past_due))
    } else if r.very_urgent > 0 {
        (
            "badge urgency-very-urgent",
            format!("{} very urgent", r.very_urgent),
        )
    } else {
        ("badge urgency-urgent", format!("{} urgent", r.urgent))
    };
    let label = if count == 1 {
        "1 reminder needs attention".to_owned()
    } else {
        format!("{count} reminders need attention")
    };
    let next = r
        .next
        .as_ref()
        .filter(|n| n.urgency != ReminderUrgency::NotUrgent)
        .map(|n| {
            let when = n.due_date.map(format::date).map(|d| format!(" · due {d}")).unwrap_or_default();
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

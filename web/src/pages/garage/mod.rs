//! `/`: the garage, one card per vehicle.

use leptos::prelude::*;
use motovault_shared::dto::Vehicle;
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
    let vehicles = LocalResource::new(api::vehicles::list);

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
                    {list.into_iter().map(|v| view! { <VehicleCard vehicle=v units /> }).collect_view()}
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
fn VehicleCard(vehicle: Vehicle, units: UnitSystem) -> impl IntoView {
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
            </a>
        </li>
    }
}

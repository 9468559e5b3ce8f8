//! `/vehicles/:id`: the vehicle's header and its Fuel tab.

use leptos::prelude::*;
use motovault_shared::dto::Vehicle;

use super::{fuel_type_label, use_vehicle_id};
use crate::api;
use crate::app::use_auth;
use crate::components::alert::Alert;
use crate::components::icons::{CarIcon, FuelIcon};
use crate::components::layout::Loading;
use crate::pages::fuel::FuelTab;
use crate::pages::not_found::NotFound;

#[component]
pub fn VehiclePage() -> impl IntoView {
    let auth = use_auth();
    let id = use_vehicle_id();
    let vehicle = LocalResource::new(move || {
        let id = id.get();
        async move {
            match id {
                Some(id) => api::vehicles::get(id).await.map(Some),
                None => Ok(None),
            }
        }
    });

    move || match vehicle.get() {
        None => view! { <Loading /> }.into_any(),
        Some(Ok(None)) => view! { <NotFound /> }.into_any(),
        Some(Err(err)) if err.is_not_found() => view! { <NotFound /> }.into_any(),
        Some(Err(err)) => {
            let message = Signal::stored(Some(auth.explain(&err)));
            view! { <div class="page"><Alert message /></div> }.into_any()
        }
        Some(Ok(Some(v))) => view! { <VehicleView vehicle=v /> }.into_any(),
    }
}

#[component]
fn VehicleView(vehicle: Vehicle) -> impl IntoView {
    let title = format!("{} {} {}", vehicle.year, vehicle.make, vehicle.model);
    let edit = format!("/vehicles/{}/edit", vehicle.id);
    let plate = (!vehicle.license_plate.is_empty())
        .then(|| view! { <span class="plate" data-testid="vehicle-plate">{vehicle.license_plate.clone()}</span> });
    let tags = vehicle
        .tags
        .iter()
        .map(|t| view! { <span class="tag">{t.clone()}</span> })
        .collect_view();
    view! {
        <div class="page">
            <a class="back-link" href="/">"← Garage"</a>
            <div class="page-header vehicle-header">
                <div class="vehicle-heading">
                    <span class="vehicle-avatar large"><CarIcon /></span>
                    <div>
                        <h1 data-testid="vehicle-heading">{title}</h1>
                        <div class="chips">
                            {plate}
                            <span class="chip">{fuel_type_label(vehicle.fuel_type)}</span>
                            {tags}
                        </div>
                    </div>
                </div>
                <a class="btn btn-secondary" href=edit data-testid="vehicle-edit">"Edit vehicle"</a>
            </div>
            <nav class="tabs" aria-label="Records">
                <span class="tab active" aria-current="page" data-testid="tab-fuel"><FuelIcon />"Fuel"</span>
            </nav>
            <FuelTab vehicle_id=vehicle.id />
        </div>
    }
}

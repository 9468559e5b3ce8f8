//! `/vehicles/:id` and `/vehicles/:id/:tab`: the vehicle's header and its record tabs
//! (Fuel by default).

use leptos::prelude::*;
use leptos::wasm_bindgen::JsCast;
use leptos_router::hooks::use_params_map;
use motovault_shared::dto::Vehicle;

use super::{fuel_type_label, use_vehicle_id};
use crate::api;
use crate::app::use_auth;
use crate::components::alert::Alert;
use crate::components::icons::CarIcon;
use crate::components::layout::Loading;
use crate::i18n::{mark, tr, trs};
use crate::pages::dashboard::DashboardTab;
use crate::pages::equipment::EquipmentTab;
use crate::pages::fuel::FuelTab;
use crate::pages::inspections::InspectionsTab;
use crate::pages::not_found::NotFound;
use crate::pages::planner::PlannerTab;
use crate::pages::records::{RecordsTab, Tab};
use crate::pages::reports::ReportsTab;
use crate::pages::supplies::SuppliesTab;

/// The tabs in default order: `(path segment, label)`, named as in `UserSettings::tabs`
/// (which may hide or reorder them). Fuel, the first, is `/vehicles/:id` itself.
pub const TABS: [(&str, &str); 14] = [
    ("fuel", mark("Fuel")),
    ("service", mark("Service")),
    ("repair", mark("Repair")),
    ("upgrade", mark("Upgrade")),
    ("odometer", mark("Odometer")),
    ("tax", mark("Tax")),
    ("reminders", mark("Reminders")),
    ("notes", mark("Notes")),
    ("supplies", mark("Supplies")),
    ("planner", mark("Planner")),
    ("equipment", mark("Equipment")),
    ("inspections", mark("Inspections")),
    ("dashboard", mark("Dashboard")),
    ("reports", mark("Reports")),
];

#[component]
pub fn VehiclePage() -> impl IntoView {
    let auth = use_auth();
    let id = use_vehicle_id();
    let params = use_params_map();
    let tab = Memo::new(move |_| params.with(|p| p.get("tab")).unwrap_or_default());
    // The page (and its tabs, with their notices and open dialogs) is built once per vehicle;
    // a change to the vehicle by anyone refetches only `fresh`, which the heading reads, and
    // each tab refetches its own list.
    let live = crate::live::watch(move || id.get());
    let fresh = LocalResource::new(move || {
        live.track();
        let id = id.get();
        async move {
            match id {
                Some(id) => api::vehicles::get(id).await.ok(),
                None => None,
            }
        }
    });
    let fresh = Signal::derive(move || fresh.get().flatten());
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
        Some(Ok(Some(v)))
            if tab.with(|t| t.is_empty() || TABS.iter().any(|(slug, _)| slug == t)) =>
        {
            view! { <VehicleView vehicle=v tab fresh /> }.into_any()
        }
        Some(Ok(Some(_))) => view! { <NotFound /> }.into_any(),
    }
}

#[component]
fn VehicleView(
    vehicle: Vehicle,
    tab: Memo<String>,
    /// The vehicle as last refetched after a live change (`None` until then).
    fresh: Signal<Option<Vehicle>>,
) -> impl IntoView {
    let auth = use_auth();
    let (first_title, first_plate) = (heading_of(&vehicle), vehicle.license_plate.clone());
    let title = move || {
        fresh
            .with(|f| f.as_ref().map(heading_of))
            .unwrap_or_else(|| first_title.clone())
    };
    let edit = format!("/vehicles/{}/edit", vehicle.id);
    let plate = move || {
        let text = fresh
            .with(|f| f.as_ref().map(|v| v.license_plate.clone()))
            .unwrap_or_else(|| first_plate.clone());
        (!text.is_empty())
            .then(|| view! { <span class="plate" data-testid="vehicle-plate">{text}</span> })
    };
    let tags = vehicle
        .tags
        .iter()
        .map(|t| view! { <span class="tag">{t.clone()}</span> })
        .collect_view();
    let id = vehicle.id;
    let unit = if vehicle.use_hours {
        "h"
    } else {
        auth.units().distance_unit()
    };
    // The user's visible tabs in their order (Settings); the ones this page has.
    let mut order: Vec<usize> = auth
        .settings()
        .tabs
        .iter()
        .filter_map(|name| TABS.iter().position(|(slug, _)| slug == name))
        .collect();
    if order.is_empty() {
        order = (0..TABS.len()).collect();
    }
    let links = order
        .into_iter()
        .map(|i| {
            let (slug, label) = TABS[i];
            // Fuel is the page itself: `/vehicles/3`, no `:tab`.
            let fuel = i == 0;
            let href = if fuel {
                format!("/vehicles/{id}")
            } else {
                format!("/vehicles/{id}/{slug}")
            };
            let active = move || tab.with(|t| t == slug || (fuel && t.is_empty()));
            let testid = format!("tab-{slug}");
            view! {
                <a
                    class="tab"
                    class:active=active
                    href=href
                    aria-current=move || active().then_some("page")
                    data-testid=testid
                >
                    {tr(label)}
                </a>
            }
        })
        .collect_view();
    let content = move || match tab.get().as_str() {
        "supplies" => view! { <SuppliesTab vehicle_id=id /> }.into_any(),
        "planner" => view! { <PlannerTab vehicle_id=id /> }.into_any(),
        "equipment" => view! { <EquipmentTab vehicle_id=id /> }.into_any(),
        "inspections" => view! { <InspectionsTab vehicle_id=id /> }.into_any(),
        "dashboard" => view! { <DashboardTab vehicle_id=id /> }.into_any(),
        "reports" => view! { <ReportsTab vehicle_id=id /> }.into_any(),
        slug => match Tab::parse(slug) {
            Some(tab) => view! { <RecordsTab vehicle_id=id tab unit /> }.into_any(),
            None => view! { <FuelTab vehicle_id=id /> }.into_any(),
        },
    };
    // On a phone the tab bar scrolls: a deep link brings its tab into view (a click happens
    // on a visible tab already).
    request_animation_frame(|| {
        if let Ok(Some(active)) = document().query_selector(".tabs .tab.active")
            && let Ok(active) = active.dyn_into::<web_sys::HtmlElement>()
            && let Some(bar) = active.parent_element()
        {
            // Only as far as needed for its right edge to show.
            let hidden = active.offset_left() + active.offset_width() + 14 - bar.client_width();
            if hidden > 0 {
                bar.set_scroll_left(hidden);
            }
        }
    });
    // The role hides what it cannot do (style.css `[data-access]`); the server enforces it.
    let access = vehicle.access.as_str();
    let export = format!("/api/v1/vehicles/{id}/attachments/export");
    view! {
        <div class="page" data-access=access>
            <a class="back-link" href="/">{tr("← Garage")}</a>
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
                <div class="section-actions">
                    <a class="btn btn-secondary" href=export download="" data-testid="attachments-export">{tr("Export attachments")}</a>
                    <a class="btn btn-secondary" href=edit data-testid="vehicle-edit">{tr("Edit vehicle")}</a>
                </div>
            </div>
            <nav class="tabs" aria-label=trs("Records")>{links}</nav>
            {content}
        </div>
    }
}

/// "2020 Honda Civic": the page heading of a vehicle.
fn heading_of(vehicle: &Vehicle) -> String {
    format!("{} {} {}", vehicle.year, vehicle.make, vehicle.model)
}

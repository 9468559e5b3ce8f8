use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_navigate;
use motovault_shared::dto::{Vehicle, VehicleAccess};

use super::form::VehicleForm;
use super::sharing::SharingPanel;
use super::use_vehicle_id;
use crate::api;
use crate::app::use_auth;
use crate::components::alert::Alert;
use crate::components::dialog::ConfirmDialog;
use crate::components::layout::Loading;
use crate::i18n::{tr, tr_fmt, trs};
use crate::pages::not_found::NotFound;

#[component]
pub fn EditVehiclePage() -> impl IntoView {
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
        Some(Ok(Some(v))) => view! { <EditVehicle vehicle=v /> }.into_any(),
    }
}

#[component]
fn EditVehicle(vehicle: Vehicle) -> impl IntoView {
    let auth = use_auth();
    let navigate = use_navigate();
    let flash = crate::flash::use_flash();
    let id = vehicle.id;
    let back = format!("/vehicles/{id}");
    let title = tr_fmt(
        "Edit {year} {make} {model}",
        &[
            ("year", &vehicle.year.to_string()),
            ("make", &vehicle.make.to_string()),
            ("model", &vehicle.model.to_string()),
        ],
    );
    // Sharing and deleting are the owners' alone (household members get 403).
    let owner = vehicle.access == VehicleAccess::Owner;
    let confirming = RwSignal::new(false);
    let deleting = RwSignal::new(false);
    let alert = RwSignal::new(None::<String>);

    let on_saved = {
        let navigate = navigate.clone();
        move |v: Vehicle| {
            let path = format!("/vehicles/{}", v.id);
            flash.show_at(path.clone(), tr("Vehicle saved."));
            navigate(&path, Default::default());
        }
    };
    let on_delete = move |()| {
        let csrf = auth.csrf();
        let navigate = navigate.clone();
        deleting.set(true);
        spawn_local(async move {
            match api::write(&csrf, api::vehicles::delete(id)).await {
                Ok(()) => {
                    flash.show_at("/", tr("Vehicle deleted."));
                    navigate("/", Default::default());
                }
                Err(err) => {
                    deleting.set(false);
                    confirming.set(false);
                    alert.set(Some(auth.explain(&err)));
                }
            }
        });
    };

    view! {
        <div class="page page-narrow">
            <a class="back-link" href=back.clone()>{tr("← Back to vehicle")}</a>
            <div class="page-header">
                <h1>{title}</h1>
            </div>
            <VehicleForm initial=Some(vehicle) on_saved cancel_href=back />
            {owner.then(|| view! {
            <SharingPanel vehicle_id=id />
            <section class="card danger-zone">
                <div>
                    <h2>{tr("Delete this vehicle")}</h2>
                    <p class="muted">{tr("Removes the vehicle and all of its fill-ups. This cannot be undone.")}</p>
                </div>
                <button type="button" class="btn btn-danger" data-testid="vehicle-delete" on:click=move |_| confirming.set(true)>
                    {tr("Delete vehicle")}
                </button>
            </section>
            })}
            <Alert message=alert />
            <Show when=move || confirming.get()>
                <ConfirmDialog
                    title=trs("Delete vehicle?")
                    body=trs("The vehicle and all its fill-ups will be deleted permanently.")
                    confirm_label=trs("Delete vehicle")
                    busy=deleting
                    on_confirm=on_delete.clone()
                    on_close=move |()| confirming.set(false)
                />
            </Show>
        </div>
    }
}

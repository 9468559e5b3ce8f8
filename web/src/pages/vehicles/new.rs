use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use motovault_shared::dto::Vehicle;

use super::form::VehicleForm;
use crate::i18n::tr;

#[component]
pub fn NewVehiclePage() -> impl IntoView {
    let navigate = use_navigate();
    let flash = crate::flash::use_flash();
    let on_saved = move |vehicle: Vehicle| {
        let path = format!("/vehicles/{}", vehicle.id);
        flash.show_at(path.clone(), tr("Vehicle added."));
        navigate(&path, Default::default());
    };
    view! {
        <div class="page page-narrow">
            <a class="back-link" href="/">{tr("← Garage")}</a>
            <div class="page-header">
                <h1>{tr("Add a vehicle")}</h1>
            </div>
            <VehicleForm initial=None on_saved cancel_href="/" />
        </div>
    }
}

//! `/settings`: the unit system (economy figures are computed by the server in these units).

use leptos::prelude::*;
use leptos::task::spawn_local;
use motovault_shared::dto::UserSettings;
use motovault_shared::units::UnitSystem;

use crate::api;
use crate::app::use_auth;
use crate::components::alert::{Alert, Notice};

struct Choice {
    system: UnitSystem,
    value: &'static str,
    name: &'static str,
    detail: &'static str,
}

const CHOICES: [Choice; 3] = [
    Choice {
        system: UnitSystem::Imperial,
        value: "imperial",
        name: "Imperial (US)",
        detail: "Miles, US gallons, mpg",
    },
    Choice {
        system: UnitSystem::Metric,
        value: "metric",
        name: "Metric",
        detail: "Kilometres, litres, L/100km",
    },
    Choice {
        system: UnitSystem::Uk,
        value: "uk",
        name: "UK",
        detail: "Miles, litres, UK mpg",
    },
];

#[component]
pub fn SettingsPage() -> impl IntoView {
    let auth = use_auth();
    let selected = RwSignal::new(auth.units());
    let busy = RwSignal::new(false);
    let alert = RwSignal::new(None::<String>);
    let notice = RwSignal::new(None::<String>);

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        // Only the unit system is edited here; every other setting is sent back unchanged.
        let settings = UserSettings {
            unit_system: selected.get_untracked(),
            ..auth.settings()
        };
        let csrf = auth.csrf();
        busy.set(true);
        alert.set(None);
        notice.set(None);
        spawn_local(async move {
            let result = api::auth::save_settings(&csrf, &settings).await;
            busy.set(false);
            match result {
                Ok(saved) => {
                    auth.set_settings(saved);
                    notice.set(Some("Settings saved.".to_owned()));
                }
                Err(err) => alert.set(Some(auth.explain(&err))),
            }
        });
    };

    let options = CHOICES
        .iter()
        .map(|choice| {
            let system = choice.system;
            view! {
                <label class="choice" class:selected=move || selected.get() == system>
                    <input
                        type="radio"
                        name="unit-system"
                        value=choice.value
                        data-testid=format!("units-{}", choice.value)
                        prop:checked=move || selected.get() == system
                        on:change=move |_| {
                            selected.set(system);
                            notice.set(None);
                        }
                    />
                    <span class="choice-name">{choice.name}</span>
                    <span class="choice-detail">{choice.detail}</span>
                </label>
            }
        })
        .collect_view();

    view! {
        <div class="page page-narrow">
            <div class="page-header">
                <div>
                    <h1>"Settings"</h1>
                    <p class="muted">"How distances, fuel and economy are shown to you."</p>
                </div>
            </div>
            <form class="card form-card" on:submit=submit data-testid="settings-form">
                <fieldset class="choices">
                    <legend>"Unit system"</legend>
                    {options}
                </fieldset>
                <Alert message=alert />
                <Notice message=notice />
                <div class="form-actions">
                    <button type="submit" class="btn btn-primary" data-testid="settings-save" disabled=move || busy.get()>
                        {move || if busy.get() { "Saving…" } else { "Save settings" }}
                    </button>
                </div>
            </form>
        </div>
    }
}

//! `/settings`: the unit system (economy figures are computed by the server in these units),
//! currency, locale, date format and theme, and which vehicle tabs show, in what order. The other sections (profile, API keys,
//! household) have their own pages under `/settings/…`, joined by [`SettingsNav`].

mod api_keys;
mod extra_fields;
mod household;
mod profile;

pub use api_keys::{ApiKeysPage, day};
pub use extra_fields::ExtraFieldsSettings;
pub use household::HouseholdPage;
pub use profile::ProfilePage;

use leptos::prelude::*;
use leptos::task::spawn_local;
use motovault_shared::dto::{DateFormat, Theme, UserSettings, VEHICLE_TABS};
use motovault_shared::problem::FieldError;
use motovault_shared::units::UnitSystem;

use crate::api;
use crate::app::{apply_theme, use_auth};
use crate::components::alert::{Alert, Notice};
use crate::components::field_error::{Field, focus_first_invalid};
use crate::pages::admin::SubNav;
use crate::pages::records::Check;

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
    // Every tab as (slug, shown): the shown ones first in the user's order, then the others.
    let initial = auth.settings();
    let visible = initial.visible_tabs();
    let mut rows: Vec<(&'static str, bool)> = visible
        .iter()
        .filter_map(|v| VEHICLE_TABS.iter().copied().find(|t| t == v))
        .map(|t| (t, true))
        .collect();
    rows.extend(
        VEHICLE_TABS
            .iter()
            .filter(|t| !visible.contains(t))
            .map(|t| (*t, false)),
    );
    let tabs = RwSignal::new(rows);
    let currency = RwSignal::new(initial.currency.clone());
    let locale = RwSignal::new(initial.locale.clone());
    let date_format = RwSignal::new(initial.date_format);
    let theme = RwSignal::new(initial.theme);
    let refresh = RwSignal::new(initial.enable_auto_reminder_refresh);
    let errors = RwSignal::new(Vec::<FieldError>::new());
    // The theme previews as soon as it is picked; leaving unsaved puts the saved one back.
    on_cleanup(move || apply_theme(auth.settings().theme));
    let busy = RwSignal::new(false);
    let alert = RwSignal::new(None::<String>);
    let notice = RwSignal::new(None::<String>);

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let shown: Vec<String> = tabs.with_untracked(|rows| {
            rows.iter()
                .filter(|(_, on)| *on)
                .map(|(t, _)| (*t).to_owned())
                .collect()
        });
        if shown.is_empty() {
            alert.set(Some("Keep at least one tab.".to_owned()));
            return;
        }
        // Every other setting is sent back unchanged.
        let settings = UserSettings {
            unit_system: selected.get_untracked(),
            tabs: shown,
            currency: currency.get_untracked().trim().to_ascii_uppercase(),
            locale: locale.get_untracked().trim().to_owned(),
            date_format: date_format.get_untracked(),
            theme: theme.get_untracked(),
            enable_auto_reminder_refresh: refresh.get_untracked(),
            ..auth.settings()
        };
        let problems = settings.validate();
        errors.set(problems.clone());
        if !problems.is_empty() {
            focus_first_invalid("[data-testid=settings-form]");
            return;
        }
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
                Err(err) => {
                    errors.set(err.field_errors().to_vec());
                    alert.set(Some(auth.explain(&err)));
                }
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

    let move_tab = move |index: usize, up: bool| {
        tabs.update(|rows| {
            let other = if up {
                index.checked_sub(1)
            } else {
                Some(index + 1)
            };
            if let Some(other) = other.filter(|o| *o < rows.len()) {
                rows.swap(index, other);
            }
        });
        notice.set(None);
    };
    let tab_rows = move || {
        let rows = tabs.get();
        let last = rows.len().saturating_sub(1);
        rows.into_iter()
            .enumerate()
            .map(|(index, (slug, on))| {
                view! {
                    <li class="tab-choice" data-testid=format!("tab-choice-{slug}")>
                        <label>
                            <input
                                type="checkbox"
                                prop:checked=on
                                data-testid=format!("tab-show-{slug}")
                                on:change=move |_| {
                                    tabs.update(|rows| rows[index].1 = !rows[index].1);
                                    notice.set(None);
                                }
                            />
                            {tab_label(slug)}
                        </label>
                        <span class="tab-choice-moves">
                            <button type="button" class="btn btn-ghost btn-sm" aria-label=format!("Move {slug} up")
                                data-testid=format!("tab-up-{slug}") disabled=index == 0
                                on:click=move |_| move_tab(index, true)>"↑"</button>
                            <button type="button" class="btn btn-ghost btn-sm" aria-label=format!("Move {slug} down")
                                data-testid=format!("tab-down-{slug}") disabled=index == last
                                on:click=move |_| move_tab(index, false)>"↓"</button>
                        </span>
                    </li>
                }
            })
            .collect_view()
    };

    view! {
        <div class="page page-narrow">
            <div class="page-header">
                <div>
                    <h1>"Settings"</h1>
                    <p class="muted">"How distances, fuel and economy are shown to you."</p>
                </div>
            </div>
            <SettingsNav />
            <form class="card form-card" on:submit=submit data-testid="settings-form">
                <fieldset class="choices">
                    <legend>"Unit system"</legend>
                    {options}
                </fieldset>
                <fieldset class="display-fields">
                    <legend>"Display"</legend>
                    <div class="display-grid">
                        <Field label="Currency" id="settings-currency" field="currency" errors hint="ISO code, e.g. USD, EUR, GBP.">
                            <input id="settings-currency" data-testid="currency-input" type="text" maxlength="3" autocapitalize="characters" bind:value=currency />
                        </Field>
                        <Field label="Locale" id="settings-locale" field="locale" errors hint="Language and region, e.g. en-US, de-DE.">
                            <input id="settings-locale" data-testid="locale-input" type="text" autocapitalize="none" bind:value=locale />
                        </Field>
                        <Field label="Dates" id="settings-date-format" field="dateFormat" errors>
                            <select id="settings-date-format" data-testid="dateFormat-input" on:change=move |ev| {
                                date_format.set(if event_target_value(&ev) == "iso" { DateFormat::Iso } else { DateFormat::Locale });
                                notice.set(None);
                            }>
                                <option value="locale" selected=initial.date_format == DateFormat::Locale>"As the locale writes them"</option>
                                <option value="iso" selected=initial.date_format == DateFormat::Iso>"ISO (2024-03-31)"</option>
                            </select>
                        </Field>
                        <Field label="Theme" id="settings-theme" field="theme" errors>
                            <select id="settings-theme" data-testid="theme-input" on:change=move |ev| {
                                let picked = match event_target_value(&ev).as_str() {
                                    "light" => Theme::Light,
                                    "dark" => Theme::Dark,
                                    _ => Theme::System,
                                };
                                theme.set(picked);
                                apply_theme(picked);
                                notice.set(None);
                            }>
                                <option value="system" selected=initial.theme == Theme::System>"Same as the device"</option>
                                <option value="light" selected=initial.theme == Theme::Light>"Light"</option>
                                <option value="dark" selected=initial.theme == Theme::Dark>"Dark"</option>
                            </select>
                        </Field>
                    </div>
                    <Check label="Refresh reminders" text="Move past-due recurring reminders forward when they are listed." value=refresh testid="reminder-refresh-input" />
                </fieldset>
                <fieldset class="choices">
                    <legend>"Vehicle tabs"</legend>
                    <p class="muted">"Tick the tabs to show on a vehicle's page; arrows set their order."</p>
                    <ul class="tab-choices">{tab_rows}</ul>
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

fn tab_label(slug: &str) -> String {
    let mut chars = slug.chars();
    chars
        .next()
        .map(|first| first.to_ascii_uppercase().to_string() + chars.as_str())
        .unwrap_or_default()
}

/// The sections of the user's settings.
#[component]
pub fn SettingsNav() -> impl IntoView {
    view! {
        <SubNav label="Settings sections" links=&[
            ("/settings", "Display", "settings-nav-display"),
            ("/settings/profile", "Profile", "settings-nav-profile"),
            ("/settings/api-keys", "API keys", "settings-nav-api-keys"),
            ("/settings/household", "Household", "settings-nav-household"),
        ] />
    }
}

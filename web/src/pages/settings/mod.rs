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
use motovault_shared::dto::{DateFormat, GarageMetric, Theme, UserSettings, VEHICLE_TABS};
use motovault_shared::problem::FieldError;
use motovault_shared::units::UnitSystem;

use crate::api;
use crate::app::{apply_theme, use_auth};
use crate::components::alert::{Alert, Notice};
use crate::components::field_error::{Field, focus_first_invalid};
use crate::i18n::{mark, tr, tr_fmt, trs};
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
        name: mark("Imperial (US)"),
        detail: mark("Miles, US gallons, mpg"),
    },
    Choice {
        system: UnitSystem::Metric,
        value: "metric",
        name: mark("Metric"),
        detail: mark("Kilometres, litres, L/100km"),
    },
    Choice {
        system: UnitSystem::Uk,
        value: "uk",
        name: mark("UK"),
        detail: mark("Miles, litres, UK mpg"),
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
    let language = RwSignal::new(initial.language.clone());
    let garage_metric = RwSignal::new(initial.garage_metric);
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
            alert.set(Some(tr("Keep at least one tab.")));
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
            language: language.get_untracked(),
            garage_metric: garage_metric.get_untracked(),
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
                    notice.set(Some(tr("Settings saved.")));
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
                    <span class="choice-name">{tr(choice.name)}</span>
                    <span class="choice-detail">{tr(choice.detail)}</span>
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
                            <button type="button" class="btn btn-ghost btn-sm" aria-label=tr_fmt("Move {tab} up", &[("tab", &tab_label(slug))])
                                data-testid=format!("tab-up-{slug}") disabled=index == 0
                                on:click=move |_| move_tab(index, true)>"↑"</button>
                            <button type="button" class="btn btn-ghost btn-sm" aria-label=tr_fmt("Move {tab} down", &[("tab", &tab_label(slug))])
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
                    <h1>{tr("Settings")}</h1>
                    <p class="muted">{tr("How distances, fuel and economy are shown to you.")}</p>
                </div>
            </div>
            <SettingsNav />
            <form class="card form-card" on:submit=submit data-testid="settings-form">
                <fieldset class="choices">
                    <legend>{tr("Unit system")}</legend>
                    {options}
                </fieldset>
                <fieldset class="display-fields">
                    <legend>{tr("Display")}</legend>
                    <div class="display-grid">
                        <Field label=trs("Currency") id="settings-currency" field="currency" errors hint=trs("ISO code, e.g. USD, EUR, GBP.")>
                            <input id="settings-currency" data-testid="currency-input" type="text" maxlength="3" autocapitalize="characters" bind:value=currency />
                        </Field>
                        <Field label=trs("Locale") id="settings-locale" field="locale" errors hint=trs("Language and region, e.g. en-US, de-DE.")>
                            <input id="settings-locale" data-testid="locale-input" type="text" autocapitalize="none" bind:value=locale />
                        </Field>
                        <Field label=trs("Dates") id="settings-date-format" field="dateFormat" errors>
                            <select id="settings-date-format" data-testid="dateFormat-input" on:change=move |ev| {
                                date_format.set(if event_target_value(&ev) == "iso" { DateFormat::Iso } else { DateFormat::Locale });
                                notice.set(None);
                            }>
                                <option value="locale" selected=initial.date_format == DateFormat::Locale>{tr("As the locale writes them")}</option>
                                <option value="iso" selected=initial.date_format == DateFormat::Iso>{tr("ISO (2024-03-31)")}</option>
                            </select>
                        </Field>
                        <Field label=trs("Theme") id="settings-theme" field="theme" errors>
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
                                <option value="system" selected=initial.theme == Theme::System>{tr("Same as the device")}</option>
                                <option value="light" selected=initial.theme == Theme::Light>{tr("Light")}</option>
                                <option value="dark" selected=initial.theme == Theme::Dark>{tr("Dark")}</option>
                            </select>
                        </Field>
                        // Each language is named in itself; saving another one reloads the app in it.
                        <Field label=trs("Language") id="settings-language" field="language" errors>
                            <select id="settings-language" data-testid="language-input" on:change=move |ev| {
                                language.set(event_target_value(&ev));
                                notice.set(None);
                            }>
                                <option value="en" selected=initial.language == "en">"English"</option>
                                <option value="de" selected=initial.language == "de">"Deutsch"</option>
                            </select>
                        </Field>
                        <Field label=trs("Garage cards show") id="settings-garage-metric" field="garageMetric" errors>
                            <select id="settings-garage-metric" data-testid="garage-metric-input" on:change=move |ev| {
                                garage_metric.set(match event_target_value(&ev).as_str() {
                                    "totalCost" => GarageMetric::TotalCost,
                                    "costPerDistance" => GarageMetric::CostPerDistance,
                                    _ => GarageMetric::Odometer,
                                });
                                notice.set(None);
                            }>
                                <option value="odometer" selected=initial.garage_metric == GarageMetric::Odometer>{tr("Odometer")}</option>
                                <option value="totalCost" selected=initial.garage_metric == GarageMetric::TotalCost>{tr("Total cost")}</option>
                                <option value="costPerDistance" selected=initial.garage_metric == GarageMetric::CostPerDistance>{tr("Cost per distance")}</option>
                            </select>
                        </Field>
                    </div>
                    <Check label=trs("Refresh reminders") text=trs("Move past-due recurring reminders forward when they are listed.") value=refresh testid="reminder-refresh-input" />
                </fieldset>
                <fieldset class="choices">
                    <legend>{tr("Vehicle tabs")}</legend>
                    <p class="muted">{tr("Tick the tabs to show on a vehicle's page; arrows set their order.")}</p>
                    <ul class="tab-choices">{tab_rows}</ul>
                </fieldset>
                <Alert message=alert />
                <Notice message=notice />
                <div class="form-actions">
                    <button type="submit" class="btn btn-primary" data-testid="settings-save" disabled=move || busy.get()>
                        {move || if busy.get() { tr("Saving…") } else { tr("Save settings") }}
                    </button>
                </div>
            </form>
        </div>
    }
}

fn tab_label(slug: &str) -> String {
    crate::pages::vehicles::TABS
        .iter()
        .find(|(s, _)| *s == slug)
        .map_or_else(|| slug.to_owned(), |(_, label)| tr(label))
}

const SETTINGS_LINKS: [(&str, &str, &str); 4] = [
    ("/settings", mark("Display"), "settings-nav-display"),
    ("/settings/profile", mark("Profile"), "settings-nav-profile"),
    (
        "/settings/api-keys",
        mark("API keys"),
        "settings-nav-api-keys",
    ),
    (
        "/settings/household",
        mark("Household"),
        "settings-nav-household",
    ),
];

/// The sections of the user's settings.
#[component]
pub fn SettingsNav() -> impl IntoView {
    view! {
        <SubNav label=trs("Settings sections") links=&SETTINGS_LINKS />
    }
}

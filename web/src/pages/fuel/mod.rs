//! The Fuel tab: economy summary, chart, fill-up table and the add/edit/delete dialogs.

mod form;
mod summary;
mod table;

use leptos::prelude::*;
use leptos::task::spawn_local;
use motovault_shared::dto::{FuelRecord, FuelRecordList};

use crate::api;
use crate::app::use_auth;
use crate::components::alert::{Alert, Notice};
use crate::components::chart::{ChartPoint, EconomyChart};
use crate::components::csv_import::CsvTools;
use crate::components::dialog::ConfirmDialog;
use crate::components::filter::FilterBox;
use crate::components::icons::PlusIcon;
use crate::components::layout::{EmptyIcon, EmptyState, Loading};
use crate::format;
use crate::i18n::{tr, tr_fmt, trs};
use form::{FuelForm, FuelFormContext};
use summary::FuelSummary;
use table::FuelTable;

fn chart_points(list: &FuelRecordList) -> Vec<ChartPoint> {
    list.records
        .iter()
        .filter_map(|r| {
            r.fuel_economy.map(|value| ChartPoint {
                date: r.date,
                value,
            })
        })
        .collect()
}

#[component]
pub fn FuelTab(vehicle_id: i64) -> impl IntoView {
    let auth = use_auth();
    let live = crate::live::watch(move || Some(vehicle_id));
    let records = LocalResource::new(move || {
        live.track();
        api::fuel::list(vehicle_id)
    });
    let editor = RwSignal::new(None::<FuelFormContext>);
    let to_delete = RwSignal::new(None::<FuelRecord>);
    let deleting = RwSignal::new(false);
    let alert = RwSignal::new(None::<String>);
    let notice = RwSignal::new(None::<String>);

    let open_editor = move |record: Option<FuelRecord>| {
        let context = records.with_untracked(|list| match list {
            Some(Ok(list)) => FuelFormContext::new(vehicle_id, list, record),
            _ => FuelFormContext::fallback(vehicle_id, record),
        });
        notice.set(None);
        editor.set(Some(context));
    };
    let on_edit = Callback::new(move |record: FuelRecord| open_editor(Some(record)));
    // A deep link (`?add=1`, `?record=ID`, e.g. from a sticker's QR code) acts once the list
    // is in: the form needs the list for its context.
    let link = crate::pages::stickers::DeepLink::read();
    if link.is_some() {
        link.highlight();
        let pending = StoredValue::new(true);
        Effect::new(move |_| {
            let Some(found) = records.with(|state| match state {
                Some(Ok(list)) => Some(
                    link.record
                        .and_then(|id| list.records.iter().find(|r| r.id == id).cloned()),
                ),
                _ => None,
            }) else {
                return;
            };
            if pending.get_value() {
                pending.set_value(false);
                if link.add || found.is_some() {
                    open_editor(found.filter(|_| !link.add));
                }
            }
        });
    }
    let on_delete = Callback::new(move |record: FuelRecord| {
        notice.set(None);
        to_delete.set(Some(record));
    });
    let on_saved = Callback::new(move |created: bool| {
        editor.set(None);
        notice.set(Some(
            if created {
                tr("Fill-up added.")
            } else {
                tr("Fill-up updated.")
            }
            .to_owned(),
        ));
        records.refetch();
    });
    let confirm_delete = move |()| {
        let Some(record) = to_delete.get_untracked() else {
            return;
        };
        let csrf = auth.csrf();
        deleting.set(true);
        spawn_local(async move {
            let result = api::write(&csrf, api::fuel::delete(vehicle_id, record.id)).await;
            deleting.set(false);
            to_delete.set(None);
            match result {
                Ok(()) => {
                    notice.set(Some(tr("Fill-up deleted.")));
                    records.refetch();
                }
                Err(err) => alert.set(Some(auth.explain(&err))),
            }
        });
    };

    let content = move || {
        match records.get() {
        None => view! { <Loading /> }.into_any(),
        Some(Err(err)) => {
            let message = Signal::stored(Some(auth.explain(&err)));
            view! { <Alert message /> }.into_any()
        }
        Some(Ok(list)) if list.records.is_empty() => view! {
            <EmptyState
                icon=EmptyIcon::Fuel
                title=trs("No fill-ups yet")
                text=trs("Log each visit to the pump: fuel economy appears from the second full tank.")
                testid="fuel-empty"
            >
                <button type="button" class="btn btn-primary" on:click=move |_| open_editor(None)>
                    <PlusIcon />
                    {tr("Add the first fill-up")}
                </button>
            </EmptyState>
        }
        .into_any(),
        Some(Ok(list)) => {
            let points = chart_points(&list);
            let unit = list.economy_unit.clone();
            let chart = if points.is_empty() {
                view! {
                    <p class="muted chart-empty" data-testid="chart-empty">
                        {tr("The chart appears once a full fill-up follows another one.")}
                    </p>
                }
                .into_any()
            } else {
                view! { <EconomyChart points unit=unit.clone() /> }.into_any()
            };
            view! {
                <FuelSummary list=list.clone() />
                <section class="card chart-card">
                    <div class="card-header">
                        <h2>{tr("Fuel economy over time")}</h2>
                        <span class="muted">{unit}</span>
                    </div>
                    {chart}
                </section>
                <section class="card table-card" data-filter-scope>
                    <div class="card-header">
                        <h2>{tr("Fill-ups")}</h2>
                        <div class="card-tools">
                            <FilterBox />
                            <span class="muted" data-testid="fuel-count">{tr_fmt("{n} records", &[("n", &list.records.len().to_string())])}</span>
                        </div>
                    </div>
                    <FuelTable list on_edit on_delete />
                </section>
            }
            .into_any()
        }
    }
    };

    view! {
        <div class="fuel-tab">
            <div class="section-header">
                <h2 class="sr-only">{tr("Fuel")}</h2>
                <div class="section-messages">
                    <Alert message=alert />
                    <Notice message=notice />
                </div>
                <CsvTools vehicle_id record="fuel-records" on_imported=move |()| records.refetch() />
                <a class="btn btn-secondary" data-testid="stickers-link" href=format!("/vehicles/{vehicle_id}/stickers?tab=fuel")>
                    {crate::i18n::tr("Stickers")}
                </a>
                <button type="button" class="btn btn-primary" data-testid="add-fuel" on:click=move |_| open_editor(None)>
                    <PlusIcon />
                    {tr("Add fill-up")}
                </button>
            </div>
            {content}
            {move || {
                editor.get().map(|context| view! { <FuelForm context on_saved on_close=move |()| editor.set(None) /> })
            }}
            {move || {
                to_delete.get().map(|record| {
                    let body = tr_fmt(
                        "The fill-up of {date} at {odometer} will be deleted permanently.",
                        &[
                            ("date", &format::date(record.date)),
                            ("odometer", &format::grouped(record.odometer)),
                        ],
                    );
                    view! {
                        <ConfirmDialog
                            title=trs("Delete fill-up?")
                            body
                            confirm_label=trs("Delete")
                            busy=deleting
                            on_confirm=confirm_delete
                            on_close=move |()| to_delete.set(None)
                        />
                    }
                })
            }}
        </div>
    }
}

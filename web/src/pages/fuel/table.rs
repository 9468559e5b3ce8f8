//! The fill-up table (stacked cards on a phone, by CSS).

use leptos::prelude::*;
use motovault_shared::dto::{FuelRecord, FuelRecordList};

use crate::format;
use crate::i18n::{tr, tr_fmt, trs};

#[component]
pub fn FuelTable(
    list: FuelRecordList,
    #[prop(into)] on_edit: Callback<FuelRecord>,
    #[prop(into)] on_delete: Callback<FuelRecord>,
) -> impl IntoView {
    let economy_unit = list.economy_unit.clone();
    let fuel_unit = list.fuel_unit.clone();
    let distance_unit = list.distance_unit.clone();
    let rows = list
        .records
        .into_iter()
        .map(|record| {
            view! {
                <Row
                    record
                    economy_unit=economy_unit.clone()
                    fuel_unit=fuel_unit.clone()
                    distance_unit=distance_unit.clone()
                    on_edit
                    on_delete
                />
            }
        })
        .collect_view();
    view! {
        <div class="table-wrap">
            <table class="records" data-testid="fuel-table">
                <thead>
                    <tr>
                        <th scope="col">{tr("Date")}</th>
                        <th scope="col" class="num">{tr_fmt("Odometer ({unit})", &[("unit", &list.distance_unit)])}</th>
                        <th scope="col" class="num">{tr("Distance")}</th>
                        <th scope="col" class="num">{tr_fmt("Fuel ({unit})", &[("unit", &list.fuel_unit)])}</th>
                        <th scope="col" class="num">{tr("Cost")}</th>
                        <th scope="col" class="num">{tr_fmt("Cost / {unit}", &[("unit", &list.fuel_unit)])}</th>
                        <th scope="col" class="num">{tr_fmt("Economy ({unit})", &[("unit", &list.economy_unit)])}</th>
                        <th scope="col">{tr("Notes")}</th>
                        <th scope="col"><span class="sr-only">{tr("Actions")}</span></th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
}

#[component]
fn Row(
    record: FuelRecord,
    economy_unit: String,
    fuel_unit: String,
    distance_unit: String,
    on_edit: Callback<FuelRecord>,
    on_delete: Callback<FuelRecord>,
) -> impl IntoView {
    let edit_record = record.clone();
    let delete_record = record.clone();
    let partial = (!record.is_fill_to_full).then(
        || view! { <span class="badge badge-warn" data-testid="flag-partial">{tr("Partial")}</span> },
    );
    let missed = record
        .missed_fuel_up
        .then(|| view! { <span class="badge badge-muted" data-testid="flag-missed">{tr("Missed previous")}</span> });
    let tags = record
        .tags
        .iter()
        .map(|t| view! { <span class="tag">{t.clone()}</span> })
        .collect_view();
    let economy_class = if record.fuel_economy.is_some() {
        "num economy"
    } else {
        "num economy none"
    };
    let economy_unit = record.fuel_economy.map(|_| economy_unit);
    view! {
        <tr data-testid="fuel-row" data-record-id=record.id>
            <td data-label=trs("Date") class="cell-date" data-testid="fuel-date">{format::date(record.date)}</td>
            <Figure label=trs("Odometer") testid="fuel-odometer" value=format::grouped(record.odometer) unit=Some(distance_unit.clone()) />
            <Figure label=trs("Distance") testid="fuel-distance" value=format::grouped(record.distance) unit=Some(distance_unit) />
            <Figure label=trs("Fuel") testid="fuel-amount" value=format::quantity(record.fuel_consumed) unit=Some(fuel_unit.clone()) />
            <Figure label=trs("Cost") testid="fuel-cost" value=format::money(record.cost) unit=None />
            <Figure label=tr_fmt("Cost / {unit}", &[("unit", &fuel_unit)]) testid="fuel-cpu" value=format::decimal2(record.cost_per_unit) unit=None />
            <Figure label=trs("Economy") testid="fuel-economy" value=format::economy(record.fuel_economy) unit=economy_unit class=economy_class />
            <td data-label=trs("Notes") class="cell-notes">
                <div class="flags">{partial}{missed}{tags}</div>
                {(!record.notes.is_empty()).then(|| view! { <span class="note">{record.notes.clone()}</span> })}
            </td>
            <td class="cell-actions">
                <button type="button" class="btn btn-ghost btn-sm" data-testid="fuel-edit" on:click=move |_| on_edit.run(edit_record.clone())>
                    {tr("Edit")}
                </button>
                <button type="button" class="btn btn-ghost btn-sm btn-danger-text" data-testid="fuel-delete" on:click=move |_| on_delete.run(delete_record.clone())>
                    {tr("Delete")}
                </button>
            </td>
        </tr>
    }
}

/// One figure of a row. The unit is in the column header on a wide screen and beside the
/// value when the rows become cards.
#[component]
fn Figure(
    #[prop(into)] label: String,
    testid: &'static str,
    value: String,
    unit: Option<String>,
    #[prop(default = "num")] class: &'static str,
) -> impl IntoView {
    view! {
        <td data-label=label class=class>
            <span class="cell-value">
                <span data-testid=testid>{value}</span>
                {unit.map(|u| view! { <span class="cell-unit">{u}</span> })}
            </span>
        </td>
    }
}

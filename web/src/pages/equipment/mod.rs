//! The Equipment tab: tyres, roof boxes, trailers… with the distance each has travelled
//! while equipped, and their files.

use leptos::prelude::*;
use leptos::task::spawn_local;
use motovault_shared::dto::equipment::{self as dto, Equipment, EquipmentInput};
use motovault_shared::validate;

use crate::api;
use crate::app::use_auth;
use crate::components::alert::{Alert, Notice};
use crate::components::attachments::Attachments;
use crate::components::csv_import::CsvTools;
use crate::components::dialog::{ConfirmDialog, Dialog};
use crate::components::field_error::focus_first_invalid;
use crate::components::filter::FilterBox;
use crate::components::icons::PlusIcon;
use crate::components::layout::{EmptyState, Loading};
use crate::format;
use crate::i18n::{tr, tr_fmt, trs};
use crate::pages::records::{Check, FormState, TextInput, notes_and_tags, tag_list};

#[component]
pub fn EquipmentTab(vehicle_id: i64) -> impl IntoView {
    // A deep link `?record=ID` (e.g. from a sticker) scrolls to that row once it is shown.
    crate::pages::stickers::follow();
    let auth = use_auth();
    let unit = auth.units().distance_unit();
    let live = crate::live::watch(move || Some(vehicle_id));
    let list = LocalResource::new(move || {
        live.track();
        api::equipment::list(vehicle_id)
    });
    // `Some(None)`: adding; `Some(Some(item))`: editing.
    let editor = RwSignal::new(None::<Option<Equipment>>);
    let confirm = RwSignal::new(None::<(i64, String)>);
    let alert = RwSignal::new(None::<String>);
    let notice = RwSignal::new(None::<String>);
    let working = RwSignal::new(false);
    let add = move || {
        notice.set(None);
        editor.set(Some(None));
    };

    let remove = move |id: i64| {
        working.set(true);
        spawn_local(async move {
            let result = api::write(&auth.csrf(), api::equipment::delete(vehicle_id, id)).await;
            working.set(false);
            confirm.set(None);
            match result {
                Ok(()) => {
                    notice.set(Some(tr("Deleted.")));
                    list.refetch();
                }
                Err(err) => alert.set(Some(auth.explain(&err))),
            }
        });
    };

    let content = move || {
        list.with(|state| match state {
            None => view! { <Loading /> }.into_any(),
            Some(Err(err)) => {
                let message = Signal::stored(Some(auth.explain(err)));
                view! { <Alert message /> }.into_any()
            }
            Some(Ok(data)) if data.records.is_empty() => view! {
                <EmptyState title=trs("No equipment yet") text=trs("Tyre sets, roof boxes, trailers: see how far each has travelled while fitted.") testid="records-empty">
                    <button type="button" class="btn btn-primary" on:click=move |_| add()>
                        <PlusIcon />
                        {tr("Add the first one")}
                    </button>
                </EmptyState>
            }
            .into_any(),
            Some(Ok(data)) => {
                let rows = data
                    .records
                    .iter()
                    .map(|e| {
                        let item = e.clone();
                        let id = e.id;
                        let ask = tr_fmt("“{description}” will be deleted permanently.", &[("description", &e.description.to_string())]);
                        let (badge, text) = if e.is_equipped {
                            ("badge badge-ok", trs("Equipped"))
                        } else {
                            ("badge badge-muted", trs("Not equipped"))
                        };
                        view! {
                            <tr data-testid="record-row" data-record-id=id>
                                <td class="cell-date cell-title" data-testid="record-title">{e.description.clone()}</td>
                                <td data-label=trs("Status")><span class=badge data-testid="equipped">{text}</span></td>
                                <td data-label=trs("Distance") class="num">
                                    <span class="cell-value">
                                        <span data-testid="record-distance">{format::grouped(e.distance_traveled)}</span>
                                        <span class="cell-unit">{unit}</span>
                                    </span>
                                </td>
                                <td class="cell-notes">
                                    <div class="flags">{tag_list(e.tags.clone())}</div>
                                    {(!e.notes.is_empty()).then(|| view! { <span class="note">{e.notes.clone()}</span> })}
                                </td>
                                <td class="cell-actions">
                                    <button type="button" class="btn btn-ghost btn-sm" data-testid="record-edit" on:click=move |_| {
                                        notice.set(None);
                                        editor.set(Some(Some(item.clone())));
                                    }>{tr("Edit")}</button>
                                    <button type="button" class="btn btn-ghost btn-sm btn-danger-text" data-testid="record-delete" on:click=move |_| confirm.set(Some((id, ask.clone())))>{tr("Delete")}</button>
                                </td>
                            </tr>
                        }
                    })
                    .collect_view();
                let count = data.records.len();
                view! {
                    <section class="card table-card" data-filter-scope>
                        <div class="card-header">
                            <h2>{tr("Equipment")}</h2>
                            <div class="card-tools">
                                <FilterBox />
                                <span class="muted" data-testid="record-count">{format!("{count} {}", if count == 1 { tr("item") } else { tr("items") })}</span>
                            </div>
                        </div>
                        <div class="table-wrap">
                            <table class="records generic" data-testid="record-table">
                                <thead>
                                    <tr>
                                        <th scope="col">{tr("Description")}</th>
                                        <th scope="col">{tr("Status")}</th>
                                        <th scope="col" class="num">{tr_fmt("Distance ({unit})", &[("unit", unit)])}</th>
                                        <th scope="col">{tr("Notes")}</th>
                                        <th scope="col"><span class="sr-only">{tr("Actions")}</span></th>
                                    </tr>
                                </thead>
                                <tbody>{rows}</tbody>
                            </table>
                        </div>
                    </section>
                }
                .into_any()
            }
        })
    };

    let saved = Callback::new(move |created: bool| {
        editor.set(None);
        notice.set(Some(if created {
            tr("Equipment added.")
        } else {
            tr("Changes saved.")
        }));
        list.refetch();
    });

    view! {
        <div class="fuel-tab record-tab">
            <div class="section-header">
                <div class="section-messages">
                    <Alert message=alert />
                    <Notice message=notice />
                </div>
                <div class="section-actions">
                    <CsvTools vehicle_id record="equipment" on_imported=move |()| list.refetch() />
                    <button type="button" class="btn btn-primary" data-testid="add-record" on:click=move |_| add()>
                        <PlusIcon />
                        {tr("Add equipment")}
                    </button>
                </div>
            </div>
            {content}
            {move || editor.get().map(|item| view! {
                <EquipmentDialog vehicle_id item saved on_close=move || editor.set(None) />
            })}
            {move || confirm.get().map(|(id, body)| view! {
                <ConfirmDialog
                    title=trs("Delete equipment?")
                    body
                    confirm_label=trs("Delete")
                    busy=working
                    on_confirm=move |()| remove(id)
                    on_close=move |()| confirm.set(None)
                />
            })}
        </div>
    }
}

#[component]
fn EquipmentDialog(
    vehicle_id: i64,
    item: Option<Equipment>,
    saved: Callback<bool>,
    #[prop(into)] on_close: Callback<()>,
) -> impl IntoView {
    let auth = use_auth();
    let form = FormState::new();
    let e = item.as_ref();
    let id = e.map(|e| e.id);
    let description = RwSignal::new(e.map(|e| e.description.clone()).unwrap_or_default());
    let equipped = RwSignal::new(e.is_none_or(|e| e.is_equipped));
    let notes = RwSignal::new(e.map(|e| e.notes.clone()).unwrap_or_default());
    let tags = RwSignal::new(e.map(|e| e.tags.join(" ")).unwrap_or_default());

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if form.busy.get_untracked() {
            return;
        }
        let input = EquipmentInput {
            description: description.get_untracked().trim().to_owned(),
            is_equipped: equipped.get_untracked(),
            notes: notes.get_untracked().trim().to_owned(),
            tags: validate::parse_tags(&tags.get_untracked()),
        };
        let problems = dto::validate(&input);
        form.alert.set(None);
        form.errors.set(problems.clone());
        if !problems.is_empty() {
            focus_first_invalid("[data-testid=record-form]");
            return;
        }
        form.busy.set(true);
        spawn_local(async move {
            let result =
                api::write(&auth.csrf(), api::equipment::save(vehicle_id, id, &input)).await;
            form.busy.set(false);
            match result {
                Ok(()) => saved.run(id.is_none()),
                Err(err) => {
                    form.errors.set(err.field_errors().to_vec());
                    form.alert.set(Some(auth.explain(&err)));
                }
            }
        });
    };
    let title = if id.is_some() {
        tr("Edit equipment")
    } else {
        tr("Add equipment")
    };
    view! {
        <Dialog title on_close testid="record-dialog">
            <form on:submit=submit novalidate data-testid="record-form">
                <Alert message=form.alert />
                <div class="form-grid">
                    <TextInput label=trs("Description") field="description" form value=description wide=true />
                    <Check label=trs("Equipped") text=trs("Fitted to the vehicle now: it adds up distance.") value=equipped testid="isEquipped-input" />
                    {notes_and_tags(form, notes, tags)}
                </div>
                <div class="form-actions">
                    <button type="button" class="btn btn-secondary" on:click=move |_| on_close.run(())>{tr("Cancel")}</button>
                    <button type="submit" class="btn btn-primary" data-testid="record-save" disabled=move || form.busy.get()>
                        {move || if form.busy.get() { tr("Saving…") } else if id.is_some() { tr("Save changes") } else { tr("Add equipment") }}
                    </button>
                </div>
            </form>
            {match id {
                Some(record_id) => view! { <Attachments vehicle_id record="equipment" record_id /> }.into_any(),
                None => view! { <p class="muted attachments-hint">{tr("Save it first to attach files.")}</p> }.into_any(),
            }}
        </Dialog>
    }
}

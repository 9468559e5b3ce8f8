//! The Inspections tab: templates (the checklists), the inspections run from them with their
//! pass/fail results, and a detail view with the inspection's files.

mod run;
mod template;

use leptos::prelude::*;
use leptos::task::spawn_local;
use motovault_shared::dto::inspections::{Inspection, InspectionFieldType, InspectionTemplate};

use crate::api::{self, Write};
use crate::app::use_auth;
use crate::components::alert::{Alert, Notice};
use crate::components::attachments::Attachments;
use crate::components::dialog::ConfirmDialog;
use crate::components::filter::FilterBox;
use crate::components::icons::PlusIcon;
use crate::components::layout::{EmptyState, Loading};
use crate::format;
use crate::i18n::{tr, tr_fmt, trs};
use crate::pages::records::tag_list;
use run::RunInspection;
use template::TemplateDialog;

/// A green Pass or red Fail badge.
pub fn pass_badge(failed: bool, testid: &'static str) -> impl IntoView + use<> {
    let (class, text) = if failed {
        ("badge badge-fail", trs("Fail"))
    } else {
        ("badge badge-ok", trs("Pass"))
    };
    view! { <span class=class data-testid=testid>{text}</span> }
}

/// What the tab shows below its header.
#[derive(Clone)]
enum Mode {
    List,
    Run(InspectionTemplate),
    Detail(Inspection),
}

/// What a confirmed delete removes.
#[derive(Clone, Copy)]
enum Target {
    Template(i64),
    Inspection(i64),
}

#[component]
pub fn InspectionsTab(vehicle_id: i64) -> impl IntoView {
    // A deep link `?record=ID` (e.g. from a sticker) scrolls to that row once it is shown.
    crate::pages::stickers::follow();
    let auth = use_auth();
    let unit = auth.units().distance_unit();
    let templates = LocalResource::new(move || api::inspections::list_templates(vehicle_id));
    let live = crate::live::watch(move || Some(vehicle_id));
    let inspections = LocalResource::new(move || {
        live.track();
        api::inspections::list(vehicle_id)
    });
    let mode = RwSignal::new(Mode::List);
    // `Some(None)`: a new template.
    let editor = RwSignal::new(None::<Option<InspectionTemplate>>);
    let confirm = RwSignal::new(None::<(Target, String, String)>);
    let alert = RwSignal::new(None::<String>);
    let notice = RwSignal::new(None::<String>);
    let working = RwSignal::new(false);

    let remove = move |target: Target| {
        let write: Write = match target {
            Target::Template(id) => api::inspections::delete_template(vehicle_id, id),
            Target::Inspection(id) => api::inspections::delete(vehicle_id, id),
        };
        working.set(true);
        spawn_local(async move {
            let result = api::write(&auth.csrf(), write).await;
            working.set(false);
            confirm.set(None);
            match result {
                Ok(()) => {
                    notice.set(Some(tr("Deleted.")));
                    mode.set(Mode::List);
                    match target {
                        Target::Template(_) => templates.refetch(),
                        Target::Inspection(_) => inspections.refetch(),
                    }
                }
                Err(err) => alert.set(Some(auth.explain(&err))),
            }
        });
    };
    let new_template = move || {
        notice.set(None);
        editor.set(Some(None));
    };

    let template_list = move || {
        templates.with(|state| match state {
            None => view! { <Loading /> }.into_any(),
            Some(Err(err)) => view! { <p class="field-error">{auth.explain(err)}</p> }.into_any(),
            Some(Ok(list)) if list.records.is_empty() => view! {
                <EmptyState title=trs("No templates yet") text=trs("A template is the checklist an inspection follows: what to check and what counts as a failure.") testid="templates-empty">
                    <button type="button" class="btn btn-primary" on:click=move |_| new_template()>
                        <PlusIcon />
                        {tr("Create a template")}
                    </button>
                </EmptyState>
            }
            .into_any(),
            Some(Ok(list)) => list
                .records
                .iter()
                .map(|t| {
                    let (run, edit) = (t.clone(), t.clone());
                    let id = t.id;
                    let ask = tr_fmt("The template “{description}” will be deleted. Inspections already run from it stay.", &[("description", &t.description.to_string())]);
                    let fields = t.fields.len();
                    view! {
                        <li class="template-item" data-testid="template-row">
                            <div>
                                <strong data-testid="template-title">{t.description.clone()}</strong>
                                <span class="muted">{format!(" · {fields} {}", if fields == 1 { tr("field") } else { tr("fields") })}</span>
                            </div>
                            <div class="cell-actions">
                                <button type="button" class="btn btn-primary btn-sm" data-testid="template-run" on:click=move |_| {
                                    notice.set(None);
                                    mode.set(Mode::Run(run.clone()));
                                }>{tr("New inspection")}</button>
                                <button type="button" class="btn btn-ghost btn-sm" data-testid="template-edit" on:click=move |_| editor.set(Some(Some(edit.clone())))>{tr("Edit")}</button>
                                <button type="button" class="btn btn-ghost btn-sm btn-danger-text" data-testid="template-delete" on:click=move |_| {
                                    confirm.set(Some((Target::Template(id), tr("Delete template?"), ask.clone())));
                                }>{tr("Delete")}</button>
                            </div>
                        </li>
                    }
                })
                .collect_view()
                .into_any(),
        })
    };

    let inspection_list = move || {
        inspections.with(|state| match state {
            None => view! { <Loading /> }.into_any(),
            Some(Err(err)) => view! { <p class="field-error">{auth.explain(err)}</p> }.into_any(),
            Some(Ok(list)) if list.records.is_empty() => {
                view! { <p class="muted card-empty" data-testid="records-empty">{tr("No inspections yet: run one from a template.")}</p> }.into_any()
            }
            Some(Ok(list)) => {
                let rows = list
                    .records
                    .iter()
                    .map(|r| {
                        let shown = r.clone();
                        view! {
                            <tr data-testid="record-row" data-record-id=r.id>
                                <td class="cell-date" data-testid="record-title">{format::date(r.date)}</td>
                                <td data-label=trs("Description")><span data-testid="record-description">{r.description.clone()}</span></td>
                                <td data-label=trs("Odometer") class="num">
                                    <span class="cell-value"><span data-testid="record-odometer">{format::grouped(r.odometer)}</span><span class="cell-unit">{unit}</span></span>
                                </td>
                                <td data-label=trs("Result")>{pass_badge(r.failed, "inspection-badge")}</td>
                                <td data-label=trs("Cost") class="num"><span data-testid="record-cost">{format::money(r.cost)}</span></td>
                                <td class="cell-actions">
                                    <button type="button" class="btn btn-ghost btn-sm" data-testid="record-view" on:click=move |_| {
                                        notice.set(None);
                                        mode.set(Mode::Detail(shown.clone()));
                                    }>{tr("View")}</button>
                                </td>
                            </tr>
                        }
                    })
                    .collect_view();
                // The box renders with the list, so a refreshed list never shows under an old filter.
                view! {
                    <div class="list-filter"><FilterBox /></div>
                    <div class="table-wrap">
                        <table class="records generic" data-testid="record-table">
                            <thead>
                                <tr>
                                    <th scope="col">{tr("Date")}</th>
                                    <th scope="col">{tr("Description")}</th>
                                    <th scope="col" class="num">{tr_fmt("Odometer ({unit})", &[("unit", unit)])}</th>
                                    <th scope="col">{tr("Result")}</th>
                                    <th scope="col" class="num">{tr("Cost")}</th>
                                    <th scope="col"><span class="sr-only">{tr("Actions")}</span></th>
                                </tr>
                            </thead>
                            <tbody>{rows}</tbody>
                        </table>
                    </div>
                }
                .into_any()
            }
        })
    };

    let done = Callback::new(move |inspection: Inspection| {
        let plans = inspection.results.iter().filter(|r| r.failed).count();
        notice.set(Some(if inspection.failed {
            tr_fmt(
                "Inspection saved: {plans} failed. Action items go to the Planner backlog.",
                &[("plans", &plans.to_string())],
            )
        } else {
            tr("Inspection saved: all passed.")
        }));
        inspections.refetch();
        mode.set(Mode::Detail(inspection));
    });

    let body = move || {
        match mode.get() {
        Mode::Run(template) => view! {
            <RunInspection vehicle_id template unit done on_cancel=move || mode.set(Mode::List) />
        }
        .into_any(),
        Mode::Detail(inspection) => {
            let id = inspection.id;
            let ask = tr_fmt("The inspection of {date} will be deleted permanently.", &[("date", &format::date(inspection.date).to_string())]);
            view! {
                <Detail inspection unit />
                <div class="form-actions detail-actions">
                    <button type="button" class="btn btn-secondary" data-testid="inspection-back" on:click=move |_| mode.set(Mode::List)>{tr("Back to inspections")}</button>
                    <button type="button" class="btn btn-danger" data-testid="inspection-delete" on:click=move |_| {
                        confirm.set(Some((Target::Inspection(id), tr("Delete inspection?"), ask.clone())));
                    }>{tr("Delete")}</button>
                </div>
                <section class="card"><Attachments vehicle_id record="inspections" record_id=id /></section>
            }
            .into_any()
        }
        Mode::List => view! {
            <section class="card table-card" data-testid="templates">
                <div class="card-header">
                    <h2>{tr("Templates")}</h2>
                    <button type="button" class="btn btn-secondary btn-sm" data-testid="add-template" on:click=move |_| new_template()>
                        <PlusIcon />
                        {tr("New template")}
                    </button>
                </div>
                <ul class="insp-templates">{template_list}</ul>
            </section>
            <section class="card table-card" data-testid="inspections" data-filter-scope>
                <div class="card-header">
                    <h2>{tr("Inspections")}</h2>
                    {move || inspections.with(|s| s.as_ref().and_then(|r| r.as_ref().ok()).filter(|l| !l.records.is_empty()).map(|l| view! {
                        <span class="muted">{tr("Total cost ")}<strong data-testid="total-cost">{format::money(l.total_cost)}</strong></span>
                    }))}
                </div>
                {inspection_list}
            </section>
        }
        .into_any(),
    }
    };

    let saved = Callback::new(move |created: bool| {
        editor.set(None);
        notice.set(Some(if created {
            tr("Template created.")
        } else {
            tr("Template saved.")
        }));
        templates.refetch();
    });

    view! {
        <div class="fuel-tab record-tab inspections-tab">
            <div class="section-header">
                <div class="section-messages">
                    <Alert message=alert />
                    <Notice message=notice />
                </div>
            </div>
            {body}
            {move || editor.get().map(|template| view! {
                <TemplateDialog vehicle_id template saved on_close=move || editor.set(None) />
            })}
            {move || confirm.get().map(|(target, title, body)| view! {
                <ConfirmDialog
                    title
                    body
                    confirm_label=trs("Delete")
                    busy=working
                    on_confirm=move |()| remove(target)
                    on_close=move |()| confirm.set(None)
                />
            })}
        </div>
    }
}

/// One inspection: its figures and each field's answer with pass or fail.
#[component]
fn Detail(inspection: Inspection, unit: &'static str) -> impl IntoView {
    let results = inspection
        .results
        .iter()
        .map(|r| {
            let answer = match r.field_type {
                InspectionFieldType::Text => view! { <span>{r.value.clone()}</span> }.into_any(),
                _ => r
                    .options
                    .iter()
                    .map(|o| {
                        let mark = if o.is_selected { "☑" } else { "☐" };
                        view! {
                            <span class="result-option" class:selected=o.is_selected class:fail-option=o.is_fail>
                                {format!("{mark} {}", o.description)}
                            </span>
                        }
                    })
                    .collect_view()
                    .into_any(),
            };
            let notes = (!r.notes.is_empty()).then(|| view! { <p class="note">{r.notes.clone()}</p> });
            let text = r.field_type == InspectionFieldType::Text;
            view! {
                <li class="result-row" data-testid="result-row">
                    <div class="run-field-head">
                        <strong>{r.description.clone()}</strong>
                        {(!text).then(|| pass_badge(r.failed, "result-badge"))}
                    </div>
                    <div class="run-options">{answer}</div>
                    {notes}
                </li>
            }
        })
        .collect_view();
    view! {
        <section class="card inspection-detail" data-testid="inspection-detail">
            <div class="card-header">
                <h2>{inspection.description.clone()}</h2>
                {pass_badge(inspection.failed, "inspection-badge")}
            </div>
            <dl class="vehicle-facts detail-facts">
                <div><dt>{tr("Date")}</dt><dd data-testid="detail-date">{format::date(inspection.date)}</dd></div>
                <div><dt>{tr("Odometer")}</dt><dd>{format!("{} {unit}", format::grouped(inspection.odometer))}</dd></div>
                <div><dt>{tr("Cost")}</dt><dd data-testid="detail-cost">{format::money(inspection.cost)}</dd></div>
            </dl>
            <div class="flags">{tag_list(inspection.tags.clone())}</div>
            <ul class="result-list">{results}</ul>
        </section>
    }
}

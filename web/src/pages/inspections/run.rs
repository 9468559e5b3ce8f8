//! "New inspection": a form generated from a template's fields, judged live with the shared
//! rule ([`field_failed`]) the server applies.

use leptos::prelude::*;
use leptos::task::spawn_local;
use motovault_shared::dto::inspections::{
    self as dto, Inspection, InspectionFieldType, InspectionInput, InspectionResultInput,
    InspectionResultOption, InspectionTemplate, field_failed,
};
use motovault_shared::validate;

use super::pass_badge;
use crate::api;
use crate::app::use_auth;
use crate::components::alert::Alert;
use crate::forms;
use crate::i18n::{tr, tr_fmt, trs};
use crate::pages::records::{FormState, TextInput, optional_integer};

#[derive(Clone, Copy)]
struct Answer {
    value: RwSignal<String>,
    selected: RwSignal<Vec<usize>>,
    notes: RwSignal<String>,
}

#[component]
pub fn RunInspection(
    vehicle_id: i64,
    template: InspectionTemplate,
    unit: &'static str,
    done: Callback<Inspection>,
    #[prop(into)] on_cancel: Callback<()>,
) -> impl IntoView {
    let auth = use_auth();
    let form = FormState::new();
    let template = StoredValue::new(template);
    let answers: Vec<Answer> = template.with_value(|t| {
        t.fields
            .iter()
            .map(|_| Answer {
                value: RwSignal::new(String::new()),
                selected: RwSignal::new(Vec::new()),
                notes: RwSignal::new(String::new()),
            })
            .collect()
    });
    let answers = StoredValue::new(answers);
    let date = RwSignal::new(forms::today().to_string());
    let odometer = RwSignal::new(String::new());
    let description = RwSignal::new(template.with_value(|t| t.description.clone()));
    let cost = RwSignal::new(template.with_value(|t| t.cost.to_string()));
    let tags = RwSignal::new(String::new());

    // Whether field `i` fails with the current answers.
    let failed = move |i: usize| {
        let selected = answers.with_value(|a| a[i].selected.get());
        template.with_value(|t| {
            let field = &t.fields[i];
            let options: Vec<InspectionResultOption> = field
                .options
                .iter()
                .enumerate()
                .map(|(j, o)| InspectionResultOption {
                    description: String::new(),
                    is_fail: o.is_fail,
                    is_selected: selected.contains(&j),
                })
                .collect();
            field_failed(field.field_type, &options)
        })
    };
    let count = template.with_value(|t| t.fields.len());
    let any_failed = move || (0..count).any(failed);

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if form.busy.get_untracked() {
            return;
        }
        let mut parsed = Vec::new();
        let results = answers.with_value(|a| {
            a.iter()
                .enumerate()
                .map(|(i, a)| InspectionResultInput {
                    field_index: i,
                    value: forms::non_blank(&a.value.get_untracked()),
                    selected: a.selected.get_untracked(),
                    notes: forms::non_blank(&a.notes.get_untracked()),
                })
                .collect()
        });
        let input = InspectionInput {
            template_id: template.with_value(|t| t.id),
            date: forms::date(&mut parsed, "date", &date.get_untracked()).unwrap_or_default(),
            odometer: optional_integer(&mut parsed, "odometer", &odometer.get_untracked())
                .unwrap_or(0),
            cost: forms::optional_amount(&mut parsed, "cost", &cost.get_untracked()),
            description: forms::non_blank(&description.get_untracked()),
            tags: validate::parse_tags(&tags.get_untracked()),
            results,
        };
        let problems = forms::merge(parsed, dto::validate(&input));
        form.alert.set(None);
        form.errors.set(problems.clone());
        if !problems.is_empty() {
            crate::components::field_error::focus_first_invalid("[data-testid=inspection-form]");
            return;
        }
        form.busy.set(true);
        spawn_local(async move {
            let result = api::inspections::create(vehicle_id, &auth.csrf(), &input).await;
            form.busy.set(false);
            match result {
                Ok(inspection) => done.run(inspection),
                Err(err) => {
                    form.errors.set(err.field_errors().to_vec());
                    form.alert.set(Some(auth.explain(&err)));
                }
            }
        });
    };

    let fields = template.with_value(|t| {
        t.fields
            .iter()
            .enumerate()
            .map(|(i, field)| {
                let answer = answers.with_value(|a| a[i]);
                let name = format!("field-{i}");
                let input = match field.field_type {
                    InspectionFieldType::Text => view! {
                        <input type="text" aria-label=field.description.clone() data-testid="run-text-input" bind:value=answer.value />
                    }
                    .into_any(),
                    kind => field
                        .options
                        .iter()
                        .enumerate()
                        .map(|(j, o)| {
                            let radio = kind == InspectionFieldType::Radio;
                            let toggle = move |ev: leptos::ev::Event| {
                                let on = event_target_checked(&ev);
                                answer.selected.update(|s| {
                                    if radio {
                                        s.clear();
                                    }
                                    s.retain(|x| *x != j);
                                    if on {
                                        s.push(j);
                                    }
                                });
                            };
                            view! {
                                <label class="inline-check run-option" class:fail-option=o.is_fail>
                                    <input
                                        type=if radio { "radio" } else { "checkbox" }
                                        name=name.clone()
                                        data-testid="run-option"
                                        prop:checked=move || answer.selected.with(|s| s.contains(&j))
                                        on:change=toggle
                                    />
                                    {o.description.clone()}
                                </label>
                            }
                        })
                        .collect_view()
                        .into_any(),
                };
                let notes = field.has_notes.then(|| view! {
                    <textarea rows=1 aria-label=trs("Notes") placeholder=trs("Notes") data-testid="run-notes-input" bind:value=answer.notes></textarea>
                });
                let text = field.field_type == InspectionFieldType::Text;
                view! {
                    <div class="run-field" data-testid="run-field">
                        <div class="run-field-head">
                            <strong>{field.description.clone()}</strong>
                            {(!text).then_some(move || pass_badge(failed(i), "result-badge"))}
                        </div>
                        <div class="run-options">{input}</div>
                        {notes}
                    </div>
                }
            })
            .collect_view()
    });

    view! {
        <section class="card run-card">
            <div class="card-header">
                <h2>{template.with_value(|t| tr_fmt("New inspection: {description}", &[("description", &t.description.to_string())]))}</h2>
                {move || pass_badge(any_failed(), "inspection-badge")}
            </div>
            <form on:submit=submit novalidate data-testid="inspection-form">
                <Alert message=form.alert />
                <div class="form-grid">
                    <TextInput label=trs("Date") field="date" form value=date kind="date" />
                    <TextInput label=tr_fmt("Odometer ({unit})", &[("unit", unit)]) field="odometer" form value=odometer kind="number" mode="numeric" hint=trs("Leave empty if not read") />
                    <TextInput label=trs("Description") field="description" form value=description wide=true />
                    <TextInput label=trs("Cost") field="cost" form value=cost mode="decimal" />
                    <TextInput label=trs("Tags") field="tags" form value=tags hint=trs("Space-separated words") />
                </div>
                <div class="run-fields">{fields}</div>
                <div class="form-actions">
                    <button type="button" class="btn btn-secondary" on:click=move |_| on_cancel.run(())>{tr("Cancel")}</button>
                    <button type="submit" class="btn btn-primary" data-testid="inspection-save" disabled=move || form.busy.get()>
                        {move || if form.busy.get() { tr("Saving…") } else { tr("Save inspection") }}
                    </button>
                </div>
            </form>
        </section>
    }
}

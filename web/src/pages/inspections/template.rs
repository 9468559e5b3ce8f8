//! The template editor: a description and rows of fields, each with its options and an
//! optional action item (a Backlog plan when the field fails).

use leptos::prelude::*;
use leptos::task::spawn_local;
use motovault_shared::amount::Amount;
use motovault_shared::dto::inspections::{
    self as dto, ActionItemPriority, InspectionFieldType, InspectionOption, InspectionTemplate,
    InspectionTemplateField, InspectionTemplateInput,
};
use motovault_shared::dto::maintenance::MaintenanceKind;

use crate::api;
use crate::app::use_auth;
use crate::components::alert::Alert;
use crate::components::dialog::Dialog;
use crate::forms;
use crate::i18n::{tr, tr_dyn, tr_fmt, trs};
use crate::pages::records::{FormState, TextInput};

#[derive(Clone, Copy)]
struct OptionRow {
    key: usize,
    description: RwSignal<String>,
    fail: RwSignal<bool>,
}

#[derive(Clone, Copy)]
struct FieldRow {
    key: usize,
    description: RwSignal<String>,
    kind: RwSignal<String>,
    options: RwSignal<Vec<OptionRow>>,
    has_notes: RwSignal<bool>,
    action: RwSignal<bool>,
    action_type: RwSignal<String>,
    action_description: RwSignal<String>,
    priority: RwSignal<String>,
}

fn next_key() -> usize {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static KEY: AtomicUsize = AtomicUsize::new(1);
    KEY.fetch_add(1, Ordering::Relaxed)
}

fn option_row(o: Option<&InspectionOption>) -> OptionRow {
    OptionRow {
        key: next_key(),
        description: RwSignal::new(o.map(|o| o.description.clone()).unwrap_or_default()),
        fail: RwSignal::new(o.is_some_and(|o| o.is_fail)),
    }
}

fn field_row(f: Option<&InspectionTemplateField>) -> FieldRow {
    FieldRow {
        key: next_key(),
        description: RwSignal::new(f.map(|f| f.description.clone()).unwrap_or_default()),
        kind: RwSignal::new(f.map_or("check", |f| f.field_type.as_str()).to_owned()),
        options: RwSignal::new(match f {
            Some(f) => f.options.iter().map(|o| option_row(Some(o))).collect(),
            None => vec![option_row(None)],
        }),
        has_notes: RwSignal::new(f.is_some_and(|f| f.has_notes)),
        action: RwSignal::new(f.is_some_and(|f| f.has_action_item)),
        action_type: RwSignal::new(
            f.map_or("service", |f| f.action_item_type.as_str())
                .to_owned(),
        ),
        action_description: RwSignal::new(
            f.map(|f| f.action_item_description.clone())
                .unwrap_or_default(),
        ),
        priority: RwSignal::new(
            f.map_or("normal", |f| f.action_item_priority.as_str())
                .to_owned(),
        ),
    }
}

impl FieldRow {
    fn input(&self) -> InspectionTemplateField {
        let field_type = InspectionFieldType::parse(&self.kind.get_untracked())
            .unwrap_or(InspectionFieldType::Text);
        let description = self.description.get_untracked().trim().to_owned();
        let has_action_item = self.action.get_untracked();
        // An action item without its own text is named after the field.
        let action = self.action_description.get_untracked().trim().to_owned();
        InspectionTemplateField {
            options: if field_type == InspectionFieldType::Text {
                Vec::new()
            } else {
                self.options
                    .get_untracked()
                    .iter()
                    .map(|o| InspectionOption {
                        description: o.description.get_untracked().trim().to_owned(),
                        is_fail: o.fail.get_untracked(),
                    })
                    .collect()
            },
            field_type,
            has_notes: self.has_notes.get_untracked(),
            has_action_item,
            action_item_type: MaintenanceKind::parse(&self.action_type.get_untracked())
                .unwrap_or(MaintenanceKind::Service),
            action_item_description: if has_action_item && action.is_empty() {
                description.clone()
            } else {
                action
            },
            action_item_priority: ActionItemPriority::parse(&self.priority.get_untracked())
                .unwrap_or_default(),
            description,
        }
    }
}

/// `fields[1].options[0].description` → `Field 2, option 1: description …`.
fn readable(field: &str, message: &str) -> String {
    let mut out = String::new();
    for part in field.split('.') {
        let (name, index) = match part.split_once('[') {
            Some((name, rest)) => (name, rest.trim_end_matches(']').parse::<usize>().ok()),
            None => (part, None),
        };
        match (name, index) {
            ("fields", Some(i)) => {
                out.push_str(&tr_fmt("Field {i}, ", &[("i", &(i + 1).to_string())]))
            }
            ("options", Some(i)) => {
                out.push_str(&tr_fmt("option {i}, ", &[("i", &(i + 1).to_string())]))
            }
            ("actionItemDescription", _) => out.push_str(&tr("action item ")),
            (name, _) => {
                out.push_str(name);
                out.push(' ');
            }
        }
    }
    format!("{}{}", out.trim_end_matches(", "), tr_dyn(message))
}

fn select(
    value: RwSignal<String>,
    options: &[(&'static str, &'static str)],
    testid: &'static str,
    label: &'static str,
) -> impl IntoView + use<> {
    let options = options
        .iter()
        .map(|(v, text)| view! { <option value=*v selected=*v == value.get_untracked()>{*text}</option> })
        .collect_view();
    view! {
        <select aria-label=label data-testid=testid on:change=move |ev| value.set(event_target_value(&ev))>
            {options}
        </select>
    }
}

#[component]
pub fn TemplateDialog(
    vehicle_id: i64,
    template: Option<InspectionTemplate>,
    saved: Callback<bool>,
    #[prop(into)] on_close: Callback<()>,
) -> impl IntoView {
    let auth = use_auth();
    let form = FormState::new();
    let t = template.as_ref();
    let id = t.map(|t| t.id);
    let description = RwSignal::new(t.map(|t| t.description.clone()).unwrap_or_default());
    let cost = RwSignal::new(
        t.map(|t| t.cost)
            .filter(|c| *c != Amount::default())
            .map(|c| c.to_string())
            .unwrap_or_default(),
    );
    let fields = RwSignal::new(match t {
        Some(t) => t.fields.iter().map(|f| field_row(Some(f))).collect(),
        None => vec![field_row(None)],
    });

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if form.busy.get_untracked() {
            return;
        }
        let mut parsed = Vec::new();
        let input = InspectionTemplateInput {
            description: description.get_untracked().trim().to_owned(),
            cost: forms::optional_amount(&mut parsed, "cost", &cost.get_untracked())
                .unwrap_or_default(),
            fields: fields.get_untracked().iter().map(FieldRow::input).collect(),
        };
        let problems = forms::merge(parsed, dto::validate_template(&input));
        form.alert.set(None);
        form.errors.set(problems.clone());
        if !problems.is_empty() {
            return;
        }
        form.busy.set(true);
        spawn_local(async move {
            let write = api::inspections::save_template(vehicle_id, id, &input);
            let result = api::write(&auth.csrf(), write).await;
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

    let problems = move || {
        form.errors.with(|errors| {
            let list = errors
                .iter()
                .filter(|e| e.field != "description" && e.field != "cost")
                .map(|e| view! { <li>{readable(&e.field, &e.message)}</li> })
                .collect_view();
            view! { <ul class="field-error template-errors" data-testid="template-errors">{list}</ul> }
        })
    };

    let rows = move || {
        let count = fields.with(Vec::len);
        fields
            .get()
            .into_iter()
            .enumerate()
            .map(|(i, row)| view! { <FieldEditor row index=i removable={count > 1} fields /> })
            .collect_view()
    };

    let title = if id.is_some() {
        tr("Edit template")
    } else {
        tr("New inspection template")
    };
    view! {
        <Dialog title on_close testid="template-dialog">
            <form on:submit=submit novalidate data-testid="record-form">
                <Alert message=form.alert />
                <div class="form-grid">
                    <TextInput label=trs("Description") field="description" form value=description wide=true />
                    <TextInput label=trs("Cost") field="cost" form value=cost mode="decimal" hint=trs("Default cost of an inspection") />
                </div>
                <h3 class="template-fields-title">{tr("Fields")}</h3>
                <div class="template-fields">{rows}</div>
                <button
                    type="button"
                    class="btn btn-ghost btn-sm"
                    data-testid="add-field"
                    on:click=move |_| fields.update(|f| f.push(field_row(None)))
                >
                    {tr("+ Add field")}
                </button>
                {problems}
                <div class="form-actions">
                    <button type="button" class="btn btn-secondary" on:click=move |_| on_close.run(())>{tr("Cancel")}</button>
                    <button type="submit" class="btn btn-primary" data-testid="template-save" disabled=move || form.busy.get()>
                        {move || if form.busy.get() { tr("Saving…") } else { tr("Save template") }}
                    </button>
                </div>
            </form>
        </Dialog>
    }
}

#[component]
fn FieldEditor(
    row: FieldRow,
    index: usize,
    removable: bool,
    fields: RwSignal<Vec<FieldRow>>,
) -> impl IntoView {
    let key = row.key;
    let has_options = move || row.kind.get() != "text";
    let options = move || {
        let count = row.options.with(Vec::len);
        row.options
            .get()
            .into_iter()
            .map(|o| {
                let okey = o.key;
                view! {
                    <div class="option-row" data-testid="option-row">
                        <input type="text" aria-label=trs("Option") placeholder=trs("Option") data-testid="option-description-input" bind:value=o.description />
                        <label class="inline-check">
                            <input type="checkbox" data-testid="option-fail-input" bind:checked=o.fail />
                            {tr("Fail")}
                        </label>
                        <button
                            type="button"
                            class="icon-btn"
                            aria-label=trs("Remove option")
                            data-testid="remove-option"
                            disabled=count < 2
                            on:click=move |_| row.options.update(|list| list.retain(|x| x.key != okey))
                        >
                            "✕"
                        </button>
                    </div>
                }
            })
            .collect_view()
    };
    let hint = move || match row.kind.get().as_str() {
        "check" => trs("Fails when an option marked Fail is left unticked."),
        "radio" => trs("Fails when the chosen option is marked Fail."),
        _ => trs("Free text: never fails."),
    };
    view! {
        <fieldset class="template-field" data-testid="template-field">
            <legend>{tr_fmt("Field {index}", &[("index", &(index + 1).to_string())])}</legend>
            <div class="template-field-head">
                <input type="text" aria-label=trs("Field description") placeholder=trs("What to inspect") data-testid="field-description-input" bind:value=row.description />
                {select(row.kind, &[("check", trs("Check")), ("radio", trs("Radio")), ("text", trs("Text"))], "field-type-input", trs("Field type"))}
                <button
                    type="button"
                    class="btn btn-ghost btn-sm btn-danger-text"
                    data-testid="remove-field"
                    disabled=!removable
                    on:click=move |_| fields.update(|list| list.retain(|x| x.key != key))
                >
                    {tr("Remove")}
                </button>
            </div>
            <p class="hint">{hint}</p>
            <Show when=has_options>
                <div class="option-rows">{options}</div>
                <button type="button" class="btn btn-ghost btn-sm" data-testid="add-option" on:click=move |_| row.options.update(|o| o.push(option_row(None)))>
                    {tr("+ Add option")}
                </button>
            </Show>
            <div class="template-field-flags">
                <label class="inline-check">
                    <input type="checkbox" data-testid="field-notes-input" bind:checked=row.has_notes />
                    {tr("Notes")}
                </label>
                <label class="inline-check">
                    <input type="checkbox" data-testid="field-action-input" bind:checked=row.action />
                    {tr("Action item when it fails")}
                </label>
            </div>
            <Show when=move || row.action.get()>
                <div class="template-action">
                    <input type="text" aria-label=trs("Action item") placeholder=trs("Action item (defaults to the field)") data-testid="action-description-input" bind:value=row.action_description />
                    {select(row.action_type, &[("service", trs("Service")), ("repair", trs("Repair")), ("upgrade", trs("Upgrade"))], "action-type-input", trs("Action item type"))}
                    {select(row.priority, &[("normal", trs("Normal")), ("critical", trs("Critical")), ("low", trs("Low"))], "action-priority-input", trs("Priority"))}
                </div>
            </Show>
        </fieldset>
    }
}

#[cfg(test)]
mod tests {
    use super::readable;

    #[test]
    fn paths_read_as_words() {
        assert_eq!(
            readable("fields[1].options[0].description", "is required"),
            "Field 2, option 1, description is required"
        );
        assert_eq!(
            readable("fields[0].options", "at least one option is required"),
            "Field 1, options at least one option is required"
        );
    }
}

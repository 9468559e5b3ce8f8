//! Settings → Extra fields (administrators and root): the fields every record of a type offers,
//! in order, each with a type and whether it is required (reference §1 "Extra fields").

use leptos::prelude::*;
use leptos::task::spawn_local;
use motovault_shared::dto::extra_fields::{
    ExtraField, ExtraFieldDefinition, ExtraFieldTemplateInput, ExtraFieldType, RECORD_TYPES,
    validate_template,
};
use motovault_shared::problem::FieldError;

use crate::api;
use crate::app::use_auth;
use crate::components::alert::{Alert, Notice};
use crate::i18n::{mark, tr, tr_dyn, tr_fmt, trs};

/// The record types in the order of the API, with the names the tabs use.
fn type_label(record_type: &str) -> &'static str {
    match record_type {
        "vehicle" => trs("Vehicles"),
        "service" => trs("Service records"),
        "repair" => trs("Repairs"),
        "upgrade" => trs("Upgrades"),
        "fuel" => trs("Fuel"),
        "odometer" => trs("Odometer"),
        "tax" => trs("Tax"),
        "reminder" => trs("Reminders"),
        "note" => trs("Notes"),
        "supply" => trs("Supplies"),
        "plan" => trs("Planner"),
        "equipment" => trs("Equipment"),
        "inspection" => trs("Inspections"),
        _ => trs("Other"),
    }
}

const FIELD_TYPES: [(ExtraFieldType, &str); 6] = [
    (ExtraFieldType::Text, mark("Text")),
    (ExtraFieldType::Number, mark("Whole number")),
    (ExtraFieldType::Decimal, mark("Decimal")),
    (ExtraFieldType::Date, mark("Date")),
    (ExtraFieldType::Time, mark("Time")),
    (ExtraFieldType::Location, mark("Location")),
];

#[derive(Clone, Copy)]
struct DefRow {
    name: RwSignal<String>,
    /// An [`ExtraFieldType`] name.
    field_type: RwSignal<String>,
    required: RwSignal<bool>,
}

impl DefRow {
    fn of(field: &ExtraField) -> Self {
        DefRow {
            name: RwSignal::new(field.name.clone()),
            field_type: RwSignal::new(field.field_type.as_str().to_owned()),
            required: RwSignal::new(field.is_required),
        }
    }

    fn definition(&self) -> ExtraFieldDefinition {
        ExtraFieldDefinition {
            name: self.name.get_untracked().trim().to_owned(),
            field_type: ExtraFieldType::parse(&self.field_type.get_untracked()).unwrap_or_default(),
            is_required: self.required.get_untracked(),
        }
    }
}

/// The problems of a template as one sentence: `fields[2].name` is the third field's name.
fn problem_text(errors: &[FieldError]) -> Option<String> {
    let parts: Vec<String> = errors
        .iter()
        .map(|e| {
            let field = e
                .field
                .strip_prefix("fields[")
                .and_then(|rest| rest.split(']').next())
                .and_then(|i| i.parse::<usize>().ok())
                .map_or_else(
                    || e.field.clone(),
                    |i| tr_fmt("Field {i} name", &[("i", &(i + 1).to_string())]),
                );
            format!("{field} {}", tr_dyn(&e.message))
        })
        .collect();
    (!parts.is_empty()).then(|| format!("{}.", parts.join("; ")))
}

/// The admin section; renders nothing for other users.
#[component]
pub fn ExtraFieldsSettings() -> impl IntoView {
    let auth = use_auth();
    move || auth.is_admin().then(|| view! { <Editor /> })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn template_problems_name_the_field() {
        let errors = vec![
            FieldError::new("fields[1].name", "is required"),
            FieldError::new("fields[2].name", "is already used by another field"),
        ];
        assert_eq!(
            problem_text(&errors).as_deref(),
            Some("Field 2 name is required; Field 3 name is already used by another field.")
        );
        assert_eq!(problem_text(&[]), None);
    }
}

#[component]
fn Editor() -> impl IntoView {
    let auth = use_auth();
    let record_type = RwSignal::new("service".to_owned());
    let rows = RwSignal::new(Vec::<DefRow>::new());
    let loading = RwSignal::new(true);
    let busy = RwSignal::new(false);
    let alert = RwSignal::new(None::<String>);
    let notice = RwSignal::new(None::<String>);

    let load = move |t: String| {
        loading.set(true);
        alert.set(None);
        spawn_local(async move {
            let result = api::extra_fields::template(&t).await;
            let _ = loading.try_set(false);
            match result {
                Ok(fields) => {
                    let _ = rows.try_set(fields.iter().map(DefRow::of).collect());
                }
                Err(err) => {
                    let _ = alert.try_set(Some(auth.explain(&err)));
                }
            }
        });
    };
    load(record_type.get_untracked());

    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let input = ExtraFieldTemplateInput {
            fields: rows.with_untracked(|r| r.iter().map(DefRow::definition).collect()),
        };
        alert.set(None);
        notice.set(None);
        if let Some(message) = problem_text(&validate_template(&input)) {
            alert.set(Some(message));
            return;
        }
        busy.set(true);
        let t = record_type.get_untracked();
        let csrf = auth.csrf();
        spawn_local(async move {
            let result = api::write(&csrf, api::extra_fields::put_template(&t, &input)).await;
            busy.set(false);
            match result {
                Ok(()) => notice.set(Some(tr_fmt(
                    "Extra fields of {t} saved.",
                    &[("t", type_label(&t))],
                ))),
                Err(err) => alert.set(Some(
                    problem_text(err.field_errors()).unwrap_or_else(|| auth.explain(&err)),
                )),
            }
        });
    };

    let type_options = RECORD_TYPES
        .iter()
        .map(|t| view! { <option value=*t selected=*t == "service">{type_label(t)}</option> })
        .collect_view();
    let add = move |_| {
        rows.update(|r| {
            r.push(DefRow {
                name: RwSignal::new(String::new()),
                field_type: RwSignal::new("text".to_owned()),
                required: RwSignal::new(false),
            })
        });
        notice.set(None);
    };
    let list = move || {
        if loading.get() {
            return view! { <p class="muted">{tr("Loading…")}</p> }.into_any();
        }
        let current = rows.get();
        if current.is_empty() {
            return view! { <p class="muted" data-testid="extra-fields-empty">{tr("No extra fields for this record type.")}</p> }
                .into_any();
        }
        current
            .into_iter()
            .enumerate()
            .map(|(i, row)| {
                let kinds = FIELD_TYPES
                    .iter()
                    .map(|(t, label)| {
                        let selected = row.field_type.with_untracked(|v| v == t.as_str());
                        view! { <option value=t.as_str() selected=selected>{tr(label)}</option> }
                    })
                    .collect_view();
                view! {
                    <li class="extra-def" data-testid="extra-def">
                        <input
                            type="text"
                            placeholder=trs("Field name")
                            aria-label=trs("Field name")
                            data-testid=format!("extra-name-{i}")
                            bind:value=row.name
                        />
                        <select
                            aria-label=trs("Field type")
                            data-testid=format!("extra-type-{i}")
                            on:change=move |ev| row.field_type.set(event_target_value(&ev))
                        >
                            {kinds}
                        </select>
                        <label class="check-inline">
                            <input type="checkbox" data-testid=format!("extra-required-{i}") bind:checked=row.required />
                            {tr("Required")}
                        </label>
                        <span class="tab-choice-moves">
                            <button
                                type="button"
                                class="btn btn-ghost btn-sm btn-danger-text"
                                data-testid=format!("extra-remove-{i}")
                                on:click=move |_| rows.update(|r| { r.remove(i); })
                            >
                                {tr("Remove")}
                            </button>
                        </span>
                    </li>
                }
            })
            .collect_view()
            .into_any()
    };

    view! {
        <form class="card form-card" on:submit=save data-testid="extra-fields-settings">
            <fieldset class="choices">
                <legend>{tr("Extra fields")}</legend>
                <p class="muted">{tr("Fields every record of a type offers, for everyone. Values already entered are kept if a field is removed and added back.")}</p>
                <label class="field">
                    <span>{tr("Record type")}</span>
                    <select
                        data-testid="extra-record-type"
                        on:change=move |ev| {
                            let t = event_target_value(&ev);
                            record_type.set(t.clone());
                            notice.set(None);
                            load(t);
                        }
                    >
                        {type_options}
                    </select>
                </label>
                <ul class="extra-defs">{list}</ul>
                <button type="button" class="btn btn-secondary btn-sm" data-testid="extra-add" on:click=add>{tr("Add field")}</button>
            </fieldset>
            <Alert message=alert />
            <Notice message=notice />
            <div class="form-actions">
                <button type="submit" class="btn btn-primary" data-testid="extra-save">{tr("Save extra fields")}</button>
            </div>
        </form>
    }
}

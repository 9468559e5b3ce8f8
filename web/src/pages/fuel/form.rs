//! The add / edit fill-up dialog.

use leptos::prelude::*;
use leptos::task::spawn_local;
use motovault_shared::dto::{FuelRecord, FuelRecordInput, FuelRecordList};
use motovault_shared::problem::FieldError;
use motovault_shared::validate;

use crate::api;
use crate::app::use_auth;
use crate::components::alert::Alert;
use crate::components::attachments::Attachments;
use crate::components::dialog::Dialog;
use crate::components::extra_fields::{Extras, send};
use crate::components::field_error::{Field, focus_first_invalid};
use crate::i18n::{tr, tr_fmt, trs};
use crate::pages::records::{FormState, extra_inputs};
use crate::{format, forms};

/// What the dialog needs to know when it opens.
#[derive(Debug, Clone, PartialEq)]
pub struct FuelFormContext {
    pub vehicle_id: i64,
    pub record: Option<FuelRecord>,
    pub fuel_unit: String,
    pub distance_unit: String,
    pub last_odometer: Option<i64>,
}

impl FuelFormContext {
    pub fn new(vehicle_id: i64, list: &FuelRecordList, record: Option<FuelRecord>) -> Self {
        FuelFormContext {
            vehicle_id,
            record,
            fuel_unit: list.fuel_unit.clone(),
            distance_unit: list.distance_unit.clone(),
            last_odometer: list.records.iter().map(|r| r.odometer).max(),
        }
    }

    pub fn fallback(vehicle_id: i64, record: Option<FuelRecord>) -> Self {
        FuelFormContext {
            vehicle_id,
            record,
            fuel_unit: String::new(),
            distance_unit: String::new(),
            last_odometer: None,
        }
    }
}

/// What the user typed.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FuelText {
    pub date: String,
    pub odometer: String,
    pub fuel_consumed: String,
    pub cost: String,
    pub is_fill_to_full: bool,
    pub missed_fuel_up: bool,
    pub notes: String,
    pub tags: String,
    /// Not editable here yet; carried through so an edit keeps what the API stored.
    pub starting_soc: Option<i32>,
    pub ending_soc: Option<i32>,
}

impl FuelText {
    fn from_record(r: &FuelRecord) -> Self {
        FuelText {
            date: r.date.to_string(),
            odometer: r.odometer.to_string(),
            fuel_consumed: r.fuel_consumed.to_string(),
            cost: r.cost.to_string(),
            is_fill_to_full: r.is_fill_to_full,
            missed_fuel_up: r.missed_fuel_up,
            notes: r.notes.clone(),
            tags: r.tags.join(" "),
            starting_soc: r.starting_soc,
            ending_soc: r.ending_soc,
        }
    }
}

pub fn build(text: &FuelText) -> Result<FuelRecordInput, Vec<FieldError>> {
    let mut parsed = Vec::new();
    let date = forms::date(&mut parsed, "date", &text.date);
    let odometer = forms::integer::<i64>(&mut parsed, "odometer", &text.odometer);
    let fuel_consumed = forms::amount(&mut parsed, "fuelConsumed", &text.fuel_consumed);
    let cost = forms::amount(&mut parsed, "cost", &text.cost);
    let input = FuelRecordInput {
        date: date.unwrap_or_default(),
        odometer: odometer.unwrap_or(0),
        fuel_consumed: fuel_consumed.unwrap_or_default(),
        cost: cost.unwrap_or_default(),
        is_fill_to_full: text.is_fill_to_full,
        missed_fuel_up: text.missed_fuel_up,
        notes: text.notes.trim().to_owned(),
        tags: validate::parse_tags(&text.tags),
        starting_soc: text.starting_soc,
        ending_soc: text.ending_soc,
    };
    let rules = validate::fuel_record(&input);
    // A date that did not parse is reported once, not again as "between 1900 and 2100".
    let errors = forms::merge(parsed, rules);
    if errors.is_empty() {
        Ok(input)
    } else {
        Err(errors)
    }
}

/// Cost per unit while typing, when both numbers read.
fn price_preview(fuel: &str, cost: &str) -> Option<String> {
    let mut ignored = Vec::new();
    let fuel = forms::optional_amount(&mut ignored, "", fuel)?;
    let cost = forms::optional_amount(&mut ignored, "", cost)?;
    (fuel.to_f64() > 0.0).then(|| format::decimal2(cost.to_f64() / fuel.to_f64()))
}

#[component]
pub fn FuelForm(
    context: FuelFormContext,
    /// Called with `true` after a create, `false` after an update.
    #[prop(into)]
    on_saved: Callback<bool>,
    #[prop(into)] on_close: Callback<()>,
) -> impl IntoView {
    let auth = use_auth();
    let text = context
        .record
        .as_ref()
        .map(FuelText::from_record)
        .unwrap_or_else(|| FuelText {
            date: forms::today().to_string(),
            is_fill_to_full: true,
            ..Default::default()
        });
    let date = RwSignal::new(text.date);
    let odometer = RwSignal::new(text.odometer);
    let fuel = RwSignal::new(text.fuel_consumed);
    let cost = RwSignal::new(text.cost);
    let full = RwSignal::new(text.is_fill_to_full);
    let missed = RwSignal::new(text.missed_fuel_up);
    let soc = (text.starting_soc, text.ending_soc);
    let notes = RwSignal::new(text.notes);
    let tags = RwSignal::new(text.tags);
    // The extra fields' inputs are the record forms' widgets, which read a form's errors.
    let form = FormState::new();
    let errors = form.errors;
    let alert = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);

    let vehicle_id = context.vehicle_id;
    let record_id = context.record.as_ref().map(|r| r.id);
    let extras = Extras::load(vehicle_id, "fuel", "fuel-records", record_id);
    let title = if record_id.is_some() {
        tr("Edit fill-up")
    } else {
        tr("Add fill-up")
    };
    let unit_suffix = |unit: &str| {
        if unit.is_empty() {
            String::new()
        } else {
            format!(" ({unit})")
        }
    };
    let odometer_label = format!("{}{}", tr("Odometer"), unit_suffix(&context.distance_unit));
    let fuel_label = format!("{}{}", tr("Fuel amount"), unit_suffix(&context.fuel_unit));
    let odometer_hint = match context.last_odometer {
        Some(last) if record_id.is_none() => {
            tr_fmt("Last reading: {n}", &[("n", &format::grouped(last))])
        }
        _ => String::new(),
    };
    // Start typing the odometer reading at once (the date defaults to today).
    let first_input = NodeRef::<leptos::html::Input>::new();
    Effect::new(move |_| {
        if let Some(input) = first_input.get() {
            let _ = input.focus();
        }
    });
    let fuel_unit = context.fuel_unit.clone();
    let preview = move || {
        price_preview(&fuel.get(), &cost.get()).map(|p| {
            let per = if fuel_unit.is_empty() {
                tr("unit")
            } else {
                fuel_unit.clone()
            };
            tr_fmt("{p} per {per}", &[("p", &p), ("per", &per)])
        })
    };

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let text = FuelText {
            date: date.get_untracked(),
            odometer: odometer.get_untracked(),
            fuel_consumed: fuel.get_untracked(),
            cost: cost.get_untracked(),
            is_fill_to_full: full.get_untracked(),
            missed_fuel_up: missed.get_untracked(),
            notes: notes.get_untracked(),
            tags: tags.get_untracked(),
            starting_soc: soc.0,
            ending_soc: soc.1,
        };
        alert.set(None);
        let extra_problems = extras.check();
        let input = match build(&text) {
            Ok(input) if extra_problems.is_empty() => input,
            built => {
                let mut problems = built.err().unwrap_or_default();
                problems.extend(extra_problems);
                errors.set(problems);
                focus_first_invalid("[data-testid=fuel-form]");
                return;
            }
        };
        errors.set(Vec::new());
        busy.set(true);
        let csrf = auth.csrf();
        spawn_local(async move {
            // A retry after refused extra fields replaces the fill-up already added.
            let write = match extras.record_id.get_untracked().or(record_id) {
                Some(id) => api::fuel::update(vehicle_id, id, &input),
                None => api::fuel::create(vehicle_id, &input),
            };
            let result = send(&csrf, write, Some(extras)).await;
            busy.set(false);
            match result {
                Ok(_) => on_saved.run(record_id.is_none()),
                Err(err) => {
                    errors.set(err.field_errors().to_vec());
                    focus_first_invalid("[data-testid=fuel-form]");
                    alert.set(Some(auth.explain(&err)));
                }
            }
        });
    };

    view! {
        <Dialog title=title on_close testid="fuel-dialog">
            <form on:submit=submit novalidate data-testid="fuel-form">
                <Alert message=alert />
                <div class="form-grid">
                    <Field label=trs("Date") id="fuel-date" field="date" errors=errors>
                        <input id="fuel-date" data-testid="fuel-date-input" type="date" bind:value=date />
                    </Field>
                    <Field label=odometer_label id="fuel-odometer" field="odometer" errors=errors hint=odometer_hint>
                        <input id="fuel-odometer" data-testid="fuel-odometer-input" type="number" inputmode="numeric" node_ref=first_input bind:value=odometer />
                    </Field>
                    <Field label=fuel_label id="fuel-amount" field="fuelConsumed" errors=errors>
                        <input id="fuel-amount" data-testid="fuel-amount-input" type="text" inputmode="decimal" bind:value=fuel />
                    </Field>
                    <Field label=trs("Total cost") id="fuel-cost" field="cost" errors=errors>
                        <input id="fuel-cost" data-testid="fuel-cost-input" type="text" inputmode="decimal" bind:value=cost />
                    </Field>
                </div>
                <p class="preview" data-testid="fuel-price-preview">{preview}</p>
                <div class="checks">
                    <label class="check">
                        <input type="checkbox" data-testid="fuel-full-input" bind:checked=full />
                        <span>
                            <strong>{tr("Filled to full")}</strong>
                            <small>{tr("Untick for a partial fill-up: its fuel counts toward the next full tank.")}</small>
                        </span>
                    </label>
                    <label class="check">
                        <input type="checkbox" data-testid="fuel-missed-input" bind:checked=missed />
                        <span>
                            <strong>{tr("Missed previous fill-up")}</strong>
                            <small>{tr("A fill-up before this one was not recorded; economy restarts here.")}</small>
                        </span>
                    </label>
                </div>
                <div class="form-grid">
                    <Field label=trs("Notes") id="fuel-notes" field="notes" errors=errors wide=true>
                        <textarea
                            id="fuel-notes"
                            data-testid="fuel-notes-input"
                            rows="2"
                            prop:value=move || notes.get()
                            on:input=move |ev| notes.set(event_target_value(&ev))
                        ></textarea>
                    </Field>
                    <Field label=trs("Tags") id="fuel-tags" field="tags" errors=errors hint=trs("Space-separated words") wide=true>
                        <input id="fuel-tags" data-testid="fuel-tags-input" type="text" bind:value=tags />
                    </Field>
                    {extra_inputs(extras, form)}
                </div>
                <div class="form-actions">
                    <button type="button" class="btn btn-secondary" on:click=move |_| on_close.run(())>{tr("Cancel")}</button>
                    <button type="submit" class="btn btn-primary" data-testid="fuel-save" disabled=move || busy.get()>
                        {move || if busy.get() { tr("Saving…") } else if record_id.is_some() { tr("Save changes") } else { tr("Add fill-up") }}
                    </button>
                </div>
            </form>
            {record_id.map(|record_id| view! { <Attachments vehicle_id record="fuel-records" record_id /> })}
        </Dialog>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use motovault_shared::Amount;

    fn text() -> FuelText {
        FuelText {
            date: "2024-01-10".into(),
            odometer: "1300".into(),
            fuel_consumed: "5".into(),
            cost: "15.50".into(),
            is_fill_to_full: false,
            ..Default::default()
        }
    }

    #[test]
    fn an_edit_keeps_the_state_of_charge_it_cannot_show() {
        let mut t = text();
        t.starting_soc = Some(20);
        t.ending_soc = Some(80);
        let input = build(&t).unwrap();
        assert_eq!((input.starting_soc, input.ending_soc), (Some(20), Some(80)));
    }

    #[test]
    fn builds_a_partial_fill_up() {
        let input = build(&text()).unwrap();
        assert_eq!(input.odometer, 1300);
        assert!(!input.is_fill_to_full);
        assert_eq!(input.cost, Amount::parse("15.5").unwrap());
    }

    #[test]
    fn negative_odometer_and_missing_cost_are_reported() {
        let mut t = text();
        t.odometer = "-5".into();
        t.cost = "".into();
        let errors = build(&t).unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["cost", "odometer"]);
    }

    #[test]
    fn preview_price() {
        assert_eq!(price_preview("10", "30").as_deref(), Some("3.00"));
        assert_eq!(price_preview("0", "30"), None);
        assert_eq!(price_preview("x", "30"), None);
    }
}

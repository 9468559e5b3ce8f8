//! The supplies a new service, repair or upgrade record takes out of stock (reference §3.6):
//! the vehicle's and the shop's supplies with their stock, and a quantity for each one used.
//!
//! A quantity's problems are named as the server names them, `supplies[k].quantity` with `k`
//! the position among the supplies sent, so the server's "Insufficient supplies" lands on the
//! same row as the check made while typing.

use leptos::prelude::*;
use leptos::task::spawn_local;
use motovault_shared::Amount;
use motovault_shared::dto::supplies::{Supply, SupplyUsage};
use motovault_shared::problem::FieldError;

use crate::api;
use crate::i18n::{tr, tr_fmt, trs};
use crate::{format, forms};

#[derive(Clone)]
struct PickRow {
    id: i64,
    description: String,
    part_number: String,
    shop: bool,
    stock: Amount,
    used: RwSignal<String>,
    /// The position this row had in the last list sent (its error's name).
    slot: RwSignal<Option<usize>>,
}

/// The picker's state; [`Picker::usages`] reads what was entered.
#[derive(Clone, Copy)]
pub struct Picker {
    rows: RwSignal<Vec<PickRow>>,
    loaded: RwSignal<bool>,
}

fn over_stock(stock: Amount) -> String {
    tr_fmt(
        "Insufficient supplies: {stock} in stock",
        &[("stock", &format::quantity(stock).to_string())],
    )
}

/// What is wrong with `text` for a supply with `stock`, if anything, and the quantity.
pub fn check_quantity(text: &str, stock: Amount) -> (Option<Amount>, Option<String>) {
    let mut errors = Vec::new();
    let quantity = forms::optional_amount(&mut errors, "", text);
    if let Some(e) = errors.into_iter().next() {
        return (None, Some(e.message));
    }
    match quantity {
        Some(q) if q.scaled() <= 0 => (Some(q), Some("must be greater than 0".to_owned())),
        Some(q) if q > stock => (Some(q), Some(over_stock(stock))),
        other => (other, None),
    }
}

impl Picker {
    pub fn load(vehicle_id: i64) -> Self {
        let picker = Picker {
            rows: RwSignal::new(Vec::new()),
            loaded: RwSignal::new(false),
        };
        spawn_local(async move {
            let mut rows = Vec::new();
            for scope in [Some(vehicle_id), None] {
                if let Ok(list) = api::supplies::list(scope).await {
                    rows.extend(list.records.iter().filter(|s| s.quantity.scaled() > 0).map(
                        |s: &Supply| PickRow {
                            id: s.id,
                            description: s.description.clone(),
                            part_number: s.part_number.clone(),
                            shop: s.vehicle_id.is_none(),
                            stock: s.quantity,
                            used: RwSignal::new(String::new()),
                            slot: RwSignal::new(None),
                        },
                    ));
                }
            }
            let _ = picker.rows.try_set(rows);
            let _ = picker.loaded.try_set(true);
        });
        picker
    }

    /// The supplies with a quantity, in order; their problems go to `errors`.
    pub fn usages(&self, errors: &mut Vec<FieldError>) -> Vec<SupplyUsage> {
        let mut usages = Vec::new();
        self.rows.with_untracked(|rows| {
            for row in rows {
                let text = row.used.get_untracked();
                if text.trim().is_empty() {
                    row.slot.set(None);
                    continue;
                }
                let slot = usages.len();
                row.slot.set(Some(slot));
                let (quantity, problem) = check_quantity(&text, row.stock);
                if let Some(message) = problem {
                    errors.push(FieldError::new(
                        &format!("supplies[{slot}].quantity"),
                        message,
                    ));
                }
                usages.push(SupplyUsage {
                    supply_id: row.id,
                    quantity: quantity.unwrap_or_default(),
                });
            }
        });
        usages
    }
}

#[component]
pub fn SupplyPicker(picker: Picker, errors: RwSignal<Vec<FieldError>>) -> impl IntoView {
    let whole = move || {
        errors.with(|list| {
            list.iter()
                .find(|e| e.field == "supplies")
                .map(|e| view! { <p class="field-error" data-testid="error-supplies">{e.message.clone()}</p> })
        })
    };
    let rows = move || {
        if !picker.loaded.get() {
            return view! { <p class="muted">{tr("Loading supplies…")}</p> }.into_any();
        }
        picker.rows.with(|rows| {
            if rows.is_empty() {
                return view! { <p class="muted" data-testid="supplies-none">{tr("No supplies in stock.")}</p> }
                    .into_any();
            }
            rows.iter()
                .map(|row| {
                    let (used, slot, stock) = (row.used, row.slot, row.stock);
                    // The server's or the last check's message, else the one while typing.
                    let message = Memo::new(move |_| {
                        let sent = slot.get().and_then(|k| {
                            let name = format!("supplies[{k}].quantity");
                            errors.with(|l| l.iter().find(|e| e.field == name).map(|e| e.message.clone()))
                        });
                        sent.or_else(|| used.with(|t| check_quantity(t, stock).1))
                    });
                    let label = tr_fmt("Quantity of {description}", &[("description", &row.description.to_string())]);
                    let mut name = row.description.clone();
                    for extra in [row.part_number.as_str(), if row.shop { trs("Shop") } else { "" }] {
                        if !extra.is_empty() {
                            name.push_str(" · ");
                            name.push_str(extra);
                        }
                    }
                    view! {
                        <li class="supply-pick" data-testid="supply-pick" data-supply-id=row.id>
                            <span>
                                {name}
                                <span class="muted supply-stock" data-testid="supply-stock">
                                    {tr_fmt("{stock} in stock", &[("stock", &format::quantity(stock).to_string())])}
                                </span>
                            </span>
                            <input
                                type="text"
                                inputmode="decimal"
                                placeholder="0"
                                aria-label=label
                                data-testid="supply-quantity-input"
                                prop:value=move || used.get()
                                on:input=move |ev| {
                                    used.set(event_target_value(&ev));
                                    // A changed quantity is checked afresh, not by the last answer.
                                    slot.set(None);
                                }
                            />
                            {move || message.get().map(|m| view! { <p class="field-error" data-testid="supply-error">{m}</p> })}
                        </li>
                    }
                })
                .collect_view()
                .into_any()
        })
    };
    view! {
        <fieldset class="supply-picker field-wide" data-testid="supply-picker">
            <legend>{tr("Supplies used")}</legend>
            <p class="hint">{tr("Taken out of stock when the record is added.")}</p>
            <ul class="supply-picks">{rows}</ul>
            {whole}
        </fieldset>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantities_are_checked_against_the_stock() {
        let stock = Amount::parse("6").unwrap();
        assert_eq!(check_quantity("", stock), (None, None));
        assert_eq!(
            check_quantity("4", stock),
            (Some(Amount::parse("4").unwrap()), None)
        );
        assert_eq!(
            check_quantity("6.5", stock).1.as_deref(),
            Some("Insufficient supplies: 6 in stock")
        );
        assert_eq!(
            check_quantity("0", stock).1.as_deref(),
            Some("must be greater than 0")
        );
        assert!(check_quantity("lots", stock).1.is_some());
    }
}

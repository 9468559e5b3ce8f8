//! The vehicle form, shared by the add and edit pages.

use leptos::prelude::*;
use leptos::task::spawn_local;
use motovault_shared::Amount;
use motovault_shared::dto::{FuelType, Vehicle, VehicleInput};
use motovault_shared::problem::FieldError;
use motovault_shared::validate;

use crate::api;
use crate::app::use_auth;
use crate::components::alert::Alert;
use crate::components::field_error::{Field, focus_first_invalid};
use crate::forms;
use crate::i18n::{tr, trs};

/// What the user typed.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct VehicleText {
    pub year: String,
    pub make: String,
    pub model: String,
    pub license_plate: String,
    pub fuel_type: String,
    pub purchase_date: String,
    pub purchase_price: String,
    pub sold_date: String,
    pub sold_price: String,
    pub tags: String,
}

impl VehicleText {
    pub fn from_vehicle(v: &Vehicle) -> Self {
        let opt = |a: Option<Amount>| a.map(|a| a.to_string()).unwrap_or_default();
        VehicleText {
            year: v.year.to_string(),
            make: v.make.clone(),
            model: v.model.clone(),
            license_plate: v.license_plate.clone(),
            fuel_type: v.fuel_type.as_str().to_owned(),
            purchase_date: v.purchase_date.map(|d| d.to_string()).unwrap_or_default(),
            purchase_price: opt(v.purchase_price),
            sold_date: v.sold_date.map(|d| d.to_string()).unwrap_or_default(),
            sold_price: opt(v.sold_price),
            tags: v.tags.join(" "),
        }
    }
}

/// Parses and checks the form; fields the form does not show keep the vehicle's values.
pub fn build(text: &VehicleText, base: Option<&Vehicle>) -> Result<VehicleInput, Vec<FieldError>> {
    let mut parsed = Vec::new();
    let year = forms::integer::<i32>(&mut parsed, "year", &text.year);
    let purchase_date = forms::optional_date(&mut parsed, "purchaseDate", &text.purchase_date);
    let sold_date = forms::optional_date(&mut parsed, "soldDate", &text.sold_date);
    let purchase_price = forms::optional_amount(&mut parsed, "purchasePrice", &text.purchase_price);
    let sold_price = forms::optional_amount(&mut parsed, "soldPrice", &text.sold_price);
    let input = VehicleInput {
        year: year.unwrap_or(2000),
        make: text.make.trim().to_owned(),
        model: text.model.trim().to_owned(),
        license_plate: text.license_plate.trim().to_owned(),
        fuel_type: FuelType::parse(&text.fuel_type).unwrap_or_default(),
        purchase_date,
        sold_date,
        purchase_price,
        sold_price,
        use_hours: base.is_some_and(|b| b.use_hours),
        odometer_optional: base.is_some_and(|b| b.odometer_optional),
        tags: validate::parse_tags(&text.tags),
        has_odometer_adjustment: base.is_some_and(|b| b.has_odometer_adjustment),
        odometer_multiplier: base.map_or(Amount::from_units(1), |b| b.odometer_multiplier),
        odometer_difference: base.map_or(0, |b| b.odometer_difference),
        vehicle_identifier: base.map_or_else(
            || "LicensePlate".to_owned(),
            |b| b.vehicle_identifier.clone(),
        ),
    };
    let errors = forms::merge(parsed, validate::vehicle(&input));
    if errors.is_empty() {
        Ok(input)
    } else {
        Err(errors)
    }
}

#[component]
pub fn VehicleForm(
    /// The vehicle being edited; `None` adds a new one.
    initial: Option<Vehicle>,
    #[prop(into)] on_saved: Callback<Vehicle>,
    #[prop(into)] cancel_href: String,
) -> impl IntoView {
    let auth = use_auth();
    let text = initial
        .as_ref()
        .map(VehicleText::from_vehicle)
        .unwrap_or_else(|| VehicleText {
            fuel_type: "gasoline".to_owned(),
            ..Default::default()
        });
    let year = RwSignal::new(text.year);
    let make = RwSignal::new(text.make);
    let model = RwSignal::new(text.model);
    let plate = RwSignal::new(text.license_plate);
    let fuel_type = RwSignal::new(text.fuel_type);
    let purchase_date = RwSignal::new(text.purchase_date);
    let purchase_price = RwSignal::new(text.purchase_price);
    let sold_date = RwSignal::new(text.sold_date);
    let sold_price = RwSignal::new(text.sold_price);
    let tags = RwSignal::new(text.tags);
    let errors = RwSignal::new(Vec::<FieldError>::new());
    let alert = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let editing = initial.as_ref().map(|v| v.id);
    let base = StoredValue::new(initial);

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let text = VehicleText {
            year: year.get_untracked(),
            make: make.get_untracked(),
            model: model.get_untracked(),
            license_plate: plate.get_untracked(),
            fuel_type: fuel_type.get_untracked(),
            purchase_date: purchase_date.get_untracked(),
            purchase_price: purchase_price.get_untracked(),
            sold_date: sold_date.get_untracked(),
            sold_price: sold_price.get_untracked(),
            tags: tags.get_untracked(),
        };
        alert.set(None);
        let input = match base.with_value(|b| build(&text, b.as_ref())) {
            Ok(input) => input,
            Err(problems) => {
                errors.set(problems);
                focus_first_invalid("[data-testid=vehicle-form]");
                return;
            }
        };
        errors.set(Vec::new());
        busy.set(true);
        let csrf = auth.csrf();
        spawn_local(async move {
            let result = match editing {
                Some(id) => api::vehicles::update(&csrf, id, &input).await,
                None => api::vehicles::create(&csrf, &input).await,
            };
            busy.set(false);
            match result {
                Ok(vehicle) => on_saved.run(vehicle),
                Err(err) => {
                    errors.set(err.field_errors().to_vec());
                    focus_first_invalid("[data-testid=vehicle-form]");
                    alert.set(Some(auth.explain(&err)));
                }
            }
        });
    };

    view! {
        <form class="card form-card" on:submit=submit novalidate data-testid="vehicle-form">
            <Alert message=alert />
            <div class="form-grid">
                <Field label=trs("Year") id="vehicle-year" field="year" errors=errors>
                    <input id="vehicle-year" data-testid="vehicle-year" type="number" inputmode="numeric" placeholder="2019" bind:value=year />
                </Field>
                <Field label=trs("Make") id="vehicle-make" field="make" errors=errors>
                    <input id="vehicle-make" data-testid="vehicle-make" type="text" placeholder=trs("Honda") bind:value=make />
                </Field>
                <Field label=trs("Model") id="vehicle-model" field="model" errors=errors>
                    <input id="vehicle-model" data-testid="vehicle-model" type="text" placeholder=trs("Civic") bind:value=model />
                </Field>
                <Field label=trs("License plate") id="vehicle-plate" field="licensePlate" errors=errors>
                    <input id="vehicle-plate" data-testid="vehicle-plate" type="text" autocapitalize="characters" bind:value=plate />
                </Field>
                <Field label=trs("Fuel type") id="vehicle-fuel-type" field="fuelType" errors=errors>
                    <select
                        id="vehicle-fuel-type"
                        data-testid="vehicle-fuel-type"
                        prop:value=move || fuel_type.get()
                        on:change=move |ev| fuel_type.set(event_target_value(&ev))
                    >
                        <option value="gasoline">{tr("Gasoline")}</option>
                        <option value="diesel">{tr("Diesel")}</option>
                        <option value="electric">{tr("Electric")}</option>
                    </select>
                </Field>
                <Field label=trs("Tags") id="vehicle-tags" field="tags" errors=errors hint=trs("Space-separated words, e.g. daily commuter")>
                    <input id="vehicle-tags" data-testid="vehicle-tags" type="text" bind:value=tags />
                </Field>
                <Field label=trs("Purchase date") id="vehicle-purchase-date" field="purchaseDate" errors=errors>
                    <input id="vehicle-purchase-date" data-testid="vehicle-purchase-date" type="date" bind:value=purchase_date />
                </Field>
                <Field label=trs("Purchase price") id="vehicle-purchase-price" field="purchasePrice" errors=errors>
                    <input id="vehicle-purchase-price" data-testid="vehicle-purchase-price" type="text" inputmode="decimal" bind:value=purchase_price />
                </Field>
                <Field label=trs("Sold date") id="vehicle-sold-date" field="soldDate" errors=errors>
                    <input id="vehicle-sold-date" data-testid="vehicle-sold-date" type="date" bind:value=sold_date />
                </Field>
                <Field label=trs("Sold price") id="vehicle-sold-price" field="soldPrice" errors=errors>
                    <input id="vehicle-sold-price" data-testid="vehicle-sold-price" type="text" inputmode="decimal" bind:value=sold_price />
                </Field>
            </div>
            <div class="form-actions">
                <a class="btn btn-secondary" href=cancel_href>{tr("Cancel")}</a>
                <button type="submit" class="btn btn-primary" data-testid="vehicle-save" disabled=move || busy.get()>
                    {move || match (busy.get(), editing.is_some()) {
                        (true, _) => trs("Saving…"),
                        (false, true) => trs("Save changes"),
                        (false, false) => trs("Add vehicle"),
                    }}
                </button>
            </div>
        </form>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text() -> VehicleText {
        VehicleText {
            year: "2019".into(),
            make: "Honda".into(),
            model: "Civic".into(),
            fuel_type: "diesel".into(),
            tags: "daily  work daily".into(),
            purchase_price: "18500.50".into(),
            ..Default::default()
        }
    }

    #[test]
    fn builds_the_input() {
        let input = build(&text(), None).unwrap();
        assert_eq!(input.year, 2019);
        assert_eq!(input.fuel_type, FuelType::Diesel);
        assert_eq!(input.tags, vec!["daily", "work"]);
        assert_eq!(
            input.purchase_price,
            Some(Amount::parse("18500.5").unwrap())
        );
        assert_eq!(input.odometer_multiplier, Amount::from_units(1));
        assert_eq!(input.vehicle_identifier, "LicensePlate");
    }

    #[test]
    fn reports_every_bad_field() {
        let mut t = text();
        t.make = "  ".into();
        t.year = "".into();
        t.sold_price = "-3".into();
        let errors = build(&t, None).unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["year", "make", "soldPrice"]);
    }
}

//! Vehicle pages: add, edit (with delete) and the vehicle page with its Fuel tab.

mod detail;
mod edit;
mod form;
mod new;
mod sharing;

pub use detail::{TABS, VehiclePage};
pub use edit::EditVehiclePage;
pub use new::NewVehiclePage;

use crate::i18n::trs;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use motovault_shared::dto::FuelType;

pub fn fuel_type_label(fuel_type: FuelType) -> &'static str {
    match fuel_type {
        FuelType::Gasoline => trs("Gasoline"),
        FuelType::Diesel => trs("Diesel"),
        FuelType::Electric => trs("Electric"),
    }
}

/// The `:id` of the current route, when it is a number.
pub fn use_vehicle_id() -> Memo<Option<i64>> {
    let params = use_params_map();
    Memo::new(move |_| {
        params
            .with(|p| p.get("id"))
            .and_then(|id| id.parse::<i64>().ok())
    })
}

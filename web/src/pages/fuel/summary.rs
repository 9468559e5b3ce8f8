//! The figures above the chart: average economy and totals.

use leptos::prelude::*;
use motovault_shared::dto::FuelRecordList;

use crate::format;
use crate::i18n::tr;

#[component]
pub fn FuelSummary(list: FuelRecordList) -> impl IntoView {
    let distance: i64 = list.records.iter().map(|r| r.distance).sum();
    let count = list.records.len();
    view! {
        <div class="stats" data-testid="fuel-summary">
            <div class="stat stat-highlight">
                <span class="stat-label">{tr("Average economy")}</span>
                <span class="stat-value">
                    <span data-testid="avg-economy">{format::economy(list.average_fuel_economy)}</span>
                    " "
                    <span class="stat-unit" data-testid="economy-unit">{list.economy_unit.clone()}</span>
                </span>
            </div>
            <div class="stat">
                <span class="stat-label">{tr("Total cost")}</span>
                <span class="stat-value" data-testid="total-cost">{format::money(list.total_cost)}</span>
            </div>
            <div class="stat">
                <span class="stat-label">{tr("Total fuel")}</span>
                <span class="stat-value">
                    <span data-testid="total-fuel">{format::quantity(list.total_fuel)}</span>
                    " "
                    <span class="stat-unit">{list.fuel_unit.clone()}</span>
                </span>
            </div>
            <div class="stat">
                <span class="stat-label">{tr("Distance")}</span>
                <span class="stat-value">
                    <span data-testid="total-distance">{format::grouped(distance)}</span>
                    " "
                    <span class="stat-unit">{list.distance_unit.clone()}</span>
                </span>
            </div>
            <div class="stat">
                <span class="stat-label">{tr("Fill-ups")}</span>
                <span class="stat-value">{count}</span>
            </div>
        </div>
    }
}

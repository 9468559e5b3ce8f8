//! The vehicle Reports tab: the cost table; and `/vehicles/:id/history`, the printable history report.

use leptos::prelude::*;
use motovault_shared::Amount;
use motovault_shared::dto::reports::{CostTable, ReportRecordType};

use crate::api;
use crate::app::use_auth;
use crate::components::alert::Alert;
use crate::components::layout::Loading;
use crate::format;
use crate::i18n::{tr, tr_fmt, trs};

mod history;
pub use history::HistoryPage;

/// The name of a record type, as the tabs call it.
fn type_label(t: ReportRecordType) -> &'static str {
    match t {
        ReportRecordType::Service => trs("Service"),
        ReportRecordType::Repair => trs("Repair"),
        ReportRecordType::Upgrade => trs("Upgrade"),
        ReportRecordType::Fuel => trs("Fuel"),
        ReportRecordType::Tax => trs("Tax"),
    }
}

/// A cost per distance or per day: four decimals where the figure is below one (a cost per
/// mile of 0.0145 would read 0.01 as money), else money's two. Grouping and the decimal mark
/// follow the user's locale.
fn rate(value: Amount) -> String {
    rate_with(value, format::money(value), &format::decimal2(0.0))
}

/// [`rate`] given the money text of `value` and the locale's `0.00` (for its decimal mark).
fn rate_with(value: Amount, money: String, zero: &str) -> String {
    let scaled = value.scaled().unsigned_abs();
    if scaled >= 10_000 || scaled == 0 {
        return money;
    }
    let mark = zero.chars().nth(1).unwrap_or('.');
    let fraction = format!("{scaled:04}");
    let sign = if value.is_negative() { "-" } else { "" };
    format!("{sign}0{mark}{fraction}")
}

#[component]
pub fn ReportsTab(vehicle_id: i64) -> impl IntoView {
    let auth = use_auth();
    let live = crate::live::watch(move || Some(vehicle_id));
    let year = RwSignal::new(0_i32);
    // The filter's choices outlive each answer, so the select is not rebuilt per year.
    let years = RwSignal::new(Vec::<i32>::new());
    let table = LocalResource::new(move || {
        live.track();
        let y = year.get();
        async move {
            let answer = api::reports::cost_table(vehicle_id, y).await;
            if let Ok(t) = &answer {
                years.set(t.years.clone());
            }
            answer
        }
    });
    let options = move || {
        years
            .get()
            .into_iter()
            .map(|y| view! { <option value=y.to_string()>{y.to_string()}</option> })
            .collect_view()
    };
    let content = move || match table.get() {
        None => view! { <Loading /> }.into_any(),
        Some(Err(err)) => {
            let message = Signal::stored(Some(auth.explain(&err)));
            view! { <Alert message /> }.into_any()
        }
        Some(Ok(t)) => view! { <CostTableView table=t /> }.into_any(),
    };
    let history = format!("/vehicles/{vehicle_id}/history");
    view! {
        <div class="reports-tab">
            <section class="card reports-card">
                <div class="card-header reports-header">
                    <h2>{tr("Cost table")}</h2>
                    <label class="reports-year">
                        <span class="sr-only">{tr("Year")}</span>
                        <select
                            data-testid="report-year"
                            prop:value=move || year.get().to_string()
                            on:change=move |ev| year.set(event_target_value(&ev).parse().unwrap_or(0))
                        >
                            <option value="0">{tr("All years")}</option>
                            {options}
                        </select>
                    </label>
                </div>
                {content}
            </section>
            <section class="card reports-card reports-history">
                <div>
                    <h2>{tr("Vehicle history report")}</h2>
                    <p class="muted">
                        {tr("Every record in date order with totals, depreciation and filters, ready to print or save as PDF.")}
                    </p>
                </div>
                <a class="btn btn-primary" href=history data-testid="history-link">
                    {tr("Vehicle history report")}
                </a>
            </section>
        </div>
    }
}

#[component]
fn CostTableView(table: CostTable) -> impl IntoView {
    let unit = table.distance_unit.clone();
    let per_distance = tr_fmt("Cost per {unit}", &[("unit", &unit)]);
    let rows = table
        .lines
        .iter()
        .map(|l| {
            let key = l.record_type.as_str();
            view! {
                <tr data-testid="cost-row" data-type=key>
                    <th scope="row">{type_label(l.record_type)}</th>
                    <td class="num" data-testid=format!("ct-{key}-cost")>{format::money(l.sum)}</td>
                    <td class="num" data-testid=format!("ct-{key}-distance-cost")>{rate(l.per_distance)}</td>
                    <td class="num" data-testid=format!("ct-{key}-day-cost")>{rate(l.per_day)}</td>
                </tr>
            }
        })
        .collect_view();
    let totals = table.totals;
    view! {
        <p class="muted reports-basis" data-testid="report-basis">
            {tr_fmt(
                "{distance} {unit} over {days} days",
                &[
                    ("distance", &format::grouped(table.distance)),
                    ("unit", &unit),
                    ("days", &format::grouped(table.days)),
                ],
            )}
        </p>
        <div class="cost-table-wrap">
            <table class="cost-table" data-testid="cost-table">
                <thead>
                    <tr>
                        <th scope="col">{tr("Type")}</th>
                        <th scope="col" class="num">{tr("Cost")}</th>
                        <th scope="col" class="num">{per_distance}</th>
                        <th scope="col" class="num">{tr("Cost per day")}</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
                <tfoot>
                    <tr data-testid="cost-total">
                        <th scope="row">{tr("Total")}</th>
                        <td class="num" data-testid="ct-total-cost">{format::money(totals.sum)}</td>
                        <td class="num" data-testid="ct-total-distance-cost">{rate(totals.per_distance)}</td>
                        <td class="num" data-testid="ct-total-day-cost">{rate(totals.per_day)}</td>
                    </tr>
                </tfoot>
            </table>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_below_one_keep_four_decimals() {
        let a = |s: &str| Amount::parse(s).unwrap();
        let cases = [
            ("0.0145", "0.0145"),
            ("0.1", "0.1000"),
            ("-0.0302", "-0.0302"),
            ("0", "0.00"),
            ("1.2817", "1.28"),
            ("1234.5", "1,234.50"),
        ];
        for (value, want) in cases {
            assert_eq!(rate(a(value)), want, "{value}");
        }
        // The locale's decimal mark.
        assert_eq!(rate_with(a("0.0145"), "0,01".into(), "0,00"), "0,0145");
    }
}

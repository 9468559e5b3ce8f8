//! The vehicle Dashboard tab: charts as inline SVG, with a year filter.
//!
//! Expense make-up (donut), cost by month (stacked by record type), distance by month
//! (odometer records), fuel economy by month (line), and the reminders as of a chosen day.
//! The server does the sums; this page only lays them out.

mod charts;
mod views;

use chrono::NaiveDate;
use leptos::prelude::*;
use motovault_shared::Amount;
use motovault_shared::dto::dashboard::{CostsByType, DashboardReminder, VehicleDashboard};
use motovault_shared::dto::reminders::ReminderUrgency;

use crate::api;
use crate::app::use_auth;
use crate::components::alert::Alert;
use crate::components::layout::Loading;
use crate::format;
use crate::forms;
use crate::i18n::{mark, tr, tr_fmt};
use charts::{Segment, Slot, percentages};
use views::{BarChart, Donut, LineChart};

/// The record types in legend order (as [`CostsByType::parts`]).
const TYPES: [&str; 5] = [
    mark("Service"),
    mark("Repair"),
    mark("Upgrade"),
    mark("Fuel"),
    mark("Tax"),
];

fn series_class(series: usize) -> &'static str {
    const CLASSES: [&str; 5] = [
        "series-service",
        "series-repair",
        "series-upgrade",
        "series-fuel",
        "series-tax",
    ];
    CLASSES[series.min(CLASSES.len() - 1)]
}

fn distance_class(_: usize) -> &'static str {
    "series-distance"
}

/// `Jan` within one year, `Jan 2024` over several.
fn month_label(year: i32, month: u32, with_year: bool) -> String {
    let name = NaiveDate::from_ymd_opt(year, month, 1).map_or("", format::month);
    if with_year {
        format!("{name} {year}")
    } else {
        name.to_owned()
    }
}

/// Money with the user's currency, for tooltips (SVG text gets no CSS affixes).
fn money_text(amount: Amount) -> String {
    let (before, after) = format::Fmt::of(&use_auth().settings()).affixes();
    format!("{before}{}{after}", format::money(amount))
}

#[component]
pub fn DashboardTab(vehicle_id: i64) -> impl IntoView {
    let auth = use_auth();
    let live = crate::live::watch(move || Some(vehicle_id));
    let year = RwSignal::new(None::<i32>);
    let as_of = RwSignal::new(forms::today());
    let data = LocalResource::new(move || {
        live.track();
        api::dashboard::get(vehicle_id, year.get(), as_of.get())
    });
    let loaded = move || data.get().and_then(Result::ok);

    // The years with records, and the chosen one even when it has none (yet).
    let year_options = move || {
        let mut years = loaded().map(|d| d.years).unwrap_or_default();
        if let Some(y) = year.get()
            && !years.contains(&y)
        {
            years.push(y);
            years.sort_unstable_by(|a, b| b.cmp(a));
        }
        years
            .into_iter()
            .map(|y| view! { <option value=y.to_string() selected=move || year.get() == Some(y)>{y}</option> })
            .collect_view()
    };

    let content = move || {
        match data.get() {
        None => view! { <Loading /> }.into_any(),
        Some(Err(err)) => {
            let message = Signal::stored(Some(auth.explain(&err)));
            view! { <Alert message /> }.into_any()
        }
        Some(Ok(d)) if d.years.is_empty() => view! {
            <div class="empty" data-testid="dashboard-empty">
                <h2>{tr("Nothing to chart yet")}</h2>
                <p>{tr("Costs, distances and fuel economy appear here once the vehicle has records.")}</p>
            </div>
        }
        .into_any(),
        Some(Ok(d)) => view! { <Charts d /> }.into_any(),
    }
    };

    view! {
        <div class="dashboard-tab" data-testid="dashboard">
            <div class="dashboard-toolbar">
                <label class="dashboard-filter">
                    <span>{tr("Year")}</span>
                    <select data-testid="dashboard-year" on:change=move |ev| year.set(event_target_value(&ev).parse().ok())>
                        <option value="" selected=move || year.get().is_none()>{tr("All years")}</option>
                        {year_options}
                    </select>
                </label>
            </div>
            {content}
            <section class="card dashboard-reminders" data-testid="dashboard-reminders">
                <div class="card-header">
                    <h2>{tr("Reminders")}</h2>
                    <label class="dashboard-filter">
                        <span>{tr("As of")}</span>
                        <input type="date" data-testid="dashboard-as-of" prop:value=move || as_of.get().to_string()
                            on:change=move |ev| {
                                if let Some(day) = forms::optional_date(&mut Vec::new(), "asOf", &event_target_value(&ev)) {
                                    as_of.set(day);
                                }
                            } />
                    </label>
                </div>
                {move || loaded().map(|d| view! { <ReminderList reminders=d.reminders unit=d.distance_unit /> })}
            </section>
        </div>
    }
}

/// The figures and the four charts of one answer.
#[component]
fn Charts(d: VehicleDashboard) -> impl IntoView {
    let with_year = d.year.is_none();
    let labels: Vec<String> = d
        .cost_by_month
        .iter()
        .map(|m| month_label(m.year, m.month, with_year))
        .collect();
    let names: Vec<String> = TYPES.iter().map(|t| tr(t)).collect();

    let cost_slots: Vec<Slot> = d
        .cost_by_month
        .iter()
        .zip(&labels)
        .map(|(m, label)| Slot {
            label: label.clone(),
            segments: m
                .costs
                .parts()
                .iter()
                .zip(&names)
                .map(|((_, amount), name)| Segment {
                    value: amount.to_f64(),
                    title: format!("{name} · {label}: {}", money_text(*amount)),
                })
                .collect(),
        })
        .collect();
    let distance: i64 = d.distance_by_month.iter().map(|m| m.distance).sum();
    let distance_slots: Vec<Slot> = d
        .distance_by_month
        .iter()
        .zip(&labels)
        .map(|(m, label)| Slot {
            label: label.clone(),
            segments: vec![Segment {
                value: m.distance as f64,
                title: format!(
                    "{label}: {} {}",
                    format::grouped(m.distance),
                    d.distance_unit
                ),
            }],
        })
        .collect();
    let economy: Vec<Option<Segment>> = d
        .economy_by_month
        .iter()
        .zip(&labels)
        .map(|(m, label)| {
            m.economy.map(|value| Segment {
                value,
                title: format!(
                    "{label}: {} {} ({})",
                    format::economy(Some(value)),
                    d.economy_unit,
                    if m.fill_ups == 1 {
                        tr("1 fill-up")
                    } else {
                        tr_fmt("{n} fill-ups", &[("n", &m.fill_ups.to_string())])
                    }
                ),
            })
        })
        .collect();
    let has_economy = economy.iter().any(Option::is_some);
    let economy_unit = d.economy_unit.clone();
    let distance_unit = d.distance_unit.clone();

    let cost_chart = if d.expenses.total.is_zero() {
        empty_chart(tr("No costs in this period."))
    } else {
        view! {
            <BarChart slots=cost_slots y_label=tr("Cost") aria_label=tr("Cost by month, by record type")
                testid="cost-chart" series_class />
            <Legend names=names.clone() />
        }
        .into_any()
    };
    let distance_chart = if distance == 0 {
        empty_chart(tr("No odometer records in this period."))
    } else {
        view! {
            <BarChart slots=distance_slots y_label=distance_unit.clone()
                aria_label=tr_fmt("Distance by month, in {unit}", &[("unit", &distance_unit)])
                testid="distance-chart" series_class=distance_class />
        }
        .into_any()
    };
    let economy_chart = if has_economy {
        view! {
            <LineChart labels=labels.clone() values=economy y_label=economy_unit.clone()
                aria_label=tr_fmt("Fuel economy by month, in {unit}", &[("unit", &economy_unit)])
                testid="economy-by-month-chart" />
        }
        .into_any()
    } else {
        empty_chart(tr(
            "No fuel economy in this period: it needs two full fill-ups.",
        ))
    };

    view! {
        <div class="stats stats-auto" data-testid="dashboard-figures">
            <div class="stat stat-highlight">
                <span class="stat-label">{tr("Total cost")}</span>
                <span class="stat-value" data-testid="dashboard-total-cost">{format::money(d.expenses.total)}</span>
            </div>
            <div class="stat">
                <span class="stat-label">{tr("Distance")}</span>
                <span class="stat-value">
                    <span data-testid="dashboard-distance">{format::grouped(distance)}</span>
                    " "
                    <span class="stat-unit">{d.distance_unit.clone()}</span>
                </span>
            </div>
            <div class="stat">
                <span class="stat-label">{tr("Average economy")}</span>
                <span class="stat-value">
                    <span data-testid="dashboard-economy">{format::economy(d.average_economy)}</span>
                    " "
                    <span class="stat-unit">{d.economy_unit.clone()}</span>
                </span>
            </div>
        </div>
        <section class="card chart-card" data-testid="expenses-card">
            <div class="card-header"><h2>{tr("Expenses")}</h2></div>
            <ExpenseMakeUp costs=d.expenses names=names.clone() />
        </section>
        <section class="card chart-card" data-testid="cost-card">
            <div class="card-header"><h2>{tr("Cost by month")}</h2></div>
            {cost_chart}
        </section>
        <section class="card chart-card" data-testid="distance-card">
            <div class="card-header">
                <h2>{tr("Distance by month")}</h2>
                <span class="muted">{tr("Odometer records")}</span>
            </div>
            {distance_chart}
        </section>
        <section class="card chart-card" data-testid="economy-card">
            <div class="card-header">
                <h2>{tr("Fuel economy by month")}</h2>
                <span class="muted">{d.economy_unit.clone()}</span>
            </div>
            {economy_chart}
        </section>
    }
}

fn empty_chart(text: String) -> AnyView {
    view! { <p class="muted chart-empty" data-testid="chart-empty">{text}</p> }.into_any()
}

/// The donut and its legend: each type's cost and share.
#[component]
fn ExpenseMakeUp(costs: CostsByType, names: Vec<String>) -> impl IntoView {
    if costs.total.is_zero() {
        return empty_chart(tr("No costs in this period."));
    }
    let parts = costs.parts();
    let total = costs.total.to_f64();
    let shares: Vec<f64> = parts.iter().map(|(_, a)| a.to_f64() / total).collect();
    let percents = percentages(&shares);
    let segments: Vec<Segment> = parts
        .iter()
        .zip(&names)
        .zip(&percents)
        .map(|(((_, amount), name), pct)| Segment {
            value: amount.to_f64(),
            title: format!("{name}: {} ({pct}%)", money_text(*amount)),
        })
        .collect();
    let rows = parts
        .iter()
        .zip(names)
        .zip(percents)
        .enumerate()
        .map(|(i, (((key, amount), name), pct))| {
            view! {
                <li data-testid=format!("expense-{key}")>
                    <span class=format!("swatch {}", series_class(i)) aria-hidden="true"></span>
                    <span class="legend-name">{name}</span>
                    <span class="legend-amount" data-testid=format!("expense-{key}-cost")>{format::money(*amount)}</span>
                    <span class="legend-share muted" data-testid=format!("expense-{key}-share")>{format!("{pct}%")}</span>
                </li>
            }
        })
        .collect_view();
    view! {
        <div class="expense-makeup">
            <Donut parts=segments total=money_text(costs.total) series_class />
            <ul class="chart-legend expense-legend">{rows}</ul>
        </div>
    }
    .into_any()
}

/// The colours of the record types.
#[component]
fn Legend(names: Vec<String>) -> impl IntoView {
    let items = names
        .into_iter()
        .enumerate()
        .map(|(i, name)| {
            view! {
                <li><span class=format!("swatch {}", series_class(i)) aria-hidden="true"></span>{name}</li>
            }
        })
        .collect_view();
    view! { <ul class="chart-legend chart-legend-inline">{items}</ul> }
}

fn urgency(u: ReminderUrgency) -> (&'static str, String) {
    match u {
        ReminderUrgency::NotUrgent => ("urgency-not-urgent", tr("Not urgent")),
        ReminderUrgency::Urgent => ("urgency-urgent", tr("Urgent")),
        ReminderUrgency::VeryUrgent => ("urgency-very-urgent", tr("Very urgent")),
        ReminderUrgency::PastDue => ("urgency-past-due", tr("Past due")),
    }
}

/// The reminders, most urgent first, with when they fall due.
#[component]
fn ReminderList(reminders: Vec<DashboardReminder>, unit: String) -> impl IntoView {
    if reminders.is_empty() {
        return view! { <p class="muted chart-empty" data-testid="dashboard-no-reminders">{tr("No reminders.")}</p> }
            .into_any();
    }
    let items = reminders
        .into_iter()
        .map(|r| {
            let (class, label) = urgency(r.urgency);
            let mut due = Vec::new();
            if let Some(day) = r.due_date {
                due.push(format::date(day));
            }
            if let Some(odometer) = r.due_odometer {
                due.push(format!("{} {unit}", format::grouped(odometer)));
            }
            view! {
                <li class="dashboard-reminder" data-testid="dashboard-reminder">
                    <span class=format!("badge {class}") data-testid="dashboard-reminder-urgency">{label}</span>
                    <span class="dashboard-reminder-text" data-testid="dashboard-reminder-description">{r.description}</span>
                    <span class="muted">{due.join(" · ")}</span>
                </li>
            }
        })
        .collect_view();
    view! { <ul class="dashboard-reminder-list">{items}</ul> }.into_any()
}

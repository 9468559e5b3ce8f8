//! The dashboard's SVG charts, drawn from the layouts of [`super::charts`]: every mark has a
//! `<title>` tooltip, every chart a viewBox so it scales to its card.

use leptos::prelude::*;

use super::charts::{self, Axes, BOTTOM, HEIGHT, LEFT, RIGHT, Segment, Slot, TOP};
use crate::format;
use crate::i18n::tr;

/// Wide on a desktop, narrower on a phone so the text stays readable once scaled down (as the
/// fuel chart does).
pub fn viewbox_width() -> f64 {
    let viewport = window()
        .inner_width()
        .ok()
        .and_then(|w| w.as_f64())
        .unwrap_or(1024.0);
    if viewport < 720.0 { 480.0 } else { 760.0 }
}

/// Tick labels: whole numbers grouped as the locale writes them, else two decimals.
pub fn tick_label(value: f64, step: f64) -> String {
    if step >= 1.0 {
        format::grouped(value.round() as i64)
    } else {
        format::decimal2(value)
    }
}

/// Grid lines with value labels, and the month labels under the plot.
fn axes_view(axes: Axes, width: f64, y_label: String) -> impl IntoView {
    let bottom = HEIGHT - BOTTOM;
    let right = width - RIGHT;
    let mid = TOP + (bottom - TOP) / 2.0;
    let y_ticks = axes.y_ticks.into_iter().map(|t| {
        view! {
            <line class="grid-line" x1=LEFT x2=right y1=t.at y2=t.at />
            <text class="tick" x=LEFT - 8.0 y=t.at + 4.0 text-anchor="end">{t.label}</text>
        }
    });
    let x_ticks = axes.x_ticks.into_iter().map(|t| {
        view! {
            <text class="tick" x=t.at y=bottom + 20.0 text-anchor="middle" data-testid="chart-x-label">{t.label}</text>
        }
    });
    view! {
        <g>{y_ticks.collect_view()}</g>
        <line class="axis" x1=LEFT x2=right y1=bottom y2=bottom />
        <line class="axis" x1=LEFT x2=LEFT y1=TOP y2=bottom />
        <g>{x_ticks.collect_view()}</g>
        <text class="axis-label" x=14 y=mid text-anchor="middle" transform=format!("rotate(-90 14 {mid})")>{y_label}</text>
    }
}

/// Stacked bars of `slots`; `series_class` names the colour of each series.
#[component]
pub fn BarChart(
    slots: Vec<Slot>,
    #[prop(into)] y_label: String,
    #[prop(into)] aria_label: String,
    testid: &'static str,
    series_class: fn(usize) -> &'static str,
) -> impl IntoView {
    let width = viewbox_width();
    let plot = charts::stacked_bars(&slots, width, &tick_label);
    let rects = plot.rects.into_iter().map(|r| {
        view! {
            <rect class=format!("bar {}", series_class(r.series)) data-testid="chart-bar"
                x=format!("{:.2}", r.x) y=format!("{:.2}", r.y) width=format!("{:.2}", r.w) height=format!("{:.2}", r.h)>
                <title>{r.title}</title>
            </rect>
        }
    });
    view! {
        <svg class="chart dash-chart" viewBox=format!("0 0 {width} {HEIGHT}") preserveAspectRatio="xMidYMid meet"
            role="img" aria-label=aria_label data-testid=testid>
            {axes_view(plot.axes, width, y_label)}
            <g>{rects.collect_view()}</g>
        </svg>
    }
}

/// A line with a dot per month that has a value.
#[component]
pub fn LineChart(
    labels: Vec<String>,
    values: Vec<Option<Segment>>,
    #[prop(into)] y_label: String,
    #[prop(into)] aria_label: String,
    testid: &'static str,
) -> impl IntoView {
    let width = viewbox_width();
    let plot = charts::line(&labels, &values, width, &tick_label);
    let dots = plot.dots.into_iter().map(|d| {
        view! {
            <circle class="point" data-testid="chart-point" cx=format!("{:.2}", d.x) cy=format!("{:.2}", d.y) r="5">
                <title>{d.title}</title>
            </circle>
        }
    });
    view! {
        <svg class="chart dash-chart" viewBox=format!("0 0 {width} {HEIGHT}") preserveAspectRatio="xMidYMid meet"
            role="img" aria-label=aria_label data-testid=testid>
            {axes_view(plot.axes, width, y_label)}
            <path class="line" d=plot.path />
            <g>{dots.collect_view()}</g>
        </svg>
    }
}

/// A ring of slices with the total in its hole.
#[component]
pub fn Donut(
    parts: Vec<Segment>,
    total: String,
    series_class: fn(usize) -> &'static str,
) -> impl IntoView {
    const SIZE: f64 = 220.0;
    let arcs = charts::donut(&parts, SIZE / 2.0, SIZE / 2.0, 100.0, 62.0);
    let slices = arcs.into_iter().map(|a| {
        view! {
            <path class=format!("slice {}", series_class(a.series)) data-testid="chart-slice" d=a.d fill-rule="evenodd">
                <title>{a.title}</title>
            </path>
        }
    });
    view! {
        <svg class="donut" viewBox=format!("0 0 {SIZE} {SIZE}") role="img"
            aria-label=tr("Expenses by record type") data-testid="expense-donut">
            <g>{slices.collect_view()}</g>
            <text class="donut-caption" x=SIZE / 2.0 y=SIZE / 2.0 - 8.0 text-anchor="middle">{tr("Total")}</text>
            <text class="donut-total" x=SIZE / 2.0 y=SIZE / 2.0 + 18.0 text-anchor="middle" data-testid="donut-total">{total}</text>
        </svg>
    }
}

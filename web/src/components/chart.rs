//! Fuel economy over time as inline SVG: axes with labels, a line, points with tooltips.
//! The layout is a pure function so it is tested without a browser.

use chrono::{Datelike, NaiveDate};
use leptos::prelude::*;

use crate::format;
use crate::i18n::{tr, tr_fmt};

/// The viewBox is as wide as suits the screen it is first drawn on: wide on a desktop, narrower
/// on a phone so its text stays readable once scaled down.
const WIDE: f64 = 760.0;
const NARROW: f64 = 480.0;
const HEIGHT: f64 = 260.0;
const LEFT: f64 = 56.0;
const RIGHT: f64 = 20.0;
const TOP: f64 = 18.0;
const BOTTOM: f64 = 44.0;

/// One economy figure on one day.
#[derive(Debug, Clone, PartialEq)]
pub struct ChartPoint {
    pub date: NaiveDate,
    pub value: f64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct PlacedPoint {
    pub x: f64,
    pub y: f64,
    pub tooltip: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Tick {
    pub at: f64,
    pub label: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Plot {
    pub points: Vec<PlacedPoint>,
    pub line: String,
    pub y_ticks: Vec<Tick>,
    pub x_ticks: Vec<Tick>,
}

/// A "nice" step (1, 2 or 5 × 10ⁿ) giving about `target` intervals over `range`.
fn nice_step(range: f64, target: f64) -> f64 {
    let raw = (range / target).max(f64::EPSILON);
    let magnitude = 10_f64.powf(raw.log10().floor());
    let normalized = raw / magnitude;
    let factor = if normalized < 1.5 {
        1.0
    } else if normalized < 3.0 {
        2.0
    } else if normalized < 7.0 {
        5.0
    } else {
        10.0
    };
    factor * magnitude
}

fn y_domain(values: &[f64]) -> (f64, f64, f64) {
    let min = values.iter().copied().fold(f64::INFINITY, f64::min);
    let max = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let (min, max) = if (max - min).abs() < 1e-9 {
        let pad = (min.abs() * 0.1).max(1.0);
        (min - pad, max + pad)
    } else {
        (min, max)
    };
    let step = nice_step(max - min, 4.0);
    let lo = (min / step).floor() * step;
    let hi = (max / step).ceil() * step;
    (lo.max(if min >= 0.0 { 0.0 } else { lo }), hi, step)
}

fn tick_label(value: f64, step: f64) -> String {
    if step >= 1.0 {
        format!("{value:.0}")
    } else if step >= 0.1 {
        format!("{value:.1}")
    } else {
        format!("{value:.2}")
    }
}

fn viewbox_width() -> f64 {
    let viewport = window()
        .inner_width()
        .ok()
        .and_then(|w| w.as_f64())
        .unwrap_or(1024.0);
    if viewport < 720.0 { NARROW } else { WIDE }
}

/// Places the points (sorted by date) in a `width` × `HEIGHT` coordinate space.
pub fn layout(points: &[ChartPoint], unit: &str, width: f64) -> Plot {
    let mut sorted: Vec<&ChartPoint> = points.iter().filter(|p| p.value.is_finite()).collect();
    sorted.sort_by_key(|p| p.date);
    if sorted.is_empty() {
        return Plot {
            points: Vec::new(),
            line: String::new(),
            y_ticks: Vec::new(),
            x_ticks: Vec::new(),
        };
    }
    let values: Vec<f64> = sorted.iter().map(|p| p.value).collect();
    let (lo, hi, step) = y_domain(&values);
    let plot_w = width - LEFT - RIGHT;
    let plot_h = HEIGHT - TOP - BOTTOM;
    let y_of = |v: f64| TOP + plot_h * (1.0 - (v - lo) / (hi - lo));

    let first = sorted[0].date;
    let last = sorted[sorted.len() - 1].date;
    let span = (last - first).num_days();
    let x_of = |d: NaiveDate| {
        if span == 0 {
            LEFT + plot_w / 2.0
        } else {
            LEFT + plot_w * (d - first).num_days() as f64 / span as f64
        }
    };

    let placed: Vec<PlacedPoint> = sorted
        .iter()
        .map(|p| PlacedPoint {
            x: x_of(p.date),
            y: y_of(p.value),
            tooltip: format!(
                "{}: {} {unit}",
                format::date(p.date),
                format::economy(Some(p.value))
            ),
        })
        .collect();
    let line = placed
        .iter()
        .enumerate()
        .map(|(i, p)| format!("{}{:.1},{:.1}", if i == 0 { "M" } else { " L" }, p.x, p.y))
        .collect();

    let mut y_ticks = Vec::new();
    let mut v = lo;
    while v <= hi + step / 2.0 && y_ticks.len() < 12 {
        y_ticks.push(Tick {
            at: y_of(v),
            label: tick_label(v, step),
        });
        v += step;
    }

    // `Jan 2024` over a long span, `Jan 5` otherwise.
    let label = |day: NaiveDate| {
        if span > 300 {
            format!("{} {}", format::month(day), day.year())
        } else {
            format!("{} {}", format::month(day), day.day())
        }
    };
    let x_ticks = if span == 0 {
        vec![Tick {
            at: x_of(first),
            label: label(first),
        }]
    } else {
        let count = if span >= 3 { 4 } else { 2 };
        (0..count)
            .map(|i| {
                let day = first + chrono::Duration::days(span * i / (count - 1));
                Tick {
                    at: x_of(day),
                    label: label(day),
                }
            })
            .collect()
    };

    Plot {
        points: placed,
        line,
        y_ticks,
        x_ticks,
    }
}

#[component]
pub fn EconomyChart(points: Vec<ChartPoint>, #[prop(into)] unit: String) -> impl IntoView {
    let width = viewbox_width();
    let plot = layout(&points, &unit, width);
    let view_box = format!("0 0 {width} {HEIGHT}");
    let bottom = HEIGHT - BOTTOM;
    let right = width - RIGHT;
    let label = tr_fmt("Fuel economy over time, in {unit}", &[("unit", &unit)]);
    let y_ticks = plot.y_ticks.into_iter().map(|t| {
        view! {
            <line class="grid-line" x1=LEFT x2=right y1=t.at y2=t.at />
            <text class="tick" x=LEFT - 8.0 y=t.at + 4.0 text-anchor="end">{t.label}</text>
        }
    });
    let x_ticks = plot.x_ticks.into_iter().enumerate().map(|(i, t)| {
        let anchor = if i == 0 && t.at <= LEFT + 1.0 {
            "start"
        } else if t.at >= right - 1.0 {
            "end"
        } else {
            "middle"
        };
        view! {
            <line class="axis" x1=t.at x2=t.at y1=bottom y2=bottom + 5.0 />
            <text class="tick" x=t.at y=bottom + 20.0 text-anchor=anchor>{t.label}</text>
        }
    });
    let points = plot.points.into_iter().map(|p| {
        view! {
            <circle class="point" data-testid="chart-point" cx=p.x cy=p.y r="5">
                <title>{p.tooltip}</title>
            </circle>
        }
    });
    view! {
        <svg
            class="chart"
            viewBox=view_box
            preserveAspectRatio="xMidYMid meet"
            role="img"
            aria-label=label
            data-testid="economy-chart"
        >
            <g>{y_ticks.collect_view()}</g>
            <line class="axis" x1=LEFT x2=right y1=bottom y2=bottom />
            <line class="axis" x1=LEFT x2=LEFT y1=TOP y2=bottom />
            <g>{x_ticks.collect_view()}</g>
            <text class="axis-label" x=14 y=TOP + (bottom - TOP) / 2.0 text-anchor="middle" transform=format!("rotate(-90 14 {})", TOP + (bottom - TOP) / 2.0)>
                {unit.clone()}
            </text>
            <text class="axis-label" x=LEFT + (right - LEFT) / 2.0 y=HEIGHT - 4.0 text-anchor="middle">{tr("Date")}</text>
            <path class="line" d=plot.line />
            <g>{points.collect_view()}</g>
        </svg>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn point(date: &str, value: f64) -> ChartPoint {
        ChartPoint {
            date: date.parse().unwrap(),
            value,
        }
    }

    #[test]
    fn nice_steps() {
        assert_eq!(nice_step(10.0, 4.0), 2.0);
        assert_eq!(nice_step(100.0, 4.0), 20.0);
        assert_eq!(nice_step(3.0, 4.0), 1.0);
        assert!((nice_step(0.4, 4.0) - 0.1).abs() < 1e-12);
    }

    #[test]
    fn points_are_sorted_and_inside_the_plot() {
        let plot = layout(
            &[
                point("2024-03-01", 30.0),
                point("2024-01-01", 40.0),
                point("2024-02-01", 35.0),
            ],
            "mpg",
            WIDE,
        );
        assert_eq!(plot.points.len(), 3);
        assert!(plot.points.windows(2).all(|w| w[0].x < w[1].x));
        for p in &plot.points {
            assert!((LEFT..=WIDE - RIGHT).contains(&p.x));
            assert!((TOP..=HEIGHT - BOTTOM).contains(&p.y));
        }
        assert_eq!(plot.points[0].tooltip, "Jan 1, 2024: 40.00 mpg");
        assert!(plot.line.starts_with('M'));
        assert_eq!(plot.line.matches('L').count(), 2);
        assert!(plot.y_ticks.len() >= 2);
        assert_eq!(
            plot.x_ticks.first().map(|t| t.label.as_str()),
            Some("Jan 1")
        );
    }

    #[test]
    fn a_single_point_is_centred() {
        let plot = layout(&[point("2024-01-20", 40.0)], "mpg", NARROW);
        assert_eq!(plot.points.len(), 1);
        assert!((plot.points[0].x - (LEFT + (NARROW - LEFT - RIGHT) / 2.0)).abs() < 1e-9);
        assert!(plot.points[0].y.is_finite());
        assert_eq!(plot.x_ticks.len(), 1);
    }

    #[test]
    fn nothing_to_draw() {
        assert!(layout(&[], "mpg", WIDE).points.is_empty());
    }
}

//! Layout of the dashboard charts (donut, stacked bars, line with gaps) as pure functions of
//! their data and the viewBox width, so they are tested without a browser. The SVG itself is
//! drawn in [`super::views`].

use std::f64::consts::{PI, TAU};

/// Chart height in viewBox units, and the margins around the plot area.
pub const HEIGHT: f64 = 250.0;
pub const LEFT: f64 = 60.0;
pub const RIGHT: f64 = 14.0;
pub const TOP: f64 = 14.0;
pub const BOTTOM: f64 = 40.0;

/// A label at a position along an axis.
#[derive(Debug, Clone, PartialEq)]
pub struct Tick {
    pub at: f64,
    pub label: String,
}

/// One piece of a stacked bar, or one value of a line: its size and its tooltip.
#[derive(Debug, Clone, PartialEq)]
pub struct Segment {
    pub value: f64,
    pub title: String,
}

/// One month: the axis label and the values of each series (index = series).
#[derive(Debug, Clone, PartialEq)]
pub struct Slot {
    pub label: String,
    pub segments: Vec<Segment>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Rect {
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
    pub series: usize,
    pub title: String,
}

/// The value axis and the month axis of a plot `width` wide.
#[derive(Debug, Clone, PartialEq)]
pub struct Axes {
    pub y_ticks: Vec<Tick>,
    pub x_ticks: Vec<Tick>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Bars {
    pub rects: Vec<Rect>,
    pub axes: Axes,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Dot {
    pub x: f64,
    pub y: f64,
    pub title: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    /// `M … L …`, restarted after each month without a value.
    pub path: String,
    pub dots: Vec<Dot>,
    pub axes: Axes,
}

/// A "nice" step (1, 2 or 5 × 10ⁿ) giving about `target` intervals over `range`.
pub fn nice_step(range: f64, target: f64) -> f64 {
    let raw = (range / target).max(f64::EPSILON);
    let magnitude = 10_f64.powf(raw.log10().floor());
    let factor = match raw / magnitude {
        n if n < 1.5 => 1.0,
        n if n < 3.0 => 2.0,
        n if n < 7.0 => 5.0,
        _ => 10.0,
    };
    factor * magnitude
}

/// `lo..=hi` in steps: from 0 (or below, for negative values) to the largest value, rounded out.
fn value_domain(values: impl Iterator<Item = f64>, from_zero: bool) -> (f64, f64, f64) {
    let (mut min, mut max) = (f64::INFINITY, f64::NEG_INFINITY);
    for v in values.filter(|v| v.is_finite()) {
        min = min.min(v);
        max = max.max(v);
    }
    if !min.is_finite() {
        return (0.0, 1.0, 0.25);
    }
    if from_zero {
        min = min.min(0.0);
        max = max.max(0.0);
    }
    if (max - min).abs() < 1e-9 {
        let pad = (max.abs() * 0.1).max(1.0);
        max += pad;
        if !from_zero {
            min -= pad;
        }
    }
    let step = nice_step(max - min, 4.0);
    // `+ 0.0` turns the -0 of an empty float sum into 0, so no tick reads "-0".
    (
        (min / step).floor() * step + 0.0,
        (max / step).ceil() * step,
        step,
    )
}

fn y_ticks(
    lo: f64,
    hi: f64,
    step: f64,
    y_of: &dyn Fn(f64) -> f64,
    fmt: &dyn Fn(f64, f64) -> String,
) -> Vec<Tick> {
    let mut out = Vec::new();
    let mut v = lo;
    while v <= hi + step / 2.0 && out.len() < 12 {
        out.push(Tick {
            at: y_of(v),
            label: fmt(v, step),
        });
        v += step;
    }
    out
}

/// The slot centres, and labels thinned so none overlaps: every `k`-th month is labelled, `k`
/// chosen from the longest label and the room per slot (`char_width` viewBox units a letter).
fn x_axis(labels: &[&str], width: f64, char_width: f64) -> (Vec<f64>, f64, Vec<Tick>) {
    let n = labels.len().max(1);
    let plot_w = width - LEFT - RIGHT;
    let slot = plot_w / n as f64;
    let centres: Vec<f64> = (0..labels.len())
        .map(|i| LEFT + slot * (i as f64 + 0.5))
        .collect();
    let longest = labels.iter().map(|l| l.chars().count()).max().unwrap_or(0) as f64;
    let needed = longest * char_width + 8.0;
    let every = ((needed / slot).ceil() as usize).max(1);
    let ticks = labels
        .iter()
        .zip(&centres)
        .enumerate()
        .filter(|(i, _)| i % every == 0)
        .map(|(_, (label, at))| Tick {
            at: *at,
            label: (*label).to_owned(),
        })
        .collect();
    (centres, slot, ticks)
}

/// Letter width of tick labels in viewBox units: the narrow (phone) chart uses a larger font.
pub fn char_width(width: f64) -> f64 {
    if width < 600.0 { 10.0 } else { 7.2 }
}

/// Stacked bars: one per slot, its segments bottom-up in series order (empty ones skipped).
pub fn stacked_bars(slots: &[Slot], width: f64, fmt: &dyn Fn(f64, f64) -> String) -> Bars {
    let totals = slots
        .iter()
        .map(|s| s.segments.iter().map(|g| g.value.max(0.0)).sum::<f64>());
    let (lo, hi, step) = value_domain(totals, true);
    let plot_h = HEIGHT - TOP - BOTTOM;
    let y_of = move |v: f64| TOP + plot_h * (1.0 - (v - lo) / (hi - lo));
    let labels: Vec<&str> = slots.iter().map(|s| s.label.as_str()).collect();
    let (centres, slot_w, x_ticks) = x_axis(&labels, width, char_width(width));
    let bar_w = (slot_w * 0.7).min(42.0);
    let mut rects = Vec::new();
    for (slot, centre) in slots.iter().zip(centres) {
        let mut base = 0.0;
        for (series, seg) in slot.segments.iter().enumerate() {
            if seg.value <= 0.0 || !seg.value.is_finite() {
                continue;
            }
            let top = base + seg.value;
            let (y0, y1) = (y_of(base), y_of(top));
            rects.push(Rect {
                x: centre - bar_w / 2.0,
                y: y1,
                w: bar_w,
                h: (y0 - y1).max(0.5),
                series,
                title: seg.title.clone(),
            });
            base = top;
        }
    }
    Bars {
        rects,
        axes: Axes {
            y_ticks: y_ticks(lo, hi, step, &y_of, fmt),
            x_ticks,
        },
    }
}

/// A line over the slots' first segment; a slot with no value (`None`) breaks the line.
pub fn line(
    labels: &[String],
    values: &[Option<Segment>],
    width: f64,
    fmt: &dyn Fn(f64, f64) -> String,
) -> Line {
    let (lo, hi, step) = value_domain(values.iter().flatten().map(|s| s.value), false);
    let plot_h = HEIGHT - TOP - BOTTOM;
    let y_of = move |v: f64| TOP + plot_h * (1.0 - (v - lo) / (hi - lo));
    let refs: Vec<&str> = labels.iter().map(String::as_str).collect();
    let (centres, _, x_ticks) = x_axis(&refs, width, char_width(width));
    let mut path = String::new();
    let mut dots = Vec::new();
    let mut pen_down = false;
    for (value, x) in values.iter().zip(centres) {
        match value {
            Some(seg) if seg.value.is_finite() => {
                let y = y_of(seg.value);
                path.push_str(&format!(
                    "{}{x:.1},{y:.1}",
                    if pen_down {
                        " L"
                    } else if path.is_empty() {
                        "M"
                    } else {
                        " M"
                    }
                ));
                pen_down = true;
                dots.push(Dot {
                    x,
                    y,
                    title: seg.title.clone(),
                });
            }
            _ => pen_down = false,
        }
    }
    Line {
        path,
        dots,
        axes: Axes {
            y_ticks: y_ticks(lo, hi, step, &y_of, fmt),
            x_ticks,
        },
    }
}

/// One slice of the donut.
#[derive(Debug, Clone, PartialEq)]
pub struct Arc {
    pub d: String,
    pub series: usize,
    /// Of the whole, 0 to 1.
    pub share: f64,
    pub title: String,
}

fn polar(cx: f64, cy: f64, r: f64, angle: f64) -> (f64, f64) {
    (cx + r * angle.cos(), cy + r * angle.sin())
}

/// A ring of slices centred on `(cx, cy)` between radii `inner` and `outer`, clockwise from
/// the top, one per positive value (index = series). A single slice is a full ring (two arcs
/// each way: one arc cannot close a circle).
pub fn donut(values: &[Segment], cx: f64, cy: f64, outer: f64, inner: f64) -> Vec<Arc> {
    let total: f64 = values
        .iter()
        .map(|s| s.value)
        .filter(|v| *v > 0.0 && v.is_finite())
        .sum();
    if total <= 0.0 {
        return Vec::new();
    }
    let mut start = -PI / 2.0;
    let mut out = Vec::new();
    for (series, seg) in values.iter().enumerate() {
        if seg.value <= 0.0 || !seg.value.is_finite() {
            continue;
        }
        let share = seg.value / total;
        let d = if share > 0.9999 {
            format!(
                "M{cx:.2},{:.2} A{outer},{outer} 0 1 1 {cx:.2},{:.2} A{outer},{outer} 0 1 1 {cx:.2},{:.2} Z \
                 M{cx:.2},{:.2} A{inner},{inner} 0 1 0 {cx:.2},{:.2} A{inner},{inner} 0 1 0 {cx:.2},{:.2} Z",
                cy - outer,
                cy + outer,
                cy - outer,
                cy - inner,
                cy + inner,
                cy - inner
            )
        } else {
            let end = start + share * TAU;
            let large = u8::from(share > 0.5);
            let (ox0, oy0) = polar(cx, cy, outer, start);
            let (ox1, oy1) = polar(cx, cy, outer, end);
            let (ix1, iy1) = polar(cx, cy, inner, end);
            let (ix0, iy0) = polar(cx, cy, inner, start);
            format!(
                "M{ox0:.2},{oy0:.2} A{outer},{outer} 0 {large} 1 {ox1:.2},{oy1:.2} \
                 L{ix1:.2},{iy1:.2} A{inner},{inner} 0 {large} 0 {ix0:.2},{iy0:.2} Z"
            )
        };
        start += share * TAU;
        out.push(Arc {
            d,
            series,
            share,
            title: seg.title.clone(),
        });
    }
    out
}

/// A share as a whole percentage, the largest remainders rounded up so the parts add up to 100.
pub fn percentages(shares: &[f64]) -> Vec<u32> {
    let scaled: Vec<f64> = shares.iter().map(|s| s.max(0.0) * 100.0).collect();
    let mut out: Vec<u32> = scaled.iter().map(|s| s.floor() as u32).collect();
    let sum: u32 = out.iter().sum();
    if sum == 0 {
        return out;
    }
    let mut order: Vec<usize> = (0..scaled.len()).collect();
    order.sort_by(|a, b| {
        let fa = scaled[*a] - scaled[*a].floor();
        let fb = scaled[*b] - scaled[*b].floor();
        fb.total_cmp(&fa).then(a.cmp(b))
    });
    for i in order.into_iter().take(100_u32.saturating_sub(sum) as usize) {
        out[i] += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seg(value: f64) -> Segment {
        Segment {
            value,
            title: format!("{value}"),
        }
    }

    fn plain(v: f64, _: f64) -> String {
        format!("{v}")
    }

    fn slots(values: &[&[f64]]) -> Vec<Slot> {
        values
            .iter()
            .enumerate()
            .map(|(i, v)| Slot {
                label: format!("M{i}"),
                segments: v.iter().copied().map(seg).collect(),
            })
            .collect()
    }

    #[test]
    fn nice_steps() {
        assert_eq!(nice_step(10.0, 4.0), 2.0);
        assert_eq!(nice_step(100.0, 4.0), 20.0);
        assert_eq!(nice_step(328.25, 4.0), 100.0);
        assert!((nice_step(0.4, 4.0) - 0.1).abs() < 1e-12);
    }

    #[test]
    fn stacked_bars_grow_from_the_axis_in_series_order() {
        // January: 100 + 50 (+ an empty type); February: 200; March: nothing.
        let plot = stacked_bars(&slots(&[&[100.0, 0.0, 50.0], &[200.0], &[]]), 760.0, &plain);
        let bottom = HEIGHT - BOTTOM;
        assert_eq!(plot.rects.len(), 3);
        let (a, b, c) = (&plot.rects[0], &plot.rects[1], &plot.rects[2]);
        assert_eq!((a.series, b.series, c.series), (0, 2, 0));
        // 0..200 in steps of 50: the axis tops out at 200, which is February's bar.
        let labels: Vec<&str> = plot.axes.y_ticks.iter().map(|t| t.label.as_str()).collect();
        assert_eq!(labels, ["0", "50", "100", "150", "200"]);
        assert!((a.y + a.h - bottom).abs() < 1e-9, "starts on the axis");
        assert!((b.y + b.h - a.y).abs() < 1e-9, "stacked on the first");
        assert!((c.y - TOP).abs() < 1e-9 && (c.y + c.h - bottom).abs() < 1e-9);
        assert!((a.h - 2.0 * b.h).abs() < 1e-9, "100 is twice 50");
        // Same width, centred in equal slots, left to right.
        assert_eq!(a.x, b.x);
        assert!(c.x > a.x);
        assert_eq!(plot.axes.x_ticks.len(), 3);
    }

    #[test]
    fn month_labels_are_thinned_on_a_narrow_chart() {
        let labels: Vec<String> = (0..24).map(|i| format!("Jan {}", 2000 + i)).collect();
        let bars: Vec<Slot> = labels
            .iter()
            .map(|l| Slot {
                label: l.clone(),
                segments: vec![seg(1.0)],
            })
            .collect();
        let wide = stacked_bars(&bars, 760.0, &plain).axes.x_ticks;
        let narrow = stacked_bars(&bars, 480.0, &plain).axes.x_ticks;
        assert!(narrow.len() < wide.len() && wide.len() < 24);
        // Labels never overlap: each has its room.
        for ticks in [&wide, &narrow] {
            for pair in ticks.windows(2) {
                assert!(pair[1].at - pair[0].at >= 8.0 * 7.2);
            }
        }
        // Twelve short month names all fit on a desktop chart.
        let year: Vec<Slot> = (0..12)
            .map(|i| Slot {
                label: format!("M{i:02}"),
                segments: vec![],
            })
            .collect();
        assert_eq!(stacked_bars(&year, 760.0, &plain).axes.x_ticks.len(), 12);
    }

    #[test]
    fn nothing_to_stack_still_has_an_axis() {
        let plot = stacked_bars(&slots(&[&[], &[0.0]]), 480.0, &plain);
        assert!(plot.rects.is_empty());
        assert!(plot.axes.y_ticks.len() >= 2);
    }

    #[test]
    fn a_line_breaks_where_a_month_has_no_value() {
        let labels: Vec<String> = ["Jan", "Feb", "Mar", "Apr"].map(String::from).to_vec();
        let plot = line(
            &labels,
            &[Some(seg(30.0)), Some(seg(40.0)), None, Some(seg(25.0))],
            760.0,
            &plain,
        );
        assert_eq!(plot.dots.len(), 3);
        assert_eq!(plot.path.matches('M').count(), 2);
        assert_eq!(plot.path.matches('L').count(), 1);
        // Higher economy is higher on the chart.
        assert!(plot.dots[1].y < plot.dots[0].y && plot.dots[0].y < plot.dots[2].y);
        for d in &plot.dots {
            assert!((TOP..=HEIGHT - BOTTOM).contains(&d.y));
        }
        // A single value is drawn in the middle of a padded axis.
        let one = line(&labels[..1], &[Some(seg(35.0))], 480.0, &plain);
        assert_eq!(one.dots.len(), 1);
        assert!(one.dots[0].y > TOP && one.dots[0].y < HEIGHT - BOTTOM);
        assert!(
            line(&labels, &[None, None, None, None], 760.0, &plain)
                .path
                .is_empty()
        );
    }

    #[test]
    fn donut_slices_follow_their_shares() {
        let arcs = donut(
            &[seg(100.0), seg(0.0), seg(300.0)],
            110.0,
            110.0,
            100.0,
            60.0,
        );
        assert_eq!(arcs.len(), 2);
        assert_eq!((arcs[0].series, arcs[1].series), (0, 2));
        assert!((arcs[0].share - 0.25).abs() < 1e-12);
        // A quarter from the top ends at 3 o'clock, on a small arc; the rest takes the large one.
        assert!(
            arcs[0]
                .d
                .starts_with("M110.00,10.00 A100,100 0 0 1 210.00,110.00")
        );
        assert!(
            arcs[1]
                .d
                .starts_with("M210.00,110.00 A100,100 0 1 1 110.00,10.00")
        );
        // One type only: a full ring.
        let full = donut(&[seg(0.0), seg(5.0)], 110.0, 110.0, 100.0, 60.0);
        assert_eq!(full.len(), 1);
        assert_eq!(full[0].d.matches('A').count(), 4);
        assert!(donut(&[seg(0.0)], 110.0, 110.0, 100.0, 60.0).is_empty());
    }

    #[test]
    fn percentages_add_up_to_a_hundred() {
        assert_eq!(percentages(&[1.0 / 3.0; 3]), [34, 33, 33]);
        assert_eq!(percentages(&[0.25, 0.75]), [25, 75]);
        assert_eq!(percentages(&[0.166, 0.244, 0.59]), [17, 24, 59]);
        assert_eq!(percentages(&[0.0, 0.0]), [0, 0]);
    }
}

//! Reminders: urgency badges, what is left until due, and "Mark done".

use chrono::NaiveDate;
use leptos::prelude::*;
use motovault_shared::dto::reminders::{
    self as dto, MILEAGE_INTERVALS, Reminder, ReminderInput, ReminderIntervalUnit, ReminderList,
    ReminderMetric, ReminderUrgency,
};
use motovault_shared::validate;

use super::{
    Check, Choice, Editing, Env, FormSpec, FormState, Listing, Op, Row, TextInput, action, cell,
    checked, col, day, delete, every, month_options, notes_and_tags, optional_integer,
    unit_options,
};
use crate::api;
use crate::i18n::{tr, tr_fmt, trs};
use crate::{format, forms};

/// `(label, badge class)`.
pub fn urgency_badge(urgency: ReminderUrgency) -> (&'static str, &'static str) {
    match urgency {
        ReminderUrgency::NotUrgent => (trs("Not urgent"), "badge urgency-not-urgent"),
        ReminderUrgency::Urgent => (trs("Urgent"), "badge urgency-urgent"),
        ReminderUrgency::VeryUrgent => (trs("Very urgent"), "badge urgency-very-urgent"),
        ReminderUrgency::PastDue => (trs("Past due"), "badge urgency-past-due"),
    }
}

/// `in 5 days`, `today`, `3 days ago`; `in 300 mi`, `20 mi overdue`; both joined by `·`.
/// Days are counted in calendar days from the browser's `today` (the server's `dueDays` counts
/// whole 24-hour spans from now, so a reminder due in 5 days would read "in 4 days").
pub fn due_in(r: &Reminder, unit: &str, today: NaiveDate) -> String {
    let calendar = r
        .due_date
        .filter(|_| r.due_days.is_some())
        .map(|d| (d - today).num_days());
    let days = calendar.or(r.due_days).map(|d| match d {
        0 => tr("today"),
        1 => tr("in 1 day"),
        -1 => tr("1 day ago"),
        d if d > 0 => tr_fmt("in {d} days", &[("d", &d.to_string())]),
        d => tr_fmt("{d} days ago", &[("d", &(-d).to_string())]),
    });
    let distance = r.due_distance.map(|d| {
        if d >= 0 {
            tr_fmt(
                "in {d} {unit}",
                &[("d", &format::grouped(d).to_string()), ("unit", unit)],
            )
        } else {
            tr_fmt(
                "{d} {unit} overdue",
                &[("d", &format::grouped(-d).to_string()), ("unit", unit)],
            )
        }
    });
    match (days, distance) {
        (Some(a), Some(b)) => format!("{a} · {b}"),
        (Some(a), None) | (None, Some(a)) => a,
        (None, None) => "—".to_owned(),
    }
}

/// `Jan 5, 2025`, `12,000 mi`, or both.
fn due_at(r: &Reminder, unit: &str) -> String {
    let date = r
        .due_date
        .filter(|_| r.metric.uses_date())
        .map(format::date);
    let odometer = r
        .due_odometer
        .filter(|_| r.metric.uses_odometer())
        .map(|o| format!("{} {unit}", format::grouped(o)));
    match (date, odometer) {
        (Some(a), Some(b)) => tr_fmt(
            "{a} or {b}",
            &[("a", &a.to_string()), ("b", &b.to_string())],
        ),
        (Some(a), None) | (None, Some(a)) => a,
        (None, None) => "—".to_owned(),
    }
}

fn repeats(r: &Reminder, unit: &str) -> Option<String> {
    if !r.is_recurring {
        return None;
    }
    let months = r.metric.uses_date().then(|| {
        if r.month_interval == 0 {
            every(
                i64::from(r.custom_month_interval),
                r.custom_interval_unit.as_str(),
            )
        } else {
            every(i64::from(r.month_interval), "months")
        }
    });
    let distance = r.metric.uses_odometer().then(|| {
        let d = if r.mileage_interval == 0 {
            r.custom_mileage_interval
        } else {
            r.mileage_interval
        };
        every(d, unit)
    });
    Some(match (months, distance) {
        (Some(a), Some(b)) => tr_fmt(
            "{a} or {every}",
            &[
                ("a", &a.to_string()),
                ("every", &b.replacen(trs("Every"), trs("every"), 1)),
            ],
        ),
        (Some(a), None) | (None, Some(a)) => a,
        (None, None) => return None,
    })
}

pub fn listing(list: &ReminderList, env: Env) -> Listing {
    let unit = env.unit;
    let today = forms::today();
    let rows = list
        .records
        .iter()
        .map(|r| {
            let (label, class) = urgency_badge(r.urgency);
            let mut flags = vec![(class, label.to_owned(), "urgency")];
            if let Some(text) = repeats(r, unit) {
                flags.push(("badge badge-muted", text, "flag-recurring"));
            }
            let id = r.id;
            let body = tr_fmt(
                "The reminder “{description}” will be deleted permanently.",
                &[("description", &r.description.to_string())],
            );
            Row {
                id,
                group: 0,
                // By due date; reminders due by odometer only go last.
                key: r
                    .due_date
                    .filter(|_| r.metric.uses_date())
                    .map_or(i64::MAX / 2, day),
                title: r.description.clone(),
                title_is_date: false,
                cells: vec![
                    cell(due_at(r, unit), "record-due"),
                    cell(due_in(r, unit, today), "record-due-in"),
                ],
                flags,
                tags: r.tags.clone(),
                note: r.notes.clone(),
                markdown: false,
                actions: vec![
                    action(trs("Mark done"), "record-done", Op::Done(id)),
                    action(
                        trs("Edit"),
                        "record-edit",
                        Op::Edit(Editing::Reminder(Some(r.clone()))),
                    ),
                    delete(id, body),
                ],
                move_from: None,
            }
        })
        .collect();
    Listing {
        stats: Vec::new(),
        title: trs("Reminders"),
        columns: vec![col(trs("Reminder")), col(trs("Due")), col(trs("Due in"))],
        rows,
        sort_label: trs("Due date"),
    }
}

fn base_input() -> ReminderInput {
    ReminderInput {
        description: String::new(),
        notes: String::new(),
        tags: Vec::new(),
        metric: ReminderMetric::Date,
        due_date: None,
        due_odometer: None,
        is_recurring: false,
        fixed_intervals: false,
        month_interval: 12,
        mileage_interval: 5000,
        custom_month_interval: 0,
        custom_interval_unit: ReminderIntervalUnit::Months,
        custom_mileage_interval: 0,
        use_custom_thresholds: false,
        urgent_days: None,
        very_urgent_days: None,
        urgent_distance: None,
        very_urgent_distance: None,
    }
}

/// The input a stored reminder was made from (what the form does not show is kept).
fn input_of(r: &Reminder) -> ReminderInput {
    ReminderInput {
        description: r.description.clone(),
        notes: r.notes.clone(),
        tags: r.tags.clone(),
        metric: r.metric,
        due_date: r.due_date,
        due_odometer: r.due_odometer,
        is_recurring: r.is_recurring,
        fixed_intervals: r.fixed_intervals,
        month_interval: r.month_interval,
        mileage_interval: r.mileage_interval,
        custom_month_interval: r.custom_month_interval,
        custom_interval_unit: r.custom_interval_unit,
        custom_mileage_interval: r.custom_mileage_interval,
        use_custom_thresholds: r.use_custom_thresholds,
        urgent_days: r.urgent_days,
        very_urgent_days: r.very_urgent_days,
        urgent_distance: r.urgent_distance,
        very_urgent_distance: r.very_urgent_distance,
    }
}

fn text_of<T: ToString>(value: Option<T>) -> String {
    value.map(|v| v.to_string()).unwrap_or_default()
}

pub fn form(env: Env, record: Option<Reminder>) -> FormSpec {
    let form = FormState::new();
    let (vehicle_id, unit) = (env.vehicle_id, env.unit);
    let id = record.as_ref().map(|r| r.id);
    let base = record.as_ref().map_or_else(base_input, input_of);
    let description = RwSignal::new(base.description.clone());
    let metric = RwSignal::new(base.metric.as_str().to_owned());
    let due_date = RwSignal::new(text_of(base.due_date));
    let due_odometer = RwSignal::new(text_of(base.due_odometer));
    let recurring = RwSignal::new(base.is_recurring);
    let fixed = RwSignal::new(base.fixed_intervals);
    let months = RwSignal::new(base.month_interval.to_string());
    let mileage = RwSignal::new(base.mileage_interval.to_string());
    let nonzero = |v: i64| if v == 0 { String::new() } else { v.to_string() };
    let custom_months = RwSignal::new(nonzero(i64::from(base.custom_month_interval)));
    let custom_unit = RwSignal::new(base.custom_interval_unit.as_str().to_owned());
    let custom_mileage = RwSignal::new(nonzero(base.custom_mileage_interval));
    let thresholds = RwSignal::new(base.use_custom_thresholds);
    let urgent_days = RwSignal::new(text_of(base.urgent_days));
    let very_urgent_days = RwSignal::new(text_of(base.very_urgent_days));
    let urgent_distance = RwSignal::new(text_of(base.urgent_distance));
    let very_urgent_distance = RwSignal::new(text_of(base.very_urgent_distance));
    let notes = RwSignal::new(base.notes.clone());
    let tags = RwSignal::new(base.tags.join(" "));

    let submit = Callback::new(move |()| {
        let mut parsed = Vec::new();
        let metric = ReminderMetric::parse(&metric.get_untracked()).unwrap_or_default();
        let mut input = base.clone();
        input.description = description.get_untracked().trim().to_owned();
        input.metric = metric;
        input.due_date = forms::optional_date(&mut parsed, "dueDate", &due_date.get_untracked());
        input.due_odometer =
            optional_integer(&mut parsed, "dueOdometer", &due_odometer.get_untracked());
        input.is_recurring = recurring.get_untracked();
        input.fixed_intervals = input.is_recurring && fixed.get_untracked();
        input.month_interval = months.get_untracked().parse().unwrap_or(12);
        input.mileage_interval = mileage.get_untracked().parse().unwrap_or(5000);
        // A custom value is read only where "Other…" picks it; elsewhere it is cleared.
        input.custom_month_interval = if input.month_interval == 0 {
            small(optional_integer(
                &mut parsed,
                "customMonthInterval",
                &custom_months.get_untracked(),
            ))
        } else {
            0
        };
        input.custom_interval_unit =
            ReminderIntervalUnit::parse(&custom_unit.get_untracked()).unwrap_or_default();
        input.custom_mileage_interval = if input.mileage_interval == 0 {
            optional_integer(
                &mut parsed,
                "customMileageInterval",
                &custom_mileage.get_untracked(),
            )
            .unwrap_or(0)
        } else {
            0
        };
        input.use_custom_thresholds = thresholds.get_untracked();
        if input.use_custom_thresholds {
            input.urgent_days =
                optional_integer(&mut parsed, "urgentDays", &urgent_days.get_untracked())
                    .map(|v| small(Some(v)));
            input.very_urgent_days = optional_integer(
                &mut parsed,
                "veryUrgentDays",
                &very_urgent_days.get_untracked(),
            )
            .map(|v| small(Some(v)));
            input.urgent_distance = optional_integer(
                &mut parsed,
                "urgentDistance",
                &urgent_distance.get_untracked(),
            );
            input.very_urgent_distance = optional_integer(
                &mut parsed,
                "veryUrgentDistance",
                &very_urgent_distance.get_untracked(),
            );
        } else {
            (input.urgent_days, input.very_urgent_days) = (None, None);
            (input.urgent_distance, input.very_urgent_distance) = (None, None);
        }
        input.notes = notes.get_untracked().trim().to_owned();
        input.tags = validate::parse_tags(&tags.get_untracked());
        let rules = dto::validate(&input);
        let write = checked(input, parsed, rules).map(|input| match id {
            Some(id) => api::reminders::update(vehicle_id, id, &input),
            None => api::reminders::create(vehicle_id, &input),
        });
        form.save(write, env, id.is_none());
    });

    let uses =
        move |m: fn(ReminderMetric) -> bool| ReminderMetric::parse(&metric.get()).is_some_and(m);
    let metric_options = vec![
        ("date".to_owned(), tr("By date")),
        ("odometer".to_owned(), tr("By odometer")),
        ("both".to_owned(), tr("Whichever comes first")),
    ];
    let mileage_options: Vec<(String, String)> = MILEAGE_INTERVALS
        .iter()
        .map(|&d| {
            let text = if d == 0 {
                tr("Other…")
            } else {
                every(d, unit)
            };
            (d.to_string(), text)
        })
        .collect();

    let by_date = Signal::derive(move || uses(ReminderMetric::uses_date));
    let by_odometer = Signal::derive(move || uses(ReminderMetric::uses_odometer));
    let repeats_by_date = Signal::derive(move || recurring.get() && by_date.get());
    let repeats_by_distance = Signal::derive(move || recurring.get() && by_odometer.get());
    let other_months = Signal::derive(move || repeats_by_date.get() && months.get() == "0");
    let other_mileage = Signal::derive(move || repeats_by_distance.get() && mileage.get() == "0");
    let custom_thresholds = Signal::derive(move || thresholds.get());
    FormSpec {
        title: if id.is_some() { tr("Edit reminder") } else { tr("Add reminder") }.to_owned(),
        save_label: if id.is_some() { trs("Save changes") } else { trs("Add reminder") },
        form,
        submit,
        fields: vec![
            view! { <TextInput label=trs("Description") field="description" form value=description wide=true /> }.into_any(),
            view! { <Choice label=trs("Due") field="metric" form value=metric options=metric_options /> }.into_any(),
            view! { <TextInput label=trs("Due date") field="dueDate" form value=due_date kind="date" show=by_date /> }.into_any(),
            whole(form, tr_fmt("Due odometer ({unit})", &[("unit", unit)]), "dueOdometer", due_odometer, by_odometer),
            view! {
                <Check
                    label=trs("Recurring")
                    text=trs("Marking it done moves it to the next due date or reading.")
                    value=recurring
                    testid="isRecurring-input"
                />
            }
            .into_any(),
            view! { <Choice label=trs("Repeats") field="monthInterval" form value=months options=month_options(true) show=repeats_by_date /> }.into_any(),
            whole(form, tr("Every"), "customMonthInterval", custom_months, other_months),
            view! { <Choice label=trs("Unit") field="customIntervalUnit" form value=custom_unit options=unit_options() show=other_months /> }.into_any(),
            view! { <Choice label=trs("Repeats by distance") field="mileageInterval" form value=mileage options=mileage_options show=repeats_by_distance /> }.into_any(),
            whole(form, tr_fmt("Every ({unit})", &[("unit", unit)]), "customMileageInterval", custom_mileage, other_mileage),
            view! {
                <div class="slot field-wide" class:hidden=move || !recurring.get()>
                    <Check
                        label=trs("Fixed intervals")
                        text=trs("The next due date or reading counts from the one due, not from when it was done.")
                        value=fixed
                        testid="fixedIntervals-input"
                    />
                </div>
            }
            .into_any(),
            view! {
                <Check
                    label=trs("Custom urgency")
                    text=trs("Use these thresholds instead of the server's.")
                    value=thresholds
                    testid="useCustomThresholds-input"
                />
            }
            .into_any(),
            whole(form, tr("Urgent within (days)"), "urgentDays", urgent_days, custom_thresholds),
            whole(form, tr("Very urgent within (days)"), "veryUrgentDays", very_urgent_days, custom_thresholds),
            whole(form, tr_fmt("Urgent within ({unit})", &[("unit", unit)]), "urgentDistance", urgent_distance, custom_thresholds),
            whole(form, tr_fmt("Very urgent within ({unit})", &[("unit", unit)]), "veryUrgentDistance", very_urgent_distance, custom_thresholds),
        ]
        .into_iter()
        .chain(notes_and_tags(form, notes, tags))
        .collect(),
    }
}

/// A whole-number input shown while `show` holds: one out-of-line copy of the widget's view
/// code for the reminder form's seven number inputs.
#[inline(never)]
fn whole(
    form: FormState,
    label: String,
    field: &'static str,
    value: RwSignal<String>,
    show: Signal<bool>,
) -> AnyView {
    view! { <TextInput label field form value kind="number" mode="numeric" show /> }.into_any()
}

/// A whole number for an `i32` field (out-of-range values are reported by the rules as such).
fn small(value: Option<i64>) -> i32 {
    value.map_or(0, |v| i32::try_from(v).unwrap_or(i32::MAX))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn due_in_reads_well() {
        let mut r: Reminder = serde_json::from_value(serde_json::json!({
            "id": 1, "vehicleId": 1, "description": "Oil", "notes": "", "tags": [],
            "metric": "both", "dueDate": "2024-06-01", "dueOdometer": 1000,
            "isRecurring": false, "fixedIntervals": false, "monthInterval": 12,
            "mileageInterval": 5000, "customMonthInterval": 0, "customIntervalUnit": "months",
            "customMileageInterval": 0, "useCustomThresholds": false, "urgentDays": null,
            "veryUrgentDays": null, "urgentDistance": null, "veryUrgentDistance": null,
            "urgency": "veryUrgent", "urgencyMetric": "date", "dueDays": 5, "dueDistance": -20,
            "currentOdometer": 1020, "createdAt": "2024-01-01T00:00:00Z", "updatedAt": "2024-01-01T00:00:00Z"
        }))
        .unwrap();
        let today = NaiveDate::from_ymd_opt(2024, 5, 27).unwrap();
        assert_eq!(due_in(&r, "mi", today), "in 5 days · 20 mi overdue");
        assert_eq!(due_at(&r, "mi"), "Jun 1, 2024 or 1,000 mi");
        r.due_distance = None;
        let today = NaiveDate::from_ymd_opt(2024, 6, 2).unwrap();
        assert_eq!(due_in(&r, "mi", today), "1 day ago");
        r.due_days = None;
        r.due_distance = Some(300);
        assert_eq!(due_in(&r, "mi", today), "in 300 mi");
        assert_eq!(urgency_badge(r.urgency).0, "Very urgent");
    }
}

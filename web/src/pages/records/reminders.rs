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
};
use crate::api;
use crate::{format, forms};

/// `(label, badge class)`.
pub fn urgency_badge(urgency: ReminderUrgency) -> (&'static str, &'static str) {
    match urgency {
        ReminderUrgency::NotUrgent => ("Not urgent", "badge urgency-not-urgent"),
        ReminderUrgency::Urgent => ("Urgent", "badge urgency-urgent"),
        ReminderUrgency::VeryUrgent => ("Very urgent", "badge urgency-very-urgent"),
        ReminderUrgency::PastDue => ("Past due", "badge urgency-past-due"),
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
        0 => "today".to_owned(),
        1 => "in 1 day".to_owned(),
        -1 => "1 day ago".to_owned(),
        d if d > 0 => format!("in {d} days"),
        d => format!("{} days ago", -d),
    });
    let distance = r.due_distance.map(|d| {
        if d >= 0 {
            format!("in {} {unit}", format::grouped(d))
        } else {
            format!("{} {unit} overdue", format::grouped(-d))
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
        (Some(a), Some(b)) => format!("{a} or {b}"),
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
        (Some(a), Some(b)) => format!("{a} or {}", b.replacen("Every", "every", 1)),
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
            let body = format!(
                "The reminder “{}” will be deleted permanently.",
                r.description
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
                actions: vec![
                    action("Mark done", "record-done", Op::Done(id)),
                    action(
                        "Edit",
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
        title: "Reminders",
        columns: vec![col("Reminder"), col("Due"), col("Due in")],
        rows,
        sort_label: "Due date",
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
    let months = RwSignal::new(base.month_interval.to_string());
    let mileage = RwSignal::new(base.mileage_interval.to_string());
    let notes = RwSignal::new(base.notes.clone());
    let tags = RwSignal::new(base.tags.join(" "));
    // A custom interval ("Other") is kept as it is; the form offers the listed ones.
    let (custom_months, custom_mileage) = (base.month_interval == 0, base.mileage_interval == 0);

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
        input.month_interval = months.get_untracked().parse().unwrap_or(12);
        input.mileage_interval = mileage.get_untracked().parse().unwrap_or(5000);
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
        ("date".to_owned(), "By date".to_owned()),
        ("odometer".to_owned(), "By odometer".to_owned()),
        ("both".to_owned(), "Whichever comes first".to_owned()),
    ];
    let mileage_options: Vec<(String, String)> = MILEAGE_INTERVALS
        .iter()
        .filter(|&&d| d != 0 || custom_mileage)
        .map(|&d| {
            let text = if d == 0 {
                "Custom".to_owned()
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
    FormSpec {
        title: if id.is_some() { "Edit reminder" } else { "Add reminder" }.to_owned(),
        save_label: if id.is_some() { "Save changes" } else { "Add reminder" },
        form,
        submit,
        fields: vec![
            view! { <TextInput label="Description" field="description" form value=description wide=true /> }.into_any(),
            view! { <Choice label="Due" field="metric" form value=metric options=metric_options /> }.into_any(),
            view! { <TextInput label="Due date" field="dueDate" form value=due_date kind="date" show=by_date /> }.into_any(),
            view! { <TextInput label=format!("Due odometer ({unit})") field="dueOdometer" form value=due_odometer kind="number" mode="numeric" show=by_odometer /> }.into_any(),
            view! {
                <Check
                    label="Recurring"
                    text="Marking it done moves it to the next due date or reading."
                    value=recurring
                    testid="isRecurring-input"
                />
            }
            .into_any(),
            view! { <Choice label="Repeats" field="monthInterval" form value=months options=month_options(custom_months) show=repeats_by_date /> }.into_any(),
            view! { <Choice label="Repeats by distance" field="mileageInterval" form value=mileage options=mileage_options show=repeats_by_distance /> }.into_any(),
        ]
        .into_iter()
        .chain(notes_and_tags(form, notes, tags))
        .collect(),
    }
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

//! Tax records: registration, insurance, fines; recurring ones repeat by an interval.

use leptos::prelude::*;
use motovault_shared::dto::reminders::ReminderIntervalUnit;
use motovault_shared::dto::tax::{self as dto, TaxRecord, TaxRecordInput, TaxRecordList};
use motovault_shared::validate;

use super::{
    Check, Choice, Editing, Env, FormSpec, FormState, Listing, Op, Row, TextInput, action, cell,
    checked, col, day, delete, every, figure, month_options, notes_and_tags, num, stat,
    unit_options,
};
use crate::api;
use crate::i18n::{tr, tr_fmt, trs};
use crate::{format, forms};

/// `Every 12 months`, `Every 45 days`, or `One-off`.
pub fn recurrence(r: &TaxRecord) -> String {
    if !r.is_recurring {
        tr("One-off")
    } else if r.recurring_interval == 0 {
        every(
            i64::from(r.custom_interval),
            r.custom_interval_unit.as_str(),
        )
    } else {
        every(i64::from(r.recurring_interval), "months")
    }
}

pub fn listing(list: &TaxRecordList) -> Listing {
    let rows = list
        .records
        .iter()
        .map(|r| {
            let id = r.id;
            let body = tr_fmt(
                "“{description}” of {date} will be deleted permanently.",
                &[
                    ("description", &r.description.to_string()),
                    ("date", &format::date(r.date).to_string()),
                ],
            );
            let flags = if r.is_recurring {
                vec![("badge badge-info", tr("Recurring"), "flag-recurring")]
            } else {
                Vec::new()
            };
            Row {
                id,
                group: 0,
                key: day(r.date),
                title: format::date(r.date),
                title_is_date: true,
                cells: vec![
                    cell(r.description.clone(), "record-description"),
                    cell(recurrence(r), "record-recurrence"),
                    figure(format::money(r.cost), "", "record-cost"),
                ],
                flags,
                tags: r.tags.clone(),
                note: r.notes.clone(),
                markdown: false,
                actions: vec![
                    action(
                        trs("Edit"),
                        "record-edit",
                        Op::Edit(Editing::Tax(Some(r.clone()))),
                    ),
                    delete(id, body),
                ],
                move_from: None,
            }
        })
        .collect();
    Listing {
        stats: vec![stat(
            trs("Total cost"),
            format::money(list.total_cost),
            "",
            "total-cost",
        )],
        title: trs("Tax records"),
        columns: vec![
            col(trs("Date")),
            col(trs("Description")),
            col(trs("Recurrence")),
            num(trs("Cost")),
        ],
        rows,
        sort_label: trs("Date"),
    }
}

pub fn form(env: Env, record: Option<TaxRecord>) -> FormSpec {
    let r = record.as_ref();
    let id = r.map(|r| r.id);
    let form = FormState::for_record(env.vehicle_id, "tax", "tax-records", id);
    let date = RwSignal::new(r.map_or_else(|| forms::today().to_string(), |r| r.date.to_string()));
    let description = RwSignal::new(r.map(|r| r.description.clone()).unwrap_or_default());
    let cost = RwSignal::new(r.map(|r| r.cost.to_string()).unwrap_or_default());
    let recurring = RwSignal::new(r.is_some_and(|r| r.is_recurring));
    let interval = RwSignal::new(r.map_or(12, |r| r.recurring_interval).to_string());
    let custom = RwSignal::new(r.map(|r| r.custom_interval.to_string()).unwrap_or_default());
    let custom_unit = RwSignal::new(
        r.map_or(ReminderIntervalUnit::Months, |r| r.custom_interval_unit)
            .as_str()
            .to_owned(),
    );
    let notes = RwSignal::new(r.map(|r| r.notes.clone()).unwrap_or_default());
    let tags = RwSignal::new(r.map(|r| r.tags.join(" ")).unwrap_or_default());
    let vehicle_id = env.vehicle_id;

    let submit = Callback::new(move |()| {
        let mut parsed = Vec::new();
        let recurring_interval = interval.get_untracked().parse().unwrap_or(12);
        let custom_text = custom.get_untracked();
        let input = TaxRecordInput {
            date: forms::date(&mut parsed, "date", &date.get_untracked()).unwrap_or_default(),
            description: description.get_untracked().trim().to_owned(),
            cost: forms::amount(&mut parsed, "cost", &cost.get_untracked()).unwrap_or_default(),
            notes: notes.get_untracked().trim().to_owned(),
            tags: validate::parse_tags(&tags.get_untracked()),
            is_recurring: recurring.get_untracked(),
            recurring_interval,
            custom_interval: if recurring_interval == 0 {
                super::optional_integer(&mut parsed, "customInterval", &custom_text)
                    .map_or(0, |v| i32::try_from(v).unwrap_or(i32::MAX))
            } else {
                0
            },
            custom_interval_unit: ReminderIntervalUnit::parse(&custom_unit.get_untracked())
                .unwrap_or_default(),
        };
        let rules = dto::validate(&input, forms::today());
        let write = checked(input, parsed, rules).map(|input| match form.target(id) {
            Some(id) => api::tax::update(vehicle_id, id, &input),
            None => api::tax::create(vehicle_id, &input),
        });
        form.save(write, env, id.is_none());
    });

    let repeats = Signal::derive(move || recurring.get());
    let custom_shown = Signal::derive(move || recurring.get() && interval.get() == "0");
    FormSpec {
        title: if id.is_some() { tr("Edit tax record") } else { tr("Add tax record") }.to_owned(),
        save_label: if id.is_some() { trs("Save changes") } else { trs("Add tax record") },
        form,
        submit,
        fields: vec![
            view! { <TextInput label=trs("Date") field="date" form value=date kind="date" /> }.into_any(),
            view! { <TextInput label=trs("Cost") field="cost" form value=cost mode="decimal" /> }.into_any(),
            view! { <TextInput label=trs("Description") field="description" form value=description wide=true /> }.into_any(),
            view! {
                <Check
                    label=trs("Recurring")
                    text=trs("A copy is added each period (e.g. yearly registration).")
                    value=recurring
                    testid="isRecurring-input"
                />
            }
            .into_any(),
            view! { <Choice label=trs("Repeats") field="recurringInterval" form value=interval options=month_options(true) show=repeats /> }.into_any(),
            view! { <TextInput label=trs("Every") field="customInterval" form value=custom kind="number" mode="numeric" show=custom_shown /> }.into_any(),
            view! { <Choice label=trs("Unit") field="customIntervalUnit" form value=custom_unit options=unit_options() show=custom_shown /> }.into_any(),
        ]
        .into_iter()
        .chain(notes_and_tags(form, notes, tags))
        .collect(),
    }
}

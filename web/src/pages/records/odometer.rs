//! Odometer readings with the distance each covers, and "Recalculate".

use leptos::prelude::*;
use motovault_shared::dto::odometer::{
    self as dto, OdometerRecord, OdometerRecordInput, OdometerRecordList,
};
use motovault_shared::validate;

use super::{
    Editing, Env, FormSpec, FormState, Listing, Op, Row, TextInput, action, checked, col, day,
    delete, figure, notes_and_tags, num, optional_integer, stat,
};
use crate::api;
use crate::i18n::{tr, tr_fmt, trs};
use crate::{format, forms};

pub fn listing(list: &OdometerRecordList, env: Env) -> Listing {
    let unit = env.unit;
    let current = list.records.iter().map(|r| r.odometer).max().unwrap_or(0);
    let rows = list
        .records
        .iter()
        .map(|r| {
            let id = r.id;
            let body = tr_fmt(
                "The reading of {date} at {odometer} will be deleted permanently.",
                &[
                    ("date", &format::date(r.date).to_string()),
                    ("odometer", &format::grouped(r.odometer).to_string()),
                ],
            );
            Row {
                id,
                group: 0,
                key: day(r.date),
                title: format::date(r.date),
                title_is_date: true,
                cells: vec![
                    figure(format::grouped(r.initial_odometer), unit, "record-initial"),
                    figure(format::grouped(r.odometer), unit, "record-odometer"),
                    figure(format::grouped(r.distance), unit, "record-distance"),
                ],
                flags: Vec::new(),
                tags: r.tags.clone(),
                note: r.notes.clone(),
                markdown: false,
                actions: vec![
                    action(
                        trs("Edit"),
                        "record-edit",
                        Op::Edit(Editing::Odometer(Some(r.clone()))),
                    ),
                    delete(id, body),
                ],
                move_from: None,
            }
        })
        .collect();
    Listing {
        stats: vec![
            stat(
                trs("Total distance"),
                format::grouped(list.total_distance),
                unit,
                "total-distance",
            ),
            stat(
                trs("Current odometer"),
                format::grouped(current),
                unit,
                "current-odometer",
            ),
        ],
        title: trs("Odometer readings"),
        columns: vec![
            col(trs("Date")),
            num(tr_fmt("Initial ({unit})", &[("unit", unit)])),
            num(tr_fmt("Odometer ({unit})", &[("unit", unit)])),
            num(tr_fmt("Distance ({unit})", &[("unit", unit)])),
        ],
        rows,
        sort_label: trs("Date"),
    }
}

pub fn form(env: Env, record: Option<OdometerRecord>) -> FormSpec {
    let r = record.as_ref();
    let id = r.map(|r| r.id);
    let form = FormState::for_record(env.vehicle_id, "odometer", "odometer-records", id);
    let date = RwSignal::new(r.map_or_else(|| forms::today().to_string(), |r| r.date.to_string()));
    let initial = RwSignal::new(
        r.map(|r| r.initial_odometer.to_string())
            .unwrap_or_default(),
    );
    let odometer = RwSignal::new(r.map(|r| r.odometer.to_string()).unwrap_or_default());
    let notes = RwSignal::new(r.map(|r| r.notes.clone()).unwrap_or_default());
    let tags = RwSignal::new(r.map(|r| r.tags.join(" ")).unwrap_or_default());
    let vehicle_id = env.vehicle_id;

    let submit = Callback::new(move |()| {
        let mut parsed = Vec::new();
        let input = OdometerRecordInput {
            date: forms::date(&mut parsed, "date", &date.get_untracked()).unwrap_or_default(),
            initial_odometer: optional_integer(
                &mut parsed,
                "initialOdometer",
                &initial.get_untracked(),
            ),
            odometer: forms::integer(&mut parsed, "odometer", &odometer.get_untracked())
                .unwrap_or(0),
            notes: notes.get_untracked().trim().to_owned(),
            tags: validate::parse_tags(&tags.get_untracked()),
            // Equipment links are not edited here: none on create, kept on replace.
            equipment_ids: None,
        };
        let rules = dto::validate(&input);
        let write = checked(input, parsed, rules).map(|input| match form.target(id) {
            Some(id) => api::odometer::update(vehicle_id, id, &input),
            None => api::odometer::create(vehicle_id, &input),
        });
        form.save(write, env, id.is_none());
    });

    let unit = env.unit;
    FormSpec {
        title: if id.is_some() { tr("Edit reading") } else { tr("Add reading") }.to_owned(),
        save_label: if id.is_some() { trs("Save changes") } else { trs("Add reading") },
        form,
        submit,
        fields: vec![
            view! { <TextInput label=trs("Date") field="date" form value=date kind="date" /> }.into_any(),
            view! { <TextInput label=tr_fmt("Odometer ({unit})", &[("unit", unit)]) field="odometer" form value=odometer kind="number" mode="numeric" /> }.into_any(),
            view! {
                <TextInput
                    label=tr_fmt("Initial odometer ({unit})", &[("unit", unit)])
                    field="initialOdometer"
                    form
                    value=initial
                    kind="number"
                    mode="numeric"
                    hint=trs("Empty: where the previous reading ended")
                />
            }
            .into_any(),
        ]
        .into_iter()
        .chain(notes_and_tags(form, notes, tags))
        .collect(),
    }
}

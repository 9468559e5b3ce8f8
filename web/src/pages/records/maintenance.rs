//! Service, Repair and Upgrade: the same rows and form for the three kinds, and "Move to…".

use leptos::prelude::*;
use motovault_shared::dto::maintenance::{
    self as dto, MaintenanceKind, MaintenanceRecord, MaintenanceRecordInput, MaintenanceRecordList,
};
use motovault_shared::validate;

use super::supply_picker::{Picker, SupplyPicker};
use super::{
    Editing, Env, FormSpec, FormState, Listing, Op, Row, Tab, TextInput, action, cell, checked,
    col, day, delete, figure, notes_and_tags, num, optional_integer, stat,
};
use crate::api;
use crate::i18n::{tr, tr_fmt, trs};
use crate::{format, forms};

pub fn listing(list: &MaintenanceRecordList, env: Env) -> Listing {
    let Tab::Maintenance(kind) = env.tab else {
        unreachable!("a maintenance list belongs to a maintenance tab")
    };
    let unit = env.unit;
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
            Row {
                id,
                group: 0,
                key: day(r.date),
                title: format::date(r.date),
                title_is_date: true,
                cells: vec![
                    cell(r.description.clone(), "record-description"),
                    figure(format::grouped(r.odometer), unit, "record-odometer"),
                    figure(format::money(r.cost), "", "record-cost"),
                ],
                flags: Vec::new(),
                tags: r.tags.clone(),
                note: r.notes.clone(),
                markdown: false,
                actions: vec![
                    action(
                        trs("Edit"),
                        "record-edit",
                        Op::Edit(Editing::Maintenance(Some(r.clone()))),
                    ),
                    delete(id, body),
                ],
                move_from: Some(kind),
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
        title: trs(kind.label()),
        columns: vec![
            col(trs("Date")),
            col(trs("Description")),
            num(tr_fmt("Odometer ({unit})", &[("unit", unit)])),
            num(trs("Cost")),
        ],
        rows,
        sort_label: trs("Date"),
    }
}

pub fn form(env: Env, record: Option<MaintenanceRecord>) -> FormSpec {
    let Tab::Maintenance(kind) = env.tab else {
        unreachable!("a maintenance form belongs to a maintenance tab")
    };
    let r = record.as_ref();
    let id = r.map(|r| r.id);
    let vehicle_id = env.vehicle_id;
    let form = FormState::for_record(vehicle_id, kind.as_str(), collection(kind), id);
    // Supplies are taken only when a record is added (a replace must send none).
    let picker = id.is_none().then(|| Picker::load(vehicle_id));
    let date = RwSignal::new(r.map_or_else(|| forms::today().to_string(), |r| r.date.to_string()));
    let odometer = RwSignal::new(r.map(|r| r.odometer.to_string()).unwrap_or_default());
    let description = RwSignal::new(r.map(|r| r.description.clone()).unwrap_or_default());
    let cost = RwSignal::new(r.map(|r| r.cost.to_string()).unwrap_or_default());
    let notes = RwSignal::new(r.map(|r| r.notes.clone()).unwrap_or_default());
    let tags = RwSignal::new(r.map(|r| r.tags.join(" ")).unwrap_or_default());

    let submit = Callback::new(move |()| {
        let mut parsed = Vec::new();
        // A retry after refused extra fields replaces the record made: its supplies are taken.
        let target = form.target(id);
        let supplies = match picker {
            Some(p) if target.is_none() => p.usages(&mut parsed),
            _ => Vec::new(),
        };
        let input = MaintenanceRecordInput {
            date: forms::date(&mut parsed, "date", &date.get_untracked()).unwrap_or_default(),
            odometer: optional_integer(&mut parsed, "odometer", &odometer.get_untracked())
                .unwrap_or(0),
            description: description.get_untracked().trim().to_owned(),
            cost: forms::optional_amount(&mut parsed, "cost", &cost.get_untracked())
                .unwrap_or_default(),
            notes: notes.get_untracked().trim().to_owned(),
            tags: validate::parse_tags(&tags.get_untracked()),
            supplies,
            reminder_ids: Vec::new(),
        };
        let rules = dto::validate(&input);
        let write = checked(input, parsed, rules).map(|input| match target {
            Some(id) => api::maintenance::update(vehicle_id, kind, id, &input),
            None => api::maintenance::create(vehicle_id, kind, &input),
        });
        form.save(write, env, id.is_none());
    });

    FormSpec {
        title: match (id.is_some(), kind) {
            (true, MaintenanceKind::Service) => tr("Edit service record"),
            (true, MaintenanceKind::Repair) => tr("Edit repair"),
            (true, MaintenanceKind::Upgrade) => tr("Edit upgrade"),
            (false, MaintenanceKind::Service) => tr("Add service record"),
            (false, MaintenanceKind::Repair) => tr("Add repair"),
            (false, MaintenanceKind::Upgrade) => tr("Add upgrade"),
        },
        save_label: if id.is_some() {
            trs("Save changes")
        } else {
            trs("Add record")
        },
        form,
        submit,
        fields: fields(
            env,
            form,
            [date, odometer, description, cost],
            notes,
            tags,
            picker,
        ),
    }
}

/// The collection segment of a kind's records.
pub fn collection(kind: MaintenanceKind) -> &'static str {
    match kind {
        MaintenanceKind::Service => "service-records",
        MaintenanceKind::Repair => "repair-records",
        MaintenanceKind::Upgrade => "upgrade-records",
    }
}

fn fields(
    env: Env,
    form: FormState,
    [date, odometer, description, cost]: [RwSignal<String>; 4],
    notes: RwSignal<String>,
    tags: RwSignal<String>,
    picker: Option<Picker>,
) -> Vec<AnyView> {
    let picker =
        picker.map(|picker| view! { <SupplyPicker picker errors=form.errors /> }.into_any());
    vec![
            view! { <TextInput label=trs("Date") field="date" form value=date kind="date" /> }.into_any(),
            view! { <TextInput label=tr_fmt("Odometer ({unit})", &[("unit", env.unit)]) field="odometer" form value=odometer kind="number" mode="numeric" hint=trs("Leave empty if not read") /> }.into_any(),
            view! { <TextInput label=trs("Description") field="description" form value=description wide=true /> }.into_any(),
            view! { <TextInput label=trs("Cost") field="cost" form value=cost mode="decimal" /> }.into_any(),
        ]
        .into_iter()
        .chain(notes_and_tags(form, notes, tags))
        .chain(picker)
        .collect()
}

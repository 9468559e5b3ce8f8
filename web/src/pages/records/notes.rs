//! Notes: pinned first, a pin toggle, the body rendered as markdown (`crate::markdown`).

use leptos::prelude::*;
use motovault_shared::dto::notes::{self as dto, Note, NoteInput, NoteList};
use motovault_shared::validate;

use super::{
    Check, Editing, Env, FormSpec, FormState, Listing, Op, Row, TextArea, TextInput, action, cell,
    checked, col, day, delete,
};
use crate::api;
use crate::format;
use crate::i18n::{tr, tr_fmt, trs};

fn input_of(note: &Note) -> NoteInput {
    NoteInput {
        title: note.title.clone(),
        body: note.body.clone(),
        is_pinned: note.is_pinned,
        tags: note.tags.clone(),
    }
}

pub fn listing(list: &NoteList) -> Listing {
    // The server lists pinned notes first.
    let rows = list
        .records
        .iter()
        .map(|n| {
            let id = n.id;
            let mut pin = input_of(n);
            pin.is_pinned = !pin.is_pinned;
            let body = tr_fmt(
                "The note “{title}” will be deleted permanently.",
                &[("title", &n.title.to_string())],
            );
            let flags = if n.is_pinned {
                vec![("badge badge-info", tr("Pinned"), "flag-pinned")]
            } else {
                Vec::new()
            };
            let updated = n.updated_at.date_naive();
            Row {
                id,
                group: u8::from(!n.is_pinned),
                key: day(updated),
                title: n.title.clone(),
                title_is_date: false,
                cells: vec![cell(format::date(updated), "record-updated")],
                flags,
                tags: n.tags.clone(),
                note: n.body.clone(),
                markdown: true,
                actions: vec![
                    action(
                        if n.is_pinned {
                            trs("Unpin")
                        } else {
                            trs("Pin")
                        },
                        "record-pin",
                        Op::Pin(id, pin),
                    ),
                    action(
                        trs("Edit"),
                        "record-edit",
                        Op::Edit(Editing::Note(Some(n.clone()))),
                    ),
                    delete(id, body),
                ],
                move_from: None,
            }
        })
        .collect();
    Listing {
        stats: Vec::new(),
        title: trs("Notes"),
        columns: vec![col(trs("Title")), col(trs("Updated"))],
        rows,
        sort_label: trs("Updated"),
    }
}

pub fn form(env: Env, record: Option<Note>) -> FormSpec {
    let vehicle_id = env.vehicle_id;
    let r = record.as_ref();
    let id = r.map(|r| r.id);
    let form = FormState::for_record(vehicle_id, "note", "notes", id);
    let title = RwSignal::new(r.map(|r| r.title.clone()).unwrap_or_default());
    let body = RwSignal::new(r.map(|r| r.body.clone()).unwrap_or_default());
    let pinned = RwSignal::new(r.is_some_and(|r| r.is_pinned));
    let tags = RwSignal::new(r.map(|r| r.tags.join(" ")).unwrap_or_default());

    let submit = Callback::new(move |()| {
        let input = NoteInput {
            title: title.get_untracked().trim().to_owned(),
            body: body.get_untracked(),
            is_pinned: pinned.get_untracked(),
            tags: validate::parse_tags(&tags.get_untracked()),
        };
        let rules = dto::validate(&input);
        let write = checked(input, Vec::new(), rules).map(|input| match form.target(id) {
            Some(id) => api::notes::update(vehicle_id, id, &input),
            None => api::notes::create(vehicle_id, &input),
        });
        form.save(write, env, id.is_none());
    });

    FormSpec {
        title: if id.is_some() { tr("Edit note") } else { tr("Add note") }.to_owned(),
        save_label: if id.is_some() { trs("Save changes") } else { trs("Add note") },
        form,
        submit,
        fields: vec![
            view! { <TextInput label=trs("Title") field="title" form value=title wide=true /> }.into_any(),
            view! { <TextArea label=trs("Note") field="body" form value=body rows=8 /> }.into_any(),
            view! { <Check label=trs("Pinned") text=trs("Pinned notes are listed first.") value=pinned testid="isPinned-input" /> }.into_any(),
            view! { <TextInput label=trs("Tags") field="tags" form value=tags hint=trs("Space-separated words") wide=true /> }.into_any(),
        ],
    }
}

//! The files and links of one record: list with download links, upload, add a link, delete.
//!
//! Drop it into any record dialog once the record exists:
//! `<Attachments vehicle_id record="service-records" record_id=id />`.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos::wasm_bindgen::JsCast;
use motovault_shared::dto::attachments::{
    AttachmentKind, LinkInput, RecordLinkInput, validate_link,
};

use crate::api::{self, ApiError};
use crate::app::use_auth;
use crate::components::alert::Alert;

/// The collections a record link may point at, as `(segment, label)`.
const LINKABLE: [(&str, &str); 7] = [
    ("service-records", "Service"),
    ("repair-records", "Repair"),
    ("upgrade-records", "Upgrade"),
    ("fuel-records", "Fuel"),
    ("odometer-records", "Odometer"),
    ("tax-records", "Tax"),
    ("notes", "Notes"),
];

/// The vehicle page tab of a record collection: `service-records` → `service`.
fn tab_of(segment: &str) -> &str {
    match segment {
        "plans" => "planner",
        s => s.strip_suffix("-records").unwrap_or(s),
    }
}

fn size(bytes: i64) -> String {
    match bytes {
        b if b >= 1 << 20 => format!("{:.1} MB", b as f64 / 1_048_576.0),
        b if b >= 1 << 10 => format!("{:.0} KB", b as f64 / 1024.0),
        b => format!("{b} B"),
    }
}

#[component]
pub fn Attachments(
    vehicle_id: i64,
    /// The record's collection segment: `fuel-records`, `service-records`, `notes`, ….
    record: &'static str,
    record_id: i64,
) -> impl IntoView {
    let auth = use_auth();
    let list = LocalResource::new(move || api::attachments::list(vehicle_id, record, record_id));
    let alert = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let link_name = RwSignal::new(String::new());
    let link_url = RwSignal::new(String::new());
    let adding_link = RwSignal::new(false);
    // "Link a record": the chosen collection (empty = closed), its records, the chosen one.
    let link_type = RwSignal::new(String::new());
    let link_pick = RwSignal::new(String::new());
    let briefs = LocalResource::new(move || {
        let segment = link_type.get();
        async move {
            if segment.is_empty() {
                return Vec::new();
            }
            api::attachments::briefs(vehicle_id, &segment)
                .await
                .unwrap_or_default()
        }
    });

    let failed = move |err: ApiError| {
        let message = match err.status() {
            Some(413) => "That file is too large to upload.".to_owned(),
            Some(422) => match err.field_errors().first() {
                Some(e) => format!("Not attached: {} {}.", e.field, e.message),
                None => auth.explain(&err),
            },
            _ => auth.explain(&err),
        };
        alert.set(Some(message));
    };
    let act = move |write: api::Write| {
        busy.set(true);
        alert.set(None);
        spawn_local(async move {
            let result = api::write(&auth.csrf(), write).await;
            busy.set(false);
            match result {
                Ok(()) => {
                    adding_link.set(false);
                    link_type.set(String::new());
                    link_name.set(String::new());
                    link_url.set(String::new());
                    list.refetch();
                }
                Err(err) => failed(err),
            }
        });
    };

    let on_file = move |ev: leptos::ev::Event| {
        let Some(input) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
        else {
            return;
        };
        if input.value().is_empty() {
            return;
        }
        let Some(form) = input.form() else { return };
        let Ok(data) = web_sys::FormData::new_with_form(&form) else {
            return;
        };
        busy.set(true);
        alert.set(None);
        spawn_local(async move {
            let result =
                api::attachments::upload(vehicle_id, record, record_id, &auth.csrf(), data).await;
            busy.set(false);
            form.reset();
            match result {
                Ok(()) => list.refetch(),
                Err(err) => failed(err),
            }
        });
    };

    let save_link = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        // Inside a record's own <form> too: its submit handler must not see this one.
        ev.stop_propagation();
        let input = LinkInput {
            name: link_name.get_untracked().trim().to_owned(),
            url: link_url.get_untracked().trim().to_owned(),
        };
        match validate_link(&input).first() {
            Some(e) => alert.set(Some(format!("Link {} {}.", e.field, e.message))),
            None => act(api::attachments::add_link(
                vehicle_id, record, record_id, &input,
            )),
        }
    };

    let save_record_link = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        ev.stop_propagation();
        if let Ok(record_id_linked) = link_pick.get_untracked().parse() {
            let input = RecordLinkInput {
                record_type: link_type.get_untracked(),
                record_id: record_id_linked,
                name: String::new(),
            };
            act(api::attachments::add_record_link(
                vehicle_id, record, record_id, &input,
            ));
        }
    };

    let rows = move || {
        list.with(|state| match state {
            None => view! { <p class="muted">"Loading…"</p> }.into_any(),
            Some(Err(err)) => view! { <p class="field-error">{auth.explain(err)}</p> }.into_any(),
            Some(Ok(items)) if items.is_empty() => {
                view! { <p class="muted" data-testid="attachments-empty">"No files or links yet."</p> }.into_any()
            }
            Some(Ok(items)) => items
                .iter()
                .map(|a| {
                    let id = a.id;
                    let href = api::attachments::download_url(vehicle_id, record, record_id, id);
                    let file = a.kind == AttachmentKind::File;
                    // A record link opens that record's tab in this app.
                    let (href, meta) = match (&a.record_link, file) {
                        (Some(t), _) => (
                            format!("/vehicles/{vehicle_id}/{}", tab_of(&t.record_type)),
                            crate::format::date(t.date),
                        ),
                        (None, true) => (href, a.size_bytes.map(size).unwrap_or_default()),
                        (None, false) => (href, "link".to_owned()),
                    };
                    let external = a.kind == AttachmentKind::Url;
                    view! {
                        <li class="attachment" data-testid="attachment">
                            <a
                                href=href
                                download=file.then_some("")
                                target=external.then_some("_blank")
                                rel="noopener"
                                data-testid="attachment-link"
                            >
                                {a.name.clone()}
                            </a>
                            <span class="muted">{meta}</span>
                            <button
                                type="button"
                                class="btn btn-ghost btn-sm btn-danger-text"
                                data-testid="attachment-delete"
                                disabled=move || busy.get()
                                on:click=move |_| act(api::attachments::delete(vehicle_id, record, record_id, id))
                            >
                                "Remove"
                            </button>
                        </li>
                    }
                })
                .collect_view()
                .into_any(),
        })
    };

    view! {
        <section class="attachments" data-testid="attachments">
            <h3>"Files and links"</h3>
            <Alert message=alert />
            <ul class="attachment-list">{rows}</ul>
            <div class="attachment-tools">
                <form class="upload" on:submit=|ev| {
                    ev.prevent_default();
                    ev.stop_propagation();
                }>
                    <label class="btn btn-secondary btn-sm">
                        {move || if busy.get() { "Working…" } else { "Upload file" }}
                        <input
                            type="file"
                            name="file"
                            class="sr-only"
                            data-testid="attachment-file"
                            disabled=move || busy.get()
                            on:change=on_file
                        />
                    </label>
                </form>
                <button
                    type="button"
                    class="btn btn-ghost btn-sm"
                    data-testid="attachment-add-link"
                    on:click=move |_| adding_link.update(|v| *v = !*v)
                >
                    "Add link"
                </button>
            </div>
            <form class="link-form link-record" on:submit=save_record_link data-testid="record-link-form">
                <select aria-label="Record type" data-testid="link-record-type" prop:value=link_type on:change=move |ev| {
                    link_pick.set(String::new());
                    link_type.set(event_target_value(&ev));
                }>
                    <option value="">"Link a record…"</option>
                    {LINKABLE.map(|(v, l)| view! { <option value=v>{l}</option> })}
                </select>
                <Show when=move || link_type.with(|t| !t.is_empty())>
                    <select aria-label="Record" data-testid="link-record-select" bind:value=link_pick>
                        <option value="">"Choose…"</option>
                        {move || briefs.get().unwrap_or_default().into_iter().filter(|b| b.id != record_id || record != link_type.get_untracked()).map(|b| {
                            let when = b.date.map(crate::format::date).unwrap_or_default();
                            view! { <option value=b.id.to_string()>{format!("{when} {}", b.description)}</option> }
                        }).collect_view()}
                    </select>
                    <button type="submit" class="btn btn-primary btn-sm" data-testid="link-record-save" disabled=move || busy.get()>"Link"</button>
                </Show>
            </form>
            <Show when=move || adding_link.get()>
                <form class="link-form" on:submit=save_link data-testid="attachment-link-form">
                    <input type="text" placeholder="Name" aria-label="Link name" data-testid="link-name-input" bind:value=link_name />
                    <input placeholder="https://…" aria-label="Link address" type="url" data-testid="link-url-input" bind:value=link_url />
                    <button type="submit" class="btn btn-primary btn-sm" data-testid="link-save" disabled=move || busy.get()>"Add"</button>
                </form>
            </Show>
        </section>
    }
}

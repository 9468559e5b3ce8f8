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
use crate::components::alert::{Alert, Notice};
use crate::components::progress::{Progress, UploadProgress};
use crate::i18n::{mark, tr, tr_fmt, trs};

/// The collections a record link may point at, as `(segment, label)`.
const LINKABLE: [(&str, &str); 7] = [
    ("service-records", mark("Service")),
    ("repair-records", mark("Repair")),
    ("upgrade-records", mark("Upgrade")),
    ("fuel-records", mark("Fuel")),
    ("odometer-records", mark("Odometer")),
    ("tax-records", mark("Tax")),
    ("notes", mark("Notes")),
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
    let notice = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    // The file going up: its name and how much is sent (`None` before the first event).
    let uploading = RwSignal::new(None::<String>);
    let sent = RwSignal::new(None::<Progress>);
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
            Some(413) => tr("That file is too large to upload."),
            Some(422) => match err.field_errors().first() {
                Some(e) => tr_fmt(
                    "Not attached: {field} {message}.",
                    &[
                        ("field", &e.field.to_string()),
                        ("message", &crate::i18n::tr_dyn(&e.message)),
                    ],
                ),
                None => auth.explain(&err),
            },
            _ => auth.explain(&err),
        };
        alert.set(Some(message));
    };
    let act = move |write: api::Write, done: String| {
        busy.set(true);
        alert.set(None);
        notice.set(None);
        spawn_local(async move {
            let result = api::write(&auth.csrf(), write).await;
            busy.set(false);
            match result {
                Ok(()) => {
                    notice.set(Some(done));
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
        // "C:\fakepath\receipt.pdf" → "receipt.pdf"
        let value = input.value();
        let name = value
            .rsplit(['/', '\\'])
            .next()
            .unwrap_or_default()
            .to_owned();
        busy.set(true);
        alert.set(None);
        notice.set(None);
        sent.set(None);
        uploading.set(Some(name.clone()));
        spawn_local(async move {
            let on_progress = move |p: Progress| sent.set(Some(p));
            let csrf = auth.csrf();
            let result =
                api::attachments::upload(vehicle_id, record, record_id, &csrf, data, on_progress)
                    .await;
            busy.set(false);
            uploading.set(None);
            form.reset();
            match result {
                Ok(()) => {
                    notice.set(Some(tr_fmt("Uploaded {name}.", &[("name", &name)])));
                    list.refetch();
                }
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
            Some(e) => alert.set(Some(tr_fmt(
                "Link {field} {message}.",
                &[
                    ("field", &e.field.to_string()),
                    ("message", &crate::i18n::tr_dyn(&e.message)),
                ],
            ))),
            None => act(
                api::attachments::add_link(vehicle_id, record, record_id, &input),
                tr("Link added."),
            ),
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
            act(
                api::attachments::add_record_link(vehicle_id, record, record_id, &input),
                tr("Record linked."),
            );
        }
    };

    let rows = move || {
        list.with(|state| match state {
            None => view! { <p class="muted">{tr("Loading…")}</p> }.into_any(),
            Some(Err(err)) => view! { <p class="field-error">{auth.explain(err)}</p> }.into_any(),
            Some(Ok(items)) if items.is_empty() => {
                view! { <p class="muted" data-testid="attachments-empty">{tr("No files or links yet.")}</p> }.into_any()
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
                    let removed = tr_fmt("Removed {name}.", &[("name", &a.name)]);
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
                                on:click=move |_| act(api::attachments::delete(vehicle_id, record, record_id, id), removed.clone())
                            >
                                {tr("Remove")}
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
            <h3>{tr("Files and links")}</h3>
            <Alert message=alert />
            <Notice message=notice testid="attachment-notice" />
            {move || uploading.get().map(|name| view! {
                <UploadProgress
                    label=tr_fmt("Uploading {name}", &[("name", &name)])
                    progress=sent
                    testid="attachment-progress"
                />
            })}
            <ul class="attachment-list">{rows}</ul>
            <div class="attachment-tools">
                <form class="upload" on:submit=|ev| {
                    ev.prevent_default();
                    ev.stop_propagation();
                }>
                    <label class="btn btn-secondary btn-sm">
                        {move || if busy.get() { tr("Working…") } else { tr("Upload file") }}
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
                    {tr("Add link")}
                </button>
            </div>
            <form class="link-form link-record" on:submit=save_record_link data-testid="record-link-form">
                <select aria-label=trs("Record type") data-testid="link-record-type" prop:value=link_type on:change=move |ev| {
                    link_pick.set(String::new());
                    link_type.set(event_target_value(&ev));
                }>
                    <option value="">{tr("Link a record…")}</option>
                    {LINKABLE.map(|(v, l)| view! { <option value=v>{tr(l)}</option> })}
                </select>
                <Show when=move || link_type.with(|t| !t.is_empty())>
                    <select aria-label=trs("Record") data-testid="link-record-select" bind:value=link_pick>
                        <option value="">{tr("Choose…")}</option>
                        {move || briefs.get().unwrap_or_default().into_iter().filter(|b| b.id != record_id || record != link_type.get_untracked()).map(|b| {
                            let when = b.date.map(crate::format::date).unwrap_or_default();
                            view! { <option value=b.id.to_string()>{format!("{when} {}", b.description)}</option> }
                        }).collect_view()}
                    </select>
                    <button type="submit" class="btn btn-primary btn-sm" data-testid="link-record-save" disabled=move || busy.get()>{tr("Link")}</button>
                </Show>
            </form>
            <Show when=move || adding_link.get()>
                <form class="link-form" on:submit=save_link data-testid="attachment-link-form">
                    <input type="text" placeholder=trs("Name") aria-label=trs("Link name") data-testid="link-name-input" bind:value=link_name />
                    <input placeholder=trs("https://…") aria-label=trs("Link address") type="url" data-testid="link-url-input" bind:value=link_url />
                    <button type="submit" class="btn btn-primary btn-sm" data-testid="link-save" disabled=move || busy.get()>{tr("Add")}</button>
                </form>
            </Show>
        </section>
    }
}

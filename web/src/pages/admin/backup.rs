//! The root's backup download on `/admin`: `GET /api/v1/admin/backup` with the bytes received
//! shown (and the share, when the answer says its length), then saved under the server's file
//! name through a Blob URL. The link stays a real `href download`: opened in a new tab or
//! when scripting fails, the browser downloads it itself (the session cookie goes along; a GET
//! needs no CSRF token). Shown to the root only; the server refuses everyone else anyway.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos::wasm_bindgen::JsCast;

use crate::api::transfer;
use crate::app::use_auth;
use crate::components::alert::{Alert, Notice};
use crate::components::progress::{Progress, ProgressBar, bytes, bytes_detail};
use crate::i18n::{tr, tr_fmt};

const URL: &str = "/api/v1/admin/backup";

/// Hands `blob` to the browser's download manager as `name`.
fn save(blob: &web_sys::Blob, name: &str) -> Result<(), String> {
    let url = web_sys::Url::create_object_url_with_blob(blob).map_err(|e| format!("{e:?}"))?;
    let link = document()
        .create_element("a")
        .map_err(|e| format!("{e:?}"))?
        .unchecked_into::<web_sys::HtmlElement>();
    let _ = link.set_attribute("href", &url);
    let _ = link.set_attribute("download", name);
    link.click();
    // The download has its own copy once started; the URL would pin the blob in memory.
    set_timeout(
        move || {
            let _ = web_sys::Url::revoke_object_url(&url);
        },
        std::time::Duration::from_secs(30),
    );
    Ok(())
}

#[component]
pub fn BackupSection() -> impl IntoView {
    let auth = use_auth();
    let is_root = move || auth.user().is_some_and(|u| u.is_root);
    // `Some` while downloading: the bytes received so far.
    let received = RwSignal::new(None::<Progress>);
    let alert = RwSignal::new(None::<String>);
    let notice = RwSignal::new(None::<String>);

    let download = move |ev: leptos::ev::MouseEvent| {
        ev.prevent_default();
        if received.get_untracked().is_some() {
            return;
        }
        alert.set(None);
        notice.set(None);
        received.set(Some(Progress::default()));
        spawn_local(async move {
            let on_progress = move |p: Progress| received.set(Some(p));
            let result = match transfer::send("GET", URL, "", None, on_progress) {
                Ok(exchange) => exchange.await,
                Err(err) => Err(err),
            };
            let size = received.get_untracked().map_or(0, |p| p.done);
            received.set(None);
            let answer = match result {
                Ok(answer) => answer,
                Err(err) => {
                    alert.set(Some(tr_fmt(
                        "The backup could not be downloaded: {reason}",
                        &[("reason", &auth.explain(&err))],
                    )));
                    return;
                }
            };
            let name = answer
                .file_name()
                .unwrap_or_else(|| "motovault-backup.zip".to_owned());
            let saved = answer
                .blob()
                .ok_or_else(|| "no archive in the answer".to_owned())
                .and_then(|blob| save(&blob, &name));
            match saved {
                Ok(()) => notice.set(Some(tr_fmt(
                    "Backup saved: {name} ({size}).",
                    &[("name", &name), ("size", &bytes(size))],
                ))),
                Err(reason) => alert.set(Some(tr_fmt(
                    "The backup could not be saved: {reason}",
                    &[("reason", &reason)],
                ))),
            }
        });
    };

    let busy = move || received.with(Option::is_some);
    view! {
        <Show when=is_root>
            <section class="card form-card" data-testid="admin-backup">
                <h2>{tr("Backup")}</h2>
                <p class="muted">
                    {tr("One zip with every table and every stored file. Restore it into an empty database of either engine with")}
                    " "<code>"motovault restore --input FILE"</code>"."
                </p>
                <Alert message=alert />
                <Notice message=notice />
                {move || busy().then(|| view! {
                    <ProgressBar
                        label=tr("Downloading the backup")
                        progress=received
                        detail=Signal::derive(move || match received.get() {
                            // The server writes the whole archive before the first byte.
                            Some(p) if p.done == 0 => tr("Preparing the archive…"),
                            Some(p) => bytes_detail(p),
                            None => String::new(),
                        })
                        testid="admin-backup-progress"
                    />
                })}
                <a class="btn btn-secondary" href=URL download
                    class:disabled=busy
                    aria-disabled=move || busy().then_some("true")
                    on:click=download
                    data-testid="admin-backup-download">{tr("Download backup")}</a>
            </section>
        </Show>
    }
}

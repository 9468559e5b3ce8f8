//! The root's backup download on `/admin`: a plain link to `GET /api/v1/admin/backup`, so the
//! browser streams the archive to disk itself (the session cookie goes along; a GET needs no
//! CSRF token). Shown to the root only; the server refuses everyone else anyway.

use leptos::prelude::*;

use crate::app::use_auth;

#[component]
pub fn BackupSection() -> impl IntoView {
    let auth = use_auth();
    let is_root = move || auth.user().is_some_and(|u| u.is_root);
    view! {
        <Show when=is_root>
            <section class="card form-card" data-testid="admin-backup">
                <h2>"Backup"</h2>
                <p class="muted">
                    "One zip with every table and every stored file. Restore it into an empty "
                    "database of either engine with "<code>"motovault restore --input FILE"</code>"."
                </p>
                <a class="btn btn-secondary" href="/api/v1/admin/backup" download
                    data-testid="admin-backup-download">"Download backup"</a>
            </section>
        </Show>
    }
}

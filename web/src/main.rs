//! MotoVaultPro web app: a Leptos client-side-rendered SPA built by Trunk and served by the API.

mod api;
mod app;
mod components;
mod flash;
mod format;
mod forms;
mod i18n;
mod live;
mod markdown;
mod pages;

use leptos::prelude::*;

fn main() {
    leptos::mount::mount_to_body(|| {
        // The app's text needs its language's catalog before the first render.
        let ready = RwSignal::new(false);
        leptos::task::spawn_local(async move {
            i18n::load().await;
            ready.set(true);
        });
        move || ready.get().then(app::App)
    });
}

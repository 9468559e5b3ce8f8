//! MotoVaultPro web app: a Leptos client-side-rendered SPA built by Trunk and served by the API.

mod api;
mod app;
mod components;
mod format;
mod forms;
mod live;
mod markdown;
mod pages;

fn main() {
    leptos::mount::mount_to_body(app::App);
}

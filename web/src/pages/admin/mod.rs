//! `/admin`: users and registration tokens, for administrators and root (the route guard
//! hides it from everyone else; the server refuses them anyway). Also the widgets the account
//! pages share: a section bar and the show-once secret box.

mod backup;
mod tokens;
mod users;

pub use backup::BackupSection;

pub use tokens::TokensPage;
pub use users::UsersPage;

use crate::i18n::{mark, tr, trs};
use leptos::prelude::*;
use leptos::wasm_bindgen::{JsCast, JsValue};
use leptos_router::hooks::use_location;
use web_sys::js_sys::{Function, Reflect};

/// A bar of links between the pages of one area; the current one is marked.
#[component]
pub fn SubNav(
    label: &'static str,
    links: &'static [(&'static str, &'static str, &'static str)],
) -> impl IntoView {
    let location = use_location();
    let items = links
        .iter()
        .map(|&(href, text, testid)| {
            let active = move || location.pathname.with(|p| p == href);
            view! {
                <a class="tab" class:active=active href=href data-testid=testid
                    aria-current=move || active().then_some("page")>{tr(text)}</a>
            }
        })
        .collect_view();
    view! { <nav class="tabs subnav" aria-label=label>{items}</nav> }
}

const ADMIN_LINKS: [(&str, &str, &str); 3] = [
    ("/admin", mark("Users"), "admin-nav-users"),
    (
        "/admin/tokens",
        mark("Registration tokens"),
        "admin-nav-tokens",
    ),
    (
        "/admin/extra-fields",
        mark("Extra fields"),
        "admin-nav-extra-fields",
    ),
];

/// The administration sections (extra fields are defined on their own page).
#[component]
pub fn AdminNav() -> impl IntoView {
    view! {
        <SubNav label=trs("Administration") links=&ADMIN_LINKS />
    }
}

/// `/admin/extra-fields`: the extra-field templates (the editor lives with the settings).
#[component]
pub fn ExtraFieldsPage() -> impl IntoView {
    view! {
        <div class="page">
            <div class="page-header">
                <div>
                    <h1>{tr("Administration")}</h1>
                    <p class="muted">{tr("Fields every record of a type offers, besides the built-in ones.")}</p>
                </div>
            </div>
            <AdminNav />
            <crate::pages::settings::ExtraFieldsSettings />
        </div>
    }
}

/// Writes `text` to the clipboard when the browser allows it (secure contexts only); called
/// through `Reflect` so that no extra `web-sys` features are compiled in.
fn copy_to_clipboard(text: &str) -> bool {
    let window: JsValue = window().into();
    let clipboard = Reflect::get(&window, &"navigator".into())
        .and_then(|nav| Reflect::get(&nav, &"clipboard".into()))
        .ok()
        .filter(|c| !c.is_undefined());
    let Some(clipboard) = clipboard else {
        return false;
    };
    Reflect::get(&clipboard, &"writeText".into())
        .ok()
        .and_then(|f| f.dyn_into::<Function>().ok())
        .is_some_and(|write| write.call1(&clipboard, &JsValue::from_str(text)).is_ok())
}

/// A secret shown once (an API key, a registration token): read-only, selectable, with a
/// copy button and a warning that it will not be shown again.
#[component]
pub fn SecretBox(
    #[prop(into)] title: String,
    secret: String,
    #[prop(optional, into)] extra: String,
    testid: &'static str,
    #[prop(into)] on_done: Callback<()>,
) -> impl IntoView {
    let copied = RwSignal::new(false);
    let input = NodeRef::<leptos::html::Input>::new();
    let text = secret.clone();
    let copy = move |_| {
        // Selected either way, so a manual copy works where the clipboard API is refused.
        if let Some(el) = input.get() {
            el.select();
        }
        copied.set(copy_to_clipboard(&text));
    };
    view! {
        <section class="card secret-box" data-testid=format!("{testid}-box")>
            <h2>{title}</h2>
            <p class="muted">{tr("Copy it now: it will not be shown again.")}</p>
            <div class="secret-row">
                <input node_ref=input class="secret" readonly type="text" value=secret data-testid=testid
                    on:focus=move |ev| {
                        if let Some(el) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) {
                            el.select();
                        }
                    } />
                <button type="button" class="btn btn-secondary" data-testid=format!("{testid}-copy") on:click=copy>
                    {move || if copied.get() { tr("Copied") } else { tr("Copy") }}
                </button>
            </div>
            {(!extra.is_empty()).then(|| view! { <p class="muted secret-extra">{extra}</p> })}
            <div class="form-actions">
                <button type="button" class="btn btn-primary" data-testid=format!("{testid}-done") on:click=move |_| on_done.run(())>{tr("Done")}</button>
            </div>
        </section>
    }
}

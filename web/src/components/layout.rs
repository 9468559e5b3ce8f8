//! The page frame: top bar, loading state, empty state.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;

use crate::api;
use crate::app::use_auth;
use crate::components::icons::{CarIcon, FuelIcon, LogoIcon};
use crate::i18n::{tr, trs};

#[component]
pub fn Header() -> impl IntoView {
    let auth = use_auth();
    let username = Memo::new(move |_| auth.username());
    let logout = move |_| {
        let csrf = auth.csrf();
        spawn_local(async move {
            // Whatever the answer, this browser is signed out; the guard shows the login page.
            let _ = api::auth::logout(&csrf).await;
            auth.sign_out();
        });
    };
    view! {
        <header class="topbar">
            <div class="topbar-inner">
                <a href="/" class="brand" data-testid="brand">
                    <LogoIcon />
                    <span>{tr("MotoVaultPro")}</span>
                </a>
                {move || {
                    username
                        .get()
                        .map(|name| {
                            let initial = name.chars().next().map(|c| c.to_ascii_uppercase().to_string()).unwrap_or_default();
                            view! {
                                <nav class="nav" aria-label=trs("Main")>
                                    <A href="/" exact=true>{tr("Garage")}</A>
                                    <A href="/calendar">{tr("Calendar")}</A>
                                    <A href="/settings">{tr("Settings")}</A>
                                    {auth.is_admin().then(|| view! { <A href="/admin">{tr("Admin")}</A> })}
                                </nav>
                                <TopSearch />
                                <div class="user">
                                    <span class="avatar" aria-hidden="true">{initial}</span>
                                    <span class="username" data-testid="current-user">{name}</span>
                                    <button type="button" class="btn btn-ghost btn-sm" data-testid="logout" on:click=logout>
                                        {tr("Log out")}
                                    </button>
                                </div>
                            }
                        })
                }}
            </div>
        </header>
    }
}

/// The top bar's search box: submitting opens `/search?q=…`.
#[component]
fn TopSearch() -> impl IntoView {
    let navigate = leptos_router::hooks::use_navigate();
    let text = RwSignal::new(String::new());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let q = text.get_untracked();
        let path = format!("/search?q={}", api::search::encode(q.trim()));
        navigate(&path, Default::default());
    };
    view! {
        <form class="top-search" role="search" on:submit=submit>
            <input
                type="search"
                name="q"
                aria-label=tr("Search records")
                placeholder=tr("Search records")
                data-testid="top-search"
                bind:value=text
            />
        </form>
    }
}

#[component]
pub fn Loading() -> impl IntoView {
    view! {
        <div class="loading" role="status" aria-live="polite">
            <span class="spinner" aria-hidden="true"></span>
            <span>{tr("Loading…")}</span>
        </div>
    }
}

/// The picture above an empty state.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum EmptyIcon {
    #[default]
    None,
    Car,
    Fuel,
}

/// A friendly placeholder with a call to action.
#[component]
pub fn EmptyState(
    #[prop(optional)] icon: EmptyIcon,
    #[prop(into)] title: String,
    #[prop(into)] text: String,
    #[prop(optional)] testid: &'static str,
    children: Children,
) -> impl IntoView {
    view! {
        <div class="empty" data-testid=testid>
            {match icon {
                EmptyIcon::None => None,
                EmptyIcon::Car => Some(view! { <span class="empty-icon"><CarIcon /></span> }.into_any()),
                EmptyIcon::Fuel => Some(view! { <span class="empty-icon"><FuelIcon /></span> }.into_any()),
            }}
            <h2>{title}</h2>
            <p>{text}</p>
            {children()}
        </div>
    }
}

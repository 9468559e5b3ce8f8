//! Who is signed in, the CSRF token for writes, and the route guards.
//!
//! The session cookie is HttpOnly, so the app learns its state from `GET /auth/me` at start.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::NavigateOptions;
use leptos_router::components::Redirect;
use motovault_shared::dto::{CurrentUser, UserSettings};
use motovault_shared::units::UnitSystem;

use crate::api::{self, ApiError};
use crate::components::alert::Alert;
use crate::components::layout::Loading;
use crate::i18n::tr;

#[derive(Debug, Clone, PartialEq)]
enum Session {
    Loading,
    /// The server could not be asked (message for the user).
    Unavailable(String),
    NeedsSetup,
    SignedOut,
    SignedIn(CurrentUser),
}

/// The coarse state the guards switch on; pages stay mounted while the user's details change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Gate {
    Loading,
    Unavailable,
    NeedsSetup,
    SignedOut,
    SignedIn,
}

#[derive(Debug, Clone, Copy)]
pub struct Auth {
    session: RwSignal<Session>,
}

pub fn use_auth() -> Auth {
    expect_context::<Auth>()
}

impl Auth {
    pub fn new() -> Self {
        Auth {
            session: RwSignal::new(Session::Loading),
        }
    }

    /// Asks the server who is signed in (and, if nobody, whether setup is still needed).
    pub async fn load(self) {
        let next = match api::auth::me().await {
            Ok(user) => Session::SignedIn(user),
            Err(err) if err.is_unauthenticated() => match api::auth::setup_status().await {
                Ok(status) if status.needs_setup => Session::NeedsSetup,
                Ok(_) => Session::SignedOut,
                Err(err) => Session::Unavailable(err.message()),
            },
            Err(err) => Session::Unavailable(err.message()),
        };
        if matches!(next, Session::SignedOut) {
            // A wall display's key was refused: a sign-in on this page must not be shadowed.
            crate::api::forget_api_key();
        }
        self.session.set(next);
    }

    pub fn gate(&self) -> Gate {
        self.session.with(|s| match s {
            Session::Loading => Gate::Loading,
            Session::Unavailable(_) => Gate::Unavailable,
            Session::NeedsSetup => Gate::NeedsSetup,
            Session::SignedOut => Gate::SignedOut,
            Session::SignedIn(_) => Gate::SignedIn,
        })
    }

    fn unavailable_message(&self) -> Option<String> {
        self.session.with(|s| match s {
            Session::Unavailable(m) => Some(m.clone()),
            _ => None,
        })
    }

    pub fn username(&self) -> Option<String> {
        self.session.with(|s| match s {
            Session::SignedIn(u) => Some(u.username.clone()),
            _ => None,
        })
    }

    /// The signed-in user (`None` otherwise).
    pub fn user(&self) -> Option<CurrentUser> {
        self.session.with(|s| match s {
            Session::SignedIn(u) => Some(u.clone()),
            _ => None,
        })
    }

    /// Administrators and root see the admin area.
    pub fn is_admin(&self) -> bool {
        self.session
            .with(|s| matches!(s, Session::SignedIn(u) if u.is_admin || u.is_root))
    }

    /// The token every write must carry (read without tracking: call it when sending).
    pub fn csrf(&self) -> String {
        self.session.with_untracked(|s| match s {
            Session::SignedIn(u) => u.csrf_token.clone(),
            _ => String::new(),
        })
    }

    pub fn units(&self) -> UnitSystem {
        self.settings().unit_system
    }

    /// The signed-in user's settings (defaults when signed out).
    pub fn settings(&self) -> UserSettings {
        self.session.with(|s| match s {
            Session::SignedIn(u) => u.settings.clone(),
            _ => UserSettings::default(),
        })
    }

    pub fn sign_in(&self, user: CurrentUser) {
        self.session.set(Session::SignedIn(user));
    }

    pub fn sign_out(&self) {
        // A wall display's key that was refused must not shadow the session signed in next.
        crate::api::forget_api_key();
        self.session.set(Session::SignedOut);
    }

    pub fn set_settings(&self, settings: UserSettings) {
        self.session.update(|s| {
            if let Session::SignedIn(u) = s {
                u.settings = settings;
            }
        });
    }

    /// The alert text for a failed call; a lost session signs out, and the guard then shows
    /// the login page.
    pub fn explain(&self, err: &ApiError) -> String {
        if err.is_unauthenticated() {
            self.sign_out();
            tr("Your session has ended. Please sign in again.")
        } else {
            err.message()
        }
    }
}

fn replace() -> NavigateOptions {
    NavigateOptions {
        replace: true,
        ..Default::default()
    }
}

#[component]
fn Unavailable(auth: Auth) -> impl IntoView {
    let message = Signal::derive(move || auth.unavailable_message());
    view! {
        <section class="auth-card card">
            <h1>{tr("MotoVaultPro is not answering")}</h1>
            <Alert message=message />
            <button class="btn btn-primary" on:click=move |_| {
                auth.session.set(Session::Loading);
                spawn_local(auth.load());
            }>{tr("Try again")}</button>
        </section>
    }
}

/// Shows its children only to a signed-in user; everyone else goes to setup or login.
#[component]
pub fn RequireUser(children: ChildrenFn) -> impl IntoView {
    let auth = use_auth();
    let gate = Memo::new(move |_| auth.gate());
    move || match gate.get() {
        Gate::Loading => view! { <Loading /> }.into_any(),
        Gate::Unavailable => view! { <Unavailable auth /> }.into_any(),
        Gate::NeedsSetup => view! { <Redirect path="/setup" options=replace() /> }.into_any(),
        Gate::SignedOut => view! { <Redirect path="/login" options=replace() /> }.into_any(),
        Gate::SignedIn => children().into_any(),
    }
}

/// Shows its children only to an administrator or root; others are told so.
#[component]
pub fn RequireAdmin(children: ChildrenFn) -> impl IntoView {
    let auth = use_auth();
    let admin = Memo::new(move |_| auth.is_admin());
    view! {
        <RequireUser>
            {
                let children = children.clone();
                move || if admin.get() {
                    children().into_any()
                } else {
                    view! {
                        <div class="page">
                            <h1>{tr("Administrators only")}</h1>
                            <p class="muted">{tr("Ask an administrator of this MotoVaultPro for access.")}</p>
                        </div>
                    }
                    .into_any()
                }
            }
        </RequireUser>
    }
}

/// The setup page (`setup = true`) or the login page: shown only in the matching state.
#[component]
pub fn RequireGuest(setup: bool, children: ChildrenFn) -> impl IntoView {
    let auth = use_auth();
    let gate = Memo::new(move |_| auth.gate());
    move || match (gate.get(), setup) {
        (Gate::Loading, _) => view! { <Loading /> }.into_any(),
        (Gate::Unavailable, _) => view! { <Unavailable auth /> }.into_any(),
        (Gate::SignedIn, _) => view! { <Redirect path="/" options=replace() /> }.into_any(),
        (Gate::NeedsSetup, true) | (Gate::SignedOut, false) => children().into_any(),
        (Gate::NeedsSetup, false) => {
            view! { <Redirect path="/setup" options=replace() /> }.into_any()
        }
        (Gate::SignedOut, true) => {
            view! { <Redirect path="/login" options=replace() /> }.into_any()
        }
    }
}

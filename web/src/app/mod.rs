//! The root component: auth context, header and routes.

mod auth;

pub use auth::{Auth, RequireGuest, RequireUser, use_auth};

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;

use crate::components::layout::Header;
use crate::pages::auth::{LoginPage, SetupPage};
use crate::pages::garage::GaragePage;
use crate::pages::not_found::NotFound;
use crate::pages::settings::SettingsPage;
use crate::pages::vehicles::{EditVehiclePage, NewVehiclePage, VehiclePage};

#[component]
pub fn App() -> impl IntoView {
    let auth = Auth::new();
    provide_context(auth);
    spawn_local(auth.load());

    view! {
        <Router>
            <Header />
            <main class="main">
                <Routes fallback=|| view! { <NotFound /> }>
                    <Route path=path!("/setup") view=|| view! { <RequireGuest setup=true><SetupPage /></RequireGuest> } />
                    <Route path=path!("/login") view=|| view! { <RequireGuest setup=false><LoginPage /></RequireGuest> } />
                    <Route path=path!("/") view=|| view! { <RequireUser><GaragePage /></RequireUser> } />
                    <Route path=path!("/vehicles/new") view=|| view! { <RequireUser><NewVehiclePage /></RequireUser> } />
                    <Route path=path!("/vehicles/:id/edit") view=|| view! { <RequireUser><EditVehiclePage /></RequireUser> } />
                    // `/vehicles/3` is the Fuel tab, `/vehicles/3/service` another tab.
                    <Route path=path!("/vehicles/:id/:tab?") view=|| view! { <RequireUser><VehiclePage /></RequireUser> } />
                    <Route path=path!("/settings") view=|| view! { <RequireUser><SettingsPage /></RequireUser> } />
                </Routes>
            </main>
        </Router>
    }
}

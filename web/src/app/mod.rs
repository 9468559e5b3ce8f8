//! The root component: auth context, header and routes.

mod auth;

pub use auth::{Auth, RequireAdmin, RequireGuest, RequireUser, use_auth};

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;
use motovault_shared::dto::Theme;

use crate::components::layout::Header;
use crate::pages::admin::{ExtraFieldsPage, TokensPage, UsersPage};
use crate::pages::auth::{
    ForgotPasswordPage, LoginPage, RegisterPage, ResetPasswordPage, SetupPage,
};
use crate::pages::calendar::CalendarPage;
use crate::pages::garage::GaragePage;
use crate::pages::kiosk::KioskPage;
use crate::pages::not_found::NotFound;
use crate::pages::reports::HistoryPage;
use crate::pages::search::SearchPage;
use crate::pages::settings::{ApiKeysPage, HouseholdPage, ProfilePage, SettingsPage};
use crate::pages::stickers::StickersPage;
use crate::pages::vehicles::{EditVehiclePage, NewVehiclePage, VehiclePage};

#[component]
pub fn App() -> impl IntoView {
    let auth = Auth::new();
    provide_context(auth);
    let location = window().location();
    if let Some(key) = kiosk_key(
        &location.pathname().unwrap_or_default(),
        &location.search().unwrap_or_default(),
    ) {
        crate::api::use_api_key(key);
    }
    spawn_local(auth.load());
    crate::live::provide();
    crate::flash::provide();
    Effect::new(move |_| {
        let settings = auth.settings();
        apply_theme(settings.theme);
        crate::format::apply(&settings);
        // The signed-in user's language wins over the browser's (a reload shows it).
        if auth.gate() == auth::Gate::SignedIn && settings.language != crate::i18n::language() {
            crate::i18n::switch_to(&settings.language);
        }
    });

    view! {
        <Router>
            <Header />
            <main class="main">
                <crate::flash::FlashNotice />
                <Routes fallback=|| view! { <NotFound /> }>
                    <Route path=path!("/setup") view=|| view! { <RequireGuest setup=true><SetupPage /></RequireGuest> } />
                    <Route path=path!("/login") view=|| view! { <RequireGuest setup=false><LoginPage /></RequireGuest> } />
                    <Route path=path!("/") view=|| view! { <RequireUser><GaragePage /></RequireUser> } />
                    <Route path=path!("/vehicles/new") view=|| view! { <RequireUser><NewVehiclePage /></RequireUser> } />
                    <Route path=path!("/vehicles/:id/edit") view=|| view! { <RequireUser><EditVehiclePage /></RequireUser> } />
                    <Route path=path!("/vehicles/:id/history") view=|| view! { <RequireUser><HistoryPage /></RequireUser> } />
                    <Route path=path!("/vehicles/:id/stickers") view=|| view! { <RequireUser><StickersPage /></RequireUser> } />
                    // `/vehicles/3` is the Fuel tab, `/vehicles/3/service` another tab.
                    <Route path=path!("/vehicles/:id/:tab?") view=|| view! { <RequireUser><VehiclePage /></RequireUser> } />
                    <Route path=path!("/register") view=|| view! { <RequireGuest setup=false><RegisterPage /></RequireGuest> } />
                    <Route path=path!("/forgot-password") view=|| view! { <RequireGuest setup=false><ForgotPasswordPage /></RequireGuest> } />
                    <Route path=path!("/reset-password") view=|| view! { <RequireGuest setup=false><ResetPasswordPage /></RequireGuest> } />
                    <Route path=path!("/search") view=|| view! { <RequireUser><SearchPage /></RequireUser> } />
                    <Route path=path!("/calendar") view=|| view! { <RequireUser><CalendarPage /></RequireUser> } />
                    <Route path=path!("/kiosk") view=|| view! { <RequireUser><KioskPage /></RequireUser> } />
                    <Route path=path!("/settings") view=|| view! { <RequireUser><SettingsPage /></RequireUser> } />
                    <Route path=path!("/settings/profile") view=|| view! { <RequireUser><ProfilePage /></RequireUser> } />
                    <Route path=path!("/settings/api-keys") view=|| view! { <RequireUser><ApiKeysPage /></RequireUser> } />
                    <Route path=path!("/settings/household") view=|| view! { <RequireUser><HouseholdPage /></RequireUser> } />
                    <Route path=path!("/admin") view=|| view! { <RequireAdmin><UsersPage /></RequireAdmin> } />
                    <Route path=path!("/admin/tokens") view=|| view! { <RequireAdmin><TokensPage /></RequireAdmin> } />
                    <Route path=path!("/admin/extra-fields") view=|| view! { <RequireAdmin><ExtraFieldsPage /></RequireAdmin> } />
                </Routes>
            </main>
        </Router>
    }
}

/// The key of an unattended wall display, `/kiosk?apiKey=…` (LubeLogger's kiosk URL): the app
/// then reads as the key's owner, with the key's role, and needs no session. Only on the kiosk
/// page, so a key in a shared link opens nothing else.
fn kiosk_key(path: &str, search: &str) -> Option<String> {
    if path.trim_end_matches('/') != "/kiosk" {
        return None;
    }
    search
        .trim_start_matches('?')
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .find(|(name, _)| *name == "apiKey")
        .map(|(_, value)| value.trim().to_owned())
        .filter(|key| !key.is_empty() && key.bytes().all(|b| b.is_ascii_alphanumeric()))
}

/// Puts the user's theme on `<html data-theme>` (the stylesheet's dark and light variables);
/// `System` removes it, so the device's preference applies.
pub fn apply_theme(theme: Theme) {
    if let Some(root) = document().document_element() {
        let _ = match theme {
            Theme::System => root.remove_attribute("data-theme"),
            Theme::Light => root.set_attribute("data-theme", "light"),
            Theme::Dark => root.set_attribute("data-theme", "dark"),
        };
    }
}

#[cfg(test)]
mod tests {
    use super::kiosk_key;

    #[test]
    fn only_the_kiosk_page_takes_a_key_from_its_url() {
        let cases = [
            ("/kiosk", "?apiKey=ab12", Some("ab12")),
            ("/kiosk/", "?mode=cycle&apiKey=ab12", Some("ab12")),
            ("/kiosk", "?mode=cycle", None),
            ("/kiosk", "?apiKey=", None),
            ("/kiosk", "?apiKey=a%26b", None),
            ("/", "?apiKey=ab12", None),
            ("/vehicles/1", "?apiKey=ab12", None),
        ];
        for (path, search, key) in cases {
            assert_eq!(kiosk_key(path, search).as_deref(), key, "{path}{search}");
        }
    }
}

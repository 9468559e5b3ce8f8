//! A confirmation that outlives a navigation ("Vehicle deleted." on the garage it returns to):
//! set it, then navigate; it shows on the page at `path` and is dropped once the user moves on.
//! Take the handle with [`use_flash`] while the component is built: event handlers and tasks
//! run outside the component's reactive owner, where the context cannot be found.

use leptos::prelude::*;
use leptos_router::hooks::use_location;

use crate::components::alert::Notice;

#[derive(Clone, Copy)]
pub struct Flash(RwSignal<Option<(String, String)>>);

/// Shares the flash slot with every page (called once by the app).
pub fn provide() {
    provide_context(Flash(RwSignal::new(None)));
}

/// The app's flash slot.
pub fn use_flash() -> Flash {
    expect_context::<Flash>()
}

impl Flash {
    /// Shows `text` on the page at `path` (the one about to be navigated to).
    pub fn show_at(&self, path: impl Into<String>, text: impl Into<String>) {
        self.0.set(Some((path.into(), text.into())));
    }
}

/// What the page at `current` shows: the flash for that path, nothing for any other.
fn shown(flash: Option<&(String, String)>, current: &str) -> Option<String> {
    flash
        .filter(|(path, _)| path == current)
        .map(|(_, text)| text.clone())
}

/// The flash banner; inside the router, above the routes.
#[component]
pub fn FlashNotice() -> impl IntoView {
    let Some(Flash(slot)) = use_context::<Flash>() else {
        return ().into_any();
    };
    let path = use_location().pathname;
    // Leaving the page the flash was for drops it, so coming back does not show it again.
    Effect::new(move |_| {
        let current = path.get();
        if slot.with_untracked(|f| f.as_ref().is_some_and(|(p, _)| *p != current)) {
            slot.set(None);
        }
    });
    let message = Signal::derive(move || slot.with(|f| shown(f.as_ref(), &path.get())));
    view! { <div class="flash"><Notice message testid="flash" /></div> }.into_any()
}

#[cfg(test)]
mod tests {
    use super::shown;

    #[test]
    fn a_flash_shows_only_on_its_page() {
        let flash = ("/".to_owned(), "Vehicle deleted.".to_owned());
        assert_eq!(
            shown(Some(&flash), "/").as_deref(),
            Some("Vehicle deleted.")
        );
        assert_eq!(shown(Some(&flash), "/vehicles/3"), None);
        assert_eq!(shown(None, "/"), None);
    }
}

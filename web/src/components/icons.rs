//! Inline SVG icons (no icon font, nothing fetched).

use leptos::prelude::*;

/// The brand mark: a gauge.
#[component]
pub fn LogoIcon() -> impl IntoView {
    view! {
        <svg class="icon logo-icon" viewBox="0 0 24 24" aria-hidden="true">
            <circle cx="12" cy="13" r="9" fill="none" stroke="currentColor" stroke-width="2" />
            <path d="M12 13l4.5-4.5" stroke="currentColor" stroke-width="2.2" stroke-linecap="round" />
            <circle cx="12" cy="13" r="1.6" fill="currentColor" />
            <path d="M7 17.5h10" stroke="currentColor" stroke-width="2" stroke-linecap="round" />
        </svg>
    }
}

#[component]
pub fn CarIcon() -> impl IntoView {
    view! {
        <svg class="icon" viewBox="0 0 24 24" aria-hidden="true">
            <path
                d="M5 11l1.6-4.2A2 2 0 0 1 8.5 5.5h7a2 2 0 0 1 1.9 1.3L19 11M5 11h14a2 2 0 0 1 2 2v3.5a1 1 0 0 1-1 1h-1M5 11a2 2 0 0 0-2 2v3.5a1 1 0 0 0 1 1h1m2 0h10"
                fill="none"
                stroke="currentColor"
                stroke-width="1.8"
                stroke-linecap="round"
                stroke-linejoin="round"
            />
            <circle cx="7" cy="17.5" r="1.8" fill="none" stroke="currentColor" stroke-width="1.8" />
            <circle cx="17" cy="17.5" r="1.8" fill="none" stroke="currentColor" stroke-width="1.8" />
        </svg>
    }
}

#[component]
pub fn FuelIcon() -> impl IntoView {
    view! {
        <svg class="icon" viewBox="0 0 24 24" aria-hidden="true">
            <path
                d="M4 20V5a2 2 0 0 1 2-2h6a2 2 0 0 1 2 2v15M3 20h12M4 10h10M14 8l3 3v6a1.5 1.5 0 0 0 3 0V8l-3-3"
                fill="none"
                stroke="currentColor"
                stroke-width="1.8"
                stroke-linecap="round"
                stroke-linejoin="round"
            />
        </svg>
    }
}

#[component]
pub fn PlusIcon() -> impl IntoView {
    view! {
        <svg class="icon" viewBox="0 0 24 24" aria-hidden="true">
            <path d="M12 5v14M5 12h14" stroke="currentColor" stroke-width="2.2" stroke-linecap="round" />
        </svg>
    }
}

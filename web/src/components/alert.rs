//! Visible messages: errors that belong to no field (network, 404, 409…) and confirmations.
//! The icon is drawn by CSS so the element's text is just the message.

use leptos::prelude::*;

/// An error banner, shown while `message` holds text.
#[component]
pub fn Alert(#[prop(into)] message: Signal<Option<String>>) -> impl IntoView {
    move || {
        message.get().map(|text| {
            view! {
                <div class="alert alert-error" role="alert" data-testid="alert">
                    <span>{text}</span>
                </div>
            }
        })
    }
}

/// A success banner (a confirmation: "Saved", "3 records updated"). The live region stays in
/// the page while empty, so screen readers announce each new message (a region inserted
/// together with its text is often not read).
#[component]
pub fn Notice(
    #[prop(into)] message: Signal<Option<String>>,
    /// `notice` unless a second one shares the page (a record dialog's files).
    #[prop(default = "notice")]
    testid: &'static str,
) -> impl IntoView {
    view! {
        <div class="live-region" role="status" aria-live="polite">
            {move || {
                message.get().map(|text| {
                    view! {
                        <div class="alert alert-success" data-testid=testid>
                            <span>{text}</span>
                        </div>
                    }
                })
            }}
        </div>
    }
}

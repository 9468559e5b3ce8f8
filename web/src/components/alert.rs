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

/// A success banner.
#[component]
pub fn Notice(#[prop(into)] message: Signal<Option<String>>) -> impl IntoView {
    move || {
        message.get().map(|text| {
            view! {
                <div class="alert alert-success" role="status" data-testid="notice">
                    <span>{text}</span>
                </div>
            }
        })
    }
}

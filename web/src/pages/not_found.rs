use leptos::prelude::*;

use crate::components::layout::EmptyState;

#[component]
pub fn NotFound() -> impl IntoView {
    view! {
        <div class="page">
            <EmptyState title="Page not found" text="The address you followed does not exist." testid="not-found">
                <a class="btn btn-primary" href="/">"Back to the garage"</a>
            </EmptyState>
        </div>
    }
}

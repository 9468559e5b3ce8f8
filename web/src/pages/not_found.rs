use leptos::prelude::*;

use crate::components::layout::EmptyState;
use crate::i18n::{tr, trs};

#[component]
pub fn NotFound() -> impl IntoView {
    view! {
        <div class="page">
            <EmptyState title=trs("Page not found") text=trs("The address you followed does not exist.") testid="not-found">
                <a class="btn btn-primary" href="/">{tr("Back to the garage")}</a>
            </EmptyState>
        </div>
    }
}

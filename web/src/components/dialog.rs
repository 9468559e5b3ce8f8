//! A modal dialog (full-width sheet on phones).

use crate::i18n::{tr, trs};
use leptos::prelude::*;

#[component]
pub fn Dialog(
    #[prop(into)] title: String,
    #[prop(into)] on_close: Callback<()>,
    #[prop(optional)] testid: &'static str,
    children: Children,
) -> impl IntoView {
    let label = title.clone();
    view! {
        <div
            class="dialog-backdrop"
            on:keydown=move |ev: leptos::ev::KeyboardEvent| {
                if ev.key() == "Escape" {
                    on_close.run(());
                }
            }
        >
            <div class="dialog" role="dialog" aria-modal="true" aria-label=label data-testid=testid>
                <div class="dialog-header">
                    <h2>{title}</h2>
                    <button type="button" class="icon-btn" aria-label=trs("Close") on:click=move |_| on_close.run(())>
                        "✕"
                    </button>
                </div>
                {children()}
            </div>
        </div>
    }
}

/// "Are you sure?" with a destructive confirm button.
#[component]
pub fn ConfirmDialog(
    #[prop(into)] title: String,
    #[prop(into)] body: String,
    #[prop(into)] confirm_label: String,
    #[prop(into)] busy: Signal<bool>,
    #[prop(into)] on_confirm: Callback<()>,
    #[prop(into)] on_close: Callback<()>,
) -> impl IntoView {
    view! {
        <Dialog title on_close testid="confirm-dialog">
            <p class="dialog-body">{body}</p>
            <div class="form-actions">
                <button type="button" class="btn btn-secondary" on:click=move |_| on_close.run(())>{tr("Cancel")}</button>
                <button
                    type="button"
                    class="btn btn-danger"
                    data-testid="confirm-delete"
                    disabled=move || busy.get()
                    on:click=move |_| on_confirm.run(())
                >
                    {confirm_label}
                </button>
            </div>
        </Dialog>
    }
}

use leptos::prelude::*;
use leptos::task::spawn_local;
use motovault_shared::dto::SetupRequest;
use motovault_shared::problem::{ErrorCode, FieldError};
use motovault_shared::validate;

use crate::api;
use crate::app::use_auth;
use crate::components::alert::Alert;
use crate::components::field_error::{Field, focus_first_invalid};
use crate::components::icons::LogoIcon;
use crate::forms;
use crate::i18n::{tr, trs};

#[component]
pub fn SetupPage() -> impl IntoView {
    let auth = use_auth();
    let username = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let email = RwSignal::new(String::new());
    let errors = RwSignal::new(Vec::<FieldError>::new());
    let alert = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let request = SetupRequest {
            username: username.get_untracked().trim().to_owned(),
            password: password.get_untracked(),
            email: forms::non_blank(&email.get_untracked()),
        };
        let problems = validate::setup(&request);
        alert.set(None);
        errors.set(problems.clone());
        if !problems.is_empty() {
            focus_first_invalid("[data-testid=setup-form]");
            return;
        }
        busy.set(true);
        spawn_local(async move {
            match api::auth::setup(&request).await {
                Ok(user) => auth.sign_in(user),
                // Someone finished setup first: the guard moves on to the login page.
                Err(err) if err.code() == Some(ErrorCode::AlreadySetUp) => auth.sign_out(),
                Err(err) => {
                    busy.set(false);
                    errors.set(err.field_errors().to_vec());
                    focus_first_invalid("[data-testid=setup-form]");
                    alert.set(Some(err.message()));
                }
            }
        });
    };

    view! {
        <div class="auth-wrap">
            <form class="auth-card card" on:submit=submit novalidate data-testid="setup-form">
                <div class="auth-brand"><LogoIcon /><span>{tr("MotoVaultPro")}</span></div>
                <h1>{tr("Welcome! Let's set things up")}</h1>
                <p class="muted">{tr("Create the first account. It becomes the administrator of this MotoVaultPro.")}</p>
                <Alert message=alert />
                <Field label=trs("Username") id="setup-username" field="username" errors=errors>
                    <input id="setup-username" data-testid="setup-username" type="text" autocomplete="username" autocapitalize="none" bind:value=username />
                </Field>
                <Field label=trs("Password") id="setup-password" field="password" errors=errors hint=trs("At least 8 characters.")>
                    <input id="setup-password" data-testid="setup-password" type="password" autocomplete="new-password" bind:value=password />
                </Field>
                <Field label=trs("E-mail (optional)") id="setup-email" field="email" errors=errors>
                    <input id="setup-email" data-testid="setup-email" type="email" autocomplete="email" bind:value=email />
                </Field>
                <button type="submit" class="btn btn-primary btn-block" data-testid="setup-submit" disabled=move || busy.get()>
                    {move || if busy.get() { tr("Creating account…") } else { tr("Create account") }}
                </button>
            </form>
        </div>
    }
}

use leptos::prelude::*;
use leptos::task::spawn_local;
use motovault_shared::dto::LoginRequest;
use motovault_shared::problem::{ErrorCode, FieldError};
use motovault_shared::validate;

use crate::api;
use crate::app::use_auth;
use crate::components::alert::Alert;
use crate::components::field_error::{Field, focus_first_invalid};
use crate::components::icons::LogoIcon;

#[component]
pub fn LoginPage() -> impl IntoView {
    let auth = use_auth();
    let username = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let errors = RwSignal::new(Vec::<FieldError>::new());
    let alert = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let request = LoginRequest {
            username: username.get_untracked().trim().to_owned(),
            password: password.get_untracked(),
        };
        let problems = validate::login(&request);
        alert.set(None);
        errors.set(problems.clone());
        if !problems.is_empty() {
            focus_first_invalid("[data-testid=login-form]");
            return;
        }
        busy.set(true);
        spawn_local(async move {
            match api::auth::login(&request).await {
                Ok(user) => auth.sign_in(user),
                Err(err) => {
                    busy.set(false);
                    errors.set(err.field_errors().to_vec());
                    focus_first_invalid("[data-testid=login-form]");
                    let message = if err.code() == Some(ErrorCode::InvalidCredentials) {
                        "Wrong username or password.".to_owned()
                    } else {
                        err.message()
                    };
                    alert.set(Some(message));
                }
            }
        });
    };

    view! {
        <div class="auth-wrap">
            <form class="auth-card card" on:submit=submit novalidate data-testid="login-form">
                <div class="auth-brand"><LogoIcon /><span>"MotoVaultPro"</span></div>
                <h1>"Sign in"</h1>
                <p class="muted">"Track fuel, costs and maintenance for every vehicle you own."</p>
                <Alert message=alert />
                <Field label="Username" id="login-username" field="username" errors=errors>
                    <input id="login-username" data-testid="login-username" type="text" autocomplete="username" autocapitalize="none" bind:value=username />
                </Field>
                <Field label="Password" id="login-password" field="password" errors=errors>
                    <input id="login-password" data-testid="login-password" type="password" autocomplete="current-password" bind:value=password />
                </Field>
                <button type="submit" class="btn btn-primary btn-block" data-testid="login-submit" disabled=move || busy.get()>
                    {move || if busy.get() { "Signing in…" } else { "Sign in" }}
                </button>
            </form>
        </div>
    }
}

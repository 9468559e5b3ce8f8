//! `/forgot-password` (ask for a reset link by e-mail) and `/reset-password?token=` (choose a
//! new password with the link's token).

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_query_map;
use motovault_shared::dto::users::{PasswordResetConfirm, PasswordResetRequest};
use motovault_shared::problem::FieldError;
use motovault_shared::validate;

use crate::api;
use crate::components::alert::{Alert, Notice};
use crate::components::field_error::{Field, focus_first_invalid};
use crate::components::icons::LogoIcon;
use crate::i18n::{mark, tr, trs};

#[component]
pub fn ForgotPasswordPage() -> impl IntoView {
    let email = RwSignal::new(String::new());
    let errors = RwSignal::new(Vec::<FieldError>::new());
    let alert = RwSignal::new(None::<String>);
    let notice = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let request = PasswordResetRequest {
            email: email.get_untracked().trim().to_owned(),
        };
        alert.set(None);
        notice.set(None);
        if !request.email.contains('@') {
            errors.set(vec![FieldError::new(
                "email",
                mark("must be an e-mail address"),
            )]);
            focus_first_invalid("[data-testid=forgot-form]");
            return;
        }
        errors.set(Vec::new());
        busy.set(true);
        spawn_local(async move {
            let result = api::write("", api::users::request_reset(&request)).await;
            busy.set(false);
            match result {
                // The same answer whether or not the address is known.
                Ok(()) => notice.set(Some(tr(
                    "If an account uses that address, a reset link is on its way.",
                ))),
                Err(err) => {
                    errors.set(err.field_errors().to_vec());
                    alert.set(Some(err.message()));
                }
            }
        });
    };

    view! {
        <div class="auth-wrap">
            <form class="auth-card card" on:submit=submit novalidate data-testid="forgot-form">
                <div class="auth-brand"><LogoIcon /><span>{tr("MotoVaultPro")}</span></div>
                <h1>{tr("Forgot password")}</h1>
                <p class="muted">{tr("Enter your account's e-mail address and we will send you a link to choose a new password.")}</p>
                <Alert message=alert />
                <Notice message=notice />
                <Field label=trs("E-mail") id="forgot-email" field="email" errors=errors>
                    <input id="forgot-email" data-testid="forgot-email" type="email" autocomplete="email" bind:value=email />
                </Field>
                <button type="submit" class="btn btn-primary btn-block" data-testid="forgot-submit" disabled=move || busy.get()>
                    {move || if busy.get() { tr("Sending…") } else { tr("Send reset link") }}
                </button>
                <p class="auth-foot muted"><a href="/login">{tr("Back to sign in")}</a></p>
            </form>
        </div>
    }
}

#[component]
pub fn ResetPasswordPage() -> impl IntoView {
    let query = use_query_map();
    // Stored so that the submit handler is `Copy` (the form is rebuilt by `Show`).
    let token = StoredValue::new(query.with_untracked(|q| q.get("token")).unwrap_or_default());
    let password = RwSignal::new(String::new());
    let confirm = RwSignal::new(String::new());
    let errors = RwSignal::new(Vec::<FieldError>::new());
    let alert = RwSignal::new(None::<String>);
    let done = RwSignal::new(false);
    let busy = RwSignal::new(false);

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let request = PasswordResetConfirm {
            token: token.get_value(),
            password: password.get_untracked(),
        };
        let mut problems = Vec::new();
        validate::password(&mut problems, &request.password);
        if confirm.get_untracked() != request.password {
            problems.push(FieldError::new(
                "confirm",
                mark("does not match the password"),
            ));
        }
        alert.set(None);
        errors.set(problems.clone());
        if !problems.is_empty() {
            focus_first_invalid("[data-testid=reset-form]");
            return;
        }
        busy.set(true);
        spawn_local(async move {
            let result = api::write("", api::users::confirm_reset(&request)).await;
            busy.set(false);
            match result {
                Ok(()) => done.set(true),
                Err(err) => {
                    errors.set(err.field_errors().to_vec());
                    let message = if err.field_errors().iter().any(|e| e.field == "token") {
                        tr("This reset link is invalid or has expired. Ask for a new one.")
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
            <Show
                when=move || !done.get()
                fallback=|| view! {
                    <section class="auth-card card" data-testid="reset-done">
                        <h1>{tr("Password changed")}</h1>
                        <p class="muted">{tr("Sign in with your new password.")}</p>
                        <a class="btn btn-primary btn-block" href="/login">{tr("Sign in")}</a>
                    </section>
                }
            >
                <form class="auth-card card" on:submit=submit novalidate data-testid="reset-form">
                    <div class="auth-brand"><LogoIcon /><span>{tr("MotoVaultPro")}</span></div>
                    <h1>{tr("Choose a new password")}</h1>
                    <Alert message=alert />
                    <Field label=trs("New password") id="reset-password" field="password" errors=errors hint=trs("At least 8 characters.")>
                        <input id="reset-password" data-testid="reset-password" type="password" autocomplete="new-password" bind:value=password />
                    </Field>
                    <Field label=trs("Repeat it") id="reset-confirm" field="confirm" errors=errors>
                        <input id="reset-confirm" data-testid="reset-confirm" type="password" autocomplete="new-password" bind:value=confirm />
                    </Field>
                    <button type="submit" class="btn btn-primary btn-block" data-testid="reset-submit" disabled=move || busy.get()>
                        {move || if busy.get() { tr("Saving…") } else { tr("Set password") }}
                    </button>
                </form>
            </Show>
        </div>
    }
}

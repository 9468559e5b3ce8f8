//! `/settings/profile`: change the e-mail address or the password (both ask for the current
//! password; a new password ends the user's other sessions).

use leptos::prelude::*;
use leptos::task::spawn_local;
use motovault_shared::dto::users::{EmailChange, PasswordChange};
use motovault_shared::problem::FieldError;
use motovault_shared::validate;

use super::SettingsNav;
use crate::api;
use crate::app::use_auth;
use crate::components::alert::{Alert, Notice};
use crate::components::field_error::Field;
use crate::i18n::{mark, tr, tr_fmt, trs};

/// The server names the wrong current password `currentPassword` (422) or answers 401 with
/// invalid credentials; either way the field shows it.
fn wrong_current(err: &api::ApiError) -> Vec<FieldError> {
    let mut errors = err.field_errors().to_vec();
    if err.code() == Some(motovault_shared::problem::ErrorCode::InvalidCredentials) {
        errors.push(FieldError::new("currentPassword", mark("is wrong")));
    }
    errors
}

#[component]
pub fn ProfilePage() -> impl IntoView {
    let auth = use_auth();
    let user = auth.user();
    let username = user
        .as_ref()
        .map(|u| u.username.clone())
        .unwrap_or_default();

    view! {
        <div class="page page-narrow">
            <div class="page-header">
                <div>
                    <h1>{tr("Settings")}</h1>
                    <p class="muted">{tr_fmt("Signed in as {username}.", &[("username", &username.to_string())])}</p>
                </div>
            </div>
            <SettingsNav />
            <EmailForm />
            <PasswordForm />
        </div>
    }
}

#[component]
fn EmailForm() -> impl IntoView {
    let auth = use_auth();
    let email = RwSignal::new(auth.user().and_then(|u| u.email).unwrap_or_default());
    let current = RwSignal::new(String::new());
    let errors = RwSignal::new(Vec::<FieldError>::new());
    let alert = RwSignal::new(None::<String>);
    let notice = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let change = EmailChange {
            email: email.get_untracked().trim().to_owned(),
            current_password: current.get_untracked(),
        };
        let mut problems = Vec::new();
        if !change.email.contains('@') {
            problems.push(FieldError::new("email", mark("must be an e-mail address")));
        }
        if change.current_password.is_empty() {
            problems.push(FieldError::new("currentPassword", mark("is required")));
        }
        alert.set(None);
        notice.set(None);
        errors.set(problems.clone());
        if !problems.is_empty() {
            return;
        }
        busy.set(true);
        spawn_local(async move {
            let result = api::users::change_email(&auth.csrf(), &change).await;
            busy.set(false);
            match result {
                Ok(user) => {
                    current.set(String::new());
                    auth.sign_in(user);
                    notice.set(Some(tr("E-mail address changed.")));
                }
                Err(err) => {
                    errors.set(wrong_current(&err));
                    if !errors.with_untracked(|e| e.iter().any(|e| e.field == "currentPassword")) {
                        alert.set(Some(auth.explain(&err)));
                    }
                }
            }
        });
    };

    view! {
        <form class="card form-card" on:submit=submit novalidate data-testid="email-form">
            <h2>{tr("E-mail address")}</h2>
            <Alert message=alert />
            <Notice message=notice />
            <div class="form-grid">
                <Field label=trs("E-mail") id="profile-email" field="email" errors=errors>
                    <input id="profile-email" data-testid="profile-email" type="email" autocomplete="email" bind:value=email />
                </Field>
                <Field label=trs("Current password") id="email-current" field="currentPassword" errors=errors>
                    <input id="email-current" data-testid="email-current-password" type="password" autocomplete="current-password" bind:value=current />
                </Field>
            </div>
            <div class="form-actions">
                <button type="submit" class="btn btn-primary" data-testid="email-save" disabled=move || busy.get()>
                    {move || if busy.get() { tr("Saving…") } else { tr("Change e-mail") }}
                </button>
            </div>
        </form>
    }
}

#[component]
fn PasswordForm() -> impl IntoView {
    let auth = use_auth();
    let current = RwSignal::new(String::new());
    let new = RwSignal::new(String::new());
    let repeat = RwSignal::new(String::new());
    let errors = RwSignal::new(Vec::<FieldError>::new());
    let alert = RwSignal::new(None::<String>);
    let notice = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let change = PasswordChange {
            current_password: current.get_untracked(),
            new_password: new.get_untracked(),
        };
        let mut problems = Vec::new();
        if change.current_password.is_empty() {
            problems.push(FieldError::new("currentPassword", mark("is required")));
        }
        // The shared rule names its field `password`.
        let mut rule = Vec::new();
        validate::password(&mut rule, &change.new_password);
        problems.extend(
            rule.into_iter()
                .map(|e| FieldError::new("newPassword", e.message)),
        );
        if repeat.get_untracked() != change.new_password {
            problems.push(FieldError::new(
                "repeat",
                mark("does not match the new password"),
            ));
        }
        alert.set(None);
        notice.set(None);
        errors.set(problems.clone());
        if !problems.is_empty() {
            return;
        }
        busy.set(true);
        spawn_local(async move {
            let result = api::write(&auth.csrf(), api::users::change_password(&change)).await;
            busy.set(false);
            match result {
                Ok(()) => {
                    current.set(String::new());
                    new.set(String::new());
                    repeat.set(String::new());
                    notice.set(Some(tr(
                        "Password changed. Your other sessions were signed out.",
                    )));
                }
                Err(err) => {
                    errors.set(wrong_current(&err));
                    if !errors.with_untracked(|e| e.iter().any(|e| e.field == "currentPassword")) {
                        alert.set(Some(auth.explain(&err)));
                    }
                }
            }
        });
    };

    view! {
        <form class="card form-card" on:submit=submit novalidate data-testid="password-form">
            <h2>{tr("Password")}</h2>
            <Alert message=alert />
            <Notice message=notice />
            <div class="form-grid">
                <Field label=trs("Current password") id="password-current" field="currentPassword" errors=errors wide=true>
                    <input id="password-current" data-testid="password-current" type="password" autocomplete="current-password" bind:value=current />
                </Field>
                <Field label=trs("New password") id="password-new" field="newPassword" errors=errors hint=trs("At least 8 characters.")>
                    <input id="password-new" data-testid="password-new" type="password" autocomplete="new-password" bind:value=new />
                </Field>
                <Field label=trs("Repeat the new password") id="password-repeat" field="repeat" errors=errors>
                    <input id="password-repeat" data-testid="password-repeat" type="password" autocomplete="new-password" bind:value=repeat />
                </Field>
            </div>
            <div class="form-actions">
                <button type="submit" class="btn btn-primary" data-testid="password-save" disabled=move || busy.get()>
                    {move || if busy.get() { tr("Saving…") } else { tr("Change password") }}
                </button>
            </div>
        </form>
    }
}

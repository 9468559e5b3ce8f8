//! `/register` (`?token=` prefills the registration token an administrator sent).

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_query_map;
use motovault_shared::dto::SetupRequest;
use motovault_shared::dto::users::{AuthOptions, RegisterRequest};
use motovault_shared::problem::FieldError;
use motovault_shared::validate;

use super::load_options;
use crate::api;
use crate::app::use_auth;
use crate::components::alert::Alert;
use crate::components::field_error::{Field, focus_first_invalid};
use crate::components::icons::LogoIcon;
use crate::i18n::{mark, tr, trs};

#[component]
pub fn RegisterPage() -> impl IntoView {
    let query = use_query_map();
    let token = query.with_untracked(|q| q.get("token")).unwrap_or_default();
    let options = LocalResource::new(load_options);
    move || {
        options
            .get()
            .map(|o| view! { <RegisterForm options=o token=token.clone() /> })
    }
}

#[component]
fn RegisterForm(options: AuthOptions, token: String) -> impl IntoView {
    let auth = use_auth();
    let needs_token = options.registration == "token";
    let closed = options.registration == "off";
    let username = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let email = RwSignal::new(String::new());
    let token = RwSignal::new(token);
    let errors = RwSignal::new(Vec::<FieldError>::new());
    let alert = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let request = RegisterRequest {
            username: username.get_untracked().trim().to_owned(),
            password: password.get_untracked(),
            email: email.get_untracked().trim().to_owned(),
            token: needs_token.then(|| token.get_untracked().trim().to_owned()),
        };
        // The setup rules cover username, password and e-mail format.
        let mut problems = validate::setup(&SetupRequest {
            username: request.username.clone(),
            password: request.password.clone(),
            email: Some(request.email.clone()),
        });
        if request.email.is_empty() {
            problems.push(FieldError::new("email", mark("is required")));
        }
        if request.token.as_deref() == Some("") {
            problems.push(FieldError::new("token", mark("is required")));
        }
        alert.set(None);
        errors.set(problems.clone());
        if !problems.is_empty() {
            focus_first_invalid("[data-testid=register-form]");
            return;
        }
        busy.set(true);
        spawn_local(async move {
            match api::users::register(&request).await {
                Ok(user) => auth.sign_in(user),
                Err(err) => {
                    busy.set(false);
                    errors.set(err.field_errors().to_vec());
                    focus_first_invalid("[data-testid=register-form]");
                    alert.set(Some(err.message()));
                }
            }
        });
    };

    if closed {
        return view! {
            <div class="auth-wrap">
                <section class="auth-card card" data-testid="register-closed">
                    <div class="auth-brand"><LogoIcon /><span>{tr("MotoVaultPro")}</span></div>
                    <h1>{tr("Registration is closed")}</h1>
                    <p class="muted">{tr("Ask an administrator of this MotoVaultPro to create an account for you.")}</p>
                    <a href="/login">{tr("Back to sign in")}</a>
                </section>
            </div>
        }
        .into_any();
    }

    view! {
        <div class="auth-wrap">
            <form class="auth-card card" on:submit=submit novalidate data-testid="register-form">
                <div class="auth-brand"><LogoIcon /><span>{tr("MotoVaultPro")}</span></div>
                <h1>{tr("Create account")}</h1>
                <Alert message=alert />
                {needs_token.then(|| view! {
                    <Field label=trs("Registration token") id="register-token" field="token" errors=errors hint=trs("The code an administrator sent you.")>
                        <input id="register-token" data-testid="register-token" type="text" autocomplete="off" autocapitalize="none" bind:value=token />
                    </Field>
                })}
                <Field label=trs("E-mail") id="register-email" field="email" errors=errors>
                    <input id="register-email" data-testid="register-email" type="email" autocomplete="email" bind:value=email />
                </Field>
                <Field label=trs("Username") id="register-username" field="username" errors=errors>
                    <input id="register-username" data-testid="register-username" type="text" autocomplete="username" autocapitalize="none" bind:value=username />
                </Field>
                <Field label=trs("Password") id="register-password" field="password" errors=errors hint=trs("At least 8 characters.")>
                    <input id="register-password" data-testid="register-password" type="password" autocomplete="new-password" bind:value=password />
                </Field>
                <button type="submit" class="btn btn-primary btn-block" data-testid="register-submit" disabled=move || busy.get()>
                    {move || if busy.get() { tr("Creating account…") } else { tr("Create account") }}
                </button>
                <p class="auth-foot muted">{tr("Already have an account? ")} <a href="/login">{tr("Sign in")}</a></p>
            </form>
        </div>
    }
    .into_any()
}

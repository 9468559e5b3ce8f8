use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_query_map;
use motovault_shared::dto::LoginRequest;
use motovault_shared::dto::users::AuthOptions;
use motovault_shared::problem::{ErrorCode, FieldError};
use motovault_shared::validate;

use super::{load_options, retry_message};
use crate::api;
use crate::app::use_auth;
use crate::components::alert::Alert;
use crate::components::field_error::{Field, focus_first_invalid};
use crate::components::icons::LogoIcon;
use crate::i18n::{tr, tr_fmt, trs};

/// The sentence for `/login?error=<code>`, where a failed OpenID Connect sign-in lands.
fn oidc_error(code: &str) -> String {
    match code {
        "access_denied" => tr("Sign-in was cancelled at the identity provider."),
        "no_account" | "unknown_user" | "not_registered" => {
            tr("No account here matches that identity. Ask an administrator for one.")
        }
        "disabled" | "account_disabled" => tr("This account is disabled."),
        _ => tr_fmt(
            "Single sign-on failed ({code}). Please try again.",
            &[("code", code)],
        ),
    }
}

#[component]
pub fn LoginPage() -> impl IntoView {
    let query = use_query_map();
    let first_alert = query
        .with_untracked(|q| q.get("error"))
        .map(|c| oidc_error(&c));
    let options = LocalResource::new(load_options);
    move || {
        options
            .get()
            .map(|o| view! { <LoginForm options=o first_alert=first_alert.clone() /> })
    }
}

#[component]
fn LoginForm(options: AuthOptions, first_alert: Option<String>) -> impl IntoView {
    let auth = use_auth();
    let username = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let remember = RwSignal::new(false);
    let errors = RwSignal::new(Vec::<FieldError>::new());
    let alert = RwSignal::new(first_alert);
    let busy = RwSignal::new(false);

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let request = LoginRequest {
            username: username.get_untracked().trim().to_owned(),
            password: password.get_untracked(),
            remember_me: remember.get_untracked(),
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
                    let message = match err.code() {
                        Some(ErrorCode::InvalidCredentials) => tr("Wrong username or password."),
                        Some(ErrorCode::RateLimited) => retry_message(&err),
                        _ => err.message(),
                    };
                    alert.set(Some(message));
                }
            }
        });
    };

    let oidc = options.oidc.clone().map(|o| {
        view! {
            <a class="btn btn-secondary btn-block" href=o.login_url rel="external" data-testid="login-oidc">
                {tr_fmt("Sign in with {o}", &[("o", &o.name.to_string())])}
            </a>
        }
    });
    let password_login = options.password_login;
    let reset = options.password_reset;
    let register = options.registration != "off";

    view! {
        <div class="auth-wrap">
            <form class="auth-card card" on:submit=submit novalidate data-testid="login-form">
                <div class="auth-brand"><LogoIcon /><span>{tr("MotoVaultPro")}</span></div>
                <h1>{tr("Sign in")}</h1>
                <p class="muted">{tr("Track fuel, costs and maintenance for every vehicle you own.")}</p>
                <Alert message=alert />
                {oidc}
                <Show when=move || password_login>
                    <Field label=trs("Username") id="login-username" field="username" errors=errors>
                        <input id="login-username" data-testid="login-username" type="text" autocomplete="username" autocapitalize="none" bind:value=username />
                    </Field>
                    <Field label=trs("Password") id="login-password" field="password" errors=errors>
                        <input id="login-password" data-testid="login-password" type="password" autocomplete="current-password" bind:value=password />
                    </Field>
                    <div class="auth-row">
                        <label class="inline-check">
                            <input type="checkbox" data-testid="login-remember" bind:checked=remember />
                            {tr("Remember me")}
                        </label>
                        {reset.then(|| view! { <a href="/forgot-password" data-testid="login-forgot">{tr("Forgot password?")}</a> })}
                    </div>
                    <button type="submit" class="btn btn-primary btn-block" data-testid="login-submit" disabled=move || busy.get()>
                        {move || if busy.get() { tr("Signing in…") } else { tr("Sign in") }}
                    </button>
                </Show>
                {register.then(|| view! {
                    <p class="auth-foot muted">{tr("New here? ")} <a href="/register" data-testid="login-register">{tr("Create account")}</a></p>
                })}
            </form>
        </div>
    }
}

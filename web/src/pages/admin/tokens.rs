//! `/admin/tokens`: single-use registration tokens bound to an e-mail address. A token is shown
//! once, right after it is created (and mailed when asked and SMTP is set up).

use leptos::prelude::*;
use leptos::task::spawn_local;
use motovault_shared::dto::users::{RegistrationToken, RegistrationTokenInput};
use motovault_shared::problem::FieldError;

use super::{AdminNav, SecretBox};
use crate::api;
use crate::api::users::NewToken;
use crate::app::use_auth;
use crate::components::alert::{Alert, Notice};
use crate::components::dialog::ConfirmDialog;
use crate::components::layout::Loading;
use crate::i18n::{mark, tr, tr_fmt, trs};
use crate::pages::records::{Check, FormState, TextInput, optional_integer};
use crate::pages::settings::day;

#[component]
pub fn TokensPage() -> impl IntoView {
    let auth = use_auth();
    let tokens = LocalResource::new(api::users::tokens);
    let created = RwSignal::new(None::<NewToken>);
    let confirm = RwSignal::new(None::<RegistrationToken>);
    let working = RwSignal::new(false);
    let alert = RwSignal::new(None::<String>);
    let notice = RwSignal::new(None::<String>);

    let remove = move |id: i64| {
        working.set(true);
        // A message of an earlier action would read as this one's.
        alert.set(None);
        notice.set(None);
        spawn_local(async move {
            let result = api::write(&auth.csrf(), api::users::delete_token(id)).await;
            working.set(false);
            confirm.set(None);
            match result {
                Ok(()) => notice.set(Some(tr("Token deleted."))),
                Err(err) => alert.set(Some(auth.explain(&err))),
            }
            tokens.refetch();
        });
    };

    let list = move || {
        tokens.with(|state| match state {
            None => view! { <Loading /> }.into_any(),
            Some(Err(err)) => {
                let message = Signal::stored(Some(auth.explain(err)));
                view! { <Alert message /> }.into_any()
            }
            Some(Ok(list)) if list.tokens.is_empty() => {
                view! { <p class="muted card-empty" data-testid="tokens-empty">{tr("No registration tokens.")}</p> }.into_any()
            }
            Some(Ok(list)) => {
                let rows = list
                    .tokens
                    .iter()
                    .map(|t| {
                        let token = t.clone();
                        let status = match t.used_at {
                            Some(at) => tr_fmt("Used {at}", &[("at", &day(Some(at), "").to_string())]),
                            None => tr("Unused"),
                        };
                        view! {
                            <tr data-testid="token-row">
                                <td class="cell-title" data-testid="token-email">{t.email.clone()}</td>
                                <td data-label=trs("Status") data-testid="token-status">{status}</td>
                                <td data-label=trs("Expires")>{day(t.expires_at, trs("Never"))}</td>
                                <td data-label=trs("Created")>{day(Some(t.created_at), "")}</td>
                                <td class="cell-actions">
                                    <button type="button" class="btn btn-ghost btn-sm btn-danger-text" data-testid="token-delete"
                                        on:click=move |_| confirm.set(Some(token.clone()))>{tr("Delete")}</button>
                                </td>
                            </tr>
                        }
                    })
                    .collect_view();
                view! {
                    <div class="table-wrap">
                        <table class="records generic" data-testid="token-table">
                            <thead><tr>
                                <th scope="col">{tr("E-mail")}</th>
                                <th scope="col">{tr("Status")}</th>
                                <th scope="col">{tr("Expires")}</th>
                                <th scope="col">{tr("Created")}</th>
                                <th scope="col"><span class="sr-only">{tr("Actions")}</span></th>
                            </tr></thead>
                            <tbody>{rows}</tbody>
                        </table>
                    </div>
                }
                .into_any()
            }
        })
    };

    view! {
        <div class="page">
            <div class="page-header">
                <div>
                    <h1>{tr("Administration")}</h1>
                    <p class="muted">{tr("A registration token lets one person create an account with the e-mail address it names.")}</p>
                </div>
            </div>
            <AdminNav />
            {move || created.get().map(|t| {
                let link = format!("{}/register?token={}", origin(), t.token);
                let extra = if t.emailed {
                    tr_fmt("It was e-mailed to {email}. Sign-up link: {link}", &[("email", &t.email.to_string()), ("link", &link.to_string())])
                } else {
                    tr_fmt("Give it to {email} with this sign-up link: {link}", &[("email", &t.email.to_string()), ("link", &link.to_string())])
                };
                view! {
                    <SecretBox title=trs("New registration token") secret=t.token extra testid="token-secret"
                        on_done=move |()| created.set(None) />
                }
            })}
            <NewTokenForm on_created=Callback::new(move |t: NewToken| {
                notice.set(None);
                created.set(Some(t));
                tokens.refetch();
            }) />
            <section class="card table-card">
                <div class="card-header"><h2>{tr("Tokens")}</h2></div>
                <div class="section-messages">
                    <Alert message=alert />
                    <Notice message=notice />
                </div>
                {list}
            </section>
            {move || confirm.get().map(|t| view! {
                <ConfirmDialog
                    title=trs("Delete token?")
                    body=tr_fmt("The token for {email} will no longer work.", &[("email", &t.email.to_string())])
                    confirm_label=trs("Delete")
                    busy=working
                    on_confirm=move |()| remove(t.id)
                    on_close=move |()| confirm.set(None)
                />
            })}
        </div>
    }
}

/// `http://host:port` of this page, for the sign-up link.
fn origin() -> String {
    window().location().origin().unwrap_or_default()
}

#[component]
fn NewTokenForm(on_created: Callback<NewToken>) -> impl IntoView {
    let auth = use_auth();
    let form = FormState::new();
    let email = RwSignal::new(String::new());
    let days = RwSignal::new(String::new());
    let send = RwSignal::new(false);

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if form.busy.get_untracked() {
            return;
        }
        let mut problems: Vec<FieldError> = Vec::new();
        let address = email.get_untracked().trim().to_owned();
        if !address.contains('@') {
            problems.push(FieldError::new("email", mark("must be an e-mail address")));
        }
        let expires_in_days =
            optional_integer(&mut problems, "expiresInDays", &days.get_untracked());
        if expires_in_days.is_some_and(|d| d < 1) {
            problems.push(FieldError::new("expiresInDays", mark("must be at least 1")));
        }
        form.alert.set(None);
        form.errors.set(problems.clone());
        if !problems.is_empty() {
            return;
        }
        let input = RegistrationTokenInput {
            email: address,
            send_email: send.get_untracked(),
            expires_in_days,
        };
        form.busy.set(true);
        spawn_local(async move {
            let result = api::users::create_token(&auth.csrf(), &input).await;
            form.busy.set(false);
            match result {
                Ok(t) => {
                    email.set(String::new());
                    days.set(String::new());
                    on_created.run(t);
                }
                Err(err) => {
                    form.errors.set(err.field_errors().to_vec());
                    form.alert.set(Some(auth.explain(&err)));
                }
            }
        });
    };

    view! {
        <form class="card form-card" on:submit=submit novalidate data-testid="token-form">
            <h2>{tr("New registration token")}</h2>
            <Alert message=form.alert />
            <div class="form-grid">
                <TextInput label=trs("E-mail") field="email" form value=email kind="email" />
                <TextInput label=trs("Expires in days (optional)") field="expiresInDays" form value=days mode="numeric" />
                <Check label=trs("Send it by e-mail") text=trs("Needs outgoing e-mail (SMTP) to be set up.") value=send testid="sendEmail-input" />
            </div>
            <div class="form-actions">
                <button type="submit" class="btn btn-primary" data-testid="token-create" disabled=move || form.busy.get()>
                    {move || if form.busy.get() { tr("Creating…") } else { tr("Create token") }}
                </button>
            </div>
        </form>
    }
}

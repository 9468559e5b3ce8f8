//! `/settings/api-keys`: the user's API keys for scripts and apps. A key's secret is shown once,
//! right after it is created.

use chrono::{DateTime, Utc};
use leptos::prelude::*;
use leptos::task::spawn_local;
use motovault_shared::dto::access::{ApiKey, ApiKeyInput, Role};
use motovault_shared::problem::FieldError;

use super::SettingsNav;
use crate::api;
use crate::api::access::NewKey;
use crate::app::use_auth;
use crate::components::alert::{Alert, Notice};
use crate::components::dialog::ConfirmDialog;
use crate::components::layout::Loading;
use crate::format;
use crate::forms;
use crate::i18n::{mark, tr, tr_fmt, trs};
use crate::pages::admin::SecretBox;
use crate::pages::records::{Choice, FormState, TextInput};

pub fn role_label(role: Role) -> &'static str {
    match role {
        Role::Viewer => trs("Viewer"),
        Role::Editor => trs("Editor"),
        Role::Manager => trs("Manager"),
    }
}

/// `(value, label)` options of a role `<select>`.
pub fn role_options() -> Vec<(String, String)> {
    [Role::Viewer, Role::Editor, Role::Manager]
        .into_iter()
        .map(|r| (r.as_str().to_owned(), role_label(r).to_owned()))
        .collect()
}

/// A timestamp as a day (`Jan 5, 2024`), or `fallback` when absent.
pub fn day(at: Option<DateTime<Utc>>, fallback: &str) -> String {
    at.map_or_else(|| fallback.to_owned(), |t| format::date(t.date_naive()))
}

#[component]
pub fn ApiKeysPage() -> impl IntoView {
    let auth = use_auth();
    let keys = LocalResource::new(api::access::api_keys);
    let created = RwSignal::new(None::<NewKey>);
    let confirm = RwSignal::new(None::<ApiKey>);
    let working = RwSignal::new(false);
    let alert = RwSignal::new(None::<String>);
    let notice = RwSignal::new(None::<String>);

    let revoke = move |id: i64| {
        working.set(true);
        // A message of an earlier action would read as this one's.
        alert.set(None);
        notice.set(None);
        spawn_local(async move {
            let result = api::write(&auth.csrf(), api::access::revoke_api_key(id)).await;
            working.set(false);
            confirm.set(None);
            match result {
                Ok(()) => {
                    notice.set(Some(tr("Key revoked.")));
                    keys.refetch();
                }
                Err(err) => alert.set(Some(auth.explain(&err))),
            }
        });
    };

    let list = move || {
        keys.with(|state| match state {
            None => view! { <Loading /> }.into_any(),
            Some(Err(err)) => {
                let message = Signal::stored(Some(auth.explain(err)));
                view! { <Alert message /> }.into_any()
            }
            Some(Ok(list)) if list.keys.is_empty() => {
                view! { <p class="muted card-empty" data-testid="api-keys-empty">{tr("No API keys yet.")}</p> }.into_any()
            }
            Some(Ok(list)) => {
                let rows = list
                    .keys
                    .iter()
                    .map(|k| {
                        let key = k.clone();
                        view! {
                            <tr data-testid="api-key-row">
                                <td class="cell-title" data-testid="api-key-name">{k.name.clone()}</td>
                                <td data-label=trs("Role")><span class="badge badge-muted">{role_label(k.role)}</span></td>
                                <td data-label=trs("Expires")>{day(k.expires_at, trs("Never"))}</td>
                                <td data-label=trs("Last used")>{day(k.last_used_at, trs("Never"))}</td>
                                <td data-label=trs("Created")>{day(Some(k.created_at), "")}</td>
                                <td class="cell-actions">
                                    <button type="button" class="btn btn-ghost btn-sm btn-danger-text" data-testid="api-key-revoke"
                                        on:click=move |_| confirm.set(Some(key.clone()))>{tr("Revoke")}</button>
                                </td>
                            </tr>
                        }
                    })
                    .collect_view();
                view! {
                    <div class="table-wrap">
                        <table class="records generic" data-testid="api-key-table">
                            <thead><tr>
                                <th scope="col">{tr("Name")}</th>
                                <th scope="col">{tr("Role")}</th>
                                <th scope="col">{tr("Expires")}</th>
                                <th scope="col">{tr("Last used")}</th>
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

    let on_created = Callback::new(move |key: NewKey| {
        notice.set(None);
        created.set(Some(key));
        keys.refetch();
    });

    view! {
        <div class="page page-narrow">
            <div class="page-header">
                <div>
                    <h1>{tr("Settings")}</h1>
                    <p class="muted">{tr("API keys let scripts and apps use MotoVaultPro as you, with the role you choose.")}</p>
                </div>
            </div>
            <SettingsNav />
            {move || created.get().map(|k| view! {
                <SecretBox
                    title=tr_fmt("Your new key “{k}”", &[("k", &k.name.to_string())])
                    secret=k.secret
                    extra=trs("Send it as “Authorization: Bearer <key>” or “x-api-key: <key>”.")
                    testid="api-key-secret"
                    on_done=move |()| created.set(None)
                />
            })}
            <NewKeyForm on_created />
            <section class="card table-card">
                <div class="card-header"><h2>{tr("Your keys")}</h2></div>
                <div class="section-messages">
                    <Alert message=alert />
                    <Notice message=notice />
                </div>
                {list}
            </section>
            {move || confirm.get().map(|k| view! {
                <ConfirmDialog
                    title=trs("Revoke API key?")
                    body=tr_fmt("Scripts using “{k}” stop working at once.", &[("k", &k.name.to_string())])
                    confirm_label=trs("Revoke")
                    busy=working
                    on_confirm=move |()| revoke(k.id)
                    on_close=move |()| confirm.set(None)
                />
            })}
        </div>
    }
}

#[component]
fn NewKeyForm(on_created: Callback<NewKey>) -> impl IntoView {
    let auth = use_auth();
    let form = FormState::new();
    let name = RwSignal::new(String::new());
    let role = RwSignal::new("viewer".to_owned());
    let expires = RwSignal::new(String::new());

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if form.busy.get_untracked() {
            return;
        }
        let mut problems: Vec<FieldError> = Vec::new();
        let text = name.get_untracked().trim().to_owned();
        if text.is_empty() {
            problems.push(FieldError::new("name", mark("is required")));
        }
        // The key stops working at the end of the chosen day (UTC).
        let expires_at = forms::optional_date(&mut problems, "expiresAt", &expires.get_untracked())
            .and_then(|d| d.and_hms_opt(23, 59, 59))
            .map(|t| t.and_utc());
        let input = ApiKeyInput {
            name: text,
            role: Role::parse(&role.get_untracked()).unwrap_or(Role::Viewer),
            expires_at,
        };
        form.alert.set(None);
        form.errors.set(problems.clone());
        if !problems.is_empty() {
            return;
        }
        form.busy.set(true);
        spawn_local(async move {
            let result = api::access::create_api_key(&auth.csrf(), &input).await;
            form.busy.set(false);
            match result {
                Ok(key) => {
                    name.set(String::new());
                    expires.set(String::new());
                    on_created.run(key);
                }
                Err(err) => {
                    form.errors.set(err.field_errors().to_vec());
                    form.alert.set(Some(auth.explain(&err)));
                }
            }
        });
    };

    view! {
        <form class="card form-card" on:submit=submit novalidate data-testid="api-key-form">
            <h2>{tr("New API key")}</h2>
            <Alert message=form.alert />
            <div class="form-grid">
                <TextInput label=trs("Name") field="name" form value=name hint=trs("What uses it, e.g. “Home Assistant”.") />
                <Choice label=trs("Role") field="role" form value=role options=role_options() />
                <TextInput label=trs("Expires (optional)") field="expiresAt" form value=expires kind="date" />
            </div>
            <div class="form-actions">
                <button type="submit" class="btn btn-primary" data-testid="api-key-create" disabled=move || form.busy.get()>
                    {move || if form.busy.get() { tr("Creating…") } else { tr("Create key") }}
                </button>
            </div>
        </form>
    }
}

//! `/admin`: every account — create, disable or enable, grant or revoke admin, set or revoke
//! a password, delete.

use leptos::prelude::*;
use leptos::task::spawn_local;
use motovault_shared::dto::users::{AdminPasswordInput, NewUserInput, UserSummary, UserUpdate};
use motovault_shared::problem::FieldError;
use motovault_shared::validate;

use super::AdminNav;
use crate::api;
use crate::app::use_auth;
use crate::components::alert::{Alert, Notice};
use crate::components::dialog::{ConfirmDialog, Dialog};
use crate::components::layout::Loading;
use crate::forms;
use crate::i18n::{tr, tr_fmt, trs};
use crate::pages::records::{Check, FormState, TextInput};
use crate::pages::settings::day;

#[component]
pub fn UsersPage() -> impl IntoView {
    let auth = use_auth();
    let users = LocalResource::new(api::users::list);
    let adding = RwSignal::new(false);
    let deleting = RwSignal::new(None::<UserSummary>);
    let password_for = RwSignal::new(None::<UserSummary>);
    let working = RwSignal::new(false);
    let alert = RwSignal::new(None::<String>);
    let notice = RwSignal::new(None::<String>);
    let me = auth.user().map(|u| u.id);

    let act = move |write: api::Write, done: String| {
        working.set(true);
        alert.set(None);
        notice.set(None);
        spawn_local(async move {
            let result = api::write(&auth.csrf(), write).await;
            working.set(false);
            deleting.set(None);
            match result {
                Ok(()) => notice.set(Some(done)),
                Err(err) => alert.set(Some(auth.explain(&err))),
            }
            users.refetch();
        });
    };

    let rows = move || {
        users.with(|state| match state {
            None => view! { <Loading /> }.into_any(),
            Some(Err(err)) => {
                let message = Signal::stored(Some(auth.explain(err)));
                view! { <Alert message /> }.into_any()
            }
            Some(Ok(list)) => {
                let rows = list
                    .users
                    .iter()
                    .map(|u| user_row(u.clone(), me == Some(u.id), act, deleting, password_for))
                    .collect_view();
                view! {
                    <div class="table-wrap">
                        <table class="records generic" data-testid="user-table">
                            <thead><tr>
                                <th scope="col">{tr("User")}</th>
                                <th scope="col">{tr("E-mail")}</th>
                                <th scope="col">{tr("Status")}</th>
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
                    <p class="muted">{tr("Accounts of this MotoVaultPro.")}</p>
                </div>
                <button type="button" class="btn btn-primary" data-testid="user-add" on:click=move |_| adding.set(true)>{tr("Add user")}</button>
            </div>
            <AdminNav />
            <div class="section-messages">
                <Alert message=alert />
                <Notice message=notice />
            </div>
            <section class="card table-card">{rows}</section>
            <super::BackupSection />
            <Show when=move || adding.get()>
                <NewUserDialog
                    on_close=move || adding.set(false)
                    on_created=Callback::new(move |name: String| {
                        adding.set(false);
                        notice.set(Some(tr_fmt("{name} can sign in now.", &[("name", &name.to_string())])));
                        users.refetch();
                    })
                />
            </Show>
            {move || password_for.get().map(|u| view! {
                <PasswordDialog user=u on_close=move || password_for.set(None)
                    on_done=Callback::new(move |text: String| {
                        password_for.set(None);
                        notice.set(Some(text));
                        users.refetch();
                    }) />
            })}
            {move || deleting.get().map(|u| {
                let (id, name) = (u.id, u.username.clone());
                view! {
                    <ConfirmDialog
                        title=trs("Delete user?")
                        body=tr_fmt("{name}'s account is deleted permanently; vehicles only they own are deleted with it.", &[("name", &name.to_string())])
                        confirm_label=trs("Delete user")
                        busy=working
                        on_confirm=move |()| act(api::users::delete(id), tr_fmt("{name} was deleted.", &[("name", &name.to_string())]))
                        on_close=move |()| deleting.set(None)
                    />
                }
            })}
        </div>
    }
}

fn user_row(
    u: UserSummary,
    is_me: bool,
    act: impl Fn(api::Write, String) + Copy + Send + Sync + 'static,
    deleting: RwSignal<Option<UserSummary>>,
    password_for: RwSignal<Option<UserSummary>>,
) -> impl IntoView {
    let id = u.id;
    let name = u.username.clone();
    let mut badges = Vec::new();
    if u.is_root {
        badges.push(("badge badge-info", trs("Root")));
    } else if u.is_admin {
        badges.push(("badge badge-info", trs("Admin")));
    }
    if u.is_disabled {
        badges.push(("badge badge-warn", trs("Disabled")));
    }
    if !u.has_password {
        badges.push(("badge badge-muted", trs("No password")));
    }
    let badges = badges
        .into_iter()
        .map(|(class, text)| view! { <span class=class>{text}</span> })
        .collect_view();
    // Root cannot be changed here, and nobody locks themselves out.
    let actions = (!u.is_root && !is_me).then(|| {
        let (disabled, admin) = (u.is_disabled, u.is_admin);
        let toggle = {
            let name = name.clone();
            move |_| {
                let update = UserUpdate {
                    is_disabled: Some(!disabled),
                    ..UserUpdate::default()
                };
                let done = if disabled { tr("enabled") } else { tr("disabled") };
                act(api::users::update(id, &update), tr_fmt("{name} was {done}.", &[("name", &name.to_string()), ("done", &done.to_string())]));
            }
        };
        let grant = {
            let name = name.clone();
            move |_| {
                let update = UserUpdate {
                    is_admin: Some(!admin),
                    ..UserUpdate::default()
                };
                let done = if admin {
                    tr("is no longer an administrator")
                } else {
                    tr("is now an administrator")
                };
                act(api::users::update(id, &update), format!("{name} {done}."));
            }
        };
        let for_password = u.clone();
        let for_delete = u.clone();
        view! {
            <button type="button" class="btn btn-ghost btn-sm" data-testid="user-toggle-disabled" on:click=toggle>
                {if disabled { tr("Enable") } else { tr("Disable") }}
            </button>
            <button type="button" class="btn btn-ghost btn-sm" data-testid="user-toggle-admin" on:click=grant>
                {if admin { tr("Revoke admin") } else { tr("Make admin") }}
            </button>
            <button type="button" class="btn btn-ghost btn-sm" data-testid="user-password"
                on:click=move |_| password_for.set(Some(for_password.clone()))>{tr("Password")}</button>
            <button type="button" class="btn btn-ghost btn-sm btn-danger-text" data-testid="user-delete"
                on:click=move |_| deleting.set(Some(for_delete.clone()))>{tr("Delete")}</button>
        }
    });
    view! {
        <tr data-testid="user-row" data-username=name.clone()>
            <td class="cell-title" data-testid="user-name">{name.clone()}</td>
            <td data-label=trs("E-mail")>{u.email.clone().unwrap_or_default()}</td>
            <td data-label=trs("Status")><div class="flags" data-testid="user-badges">{badges}</div></td>
            <td data-label=trs("Created")>{day(Some(u.created_at), "")}</td>
            <td class="cell-actions">{actions}</td>
        </tr>
    }
}

#[component]
fn NewUserDialog(
    #[prop(into)] on_close: Callback<()>,
    on_created: Callback<String>,
) -> impl IntoView {
    let auth = use_auth();
    let form = FormState::new();
    let username = RwSignal::new(String::new());
    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let admin = RwSignal::new(false);

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if form.busy.get_untracked() {
            return;
        }
        let input = NewUserInput {
            username: username.get_untracked().trim().to_owned(),
            email: forms::non_blank(&email.get_untracked()),
            password: Some(password.get_untracked()).filter(|p| !p.is_empty()),
            is_admin: admin.get_untracked(),
        };
        let mut problems = Vec::new();
        validate::username(&mut problems, &input.username);
        if let Some(p) = &input.password {
            validate::password(&mut problems, p);
        }
        form.alert.set(None);
        form.errors.set(problems.clone());
        if !problems.is_empty() {
            return;
        }
        form.busy.set(true);
        spawn_local(async move {
            let name = input.username.clone();
            let result = api::write(&auth.csrf(), api::users::create(&input)).await;
            form.busy.set(false);
            match result {
                Ok(()) => on_created.run(name),
                Err(err) => {
                    form.errors.set(err.field_errors().to_vec());
                    form.alert.set(Some(auth.explain(&err)));
                }
            }
        });
    };

    view! {
        <Dialog title=trs("Add user") on_close testid="user-dialog">
            <form on:submit=submit novalidate data-testid="user-form">
                <Alert message=form.alert />
                <div class="form-grid">
                    <TextInput label=trs("Username") field="username" form value=username />
                    <TextInput label=trs("E-mail (optional)") field="email" form value=email />
                    <TextInput label=trs("Password (optional)") field="password" form value=password kind="password"
                        hint=trs("Leave empty to let them choose one through a reset link.") wide=true />
                    <Check label=trs("Administrator") text=trs("May manage users, tokens and extra fields.") value=admin testid="isAdmin-input" />
                </div>
                <div class="form-actions">
                    <button type="button" class="btn btn-secondary" on:click=move |_| on_close.run(())>{tr("Cancel")}</button>
                    <button type="submit" class="btn btn-primary" data-testid="user-save" disabled=move || form.busy.get()>
                        {move || if form.busy.get() { tr("Adding…") } else { tr("Add user") }}
                    </button>
                </div>
            </form>
        </Dialog>
    }
}

/// Sets a new password, or revokes it (the server e-mails a reset link when it can).
#[component]
fn PasswordDialog(
    user: UserSummary,
    #[prop(into)] on_close: Callback<()>,
    on_done: Callback<String>,
) -> impl IntoView {
    let auth = use_auth();
    let form = FormState::new();
    let password = RwSignal::new(String::new());
    let id = user.id;
    let name = user.username.clone();

    let send = move |new_password: Option<String>| {
        if form.busy.get_untracked() {
            return;
        }
        let mut problems: Vec<FieldError> = Vec::new();
        if let Some(p) = &new_password {
            validate::password(&mut problems, p);
        }
        form.alert.set(None);
        form.errors.set(problems.clone());
        if !problems.is_empty() {
            return;
        }
        let set = new_password.is_some();
        let name = name.clone();
        form.busy.set(true);
        spawn_local(async move {
            let input = AdminPasswordInput { new_password };
            let result = api::users::set_password(&auth.csrf(), id, &input).await;
            form.busy.set(false);
            match result {
                Ok(answer) => on_done.run(match (set, answer.emailed) {
                    (true, _) => tr_fmt(
                        "{name}'s password was changed.",
                        &[("name", &name.to_string())],
                    ),
                    (false, true) => tr_fmt(
                        "{name}'s password was revoked; a reset link was e-mailed.",
                        &[("name", &name.to_string())],
                    ),
                    (false, false) => tr_fmt(
                        "{name}'s password was revoked.",
                        &[("name", &name.to_string())],
                    ),
                }),
                Err(err) => {
                    form.errors.set(err.field_errors().to_vec());
                    form.alert.set(Some(auth.explain(&err)));
                }
            }
        });
    };
    let send_new = send.clone();

    view! {
        <Dialog title=tr_fmt("Password of {username}", &[("username", &user.username.to_string())]) on_close testid="password-dialog">
            <form novalidate data-testid="admin-password-form" on:submit=move |ev| {
                ev.prevent_default();
                send_new(Some(password.get_untracked()));
            }>
                <Alert message=form.alert />
                <div class="form-grid">
                    <TextInput label=trs("New password") field="newPassword" form value=password kind="password" wide=true />
                </div>
                <div class="form-actions">
                    <button type="button" class="btn btn-danger" data-testid="password-revoke" disabled=move || form.busy.get()
                        on:click=move |_| send(None)>{tr("Revoke password")}</button>
                    <button type="submit" class="btn btn-primary" data-testid="password-set" disabled=move || form.busy.get()>{tr("Set password")}</button>
                </div>
                <p class="muted">{tr("Revoking ends password sign-in; the user gets a reset link by e-mail when they have an address.")}</p>
            </form>
        </Dialog>
    }
}

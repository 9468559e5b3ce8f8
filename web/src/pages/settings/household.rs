//! `/settings/household`: the members who inherit this user's vehicles (with a role each), and
//! the households this user belongs to (which they may leave).

use leptos::prelude::*;
use leptos::task::spawn_local;
use motovault_shared::dto::access::{
    Household, HouseholdMember, HouseholdMemberInput, HouseholdRoleInput, Role,
};
use motovault_shared::problem::FieldError;

use super::SettingsNav;
use super::api_keys::{role_label, role_options};
use crate::api;
use crate::app::use_auth;
use crate::components::alert::{Alert, Notice};
use crate::components::dialog::ConfirmDialog;
use crate::components::layout::Loading;
use crate::i18n::{mark, tr, tr_fmt, trs};
use crate::pages::records::{Choice, FormState, TextInput};

/// A removal waiting for confirmation: a member of mine, or a household I leave.
#[derive(Debug, Clone, PartialEq)]
enum Pending {
    Remove(HouseholdMember),
    Leave(HouseholdMember),
}

#[component]
pub fn HouseholdPage() -> impl IntoView {
    let auth = use_auth();
    let household = LocalResource::new(api::access::household);
    let confirm = RwSignal::new(None::<Pending>);
    let working = RwSignal::new(false);
    let alert = RwSignal::new(None::<String>);
    let notice = RwSignal::new(None::<String>);

    let act = move |write: api::Write, done: &'static str| {
        working.set(true);
        alert.set(None);
        notice.set(None);
        spawn_local(async move {
            let result = api::write(&auth.csrf(), write).await;
            working.set(false);
            confirm.set(None);
            match result {
                Ok(()) => notice.set(Some(done.to_owned())),
                Err(err) => alert.set(Some(auth.explain(&err))),
            }
            household.refetch();
        });
    };

    let content = move || {
        household.with(|state| match state {
            None => view! { <Loading /> }.into_any(),
            Some(Err(err)) => {
                let message = Signal::stored(Some(auth.explain(err)));
                view! { <Alert message /> }.into_any()
            }
            Some(Ok(h)) => view! { <HouseholdView household=h.clone() confirm act /> }.into_any(),
        })
    };

    view! {
        <div class="page page-narrow">
            <div class="page-header">
                <div>
                    <h1>{tr("Settings")}</h1>
                    <p class="muted">{tr("Members of your household see your vehicles with the role you give them.")}</p>
                </div>
            </div>
            <SettingsNav />
            <div class="section-messages">
                <Alert message=alert />
                <Notice message=notice />
            </div>
            <AddMemberForm on_added=Callback::new(move |()| {
                notice.set(Some(tr("Member added.")));
                household.refetch();
            }) />
            {content}
            {move || confirm.get().map(|pending| {
                let (title, body, label, write, done) = match pending {
                    Pending::Remove(m) => (
                        trs("Remove member?"),
                        tr_fmt("{username} will no longer see your vehicles.", &[("username", &m.username.to_string())]),
                        trs("Remove"),
                        api::access::remove_member(m.user_id),
                        trs("Member removed."),
                    ),
                    Pending::Leave(m) => (
                        trs("Leave household?"),
                        tr_fmt("You will no longer see {username}'s vehicles.", &[("username", &m.username.to_string())]),
                        trs("Leave"),
                        api::access::leave(m.user_id),
                        trs("You left the household."),
                    ),
                };
                // A `Write` is sent once; the dialog's button may be pressed once too.
                let write = StoredValue::new_local(Some(write));
                view! {
                    <ConfirmDialog
                        title
                        body
                        confirm_label=label
                        busy=working
                        on_confirm=move |()| {
                            if let Some(w) = write.try_update_value(Option::take).flatten() {
                                act(w, done);
                            }
                        }
                        on_close=move |()| confirm.set(None)
                    />
                }
            })}
        </div>
    }
}

#[component]
fn HouseholdView(
    household: Household,
    confirm: RwSignal<Option<Pending>>,
    act: impl Fn(api::Write, &'static str) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let no_members = household.members.is_empty();
    let no_heads = household.heads.is_empty();
    let members = household
        .members
        .into_iter()
        .map(|m| {
            let id = m.user_id;
            let current = m.role;
            let options = [Role::Viewer, Role::Editor, Role::Manager]
                .into_iter()
                .map(|r| view! { <option value=r.as_str() selected=r == current>{role_label(r)}</option> })
                .collect_view();
            let member = m.clone();
            view! {
                <tr data-testid="member-row">
                    <td class="cell-title" data-testid="member-name">{m.username.clone()}</td>
                    <td data-label=trs("Role")>
                        <select aria-label=tr_fmt("Role of {username}", &[("username", &m.username.to_string())]) data-testid="member-role"
                            on:change=move |ev| {
                                if let Some(role) = Role::parse(&event_target_value(&ev)) {
                                    act(api::access::set_member_role(id, &HouseholdRoleInput { role }), trs("Role changed."));
                                }
                            }>
                            {options}
                        </select>
                    </td>
                    <td class="cell-actions">
                        <button type="button" class="btn btn-ghost btn-sm btn-danger-text" data-testid="member-remove"
                            on:click=move |_| confirm.set(Some(Pending::Remove(member.clone())))>{tr("Remove")}</button>
                    </td>
                </tr>
            }
        })
        .collect_view();
    let heads = household
        .heads
        .into_iter()
        .map(|h| {
            let head = h.clone();
            view! {
                <tr data-testid="head-row">
                    <td class="cell-title" data-testid="head-name">{h.username.clone()}</td>
                    <td data-label=trs("My role")><span class="badge badge-muted">{role_label(h.role)}</span></td>
                    <td class="cell-actions">
                        <button type="button" class="btn btn-ghost btn-sm btn-danger-text" data-testid="head-leave"
                            on:click=move |_| confirm.set(Some(Pending::Leave(head.clone())))>{tr("Leave")}</button>
                    </td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <section class="card table-card">
            <div class="card-header"><h2>{tr("My household")}</h2></div>
            {no_members.then(|| view! { <p class="muted card-empty" data-testid="members-empty">{tr("Nobody yet: add someone above to share your vehicles.")}</p> })}
            <div class="table-wrap" class:hidden=no_members>
                <table class="records generic" data-testid="member-table">
                    <thead><tr>
                        <th scope="col">{tr("Member")}</th>
                        <th scope="col">{tr("Role")}</th>
                        <th scope="col"><span class="sr-only">{tr("Actions")}</span></th>
                    </tr></thead>
                    <tbody>{members}</tbody>
                </table>
            </div>
        </section>
        <section class="card table-card">
            <div class="card-header">
                <h2>{tr("Households I belong to")}</h2>
            </div>
            {no_heads.then(|| view! { <p class="muted card-empty" data-testid="heads-empty">{tr("None.")}</p> })}
            <div class="table-wrap" class:hidden=no_heads>
                <table class="records generic" data-testid="head-table">
                    <thead><tr>
                        <th scope="col">{tr("Head")}</th>
                        <th scope="col">{tr("My role")}</th>
                        <th scope="col"><span class="sr-only">{tr("Actions")}</span></th>
                    </tr></thead>
                    <tbody>{heads}</tbody>
                </table>
            </div>
        </section>
    }
}

#[component]
fn AddMemberForm(on_added: Callback<()>) -> impl IntoView {
    let auth = use_auth();
    let form = FormState::new();
    let username = RwSignal::new(String::new());
    let role = RwSignal::new("viewer".to_owned());

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if form.busy.get_untracked() {
            return;
        }
        let input = HouseholdMemberInput {
            username: username.get_untracked().trim().to_owned(),
            role: Role::parse(&role.get_untracked()).unwrap_or(Role::Viewer),
        };
        form.alert.set(None);
        if input.username.is_empty() {
            form.errors
                .set(vec![FieldError::new("username", mark("is required"))]);
            return;
        }
        form.errors.set(Vec::new());
        form.busy.set(true);
        spawn_local(async move {
            let result = api::write(&auth.csrf(), api::access::add_member(&input)).await;
            form.busy.set(false);
            match result {
                Ok(()) => {
                    username.set(String::new());
                    on_added.run(());
                }
                Err(err) => {
                    form.errors.set(err.field_errors().to_vec());
                    let message = if err.is_not_found() {
                        tr("There is no user with that name.")
                    } else {
                        auth.explain(&err)
                    };
                    form.alert.set(Some(message));
                }
            }
        });
    };

    view! {
        <form class="card form-card" on:submit=submit novalidate data-testid="member-form">
            <h2>{tr("Add a member")}</h2>
            <Alert message=form.alert />
            <div class="form-grid">
                <TextInput label=trs("Username") field="username" form value=username />
                <Choice label=trs("Role") field="role" form value=role options=role_options() />
            </div>
            <div class="form-actions">
                <button type="submit" class="btn btn-primary" data-testid="member-add" disabled=move || form.busy.get()>
                    {move || if form.busy.get() { tr("Adding…") } else { tr("Add member") }}
                </button>
            </div>
        </form>
    }
}

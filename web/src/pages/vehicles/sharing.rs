//! The "Sharing" panel of the vehicle edit page: the users who co-own the vehicle. Anyone who
//! sees the vehicle sees the list; only its owners may change it (the server decides).

use leptos::prelude::*;
use leptos::task::spawn_local;
use motovault_shared::dto::access::{Collaborator, CollaboratorInput};
use motovault_shared::problem::FieldError;

use crate::api;
use crate::app::use_auth;
use crate::components::alert::{Alert, Notice};
use crate::components::dialog::ConfirmDialog;
use crate::components::layout::Loading;
use crate::i18n::{mark, tr, tr_fmt, trs};
use crate::pages::records::{FormState, TextInput};

#[component]
pub fn SharingPanel(vehicle_id: i64) -> impl IntoView {
    let auth = use_auth();
    let list = LocalResource::new(move || api::access::collaborators(vehicle_id));
    let confirm = RwSignal::new(None::<Collaborator>);
    let working = RwSignal::new(false);
    let alert = RwSignal::new(None::<String>);
    let notice = RwSignal::new(None::<String>);
    let me = auth.user().map(|u| u.id);
    let form = FormState::new();
    let username = RwSignal::new(String::new());

    let remove = move |c: Collaborator| {
        working.set(true);
        alert.set(None);
        notice.set(None);
        spawn_local(async move {
            let result = api::write(
                &auth.csrf(),
                api::access::remove_collaborator(vehicle_id, c.user_id),
            )
            .await;
            working.set(false);
            confirm.set(None);
            match result {
                Ok(()) => notice.set(Some(tr_fmt(
                    "{username} no longer shares this vehicle.",
                    &[("username", &c.username.to_string())],
                ))),
                Err(err) => alert.set(Some(auth.explain(&err))),
            }
            list.refetch();
        });
    };

    let add = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if form.busy.get_untracked() {
            return;
        }
        let input = CollaboratorInput {
            username: username.get_untracked().trim().to_owned(),
        };
        form.alert.set(None);
        notice.set(None);
        if input.username.is_empty() {
            form.errors
                .set(vec![FieldError::new("username", mark("is required"))]);
            return;
        }
        form.errors.set(Vec::new());
        form.busy.set(true);
        spawn_local(async move {
            let result = api::write(
                &auth.csrf(),
                api::access::add_collaborator(vehicle_id, &input),
            )
            .await;
            form.busy.set(false);
            match result {
                Ok(()) => {
                    username.set(String::new());
                    notice.set(Some(tr_fmt(
                        "{username} now shares this vehicle.",
                        &[("username", &input.username.to_string())],
                    )));
                    list.refetch();
                }
                Err(err) => {
                    form.errors.set(err.field_errors().to_vec());
                    form.alert.set(Some(
                        if err.field_errors().is_empty() && err.is_not_found() {
                            tr("There is no user with that name.")
                        } else {
                            auth.explain(&err)
                        },
                    ));
                }
            }
        });
    };

    let rows = move || {
        list.with(|state| match state {
            None => view! { <Loading /> }.into_any(),
            Some(Err(err)) => {
                let message = Signal::stored(Some(auth.explain(err)));
                view! { <Alert message /> }.into_any()
            }
            Some(Ok(list)) => list
                .collaborators
                .iter()
                .map(|c| {
                    let person = c.clone();
                    let you = me == Some(c.user_id);
                    view! {
                        <li class="share-row" data-testid="collaborator-row">
                            <span class="avatar" aria-hidden="true">{c.username.chars().next().map(|ch| ch.to_ascii_uppercase().to_string())}</span>
                            <span class="share-name" data-testid="collaborator-name">{c.username.clone()}</span>
                            {you.then(|| view! { <span class="badge badge-muted">{tr("You")}</span> })}
                            <button type="button" class="btn btn-ghost btn-sm btn-danger-text" data-testid="collaborator-remove"
                                on:click=move |_| confirm.set(Some(person.clone()))>{tr("Remove")}</button>
                        </li>
                    }
                })
                .collect_view()
                .into_any(),
        })
    };

    view! {
        <section class="card form-card sharing" data-testid="sharing-panel">
            <div>
                <h2>{tr("Sharing")}</h2>
                <p class="muted">{tr("Co-owners see and edit this vehicle as you do, and may share it further.")}</p>
            </div>
            <Alert message=alert />
            <Notice message=notice />
            <ul class="share-list">{rows}</ul>
            <form class="share-add" on:submit=add novalidate data-testid="collaborator-form">
                <Alert message=form.alert />
                <TextInput label=trs("Add by username") field="username" form value=username />
                <button type="submit" class="btn btn-secondary" data-testid="collaborator-add" disabled=move || form.busy.get()>{tr("Add")}</button>
            </form>
            {move || confirm.get().map(|c| {
                let body = tr_fmt("{username} will no longer see this vehicle (unless through a household).", &[("username", &c.username.to_string())]);
                view! {
                    <ConfirmDialog
                        title=trs("Remove co-owner?")
                        body
                        confirm_label=trs("Remove")
                        busy=working
                        on_confirm=move |()| remove(c.clone())
                        on_close=move |()| confirm.set(None)
                    />
                }
            })}
        </section>
    }
}

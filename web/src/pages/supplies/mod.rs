//! The Supplies tab: the vehicle's supplies (value in stock, unit cost, usage history) and,
//! below, the shop's supplies, which only administrators may change.
//!
//! Built from the record tabs' widgets ([`FormDialog`], [`TextInput`], [`Stats`], the
//! `.records` table that becomes cards on a phone).

use leptos::prelude::*;
use leptos::task::spawn_local;
use motovault_shared::Amount;
use motovault_shared::amount::SCALE;
use motovault_shared::dto::supplies::{self as dto, Supply, SupplyInput, SupplyList};
use motovault_shared::problem::FieldError;
use motovault_shared::validate;

use crate::api::{self, ApiError};
use crate::app::{Auth, use_auth};
use crate::components::alert::{Alert, Notice};
use crate::components::csv_import::CsvTools;
use crate::components::dialog::ConfirmDialog;
use crate::components::field_error::focus_first_invalid;
use crate::components::filter::FilterBox;
use crate::components::icons::PlusIcon;
use crate::components::layout::{EmptyState, Loading};
use crate::i18n::{tr, tr_fmt, trs};
use crate::pages::records::{
    FormDialog, FormSpec, FormState, Stats, TextArea, TextInput, checked, stat, tag_list,
};
use crate::{format, forms};

#[component]
pub fn SuppliesTab(vehicle_id: i64) -> impl IntoView {
    // A deep link `?record=ID` (e.g. from a sticker) scrolls to that row once it is shown.
    crate::pages::stickers::follow();
    // Whether the signed-in user may change the shop's supplies.
    let me = LocalResource::new(api::auth::me);
    let admin =
        Signal::derive(move || me.with(|m| matches!(m, Some(Ok(u)) if u.is_admin || u.is_root)));
    view! {
        <div class="fuel-tab record-tab supplies-tab">
            <SupplySection scope=Some(vehicle_id) editable=Signal::stored(true) />
            <SupplySection scope=None editable=admin />
        </div>
    }
}

/// A section's messages, pending question and reload.
#[derive(Clone, Copy)]
struct Ctx {
    auth: Auth,
    scope: Option<i64>,
    alert: RwSignal<Option<String>>,
    notice: RwSignal<Option<String>>,
    /// `Some(None)`: adding; `Some(Some(s))`: editing `s`.
    editor: RwSignal<Option<Option<Supply>>>,
    /// The supply to delete, once asked.
    confirm: RwSignal<Option<Supply>>,
    working: RwSignal<bool>,
    reload: Callback<()>,
}

/// The message for a failed call: the server's field messages when it sent some (a 422 about
/// something the form does not show, e.g. "Insufficient supplies: 3 in stock").
pub fn problem_text(auth: Auth, err: &ApiError) -> String {
    let fields = err.field_errors();
    if fields.is_empty() {
        auth.explain(err)
    } else {
        fields
            .iter()
            .map(|e| e.message.as_str())
            .collect::<Vec<_>>()
            .join("; ")
    }
}

/// Shows the problems of `built`, or sends it and runs `on_saved` on success (showing the
/// server's field errors otherwise).
pub fn save(
    auth: Auth,
    form: FormState,
    built: Result<api::Write, Vec<FieldError>>,
    on_saved: Callback<()>,
) {
    if form.busy.get_untracked() {
        return;
    }
    form.alert.set(None);
    let write = match built {
        Ok(write) => write,
        Err(problems) => {
            form.errors.set(problems);
            focus_first_invalid("[data-testid=record-form]");
            return;
        }
    };
    form.errors.set(Vec::new());
    form.busy.set(true);
    let csrf = auth.csrf();
    spawn_local(async move {
        let result = api::write(&csrf, write).await;
        form.busy.set(false);
        match result {
            Ok(()) => on_saved.run(()),
            Err(err) => {
                form.errors.set(err.field_errors().to_vec());
                focus_first_invalid("[data-testid=record-form]");
                form.alert.set(Some(auth.explain(&err)));
            }
        }
    });
}

/// Runs a write from a button (delete, use a template…), then reloads and says `done`.
pub fn act(
    auth: Auth,
    working: RwSignal<bool>,
    alert: RwSignal<Option<String>>,
    notice: RwSignal<Option<String>>,
    write: api::Write,
    done: &'static str,
    after: Callback<()>,
) {
    if working.get_untracked() {
        return;
    }
    alert.set(None);
    notice.set(None);
    working.set(true);
    let csrf = auth.csrf();
    spawn_local(async move {
        let result = api::write(&csrf, write).await;
        working.set(false);
        match result {
            Ok(()) => notice.set(Some(done.to_owned())),
            Err(err) => alert.set(Some(problem_text(auth, &err))),
        }
        after.run(());
    });
}

/// Value ÷ quantity, rounded to the cent; a dash without a quantity.
pub fn unit_cost(cost: Amount, quantity: Amount) -> String {
    let quantity = i128::from(quantity.scaled());
    if quantity <= 0 {
        return "—".to_owned();
    }
    let scaled = i128::from(cost.scaled()) * i128::from(SCALE);
    let half = quantity / 2;
    let rounded = if scaled < 0 {
        scaled - half
    } else {
        scaled + half
    } / quantity;
    let rounded = i64::try_from(rounded).unwrap_or(i64::MAX);
    format::money(Amount::from_scaled(rounded))
}

#[component]
fn SupplySection(scope: Option<i64>, editable: Signal<bool>) -> impl IntoView {
    // Shop supplies (no vehicle) are not on the change stream; a vehicle's are.
    let live = crate::live::watch(move || scope);
    let list = LocalResource::new(move || {
        if scope.is_some() {
            live.track();
        }
        api::supplies::list(scope)
    });
    let ctx = Ctx {
        auth: use_auth(),
        scope,
        alert: RwSignal::new(None),
        notice: RwSignal::new(None),
        editor: RwSignal::new(None),
        confirm: RwSignal::new(None),
        working: RwSignal::new(false),
        reload: Callback::new(move |()| list.refetch()),
    };
    let shop = scope.is_none();
    let (title, testid) = if shop {
        (trs("Shop supplies"), "shop-supplies")
    } else {
        (trs("Supplies"), "vehicle-supplies")
    };
    let add = move |_| {
        ctx.notice.set(None);
        ctx.editor.set(Some(None));
    };
    let content = move || {
        list.with(|state| match state {
            None => view! { <Loading /> }.into_any(),
            Some(Err(err)) => {
                let message = Signal::stored(Some(ctx.auth.explain(err)));
                view! { <Alert message /> }.into_any()
            }
            Some(Ok(list)) if list.records.is_empty() => {
                let text = if shop {
                    tr("Supplies every vehicle can draw from. Administrators keep this list.")
                } else {
                    tr("Oil, filters, parts in stock: service records can draw from them.")
                };
                let empty_title = if shop { tr("No shop supplies") } else { tr("No supplies yet") };
                view! { <EmptyState title=empty_title text testid=if shop { "shop-supplies-empty" } else { "supplies-empty" }>
                    {(!shop).then(|| view! {
                        <button type="button" class="btn btn-primary" on:click=add>
                            <PlusIcon />
                            {tr("Add the first one")}
                        </button>
                    })}
                </EmptyState> }.into_any()
            }
            Some(Ok(list)) => table(ctx, list, title, editable.get()).into_any(),
        })
    };
    view! {
        <section class="supply-section" data-testid=testid>
            {shop.then(|| view! {
                <div class="supply-section-title">
                    <h2>{tr("Shop supplies")}</h2>
                    <p class="muted">{tr("Shared by every vehicle; only administrators change them.")}</p>
                </div>
            })}
            <div class="section-header">
                <div class="section-messages">
                    <Alert message=ctx.alert />
                    <Notice message=ctx.notice />
                </div>
                <div class="section-actions">
                    {match scope {
                        Some(vehicle_id) => view! { <CsvTools vehicle_id record="supplies" on_imported=ctx.reload /> }.into_any(),
                        // Everyone may export the shop's list; only administrators import into it.
                        None => view! { <CsvTools record="supplies" on_imported=ctx.reload can_import=editable /> }.into_any(),
                    }}
                    {move || editable.get().then(|| view! {
                        <button
                            type="button"
                            class=if shop { "btn btn-secondary" } else { "btn btn-primary" }
                            data-testid=if shop { "add-shop-supply" } else { "add-supply" }
                            on:click=add
                        >
                            <PlusIcon />
                            {if shop { tr("Add shop supply") } else { tr("Add supply") }}
                        </button>
                    })}
                </div>
            </div>
            {content}
            {move || ctx.editor.get().map(|supply| {
                let spec = untrack(|| form(ctx, supply));
                view! { <FormDialog spec on_close=move |()| ctx.editor.set(None) /> }
            })}
            {move || ctx.confirm.get().map(|s| {
                let id = s.id;
                let done = Callback::new(move |()| {
                    ctx.confirm.set(None);
                    ctx.reload.run(());
                });
                view! {
                    <ConfirmDialog
                        title=trs("Delete supply?")
                        body=tr_fmt("“{description}” and its usage history will be deleted permanently.", &[("description", &s.description.to_string())])
                        confirm_label=trs("Delete")
                        busy=ctx.working
                        on_confirm=move |()| act(ctx.auth, ctx.working, ctx.alert, ctx.notice, api::supplies::delete(ctx.scope, id), trs("Supply deleted."), done)
                        on_close=move |()| ctx.confirm.set(None)
                    />
                }
            })}
        </section>
    }
}

fn table(
    ctx: Ctx,
    list: &SupplyList,
    title: &'static str,
    editable: bool,
) -> impl IntoView + use<> {
    let count = list.records.len();
    let stats = vec![
        stat(
            trs("Value in stock"),
            format::money(list.total_cost),
            "",
            if ctx.scope.is_some() {
                "supplies-total"
            } else {
                "shop-supplies-total"
            },
        ),
        stat(trs("Supplies"), count.to_string(), "", "supplies-count"),
    ];
    let rows = list
        .records
        .iter()
        .map(|s| row(ctx, s, editable))
        .collect_view();
    view! {
        <Stats stats />
        <section class="card table-card" data-filter-scope>
            <div class="card-header">
                <h2>{title}</h2>
                <div class="card-tools">
                    <FilterBox />
                    <span class="muted">{format!("{count} {}", if count == 1 { tr("supply") } else { tr("supplies") })}</span>
                </div>
            </div>
            <div class="table-wrap">
                <table class="records generic supplies" data-testid="supply-table">
                    <thead>
                        <tr>
                            <th scope="col">{tr("Description")}</th>
                            <th scope="col">{tr("Part number")}</th>
                            <th scope="col">{tr("Supplier")}</th>
                            <th scope="col" class="num">{tr("Quantity")}</th>
                            <th scope="col" class="num">{tr("Value")}</th>
                            <th scope="col" class="num">{tr("Unit cost")}</th>
                            <th scope="col">{tr("Notes")}</th>
                            <th scope="col"><span class="sr-only">{tr("Actions")}</span></th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        </section>
    }
}

fn row(ctx: Ctx, s: &Supply, editable: bool) -> impl IntoView + use<> {
    let dash = |t: &str| {
        if t.is_empty() {
            "—".to_owned()
        } else {
            t.to_owned()
        }
    };
    let actions = editable.then(|| {
        let edit = s.clone();
        let ask = s.clone();
        view! {
            <button type="button" class="btn btn-ghost btn-sm" data-testid="supply-edit" on:click=move |_| {
                ctx.notice.set(None);
                ctx.editor.set(Some(Some(edit.clone())));
            }>{tr("Edit")}</button>
            <button type="button" class="btn btn-ghost btn-sm btn-danger-text" data-testid="supply-delete" on:click=move |_| {
                ctx.notice.set(None);
                ctx.confirm.set(Some(ask.clone()));
            }>{tr("Delete")}</button>
        }
    });
    let note = (!s.notes.is_empty()).then(|| view! { <span class="note">{s.notes.clone()}</span> });
    view! {
        <tr data-testid="supply-row" data-record-id=s.id>
            <td class="cell-date cell-title" data-testid="supply-description">{s.description.clone()}</td>
            <td data-label=trs("Part number")><span data-testid="supply-part">{dash(&s.part_number)}</span></td>
            <td data-label=trs("Supplier")><span data-testid="supply-supplier">{dash(&s.supplier)}</span></td>
            <td data-label=trs("Quantity") class="num"><span data-testid="supply-quantity">{format::quantity(s.quantity)}</span></td>
            <td data-label=trs("Value") class="num"><span data-testid="supply-cost">{format::money(s.cost)}</span></td>
            <td data-label=trs("Unit cost") class="num"><span data-testid="supply-unit-cost">{unit_cost(s.cost, s.quantity)}</span></td>
            <td class="cell-notes">
                <div class="flags">{tag_list(s.tags.clone())}</div>
                {note}
                {history(s)}
            </td>
            <td class="cell-actions">{actions}</td>
        </tr>
    }
}

/// The requisitions and restorations of a supply, oldest first, folded away.
fn history(s: &Supply) -> Option<impl IntoView + use<>> {
    if s.usage_history.is_empty() {
        return None;
    }
    let n = s.usage_history.len();
    let items = s
        .usage_history
        .iter()
        .map(|u| {
            let what = if u.restored { tr("Restored") } else { tr("Used") };
            view! {
                <li data-testid="supply-usage">
                    <span class="usage-date">{format::date(u.date)}</span>
                    <span>{format!("{what} {} · {}", format::quantity(u.quantity), u.description)}</span>
                    <span class="usage-cost">{format::money(u.cost)}</span>
                </li>
            }
        })
        .collect_view();
    Some(view! {
        <details class="note usage-history" data-testid="supply-history">
            <summary>{tr_fmt("Usage history ({n})", &[("n", &n.to_string())])}</summary>
            <ul>{items}</ul>
        </details>
    })
}

fn form(ctx: Ctx, supply: Option<Supply>) -> FormSpec {
    let r = supply.as_ref();
    let id = r.map(|r| r.id);
    let scope = ctx.scope;
    // Extra fields and attachments live under a vehicle: the shop's supplies have none.
    let form = match scope {
        Some(vehicle_id) => FormState::for_record(vehicle_id, "supply", "supplies", id),
        None => FormState::new(),
    };
    let date = RwSignal::new(r.map_or_else(|| forms::today().to_string(), |r| r.date.to_string()));
    let part = RwSignal::new(r.map(|r| r.part_number.clone()).unwrap_or_default());
    let supplier = RwSignal::new(r.map(|r| r.supplier.clone()).unwrap_or_default());
    let description = RwSignal::new(r.map(|r| r.description.clone()).unwrap_or_default());
    let quantity = RwSignal::new(r.map(|r| r.quantity.to_string()).unwrap_or_default());
    let cost = RwSignal::new(r.map(|r| r.cost.to_string()).unwrap_or_default());
    let notes = RwSignal::new(r.map(|r| r.notes.clone()).unwrap_or_default());
    let tags = RwSignal::new(r.map(|r| r.tags.join(" ")).unwrap_or_default());
    let saved = Callback::new(move |()| {
        ctx.editor.set(None);
        ctx.notice.set(Some(
            if id.is_some() {
                tr("Supply updated.")
            } else {
                tr("Supply added.")
            }
            .to_owned(),
        ));
        ctx.reload.run(());
    });
    let submit = Callback::new(move |()| {
        let mut parsed = Vec::new();
        let input = SupplyInput {
            date: forms::date(&mut parsed, "date", &date.get_untracked()).unwrap_or_default(),
            part_number: part.get_untracked().trim().to_owned(),
            supplier: supplier.get_untracked().trim().to_owned(),
            description: description.get_untracked().trim().to_owned(),
            quantity: forms::amount(&mut parsed, "quantity", &quantity.get_untracked())
                .unwrap_or_default(),
            cost: forms::optional_amount(&mut parsed, "cost", &cost.get_untracked())
                .unwrap_or_default(),
            notes: notes.get_untracked().trim().to_owned(),
            tags: validate::parse_tags(&tags.get_untracked()),
        };
        let rules = dto::validate(&input);
        let write = checked(input, parsed, rules).map(|input| match form.target(id) {
            Some(id) => api::supplies::update(scope, id, &input),
            None => api::supplies::create(scope, &input),
        });
        form.send(write, saved);
    });
    let mut fields = vec![
        view! { <TextInput label=trs("Description") field="description" form value=description wide=true /> }.into_any(),
        view! { <TextInput label=trs("Part number") field="partNumber" form value=part /> }.into_any(),
        view! { <TextInput label=trs("Supplier") field="supplier" form value=supplier /> }.into_any(),
        view! { <TextInput label=trs("Quantity") field="quantity" form value=quantity mode="decimal" /> }.into_any(),
        view! { <TextInput label=trs("Value in stock") field="cost" form value=cost mode="decimal" hint=trs("What the whole quantity is worth") /> }.into_any(),
        view! { <TextInput label=trs("Date") field="date" form value=date kind="date" /> }.into_any(),
        view! { <TextArea label=trs("Notes") field="notes" form value=notes /> }.into_any(),
    ];
    // Tags belong to a vehicle.
    if scope.is_some() {
        fields.push(view! { <TextInput label=trs("Tags") field="tags" form value=tags hint=trs("Space-separated words") wide=true /> }.into_any());
    }
    FormSpec {
        title: if id.is_some() {
            tr("Edit supply")
        } else {
            tr("Add supply")
        }
        .to_owned(),
        save_label: if id.is_some() {
            trs("Save changes")
        } else {
            trs("Add supply")
        },
        form,
        submit,
        fields,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unit_cost_is_value_over_quantity() {
        let a = |t: &str| Amount::parse(t).unwrap();
        assert_eq!(unit_cost(a("45.00"), a("10")), "4.50");
        assert_eq!(unit_cost(a("10"), a("3")), "3.33");
        assert_eq!(unit_cost(a("20"), a("3")), "6.67");
        assert_eq!(unit_cost(a("5"), Amount::ZERO), "—");
    }
}
